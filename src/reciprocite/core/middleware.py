"""Language of the pages: French first.

The network works in French: a page is in French until the visitor picks another language
with the switcher (a cookie), whatever the browser says — a partner's borrowed laptop in
English must not turn the platform English. Set RECIPROCITE_BROWSER_LANGUAGE=1 to follow the
browser's Accept-Language on pages too. The API always honours Accept-Language (its labels).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class FrenchFirstMiddleware:
    """Placed before LocaleMiddleware: hides the browser's language from page requests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.RECIPROCITE_BROWSER_LANGUAGE and not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
