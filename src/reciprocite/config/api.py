"""The JSON API under /api/v1/ (django-ninja): routers come from each app's api.py."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Réciprocité API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
