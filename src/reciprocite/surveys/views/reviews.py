"""Pages: reviews."""

urlpatterns: list = []
