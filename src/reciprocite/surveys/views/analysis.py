"""Pages: analysis."""

urlpatterns: list = []
