"""The registry as rows of the tabular layout (docs/registry-layout.md), for the exports.

Reads only through the selectors, so an export shows exactly what the viewer may see and
accepts the same whitelisted filters as the pages and the API.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from .layout import FundingItem, TerritoryItem
from .models import PartnershipParty, ProjectFunding, Side
from .selectors import RegistryFilters, partnership_list, project_list

# Filters that only projects have: with one of them, partnerships without projects are left out.
PROJECT_ONLY_FILTERS = ("theme", "status", "budget_band")


def partnership_ref(pk: int) -> str:
    return f"P{pk}"


def project_ref(pk: int) -> str:
    return f"PR{pk}"


def _territories(parties, side: str) -> tuple[TerritoryItem, ...]:
    chosen = sorted((p.territory for p in parties if p.side == side), key=lambda t: (t.name, t.pk))
    return tuple(
        TerritoryItem(name=t.name, country=t.country, kind=t.kind, official_code=t.official_code)
        for t in chosen
    )


def partnership_values(partnership) -> dict[str, Any]:
    parties = list(partnership.parties.all())
    return {
        "partnership_ref": partnership_ref(partnership.pk),
        "partnership_title": partnership.title,
        "partnership_kind": partnership.kind,
        "partnership_status": partnership.status,
        "partnership_start_date": partnership.start_date,
        "partnership_end_date": partnership.end_date,
        "partnership_language": partnership.language,
        "partnership_is_published": partnership.is_published,
        "partnership_is_fictitious": partnership.is_fictitious,
        "partnership_description": partnership.description,
        "french_territories": _territories(parties, Side.FRENCH),
        "partner_territories": _territories(parties, Side.PARTNER),
    }


def project_values(project) -> dict[str, Any]:
    fundings = sorted(project.fundings.all(), key=lambda f: f.funder.name)
    return {
        "project_ref": project_ref(project.pk),
        "project_title": project.title,
        "project_status": project.status,
        "project_start_date": project.start_date,
        "project_end_date": project.end_date,
        "project_language": project.language,
        "project_is_fictitious": project.is_fictitious,
        "themes": tuple(sorted(t.code for t in project.themes.all())),
        "publics": tuple(sorted(p.code for p in project.publics.all())),
        "budget_amount": project.budget_amount,
        "budget_currency": project.budget_currency,
        "cofundings": tuple(
            FundingItem(
                funder=f.funder.name, kind=f.funder.kind, amount=f.amount, currency=f.currency
            )
            for f in fundings
        ),
        "project_summary": project.summary,
        "project_description": project.description,
        "project_results": project.results,
    }


def registry_export_rows(
    *, filters: RegistryFilters | None = None, viewer=None
) -> list[dict[str, Any]]:
    """One dict of typed values per project (and per partnership that has none), in order.

    Rows come grouped by partnership (title, then id), projects by title then id. The
    ``partnership`` filter and the filters on projects apply to projects; partnerships without
    projects are listed when no project-only filter (theme, status, budget band) is given.
    """
    filters = filters or RegistryFilters()
    parties = Prefetch(
        "partnership__parties", queryset=PartnershipParty.objects.select_related("territory")
    )
    projects = project_list(filters=filters, viewer=viewer).prefetch_related(
        "publics",
        Prefetch("fundings", queryset=ProjectFunding.objects.select_related("funder")),
        parties,
    )
    rows: list[tuple[tuple, dict[str, Any]]] = []
    partnership_cache: dict[int, dict[str, Any]] = {}
    for project in projects.iterator(chunk_size=500):
        p = project.partnership
        if p.pk not in partnership_cache:
            partnership_cache[p.pk] = partnership_values(p)
        key = (p.title, p.pk, project.title, project.pk)
        rows.append((key, {**partnership_cache[p.pk], **project_values(project)}))
    if not any(getattr(filters, name) for name in PROJECT_ONLY_FILTERS):
        partnership_filters = RegistryFilters(
            q=filters.q,
            country=filters.country,
            zone=filters.zone,
            authority_kind=filters.authority_kind,
            year_from=filters.year_from,
            year_to=filters.year_to,
            kind=filters.kind,
        )
        empty = partnership_list(filters=partnership_filters, viewer=viewer).filter(
            project_count__isnull=True
        )
        if filters.partnership:
            empty = empty.filter(pk=filters.partnership)
        for p in empty:
            rows.append(((p.title, p.pk, "", 0), partnership_values(p)))
    rows.sort(key=lambda item: item[0])
    return [values for _key, values in rows]
