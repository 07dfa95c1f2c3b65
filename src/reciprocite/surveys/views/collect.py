"""Pages: collect."""

urlpatterns: list = []
