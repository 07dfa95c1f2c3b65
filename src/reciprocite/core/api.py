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
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from ninja.errors import Throttled
from pydantic import AfterValidator, WithJsonSchema

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


# Whole sentences (never a noun slipped into another language's sentence).
_NOT_FOUND = {
    "partnership": gettext_lazy("No partnership with id %(id)s."),
    "project": gettext_lazy("No project with id %(id)s."),
    "territory": gettext_lazy("No territory with id %(id)s."),
}
_NOT_FOUND_OTHER = gettext_lazy("Nothing with id %(id)s.")


def not_found_message(what: str, pk) -> str:
    """The 404 sentence for ``what`` (``partnership``, ``project``, ``territory``)."""
    return str(_NOT_FOUND.get(what, _NOT_FOUND_OTHER)) % {"id": pk}


def not_found(what: str, pk) -> ApiError:
    return ApiError(404, not_found_message(what, pk))


def forbidden(detail: str) -> ApiError:
    """A 403 with ``detail``: one whole translated sentence, e.g.
    ``_("This token may not delete this project (…).")``."""
    return ApiError(403, detail)


class TooManyRequests(Throttled):
    """A 429 with ``Retry-After: wait`` (seconds) and ``detail``: a client refused for a while
    (accounts' throttling of bad tokens). config/api.py answers every ``Throttled``."""

    def __init__(self, detail: str, *, wait: int):
        super().__init__(wait=wait)
        self.message = detail


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


# --- text that no database can store ---------------------------------------------------------


class BodyTextError(Exception):
    """A JSON body holds a string that is not Unicode text (a lone surrogate such as
    ``"\\ud800"``, which JSON allows and no UTF-8 database can store); ``field`` is its
    dotted path (``fundings.0.funder.name``, ``data.nom``)."""

    def __init__(self, field: str):
        self.field = field
        super().__init__(field)

    @property
    def message(self) -> str:
        return _("Must be Unicode text: a lone surrogate (such as \\ud800) is not a character.")


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _surrogate_path(value: Any, path: tuple[str, ...]) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return path if _has_surrogate(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            key = str(key)
            if _has_surrogate(key):
                return (*path, key.encode("utf-8", "backslashreplace").decode("ascii"))
            found = _surrogate_path(item, (*path, key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _surrogate_path(item, (*path, str(i)))
            if found is not None:
                return found
    return None


def check_body_text(data: Any, prefix: str = "") -> None:
    """Raise BodyTextError naming the first string of ``data`` (parsed JSON) that is not
    Unicode text. Every JSON body of the API goes through it (config/api.py's parser; the
    submissions endpoint, which reads its body itself)."""
    path = _surrogate_path(data, (prefix,) if prefix else ())
    if path is not None:
        raise BodyTextError(".".join(path) or "body")


# --- validation messages in the request's language ------------------------------------------

# pydantic's messages are English only: the common ones, translated (the others keep
# pydantic's words, alone in their sentence).
_PYDANTIC = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("Unknown field."),
    "string_type": gettext_lazy("Must be text."),
    "string_too_short": gettext_lazy("Must have at least %(min_length)s characters."),
    "string_too_long": gettext_lazy("Must have at most %(max_length)s characters."),
    "too_short": gettext_lazy("Must have at least %(min_length)s items."),
    "too_long": gettext_lazy("Must have at most %(max_length)s items."),
    "int_type": gettext_lazy("Must be a whole number."),
    "int_parsing": gettext_lazy("Must be a whole number."),
    "int_from_float": gettext_lazy("Must be a whole number."),
    "float_type": gettext_lazy("Must be a number."),
    "float_parsing": gettext_lazy("Must be a number."),
    "decimal_type": gettext_lazy("Must be a number."),
    "decimal_parsing": gettext_lazy("Must be a number."),
    "finite_number": gettext_lazy("Must be a finite number."),
    "decimal_max_places": gettext_lazy("Must have at most %(decimal_places)s decimal places."),
    "decimal_max_digits": gettext_lazy("Must have at most %(max_digits)s digits."),
    "greater_than_equal": gettext_lazy("Must be at least %(ge)s."),
    "greater_than": gettext_lazy("Must be more than %(gt)s."),
    "less_than_equal": gettext_lazy("Must be at most %(le)s."),
    "less_than": gettext_lazy("Must be less than %(lt)s."),
    "bool_type": gettext_lazy("Must be true or false."),
    "bool_parsing": gettext_lazy("Must be true or false."),
    "list_type": gettext_lazy("Must be a list."),
    "dict_type": gettext_lazy("Must be an object."),
    "model_type": gettext_lazy("Must be an object."),
    "model_attributes_type": gettext_lazy("Must be an object."),
    "date_type": gettext_lazy("Must be a date (YYYY-MM-DD)."),
    "date_parsing": gettext_lazy("Must be a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_lazy("Must be a date (YYYY-MM-DD)."),
    "date_from_datetime_inexact": gettext_lazy("Must be a date (YYYY-MM-DD)."),
    "literal_error": gettext_lazy("Must be one of: %(expected)s."),
    "enum": gettext_lazy("Must be one of: %(expected)s."),
}


def error_message(error: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence in the active language."""
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return _("Must not be empty.")
    template = _PYDANTIC.get(kind)
    if template is not None:
        try:
            return str(template) % {key: str(value) for key, value in ctx.items()}
        except (KeyError, TypeError, ValueError):
            pass
    message = str(error.get("msg", ""))
    # our own validators (AfterValidator) raise ValueError with a translated message
    return message.removeprefix("Value error, ")


class ErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, in words.")
    param: str | None = Field(None, description="The query parameter at fault (400).")
    errors: dict[str, list[str]] | None = Field(
        None, description="Messages by field of the body (422)."
    )


# The errors every operation may answer (OpenAPI): 414 a query string over MAX_QUERY_STRING,
# 429 a token refused for too many attempts (accounts' throttling).
ERRORS_ANY = {414: ErrorOut}
ERRORS_READ = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 414: ErrorOut, 429: ErrorOut}
ERRORS_WRITE = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    413: ErrorOut,
    414: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}

# The longest query string the API reads (in bytes): a longer one is a 414. A proxy or the WSGI
# server may cut earlier (gunicorn: a request line of 4094 bytes, answered with its own 400).
MAX_QUERY_STRING = 32768

# OpenAPI: a read may be anonymous or carry a token (which then widens what is visible).
OPTIONAL_BEARER: dict[str, Any] = {"security": [{}, {"BearerToken": []}]}

# --- input types ----------------------------------------------------------------------------


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Must not contain NUL characters."))
    return value


def _currency(value: str) -> str:
    value = value.strip().upper()
    if len(value) != 3 or pycountry.currencies.get(alpha_3=value) is None:
        raise ValueError(_("Must be an ISO 4217 currency code such as EUR."))
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Currency = Annotated[str, AfterValidator(_currency)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def choice(values: Iterable[str]) -> Any:
    """A query parameter that takes one of ``values``: an enum in the OpenAPI document, while
    the filter's own parser checks the value (and names it in its 400)."""
    return Annotated[str | None, WithJsonSchema({"type": "string", "enum": list(values)})]


def query_schema(schema: dict) -> Any:
    """A query parameter read by the filters' own parser, described by ``schema``."""
    return Annotated[str | None, WithJsonSchema(schema)]


COUNTRY_CODE = query_schema({"type": "string", "pattern": "^[A-Za-z]{2}$"})
YEAR = query_schema({"type": "integer", "minimum": 1900, "maximum": 2100})
ID_QUERY = query_schema({"type": "integer", "minimum": 1, "maximum": MAX_ID})


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
