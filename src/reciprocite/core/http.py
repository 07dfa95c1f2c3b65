"""What every app's views share: refusing, and answering htmx with a fragment.

- ``deny_unless(allowed)`` raises the 403 with the one sentence every page uses; the
  permission itself is always a predicate of the app's ``permissions.py``.
- ``is_partial(request)`` is true for an htmx request that wants a fragment (a history
  restore wants the whole page); ``vary_on_htmx(response)`` marks such a response as
  varying on ``HX-Request`` so that no cache serves a fragment for a page or the reverse.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


def deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def is_partial(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (not a history restore, which wants the page)."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


Response = TypeVar("Response", bound=HttpResponseBase)


def vary_on_htmx(response: Response) -> Response:
    patch_vary_headers(response, ("HX-Request",))
    return response
