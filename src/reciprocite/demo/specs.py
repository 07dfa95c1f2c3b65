"""The shapes of the demo content: plain frozen dataclasses, no database access.

Every row the loader writes is described by one of these, with a stable key the loader
matches on (see loader.py), so that loading the demo twice gives the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class TerritorySpec:
    key: str
    name: str
    kind: str
    country: str
    subdivision: str = ""
    official_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None
    languages: tuple[str, ...] = ()
    fictitious: bool = False


@dataclass(frozen=True)
class ActorSpec:
    key: str
    name: str
    kind: str
    territory: str | None = None  # a TerritorySpec key
    description: str = ""
    fictitious: bool = False


@dataclass(frozen=True)
class FunderSpec:
    key: str
    name: str
    kind: str


@dataclass(frozen=True)
class BudgetLineSpec:
    year: int
    funder: str  # a FunderSpec key
    amount: Decimal
    currency: str = "EUR"


@dataclass(frozen=True)
class ProgrammeSpec:
    title: str
    start_year: int
    end_year: int
    description: str = ""
    lines: tuple[BudgetLineSpec, ...] = ()


@dataclass(frozen=True)
class FundingSpec:
    funder: str  # a FunderSpec key
    amount: Decimal
    currency: str = "EUR"


@dataclass(frozen=True)
class RoleSpec:
    actor: str  # an ActorSpec key
    role: str
    note: str = ""


@dataclass(frozen=True)
class ProjectSpec:
    title: str
    themes: tuple[str, ...]
    publics: tuple[str, ...] = ()
    status: str = "ongoing"
    start_date: date | None = None
    end_date: date | None = None
    budget_amount: Decimal | None = None
    budget_currency: str = "EUR"
    summary: str = ""
    description: str = ""
    results: str = ""
    programme: str = ""  # title of a programme of the same partnership
    fundings: tuple[FundingSpec, ...] = ()
    roles: tuple[RoleSpec, ...] = ()
    fictitious: bool = False


@dataclass(frozen=True)
class DocumentSpec:
    title: str
    kind: str = "convention"
    signed_on: date | None = None
    language: str = "fr"


@dataclass(frozen=True)
class PartnershipSpec:
    title: str
    kind: str
    status: str
    start_date: date | None
    french: tuple[str, ...]  # TerritorySpec keys
    partners: tuple[str, ...]  # TerritorySpec keys
    description: str = ""
    end_date: date | None = None
    is_published: bool = True
    fictitious: bool = False
    programmes: tuple[ProgrammeSpec, ...] = ()
    projects: tuple[ProjectSpec, ...] = ()
    documents: tuple[DocumentSpec, ...] = ()


@dataclass(frozen=True)
class ReplicationSpec:
    model: tuple[str, str]  # (partnership title, project title)
    replica: tuple[str, str]
    note: str = ""


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    slug: str
    kind: str
    territory: str | None  # a TerritorySpec key
    contact_email: str


@dataclass(frozen=True)
class UserSpec:
    username: str
    email: str
    organisation: str | None  # an OrganisationSpec name
    role: str | None  # accounts.models.Role value
    is_superuser: bool = False
    preferred_language: str = "fr"


@dataclass(frozen=True)
class DemoContent:
    territories: tuple[TerritorySpec, ...]
    actors: tuple[ActorSpec, ...]
    funders: tuple[FunderSpec, ...]
    partnerships: tuple[PartnershipSpec, ...]
    replications: tuple[ReplicationSpec, ...]
    organisations: tuple[OrganisationSpec, ...]
    users: tuple[UserSpec, ...]
