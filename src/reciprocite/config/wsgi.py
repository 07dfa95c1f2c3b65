import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocite.config.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Import the URL configuration (every view and the API's schemas) when a worker starts
    rather than inside its first request, which otherwise pays ~0.25 s for it."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the property imports the modules)


_warm_up()
