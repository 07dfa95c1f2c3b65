"""The JSON API under /api/v1/ (django-ninja): routers come from each app's api.py.

Every error is JSON ``{"detail": "…"}``, with ``param`` (400: the query parameter at fault) or
``errors`` (422: messages by body field) beside it, in the request's language — those of the
operations (exception handlers below) and those around them: 404 and 500 of any path under
/api/ (``api_not_found``/``api_server_error``, Django's handlers in config/urls.py), 405 and
414 (``_guarded``, around every API view). See docs/api.md.
"""

import functools
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Router, Schema, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from reciprocite.accounts.api import router as accounts_router
from reciprocite.coordination.api import router as coordination_router
from reciprocite.core.api import (
    ERRORS_ANY,
    MAX_QUERY_STRING,
    ApiError,
    BodyTextError,
    absolute,
    check_body_text,
    error_message,
    field_errors,
    not_found_message,
)
from reciprocite.core.audit import audit_record
from reciprocite.core.filters import FilterError
from reciprocite.knowledge.api import router as knowledge_router
from reciprocite.matching.api import router as matching_router
from reciprocite.panorama.api import router as panorama_router
from reciprocite.registry.api import router as registry_router
from reciprocite.surveys.api import router as surveys_router
from reciprocite.territories.api import router as territories_router


class _Utf8JSON(JSONRenderer):
    """UTF-8 text as is ("Hérouville ↔ Tikhvine"), not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class _TextParser(Parser):
    """JSON bodies, refused (as a 422 naming the field, see ``_http_error``) when a string is
    not Unicode text: JSON allows a lone surrogate ("\\ud800"), no database stores one."""

    def parse_body(self, request):
        data = json.loads(request.body)
        check_body_text(data)
        return data


API_NAME = "Réciprocité API"
API_VERSION = "1"

api = NinjaAPI(
    title=API_NAME,
    version=API_VERSION,
    description=(
        "Partnerships and projects of local governments cooperating on social action. "
        "Reads are public (published records); writes need `Authorization: Bearer <token>` "
        "with a token of an organisation member."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Every asset from our own /static/ (ninja's templates); no call to an outside validator.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    renderer=_Utf8JSON(),
    parser=_TextParser(),
)

# --- the index: GET /api/v1/ ---------------------------------------------------------------------

_index = Router(tags=["index"])


class IndexLinks(Schema):
    openapi: str = Field(..., description="The OpenAPI document.")
    docs: str = Field(..., description="The browsable documentation.")


class IndexOut(Schema):
    name: str
    version: str
    links: IndexLinks


@_index.get(
    "",
    response={200: IndexOut, **ERRORS_ANY},
    url_name="index",
    summary="What this API is, and where its description is",
)
def api_index(request):
    """The API's name and version, and the addresses of its OpenAPI document and docs."""
    base = request.path  # /api/v1/
    return {
        "name": API_NAME,
        "version": API_VERSION,
        "links": {
            "openapi": absolute(request, base + "openapi.json"),
            "docs": absolute(request, base + "docs"),
        },
    }


api.add_router("", _index)

api.add_router("", territories_router)
api.add_router("", registry_router)
api.add_router("", accounts_router)
api.add_router("/surveys", surveys_router)
api.add_router("", panorama_router)
api.add_router("/knowledge", knowledge_router)
api.add_router("/matching", matching_router)
api.add_router("", coordination_router)

# Last, so that it only catches what no operation answers: a JSON 404 rather than a page.
_fallback = Router()


@_fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def _no_such_endpoint(request, rest: str):
    raise ApiError(404, _("No such endpoint: see /api/v1/docs for the list."))


api.add_router("", _fallback)


def _error(request, status: int, detail: str, **extra):
    if status == 403:
        audit_record(kind="permission_denied", request=request, detail={"detail": detail})
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return _error(request, exc.status, exc.detail, **exc.extra)


@api.exception_handler(FilterError)
def _filter_error(request, exc: FilterError):
    return _error(request, 400, str(exc), param=exc.param)


@api.exception_handler(DjangoValidationError)
def _invalid_body(request, exc: DjangoValidationError):
    return _error(request, 422, _("The data sent is not valid."), errors=field_errors(exc))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc: AuthenticationError):
    response = _error(request, 401, exc.message)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    response = _error(request, 429, exc.message)
    if exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc: RequestDataTooBig):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return _error(request, 413, _("The body is too large: %(mb)s MB at most.") % {"mb": limit})


@api.exception_handler(SuspiciousOperation)
def _suspicious(request, exc: SuspiciousOperation):
    return _error(request, 400, _("The request is malformed."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, BodyTextError):
        # raised by _TextParser; ninja turns every parser error into "Cannot parse" (400)
        return _body_text_error(request, exc.__cause__)
    if exc.status_code == 400 and exc.message.startswith("Cannot parse request body"):
        return _error(request, 400, _("The body is not valid JSON."))
    return _error(request, exc.status_code, exc.message)


@api.exception_handler(BodyTextError)
def _body_text_error(request, exc: BodyTextError):
    return _error(request, 422, _("The data sent is not valid."), errors={exc.field: [exc.message]})


def _location(loc) -> tuple[str, str]:
    """("query"|"path"|"body"|…, "dotted.field") from a pydantic location."""
    parts = [str(p) for p in loc]
    where = parts[0] if parts else ""
    rest = parts[1:]
    # Query[Schema] and body parameters carry the argument's name first (paging, filters, body).
    if (
        where in {"query", "body", "path"}
        and len(rest) > 1
        and rest[0]
        in {
            "paging",
            "filters",
            "body",
        }
    ):
        rest = rest[1:]
    return where, ".".join(rest)


@api.exception_handler(NinjaValidationError)
def _invalid_request(request, exc: NinjaValidationError):
    """Request validation by ninja: a bad id in the path is a 404, a bad query parameter a 400
    naming it, a bad body a 422 with messages by field."""
    by_place: dict[str, dict[str, list[str]]] = {}
    for error in exc.errors:
        where, name = _location(error.get("loc", ()))
        if where == "path":
            # the detail operations are named <what>_detail (partnership_detail…)
            match = getattr(request, "resolver_match", None)
            url_name = (match.url_name if match else "") or ""
            what = url_name.split("_")[0]
            value = str((match.kwargs if match else {}).get(name, ""))[:40]
            return _error(request, 404, not_found_message(what, value))
        by_place.setdefault(where, {}).setdefault(name or "__all__", []).append(
            error_message(error)
        )
    if "query" in by_place:
        name, messages = next(iter(by_place["query"].items()))
        return _error(request, 400, f"{name}: {'; '.join(messages)}", param=name)
    errors: dict[str, list[str]] = {}
    for fields in by_place.values():
        for name, messages in fields.items():
            errors.setdefault(name, []).extend(messages)
    return _error(request, 422, _("The data sent is not valid."), errors=errors)


# --- errors outside the operations: 404, 405, 414 and 500 as JSON under /api/ ---------------------


def _json(status: int, detail: str) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


_METHOD_ORDER = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "TRACE"]


def _method_rank(method: str) -> tuple[int, str]:
    known = method in _METHOD_ORDER
    return (_METHOD_ORDER.index(method) if known else len(_METHOD_ORDER), method)


def _guarded(view):
    """An API view that refuses over-long query strings (414) and answers a method the path
    does not have with a JSON 405 (ninja's own is plain text)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return _json(
                414,
                _("The query string is too long: %(limit)s bytes at most.")
                % {"limit": MAX_QUERY_STRING},
            )
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            methods = {m.strip() for m in response.get("Allow", "").split(",") if m.strip()}
            allowed = ", ".join(sorted(methods, key=_method_rank))
            response = _json(
                405,
                _("The method %(method)s is not allowed here; allowed: %(allowed)s.")
                % {"method": request.method[:20], "allowed": allowed},
            )
            response["Allow"] = allowed
        return response

    return wrapper


def _guard_patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _guard_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = _guarded(pattern.callback)
    return patterns


def api_urls():
    """``api.urls`` with every view guarded (for config/urls.py)."""
    patterns, app_name, namespace = api.urls
    return _guard_patterns(patterns), app_name, namespace


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def api_not_found(request: HttpRequest) -> JsonResponse:
    """A JSON 404 for any path under /api/ that no API route matches (/api/, /api/v2/…)."""
    return _json(404, _("No such endpoint: see /api/v1/docs for the list."))


def api_server_error(request: HttpRequest) -> JsonResponse:
    """The JSON 500 under /api/ (Django has logged the traceback already)."""
    return _json(500, _("A server error occurred; it has been logged. Please try again later."))
