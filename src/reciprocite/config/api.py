"""The JSON API under /api/v1/ (django-ninja): routers come from each app's api.py.

Every error is JSON ``{"detail": "…"}``, with ``param`` (400: the query parameter at fault) or
``errors`` (422: messages by body field) beside it. See docs/api.md.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from reciprocite.accounts.api import router as accounts_router
from reciprocite.core.api import ApiError, field_errors
from reciprocite.core.audit import audit_record
from reciprocite.core.filters import FilterError
from reciprocite.knowledge.api import router as knowledge_router
from reciprocite.panorama.api import router as panorama_router
from reciprocite.registry.api import router as registry_router
from reciprocite.surveys.api import router as surveys_router
from reciprocite.territories.api import router as territories_router


class _Utf8JSON(JSONRenderer):
    """UTF-8 text as is ("Hérouville ↔ Tikhvine"), not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Réciprocité API",
    version="1",
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
)

api.add_router("", territories_router)
api.add_router("", registry_router)
api.add_router("", accounts_router)
api.add_router("/surveys", surveys_router)
api.add_router("", panorama_router)
api.add_router("/knowledge", knowledge_router)

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
    return _error(request, exc.status_code, exc.message)


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
            what = url_name.removesuffix("_detail").replace("_", " ") or "object"
            value = str((match.kwargs if match else {}).get(name, ""))[:40]
            return _error(
                request, 404, _("No %(what)s with id %(id)s.") % {"what": what, "id": value}
            )
        by_place.setdefault(where, {}).setdefault(name or "__all__", []).append(
            str(error.get("msg", ""))
        )
    if "query" in by_place:
        name, messages = next(iter(by_place["query"].items()))
        return _error(request, 400, f"{name}: {'; '.join(messages)}", param=name)
    errors: dict[str, list[str]] = {}
    for fields in by_place.values():
        for name, messages in fields.items():
            errors.setdefault(name, []).extend(messages)
    return _error(request, 422, _("The data sent is not valid."), errors=errors)
