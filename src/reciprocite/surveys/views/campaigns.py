"""Pages: campaigns."""

urlpatterns: list = []
