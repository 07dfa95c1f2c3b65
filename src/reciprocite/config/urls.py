from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from .api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("reciprocite.accounts.urls")),
    path("territories/", include("reciprocite.territories.urls")),
    path("", include("reciprocite.registry.urls")),
    # Uploaded documents (conventions…); in production a front server may serve MEDIA_ROOT.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]
