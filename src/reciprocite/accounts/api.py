"""API of the accounts: ``GET /api/v1/token``, who a token acts for.

The authentication every app's API uses (``bearer``, ``optional_membership``) is in
``authentication.py``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from reciprocite.core.api import ERRORS_READ

from .authentication import bearer
from .models import Membership
from .schemas import TokenInfoOut, token_info

router = Router(tags=["authentication"])


@router.get(
    "/token",
    response={200: TokenInfoOut, **ERRORS_READ},
    auth=bearer,
    url_name="token_info",
    summary="Who the token acts for",
)
def token_detail(request: HttpRequest) -> dict[str, Any]:
    """The user, organisation and role the token acts with (to check a token)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]  # set by ninja's auth
    return token_info(membership)
