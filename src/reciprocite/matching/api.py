"""API of the matching app (mounted under /api/v1/matching): ranked, explained matches.

Reads only, public: a published record's matches among the published records of the
opposite kind (need → expertise, expertise → needs, interest → innovations, innovation →
interests). Unknown query parameters are a 400 naming them, as elsewhere in the API.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from reciprocite.core.api import ERRORS_READ, ApiError, check_query_params
from reciprocite.core.filters import reject_unknown

from . import permissions, selectors
from .engine import MAX_LIMIT

router = Router(tags=["matching"])

# path segment → record kind
PATH_KINDS = {
    "needs": "need",
    "expertise": "expertise",
    "interests": "interest",
    "innovations": "innovation",
}


class MatchesQuery(Schema):
    limit: int | None = Field(
        None, ge=1, le=MAX_LIMIT, description=f"How many matches (1–{MAX_LIMIT}, default 10)."
    )


class ReasonOut(Schema):
    code: str = Field(
        ...,
        description=(
            "themes, publics, service_kind, passages, words, languages, partnership, "
            "cooperation or structure_only"
        ),
    )
    text: str = Field(..., description="The reason as a sentence, in the request's language.")
    values: list[str] = Field(default_factory=list)
    query_passage: str | None = None
    match_passage: str | None = None
    similarity: float | None = None


class MatchOut(Schema):
    ref: str
    kind: str = Field(..., description="expertise, need, interest or innovation")
    title: str
    score: float = Field(..., description="Higher is better; comparable within one answer.")
    reasons: list[ReasonOut]


class MatchesOut(Schema):
    ref: str
    kind: str
    supported_language: bool = Field(
        ..., description="False: the record's language is not read; ranked on its fields only."
    )
    results: list[MatchOut]


def _answer(request: HttpRequest, path_kind: str, ref: str, params: MatchesQuery) -> dict[str, Any]:
    """The matches of one record; `limit` already checked by the query schema (a 400
    naming it)."""
    check_query_params(request)
    reject_unknown(request.GET, ("limit",))
    limit = params.limit or 10
    kind = PATH_KINDS[path_kind]
    record = selectors.record_get(kind, ref)
    if record is None or not permissions.can_view(None, record):
        raise ApiError(404, _("No published record with the ref %(ref)s.") % {"ref": ref[:64]})
    ranked = selectors.matches_for(record, limit=limit)
    return {
        "ref": record.ref,
        "kind": kind,
        "supported_language": ranked.supported,
        "results": [
            {
                "ref": m.ref,
                "kind": m.kind,
                "title": m.title,
                "score": m.score,
                "reasons": [
                    {
                        "code": r["code"],
                        "text": selectors.describe(r),
                        "values": [str(v) for v in r.get("values", [])],
                        "query_passage": r.get("query_passage"),
                        "match_passage": r.get("match_passage"),
                        "similarity": r.get("similarity"),
                    }
                    for r in m.reasons
                ],
            }
            for m in ranked.matches
        ],
    }


@router.get(
    "/needs/{ref}/matches",
    response={200: MatchesOut, **ERRORS_READ},
    url_name="matching_need_matches",
    summary="Domestic expertise that could answer a need",
)
def need_matches(request: HttpRequest, ref: str, params: Query[MatchesQuery]) -> dict[str, Any]:
    """The published domestic offers that could answer this need, best first, each with
    the reasons that ranked it; ``limit`` 1–50 (default 10)."""
    return _answer(request, "needs", ref, params)


@router.get(
    "/expertise/{ref}/matches",
    response={200: MatchesOut, **ERRORS_READ},
    url_name="matching_expertise_matches",
    summary="Needs a domestic offer could serve",
)
def expertise_matches(
    request: HttpRequest, ref: str, params: Query[MatchesQuery]
) -> dict[str, Any]:
    """The published needs of partners this domestic offer could serve, best first."""
    return _answer(request, "expertise", ref, params)


@router.get(
    "/interests/{ref}/matches",
    response={200: MatchesOut, **ERRORS_READ},
    url_name="matching_interest_matches",
    summary="Partners' innovations for a learning interest",
)
def interest_matches(request: HttpRequest, ref: str, params: Query[MatchesQuery]) -> dict[str, Any]:
    """The published innovations of partners that answer this learning interest."""
    return _answer(request, "interests", ref, params)


@router.get(
    "/innovations/{ref}/matches",
    response={200: MatchesOut, **ERRORS_READ},
    url_name="matching_innovation_matches",
    summary="French members interested in an innovation",
)
def innovation_matches(
    request: HttpRequest, ref: str, params: Query[MatchesQuery]
) -> dict[str, Any]:
    """The published learning interests of French members this innovation answers."""
    return _answer(request, "innovations", ref, params)
