"""API authentication: ``Authorization: Bearer <secret>`` with a per-organisation token.

A token acts for one membership (one user in one organisation, with one role); permissions are
evaluated on ``principal_of(membership)``, so a token never has more rights than that role.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import AuthenticationError, Throttled
from ninja.security import HttpBearer

from reciprocite.core.api import ERRORS_READ

from . import services, throttle
from .forms import locked_message
from .models import Membership
from .schemas import TokenInfoOut, token_info

router = Router(tags=["authentication"])


class BearerToken(HttpBearer):
    """Bearer token authentication; the authenticated value is the token's Membership."""

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
            raise TooManyAttempts(lock)
        membership = services.api_token_authenticate(token)
        if membership is None:
            throttle.register_failure(throttle.TOKEN_ADDRESS, address, request=request)
            raise AuthenticationError(message=_("This token is unknown or has been revoked."))
        return membership


class TooManyAttempts(Throttled):
    """429 with Retry-After: this address sent too many bad tokens (accounts.throttle)."""

    def __init__(self, lock: throttle.Lock):
        super().__init__(wait=lock.retry_after)
        self.message = locked_message(lock)


bearer = BearerToken()


def optional_membership(request: HttpRequest) -> Membership | None:
    """The membership of the token a read carries, or None when it carries none.

    A token that is present but unknown or revoked is refused (401) rather than ignored, so
    that a script never mistakes an anonymous answer for its own view.
    """
    cached = getattr(request, "_api_membership", False)
    if cached is not False:
        return cached
    membership = bearer(request) if request.headers.get("Authorization", "").strip() else None
    request._api_membership = membership
    return membership


@router.get(
    "/token",
    response={200: TokenInfoOut, **ERRORS_READ},
    auth=bearer,
    url_name="token_info",
    summary="Who the token acts for",
)
def token_detail(request):
    """The user, organisation and role the token acts with (to check a token)."""
    return token_info(request.auth)
