"""Security headers of every response, and /.well-known/security.txt (docs/security.md).

Content-Security-Policy: nothing inline — no ``<script>`` body, no ``style=`` attribute, no
``on…=`` handler — everything from our own origin (``settings.RECIPROCITE_CSP``). Where a
template cannot avoid an inline element it writes ``nonce="{{ csp_nonce }}"``: the nonce is
made for that response only, and the header names it only when a template asked for it.

Permissions-Policy: the browser features the platform never uses are refused to every origin
(``settings.RECIPROCITE_PERMISSIONS_POLICY``); a page that needs one (a questionnaire's
"use my position") gets it for our own origin only (``RECIPROCITE_PERMISSIONS_POLICY_SELF``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

NONCE_PLACEHOLDER = "'nonce'"


class CspNonce:
    """A per-request nonce, drawn the first time a template prints it."""

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value: str | None = None

    def __str__(self) -> str:
        if self._value is None:
            self._value = secrets.token_urlsafe(18)
        return self._value

    __html__ = __str__  # already safe: URL-safe base64

    @property
    def used(self) -> bool:
        return self._value is not None


def content_security_policy(nonce: CspNonce | None = None) -> str:
    directives = []
    for name, sources in settings.RECIPROCITE_CSP.items():
        values = []
        for source in sources:
            if source == NONCE_PLACEHOLDER:
                if nonce is not None and nonce.used:
                    values.append(f"'nonce-{nonce}'")
            else:
                values.append(source)
        directives.append(" ".join([name, *values]))
    return "; ".join(directives)


def permissions_policy(view_name: str = "") -> str:
    """Every feature refused to every origin; a feature the view needs (a questionnaire's
    position) allowed to our own origin only (settings.RECIPROCITE_PERMISSIONS_POLICY_SELF)."""
    allowed = {
        feature
        for feature, views in settings.RECIPROCITE_PERMISSIONS_POLICY_SELF.items()
        if view_name and view_name in views
    }
    return ", ".join(
        f"{feature}=(self)" if feature in allowed else f"{feature}=()"
        for feature in settings.RECIPROCITE_PERMISSIONS_POLICY
    )


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (pages, admin, API,
    static files); a view that set its own policy keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        nonce = CspNonce()
        request.csp_nonce = nonce  # type: ignore[attr-defined]  # read by templates
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(
                getattr(request, "csp_nonce", nonce)
            )
        if "Permissions-Policy" not in response:
            match = getattr(request, "resolver_match", None)
            response["Permissions-Policy"] = permissions_policy(match.view_name if match else "")
        return response


def csp_nonce(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``{{ csp_nonce }}`` in templates."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


@require_GET
@cache_control(max_age=86400, public=True)
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: where to report a vulnerability (settings.RECIPROCITE_SECURITY_CONTACT)."""
    contact = settings.RECIPROCITE_SECURITY_CONTACT.strip()
    if "@" in contact and ":" not in contact:
        contact = f"mailto:{contact}"
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fr, en",
        f"Canonical: {settings.RECIPROCITE_SITE_URL.rstrip('/')}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
