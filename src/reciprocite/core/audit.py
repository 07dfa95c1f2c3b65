"""The audit log: sign-ins, sign-outs, API tokens created, permission denials (docs/security.md).

Cross-cutting on purpose: the sign-in events come from Django's ``user_logged_in``,
``user_login_failed`` and ``user_logged_out`` signals (connected in core.apps), so the account
views know nothing of it; the API records its 403 answers in config.api, the web ones are seen
by ``DenialAuditMiddleware``, and accounts.services records the tokens it creates.

Recording never fails the request: an event that cannot be written is logged and dropped.
A denial is logged as one line (core.logs.ForbiddenFilter), never with a traceback.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from .models import AuditEvent

logger = logging.getLogger(__name__)

Kind = AuditEvent.Kind
USERNAME_MAX = AuditEvent._meta.get_field("username").max_length
PATH_MAX = AuditEvent._meta.get_field("path").max_length
DETAIL_TEXT_MAX = 300
# a denial already recorded for this request (by the API): the middleware leaves it
_RECORDED = "_reciprocite_denial_audited"


def _client_address(request: HttpRequest) -> str | None:
    value = (request.META.get("REMOTE_ADDR") or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _clean_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in (detail or {}).items():
        if isinstance(value, str):
            value = value[:DETAIL_TEXT_MAX]
        elif not isinstance(value, int | float | bool | type(None)):
            value = str(value)[:DETAIL_TEXT_MAX]
        clean[str(key)[:50]] = value
    return clean


def audit_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user: Any = None,
    username: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent | None:
    """Write one audit event; never raises (a failure is logged, the request goes on)."""
    try:
        if user is None and request is not None:
            candidate = getattr(request, "user", None)
            if candidate is not None and candidate.is_authenticated:
                user = candidate
            else:  # the API: the token's membership (an operation's auth, or a read's)
                membership = getattr(request, "auth", None) or getattr(
                    request, "_api_membership", None
                )
                user = getattr(membership, "user", None)
        if user is not None and not getattr(user, "pk", None):
            user = None
        if not username and user is not None:
            username = user.get_username()
        event = AuditEvent(
            kind=kind,
            user=user,
            username=str(username or "")[:USERNAME_MAX],
            client_address=_client_address(request) if request is not None else None,
            path=(request.path[:PATH_MAX] if request is not None else ""),
            detail=_clean_detail(detail),
        )
        event.full_clean(exclude=["user"], validate_unique=False)  # a kind we do not know…
        with transaction.atomic():  # a savepoint: a failed insert leaves the request's work
            event.save()
        if request is not None and kind == Kind.PERMISSION_DENIED:
            setattr(request, _RECORDED, True)
        return event
    except Exception as exc:  # noqa: BLE001 - the audit log must never break a request
        logger.warning("audit event %s not recorded: %s", kind, exc)
        return None


def audit_purge(*, now: datetime | None = None) -> int:
    """Delete the events older than RECIPROCITE_AUDIT_RETENTION_DAYS; how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RECIPROCITE_AUDIT_RETENTION_DAYS)
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


# -- signals (connected in core.apps) ---------------------------------------------------------


def on_user_logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(kind=Kind.SIGN_IN, request=request, user=user)


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # only the name typed: the credentials' other values (the password) are never kept
    from django.contrib.auth import get_user_model

    field = get_user_model().USERNAME_FIELD
    typed = credentials.get(field) or credentials.get("username") or ""
    audit_record(kind=Kind.SIGN_IN_FAILED, request=request, user=None, username=str(typed))


def on_user_logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(kind=Kind.SIGN_OUT, request=request, user=user)


# -- web denials ------------------------------------------------------------------------------


class DenialAuditMiddleware:
    """Records every 403 answered to a page (PermissionDenied, CSRF failure…), once.

    Placed after AuthenticationMiddleware (it names the user). The API's 403s are recorded by
    config.api with their message; this middleware skips a request already recorded.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code == 403 and not getattr(request, _RECORDED, False):
            detail: dict[str, Any] = {"method": request.method}
            reason = getattr(request, "_reciprocite_denial_reason", "")
            if reason:
                detail["reason"] = reason
            audit_record(kind=Kind.PERMISSION_DENIED, request=request, detail=detail)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied) and str(exception):
            setattr(request, "_reciprocite_denial_reason", str(exception))  # noqa: B010
        return None
