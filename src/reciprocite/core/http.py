"""What every app's views share: refusing, and answering htmx with a fragment.

- ``deny_unless(allowed)`` raises the 403 with the one sentence every page uses; the
  permission itself is always a predicate of the app's ``permissions.py``.
- ``is_partial(request)`` is true for an htmx request that wants a fragment (a history
  restore wants the whole page); ``vary_on_htmx(response)`` marks such a response as
  varying on ``HX-Request`` so that no cache serves a fragment for a page or the reverse.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


def deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def is_partial(request) -> bool:
    """An htmx request that wants a fragment (not a history restore, which wants the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def vary_on_htmx(response):
    patch_vary_headers(response, ("HX-Request",))
    return response
