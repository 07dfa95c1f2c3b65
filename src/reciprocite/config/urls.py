from django.contrib import admin
from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.views import defaults

from reciprocite.accounts.views import AdminSignInView
from reciprocite.core.security import security_txt
from reciprocite.registry.views.home import home as registry_home

from . import api


def healthz(request):
    """Health probe for load balancers and monitors (docs/configuration.md): the database,
    the background-job worker and the jobs waiting too long; 503 when degraded."""
    from reciprocite.core.worker import health

    report = health()
    response = JsonResponse(report, status=200 if report["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response


def livez(request):
    """Liveness probe: the process answers, nothing else is read (no database, no file).
    Also the bare view the benchmarks measure beside the real pages."""
    response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


# The administration signs in through our throttled view (with the second step): docs/accounts.md
admin.site.login = AdminSignInView.as_view()


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.api_urls()),
    path("accounts/", include("reciprocite.accounts.urls")),
    path("territories/", include("reciprocite.territories.urls")),
    path("surveys/", include("reciprocite.surveys.urls")),
    path("knowledge/", include("reciprocite.knowledge.urls")),
    path("jobs/", include("reciprocite.core.urls")),
    path("panorama/", include("reciprocite.panorama.urls")),
    path("", registry_home, name="home"),  # LOGIN_REDIRECT_URL names it
    path("", include("reciprocite.registry.urls")),
]


# JSON under /api/ (docs/api.md), the site's pages elsewhere.
def handler404(request, exception):
    if api.is_api_request(request):
        return api.api_not_found(request)
    return defaults.page_not_found(request, exception)


def handler500(request):
    if api.is_api_request(request):
        return api.api_server_error(request)
    return defaults.server_error(request)
