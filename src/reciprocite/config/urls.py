from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("reciprocite.accounts.urls")),
    path("territories/", include("reciprocite.territories.urls")),
    path("", include("reciprocite.registry.urls")),
]
