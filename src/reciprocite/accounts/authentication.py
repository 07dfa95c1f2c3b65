"""API authentication: ``Authorization: Bearer <secret>`` with a per-organisation token.

A token acts for one membership (one user in one organisation, with one role); permissions are
evaluated on ``principal_of(membership)``, so a token never has more rights than that role.

Every app's API authenticates with ``bearer`` (writes, and reads that need a token) or
``optional_membership`` (reads that a token widens). They live here, not in ``accounts/api.py``
(the accounts' own endpoints), because no app imports another app's API (docs/architecture.md),
and not in ``core``, which cannot read tokens, memberships or the throttle.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from reciprocite.core.api import TooManyRequests

from . import services, throttle
from .forms import locked_message
from .models import Membership


class BearerToken(HttpBearer):
    """Bearer token authentication; the authenticated value is the token's Membership.

    The class name is the security scheme's name in the OpenAPI document (``BearerToken``).
    """

    def __call__(self, request: HttpRequest) -> Membership:
        header = request.headers.get(self.header, "")
        if not header.strip():
            raise AuthenticationError(
                message=_(
                    "Authentication required: send the header 'Authorization: Bearer <token>'."
                )
            )
        scheme, _sep, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(
                message=_("The Authorization header must read 'Bearer <token>'.")
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Membership:
        address = throttle.client_address(request)
        lock = throttle.locked(throttle.TOKEN_ADDRESS, address)
        if lock is not None:
            # this address sent too many bad tokens: 429 with Retry-After
            raise TooManyRequests(locked_message(lock), wait=lock.retry_after)
        membership = services.api_token_authenticate(token)
        if membership is None:
            throttle.register_failure(throttle.TOKEN_ADDRESS, address, request=request)
            raise AuthenticationError(message=_("This token is unknown or has been revoked."))
        return membership


bearer = BearerToken()


def optional_membership(request: HttpRequest) -> Membership | None:
    """The membership of the token a read carries, or None when it carries none.

    A token that is present but unknown or revoked is refused (401) rather than ignored, so
    that a script never mistakes an anonymous answer for its own view.
    """
    if hasattr(request, "_api_membership"):
        cached: Membership | None = request._api_membership
        return cached
    membership = bearer(request) if request.headers.get("Authorization", "").strip() else None
    request._api_membership = membership  # type: ignore[attr-defined]
    return membership
