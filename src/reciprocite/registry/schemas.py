"""API representations of the registry: partnerships, projects, themes (bodies and objects).

The ``*_out`` functions turn model instances, as the selectors return them (with their
prefetches), into plain dicts; they never query by themselves except where noted.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import ConfigDict

from reciprocite.core.api import Currency, Id, Text, api_url, money, page_url
from reciprocite.territories.schemas import TerritoryRef, territory_ref

from . import permissions
from .models import (
    LANGUAGE_CHOICES,
    FunderKind,
    Partnership,
    PartnershipKind,
    PartnershipStatus,
    Project,
    ProjectStatus,
)
from .taxonomy import TARGET_PUBLICS, public_label, theme_label

# --- output ---------------------------------------------------------------------------------


class Money(Schema):
    amount: float
    currency: str = Field(..., description="ISO 4217 code.")


class ThemeOut(Schema):
    code: str
    label: str
    dac_code: str = Field(..., description="OECD DAC 5 purpose code (IATI Sector codelist).")


class PublicOut(Schema):
    code: str
    label: str


class PartyOut(Schema):
    side: str = Field(..., description="french or partner")
    territory: TerritoryRef


class PartnershipRef(Schema):
    id: int
    url: str
    html_url: str
    title: str


class PartnershipSummary(PartnershipRef):
    kind: str
    status: str
    start_date: date | None
    end_date: date | None
    language: str
    is_published: bool
    is_fictitious: bool
    parties: list[PartyOut]
    project_count: int
    budget: Money | None = Field(
        ..., description="Total of its projects' budgets in euros (EUR budgets only)."
    )


class FunderOut(Schema):
    name: str
    kind: str


class BudgetLineOut(Schema):
    year: int
    funder: FunderOut
    amount: float
    currency: str


class ProgrammeOut(Schema):
    id: int
    title: str
    start_year: int
    end_year: int
    description: str
    budget_lines: list[BudgetLineOut]


class DocumentOut(Schema):
    id: int
    title: str
    kind: str
    signed_on: date | None
    language: str
    has_file: bool
    file_url: str | None = Field(
        ..., description="Download address (the site checks the right to see it), or null."
    )


class ProjectRef(Schema):
    id: int
    url: str
    html_url: str
    title: str


class ProjectSummary(ProjectRef):
    summary: str
    status: str
    start_date: date | None
    end_date: date | None
    budget: Money | None
    themes: list[ThemeOut]
    partnership: PartnershipRef


class PartnershipDetail(PartnershipSummary):
    description: str
    created_at: datetime
    updated_at: datetime
    programmes: list[ProgrammeOut]
    projects: list[ProjectSummary]
    documents: list[DocumentOut]


class FundingOut(Schema):
    funder: FunderOut
    amount: float
    currency: str


class ActorOut(Schema):
    id: int
    name: str
    kind: str
    territory: TerritoryRef | None
    website: str


class ActorRoleOut(Schema):
    actor: ActorOut
    role: str
    note: str


class ReplicationOut(Schema):
    project: ProjectRef
    note: str


class ProgrammeRef(Schema):
    id: int
    title: str
    start_year: int
    end_year: int


class ProjectDetail(ProjectSummary):
    description: str
    results: str
    language: str
    is_fictitious: bool
    created_at: datetime
    updated_at: datetime
    programme: ProgrammeRef | None
    publics: list[PublicOut]
    fundings: list[FundingOut]
    actors: list[ActorRoleOut]
    replicated_from: list[ReplicationOut] = Field(
        ..., description="Projects whose model this project duplicated."
    )
    replicated_as: list[ReplicationOut] = Field(
        ..., description="Projects that duplicated the model this project built."
    )


def theme_out(theme) -> dict:
    return {"code": theme.code, "label": theme_label(theme.code), "dac_code": theme.dac_code}


def partnership_ref(request: HttpRequest, p: Partnership) -> dict:
    return {
        "id": p.pk,
        "url": api_url(request, "partnership_detail", id=p.pk),
        "html_url": page_url(
            request, "registry:partnership_detail", p.pk, f"/partnerships/{p.pk}/"
        ),
        "title": p.title,
    }


def _parties(request: HttpRequest, p: Partnership) -> list[dict]:
    parties = sorted(p.parties.all(), key=lambda party: (party.side != "french", party.pk))
    return [
        {"side": party.side, "territory": territory_ref(request, party.territory)}
        for party in parties
    ]


def partnership_summary(request: HttpRequest, p: Partnership) -> dict:
    """From partnership_list (annotated with project_count and eur_budget)."""
    return partnership_ref(request, p) | {
        "kind": p.kind,
        "status": p.status,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "language": p.language,
        "is_published": p.is_published,
        "is_fictitious": p.is_fictitious,
        "parties": _parties(request, p),
        "project_count": p.project_count or 0,
        "budget": money(p.eur_budget, "EUR"),
    }


def partnership_detail(request: HttpRequest, p: Partnership, viewer) -> dict:
    """From selectors.partnership_detail (everything prefetched)."""
    projects = list(p.projects.all())
    eur = [
        pr.budget_amount
        for pr in projects
        if pr.budget_currency == "EUR" and pr.budget_amount is not None
    ]
    p.project_count = len(projects)
    p.eur_budget = sum(eur, Decimal(0)) if eur else None
    return partnership_summary(request, p) | {
        "description": p.description,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "programmes": [
            {
                "id": prog.pk,
                "title": prog.title,
                "start_year": prog.start_year,
                "end_year": prog.end_year,
                "description": prog.description,
                "budget_lines": [
                    {
                        "year": line.year,
                        "funder": {"name": line.funder.name, "kind": line.funder.kind},
                        "amount": float(line.amount),
                        "currency": line.currency,
                    }
                    for line in sorted(
                        prog.budget_lines.all(), key=lambda b: (b.year, b.funder.name, b.currency)
                    )
                ],
            }
            for prog in p.programmes.all()
        ],
        "projects": [project_summary(request, pr) for pr in projects],
        "documents": [
            {
                "id": d.pk,
                "title": d.title,
                "kind": d.kind,
                "signed_on": d.signed_on,
                "language": d.language,
                "has_file": bool(d.file),
                "file_url": (
                    page_url(
                        request,
                        "registry:document_download",
                        d.pk,
                        f"/documents/{d.pk}/download/",
                    )
                    if d.file
                    else None
                ),
            }
            for d in p.documents.all()
        ],
    }


def project_ref(request: HttpRequest, pr: Project) -> dict:
    return {
        "id": pr.pk,
        "url": api_url(request, "project_detail", id=pr.pk),
        "html_url": page_url(request, "registry:project_detail", pr.pk, f"/projects/{pr.pk}/"),
        "title": pr.title,
    }


def project_summary(request: HttpRequest, pr: Project) -> dict:
    """From project_list (partnership joined, themes prefetched)."""
    return project_ref(request, pr) | {
        "summary": pr.summary,
        "status": pr.status,
        "start_date": pr.start_date,
        "end_date": pr.end_date,
        "budget": money(pr.budget_amount, pr.budget_currency),
        "themes": [theme_out(t) for t in sorted(pr.themes.all(), key=lambda t: t.code)],
        "partnership": partnership_ref(request, pr.partnership),
    }


def _actor(request: HttpRequest, actor) -> dict:
    return {
        "id": actor.pk,
        "name": actor.name,
        "kind": actor.kind,
        "territory": territory_ref(request, actor.territory) if actor.territory_id else None,
        "website": actor.website,
    }


def project_detail(request: HttpRequest, pr: Project, viewer) -> dict:
    """From selectors.project_detail. Replications to projects the viewer may not see are
    left out (this may query the parties of an unpublished partnership)."""
    programme = pr.programme if pr.programme_id and not pr.programme.is_deleted else None
    replicated_from = [
        {"project": project_ref(request, link.model), "note": link.note}
        for link in pr.model_links.all()
        if permissions.can_view_project(viewer, link.model)
    ]
    replicated_as = [
        {"project": project_ref(request, link.replica), "note": link.note}
        for link in pr.replication_links.all()
        if permissions.can_view_project(viewer, link.replica)
    ]
    return project_summary(request, pr) | {
        "description": pr.description,
        "results": pr.results,
        "language": pr.language,
        "is_fictitious": pr.is_fictitious,
        "created_at": pr.created_at,
        "updated_at": pr.updated_at,
        "programme": (
            {
                "id": programme.pk,
                "title": programme.title,
                "start_year": programme.start_year,
                "end_year": programme.end_year,
            }
            if programme
            else None
        ),
        "publics": [
            {"code": pub.code, "label": public_label(pub.code)}
            for pub in sorted(pr.publics.all(), key=lambda x: x.code)
        ],
        "fundings": [
            {
                "funder": {"name": f.funder.name, "kind": f.funder.kind},
                "amount": float(f.amount),
                "currency": f.currency,
            }
            for f in sorted(pr.fundings.all(), key=lambda f: (f.funder.name, f.pk))
        ],
        "actors": [
            {"actor": _actor(request, role.actor), "role": role.role, "note": role.note}
            for role in sorted(pr.roles.all(), key=lambda r: (r.actor.name, r.role, r.pk))
            if not role.actor.is_deleted
        ],
        "replicated_from": replicated_from,
        "replicated_as": replicated_as,
    }


# --- input ----------------------------------------------------------------------------------

_FORBID = ConfigDict(extra="forbid")
LANGUAGES = [code for code, _name in LANGUAGE_CHOICES]


def _enum(values) -> dict:
    """The values a field takes, for the OpenAPI document (the services check them)."""
    return {"enum": list(values)}


_AMOUNT = {"ge": 0, "max_digits": 14, "decimal_places": 2}


class MoneyIn(Schema):
    model_config = _FORBID

    amount: Decimal = Field(..., **_AMOUNT)
    currency: Currency = Field("EUR", description="ISO 4217 code.")


class FunderIn(Schema):
    model_config = _FORBID

    name: Text = Field(..., min_length=1, max_length=200)
    kind: Text = Field(
        ...,
        max_length=30,
        description="Used when the funder is new.",
        json_schema_extra=_enum(FunderKind.values),
    )


class FundingIn(Schema):
    model_config = _FORBID

    funder: FunderIn
    amount: Decimal = Field(..., **_AMOUNT)
    currency: Currency = Field("EUR", description="ISO 4217 code.")


class PartnershipIn(Schema):
    model_config = _FORBID

    title: Text = Field(..., min_length=1, max_length=300)
    kind: Text = Field(..., max_length=20, json_schema_extra=_enum(PartnershipKind.values))
    status: Text = Field("active", max_length=20, json_schema_extra=_enum(PartnershipStatus.values))
    start_date: date | None = None
    end_date: date | None = None
    description: Text = Field("", max_length=100_000)
    language: Text = Field("fr", max_length=8, json_schema_extra=_enum(LANGUAGES))
    is_published: bool = True
    is_fictitious: bool = False
    french_territories: list[Id] = Field(..., min_length=1, max_length=50)
    partner_territories: list[Id] = Field(..., min_length=1, max_length=50)


class PartnershipPatch(Schema):
    """Only the fields given change; giving one side's territories replaces that side.
    ``null`` only for the dates."""

    model_config = _FORBID

    title: Text = Field(None, min_length=1, max_length=300)
    kind: Text = Field(None, max_length=20, json_schema_extra=_enum(PartnershipKind.values))
    status: Text = Field(None, max_length=20, json_schema_extra=_enum(PartnershipStatus.values))
    start_date: date | None = None
    end_date: date | None = None
    description: Text = Field(None, max_length=100_000)
    language: Text = Field(None, max_length=8, json_schema_extra=_enum(LANGUAGES))
    is_published: bool = None
    is_fictitious: bool = None
    french_territories: list[Id] = Field(None, min_length=1, max_length=50)
    partner_territories: list[Id] = Field(None, min_length=1, max_length=50)


class ProjectIn(Schema):
    model_config = _FORBID

    partnership: Id
    title: Text = Field(..., min_length=1, max_length=300)
    themes: list[Text] = Field(
        ..., min_length=1, max_length=20, description="Theme codes (see /themes)."
    )
    publics: list[Text] = Field(
        default_factory=list, max_length=20, description=", ".join(TARGET_PUBLICS)
    )
    summary: Text = Field("", max_length=100_000)
    description: Text = Field("", max_length=100_000)
    results: Text = Field("", max_length=100_000)
    status: Text = Field("ongoing", max_length=20, json_schema_extra=_enum(ProjectStatus.values))
    start_date: date | None = None
    end_date: date | None = None
    budget: MoneyIn | None = None
    language: Text = Field("fr", max_length=8, json_schema_extra=_enum(LANGUAGES))
    programme: Id | None = Field(None, description="A programme of the same partnership.")
    is_fictitious: bool = False
    fundings: list[FundingIn] = Field(default_factory=list, max_length=50)


class ProjectPatch(Schema):
    """Only the fields given change; ``themes``, ``publics`` and ``fundings`` are replaced
    whole when given. ``null`` only for the dates, ``budget`` and ``programme``."""

    model_config = _FORBID

    title: Text = Field(None, min_length=1, max_length=300)
    themes: list[Text] = Field(None, min_length=1, max_length=20)
    publics: list[Text] = Field(None, max_length=20)
    summary: Text = Field(None, max_length=100_000)
    description: Text = Field(None, max_length=100_000)
    results: Text = Field(None, max_length=100_000)
    status: Text = Field(None, max_length=20, json_schema_extra=_enum(ProjectStatus.values))
    start_date: date | None = None
    end_date: date | None = None
    budget: MoneyIn | None = None
    language: Text = Field(None, max_length=8, json_schema_extra=_enum(LANGUAGES))
    programme: Id | None = None
    is_fictitious: bool = None
    fundings: list[FundingIn] = Field(None, max_length=50)
