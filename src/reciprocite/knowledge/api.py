"""API of the knowledge base (mounted under /api/v1/knowledge): search, sheets, tools.

Reads only. Anonymous callers see published sheets and tools; a token of an analyst also sees
the others (``permissions.py``). Unknown query parameters are a 400 naming them, as in the
registry's API.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from reciprocite.accounts.authentication import optional_membership
from reciprocite.core.api import (
    ERRORS_READ,
    OPTIONAL_BEARER,
    ApiError,
    absolute,
    check_query_params,
    choice,
    query_schema,
)
from reciprocite.core.filters import FilterError, reject_unknown
from reciprocite.registry.taxonomy import THEMES
from reciprocite.territories.geography import zones

from . import selectors
from .sanitize import html_to_text
from .search.query import MAX_QUERY_CHARS
from .taxonomy import NARRATIVE_FIELDS, Difficulty, Stage, ToolKind

LANGUAGES = ("fr", "en", "ar", "ru")

router = Router(tags=["knowledge"])

FACETS = ("theme", "country", "zone", "stage", "language")
SEARCH_PARAMS = ("q", "limit", "offset", *FACETS)
MAX_LIMIT = 100


class HitOut(Schema):
    ref: str
    title: str
    language: str
    score: float
    snippet: str = Field(..., description="HTML: escaped text with <mark> around matched words.")
    url: str


class KnowledgeFacetOut(Schema):
    code: str = Field(..., description="The value of the filter of the same name.")
    label: str
    count: int


class SearchOut(Schema):
    query: str
    total: int
    total_is_estimate: bool = Field(
        ..., description="True when more sheets match than the search ranks (total is a floor)."
    )
    results: list[HitOut]
    facets: dict[str, list[KnowledgeFacetOut]]


class SheetOut(Schema):
    ref: str
    url: str
    language: str
    title: str
    status: str
    french_authority: str
    partner_authority: str
    country: str
    themes: list[str]
    stage: str
    year_start: int | None
    sections: dict[str, str] = Field(..., description="Narrative fields as sanitised HTML.")
    contacts: str
    translation_of: str | None
    translations: list[str] = Field(..., description="Refs of the sheet's other languages.")
    partnership: int | None
    projects: list[int]
    last_verified: str | None
    similar: list[str]
    attachments: list[dict]


class ToolOut(Schema):
    ref: str
    url: str
    title: str
    language: str
    kind: str
    description: str
    stages: list[str]
    difficulties: list[str]
    themes: list[str]
    files: list[dict]


def _q(description: str):
    return Query(None, description=description)


def _many(values=None) -> dict:
    if values is None:  # country codes
        return {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z]{2}$"}}
    return {"type": "array", "items": {"type": "string", "enum": list(values)}}


class SearchQuery(Schema):
    """The parameters of /knowledge/search, read and checked by the endpoint (400 naming one);
    the facet filters may be repeated."""

    q: query_schema({"type": "string"}) = _q("Words to find (500 characters are read).")
    limit: query_schema({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}) = _q(
        "Results per answer (default 10)."
    )
    offset: query_schema({"type": "integer", "minimum": 0, "maximum": 100_000}) = _q(
        "Results to skip."
    )
    theme: query_schema(_many(THEMES)) = _q("Theme codes (see /themes).")
    country: query_schema(_many()) = _q("ISO 3166-1 alpha-2 codes of the partner country.")
    zone: query_schema(_many(z.key for z in zones())) = _q("Study zones (see /zones).")
    stage: query_schema(_many(Stage.values)) = _q("Stages of a cooperation.")
    language: query_schema(_many(LANGUAGES)) = _q("Languages of the sheets.")


class ToolQuery(Schema):
    """The filters of /knowledge/tools, checked by ``selectors.ToolFilters``."""

    stage: choice(Stage.values) = _q("Stage of a cooperation.")
    difficulty: choice(Difficulty.values) = _q("Difficulty addressed.")
    kind: choice(ToolKind.values) = _q("Kind of tool.")


def _int(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise FilterError(name, _("must be a whole number")) from None
    if not low <= value <= high:
        raise FilterError(
            name, _("must be between %(low)s and %(high)s") % {"low": low, "high": high}
        )
    return value


@router.get(
    "/search",
    response={200: SearchOut, **ERRORS_READ},
    url_name="knowledge_search",
    summary="Search the experience sheets",
    openapi_extra=OPTIONAL_BEARER,
)
def knowledge_search(request, params: Query[SearchQuery]):
    """Published sheets matching the words of ``q`` (accents, case and French word endings do
    not matter), best first, with highlighted snippets and facet counts. Filters: ``theme``,
    ``country``, ``zone``, ``stage``, ``language`` (repeat a parameter for several values);
    ``limit`` (1–100, default 10) and ``offset``. An empty ``q`` lists the sheets by title."""
    from .search import search

    check_query_params(request)
    reject_unknown(request.GET, SEARCH_PARAMS)
    query = (request.GET.get("q") or "").strip()
    if len(query) > MAX_QUERY_CHARS:
        query = query[:MAX_QUERY_CHARS]
    limit = _int(request, "limit", 10, 1, MAX_LIMIT)
    offset = _int(request, "offset", 0, 0, 100_000)
    filters = {k: request.GET.getlist(k) for k in FACETS if request.GET.getlist(k)}
    results = search(query, filters=filters, limit=limit, offset=offset)
    return {
        "query": results.query,
        "total": results.total,
        "total_is_estimate": results.total_is_estimate,
        "results": [
            {
                "ref": hit.ref,
                "title": hit.title,
                "language": hit.language,
                "score": round(float(hit.score), 6),
                "snippet": hit.snippet,
                "url": absolute(request, reverse("knowledge:sheet_detail", args=[hit.ref])),
            }
            for hit in results.hits
        ],
        "facets": {
            key: [{"code": f.code, "label": str(f.label), "count": f.count} for f in values]
            for key, values in results.facets.items()
        },
    }


@router.get(
    "/sheets/{ref}",
    response={200: SheetOut, **ERRORS_READ},
    url_name="knowledge_sheet_detail",
    summary="One experience sheet",
    openapi_extra=OPTIONAL_BEARER,
)
def knowledge_sheet(request, ref: str):
    """A sheet by its ref, with its sections as sanitised HTML, its translations and the refs
    of similar sheets."""
    from .search import similar

    check_query_params(request)
    viewer = optional_membership(request)
    sheet = selectors.sheet_for(viewer, ref)
    if sheet is None:
        raise ApiError(404, _("No sheet with the ref %(ref)s.") % {"ref": ref[:64]})
    return {
        "ref": sheet.ref,
        "url": absolute(request, reverse("knowledge:sheet_detail", args=[sheet.ref])),
        "language": sheet.language,
        "title": sheet.title,
        "status": sheet.status,
        "french_authority": sheet.french_authority,
        "partner_authority": sheet.partner_authority,
        "country": sheet.country,
        "themes": sorted(t.code for t in sheet.themes.all()),
        "stage": sheet.stage,
        "year_start": sheet.year_start,
        "sections": {name: getattr(sheet, name) for name, _label in NARRATIVE_FIELDS},
        "contacts": sheet.contacts,
        "translation_of": sheet.translation_of.ref if sheet.translation_of_id else None,
        "translations": [s.ref for s in selectors.translations_of(viewer, sheet)],
        "partnership": sheet.partnership_id,
        "projects": sorted(p.pk for p in sheet.projects.all()),
        "last_verified": sheet.last_verified.isoformat() if sheet.last_verified else None,
        "similar": [hit.ref for hit in similar(sheet, limit=5)]
        if sheet.status == "published"
        else [],
        "attachments": [
            {
                "title": a.title,
                "file_type": a.file_type,
                "size": a.size,
                "url": absolute(request, reverse("knowledge:attachment_download", args=[a.pk])),
            }
            for a in sheet.attachments.all()
        ],
    }


@router.get(
    "/tools",
    response={200: list[ToolOut], **ERRORS_READ},
    url_name="knowledge_tool_list",
    summary="The toolbox",
    openapi_extra=OPTIONAL_BEARER,
)
def knowledge_tools(request, params: Query[ToolQuery]):
    """Published tools by title, with their files; filters ``stage``, ``difficulty``, ``kind``."""
    check_query_params(request)
    reject_unknown(request.GET, ("stage", "difficulty", "kind"))
    filters = selectors.ToolFilters.parse(request.GET)
    viewer = optional_membership(request)
    return [
        {
            "ref": tool.ref,
            "url": absolute(request, reverse("knowledge:tool_detail", args=[tool.ref])),
            "title": tool.title,
            "language": tool.language,
            "kind": tool.kind,
            "description": html_to_text(tool.description),
            "stages": list(tool.stages or []),
            "difficulties": list(tool.difficulties or []),
            "themes": sorted(t.code for t in tool.themes.all()),
            "files": [
                {
                    "title": f.title,
                    "file_type": f.file_type,
                    "size": f.size,
                    "language": f.language,
                    "url": absolute(request, reverse("knowledge:tool_file_download", args=[f.pk])),
                }
                for f in tool.files.all()
            ],
        }
        for tool in selectors.tool_list(viewer, filters)
    ]
