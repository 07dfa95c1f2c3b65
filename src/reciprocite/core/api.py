"""Pieces shared by the API routers of every app: errors, pagination, links, input types.

The routers themselves live in each app's ``api.py``; ``config/api.py`` mounts them and turns
the exceptions raised here (and by services and selectors) into JSON errors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Annotated, Any

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator

# Largest id a client may send: ids are 64-bit integers in every database we support.
MAX_ID = 2**63 - 1
MAX_PAGE_SIZE = 100

# --- errors ---------------------------------------------------------------------------------


class ApiError(Exception):
    """An error answered as JSON ``{"detail": message, **extra}`` with the given status."""

    def __init__(self, status: int, detail: str, **extra: Any):
        self.status = status
        self.detail = detail
        self.extra = extra
        super().__init__(detail)


def not_found(what: str, pk) -> ApiError:
    return ApiError(404, _("No %(what)s with id %(id)s.") % {"what": what, "id": pk})


def forbidden(action: str) -> ApiError:
    return ApiError(
        403,
        _("This token may not %(action)s (it acts with the role of its membership only).")
        % {"action": action},
    )


def field_errors(exc: DjangoValidationError, prefix: str = "") -> dict[str, list[str]]:
    """A Django ValidationError as ``{field: [messages]}`` (``__all__`` for the others)."""
    items: Iterable[tuple[str, list[str]]]
    if hasattr(exc, "error_dict"):
        items = exc.message_dict.items()
    else:
        items = [("__all__", exc.messages)]
    return {(f"{prefix}{name}" if prefix else name): list(msgs) for name, msgs in items}


def invalid(errors: Mapping[str, Iterable[str]]) -> DjangoValidationError:
    """A field → messages mapping as a Django ValidationError (answered with 422)."""
    return DjangoValidationError({name: list(msgs) for name, msgs in errors.items()})


class ErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, in words.")
    param: str | None = Field(None, description="The query parameter at fault (400).")
    errors: dict[str, list[str]] | None = Field(
        None, description="Messages by field of the body (422)."
    )


ERRORS_READ = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut}
ERRORS_WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

# OpenAPI: a read may be anonymous or carry a token (which then widens what is visible).
OPTIONAL_BEARER: dict[str, Any] = {"security": [{}, {"BearerToken": []}]}

# --- input types ----------------------------------------------------------------------------


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _currency(value: str) -> str:
    value = value.strip().upper()
    if len(value) != 3 or pycountry.currencies.get(alpha_3=value) is None:
        raise ValueError("must be an ISO 4217 currency code such as EUR")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Currency = Annotated[str, AfterValidator(_currency)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def text(max_length: int, **kwargs) -> Any:
    return Field(max_length=max_length, **kwargs)


def check_query_params(request: HttpRequest) -> None:
    """Refuse query strings that no database should see (NUL characters)."""
    for name, values in request.GET.lists():
        if "\x00" in name:
            raise ApiError(400, _("A query parameter name contains a NUL character."))
        if any("\x00" in v for v in values):
            raise ApiError(
                400, _("%(param)s: must not contain NUL characters") % {"param": name}, param=name
            )


# --- links ----------------------------------------------------------------------------------


def _base(request: HttpRequest) -> str:
    base = getattr(request, "_api_base_url", None)
    if base is None:
        base = request.build_absolute_uri("/").rstrip("/")
        request._api_base_url = base  # type: ignore[attr-defined]
    return base


def absolute(request: HttpRequest, path: str) -> str:
    return _base(request) + path


def api_url(request: HttpRequest, name: str, **kwargs) -> str:
    """The absolute URL of an API operation (``name`` is its url_name)."""
    return absolute(request, reverse(f"api:{name}", kwargs=kwargs))


def page_url(request: HttpRequest, name: str, pk: int, fallback: str) -> str:
    """The absolute URL of a page; ``fallback`` (a path) while the page is not routed yet."""
    try:
        path = reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        path = fallback
    return absolute(request, path)


def money(amount, currency: str) -> dict | None:
    if amount is None:
        return None
    return {"amount": float(Decimal(amount)), "currency": currency}


# --- pagination -----------------------------------------------------------------------------


class PageParams(Schema):
    page: int = Field(1, ge=1, description="Page number, from 1.")
    page_size: int = Field(
        settings.RECIPROCITE_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Results per page, at most {MAX_PAGE_SIZE}.",
    )


class PageOut(Schema):
    count: int = Field(..., description="Number of results on all pages.")
    page: int
    page_size: int
    next: str | None = Field(..., description="URL of the next page, or null.")
    previous: str | None = Field(..., description="URL of the previous page, or null.")


def _page_link(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return f"{absolute(request, request.path)}?{params.urlencode()}"


def paginate(
    request: HttpRequest,
    qs: QuerySet,
    *,
    page: int,
    page_size: int,
    serialize: Callable[[Any], dict],
) -> dict:
    """One page of ``qs`` as ``{count, page, page_size, next, previous, results}``.

    A page past the last one is a 404 naming ``page`` (the first page always exists).
    """
    count = qs.count()
    last = max(1, math.ceil(count / page_size))
    if page > last:
        raise ApiError(
            404,
            _("page: there is no page %(page)s; the last page is %(last)s.")
            % {"page": page, "last": last},
            param="page",
        )
    start = (page - 1) * page_size
    items = list(qs[start : start + page_size]) if count else []
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "next": _page_link(request, page + 1) if page < last else None,
        "previous": _page_link(request, page - 1) if page > 1 else None,
        "results": [serialize(item) for item in items],
    }


def without(params, *names: str) -> dict:
    """Query parameters (QueryDict) as a plain dict, less ``names`` (last value wins)."""
    return {key: params.get(key) for key in params if key not in names}
