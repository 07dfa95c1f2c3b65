"""Pages: questionnaires."""

urlpatterns: list = []
