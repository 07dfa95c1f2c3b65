"""Imports into the registry: the tabular layout (docs/registry-layout.md) and twin-town lists.

Both validate everything first and write nothing when a row is wrong (``InvalidRows`` lists
every problem, naming file, row and field); then they write in one transaction. Records go
through the registry and territories services (or, for the bulk twinnings import, through
``full_clean`` and ``bulk_create_with_history``), so the history of changes records them.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from reciprocite.accounts.permissions import principal_of
from reciprocite.interop.errors import InvalidRows, RowError
from reciprocite.interop.tabular import Table
from reciprocite.territories import geography
from reciprocite.territories.models import Territory, TerritoryKind
from reciprocite.territories.resolve import (
    TerritoryIndex,
    latin_pair,
    name_key,
    name_skeleton,
    territory_resolve,
)
from reciprocite.territories.services import territory_create

from . import permissions, services
from .layout import RegistryRow, TerritoryItem, check_columns, parse_row
from .models import (
    Funder,
    Partnership,
    PartnershipKind,
    PartnershipParty,
    PartnershipStatus,
    Project,
    Side,
)

Progress = Callable[[str, int, int], None]

PARTNERSHIP_FIELDS = {
    "partnership_title": "title",
    "partnership_kind": "kind",
    "partnership_status": "status",
    "partnership_start_date": "start_date",
    "partnership_end_date": "end_date",
    "partnership_language": "language",
    "partnership_is_published": "is_published",
    "partnership_is_fictitious": "is_fictitious",
    "partnership_description": "description",
}
PROJECT_FIELDS = {
    "project_title": "title",
    "project_status": "status",
    "project_start_date": "start_date",
    "project_end_date": "end_date",
    "project_language": "language",
    "project_is_fictitious": "is_fictitious",
    "budget_amount": "budget_amount",
    "budget_currency": "budget_currency",
    "project_summary": "summary",
    "project_description": "description",
    "project_results": "results",
}
PARTNERSHIP_COLUMN_OF = {v: k for k, v in PARTNERSHIP_FIELDS.items()}
PROJECT_COLUMN_OF = {v: k for k, v in PROJECT_FIELDS.items()}

PARTNERSHIP_REF = re.compile(r"^P(\d{1,18})$", re.IGNORECASE)
PROJECT_REF = re.compile(r"^PR(\d{1,18})$", re.IGNORECASE)


def _noop(step: str, done: int, total: int) -> None:
    return None


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            key: [str(m) for m in ValidationError(errors).messages]
            for key, errors in exc.error_dict.items()
        }
    return {"": [str(m) for m in exc.messages]}


# --- the registry layout ----------------------------------------------------------------------


@dataclass
class RegistryImportReport:
    rows: int = 0
    partnerships_created: int = 0
    partnerships_updated: int = 0
    partnerships_unchanged: int = 0
    projects_created: int = 0
    projects_updated: int = 0
    projects_unchanged: int = 0
    territories_created: int = 0
    funders_created: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class _NewTerritory:
    item: TerritoryItem
    row: int
    territory: Territory | None = None  # set once written


@dataclass
class _ProjectPlan:
    row: RegistryRow
    project: Project | None  # None: to create
    fields: dict[str, Any]
    themes: list[str] | None
    publics: list[str] | None
    fundings: list | None  # [(funder name, kind, amount, currency)]
    changed: bool = True


@dataclass
class _PartnershipPlan:
    key: tuple
    first: RegistryRow
    rows: list[RegistryRow] = field(default_factory=list)
    partnership: Partnership | None = None  # None: to create
    french: list = field(default_factory=list)  # Territory or _NewTerritory
    partners: list = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    changed: bool = True
    territories_changed: bool = True
    projects: list[_ProjectPlan] = field(default_factory=list)


class _Checker:
    """Collects row errors; every check reports instead of stopping at the first."""

    def __init__(self, source: str):
        self.source = source
        self.errors: list[RowError] = []

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.source, row, column, message))


class _Territories:
    """Resolves territory items to existing territories (``territories.resolve``), or to one
    pending creation each. A doubtful item (names that only resemble, several homonyms) is
    reported on its row with the candidates, unless ``new_territories`` allows creating it."""

    def __init__(self, checker: _Checker, *, new_territories: bool = False):
        self.checker = checker
        self.new_territories = new_territories
        self.cache: dict[tuple, Territory | _NewTerritory | None] = {}

    def _doubt(self, item: TerritoryItem, resolution, row: int, column: str) -> None:
        kinds = dict(TerritoryKind.choices)
        listed = "; ".join(
            f"{c.territory.name} ({kinds.get(c.territory.kind, c.territory.kind)}, "
            + (f"{c.territory.official_code}, " if c.territory.official_code else "")
            + f"{c.territory.country}, #{c.territory.pk}: {c.reason_label})"
            for c in resolution.candidates[:5]
        )
        self.checker.add(
            row,
            column,
            _(
                "territory %(name)s may be an existing territory: %(candidates)s. Write its "
                "name as the registry has it, or its kind and official code, to use it; or "
                "import with --new-territories to create a new one"
            )
            % {"name": item.name, "candidates": listed},
        )

    def resolve(self, item: TerritoryItem, row: int, column: str):
        key = (item.country, item.kind, item.official_code, name_key(item.name))
        if key in self.cache:
            return self.cache[key]
        resolution = territory_resolve(
            country=item.country, kind=item.kind, code=item.official_code, name=item.name
        )
        found = resolution.match
        if not resolution.certain and not self.new_territories:
            self._doubt(item, resolution, row, column)
            self.cache[key] = None
            return None
        if found is None:
            found = self._pending_twin(item, row, column)
            if found is not None:
                self.cache[key] = found if isinstance(found, _NewTerritory) else None
                return self.cache[key]
        if found is None:
            candidate = Territory(
                name=item.name,
                kind=item.kind,
                country=item.country,
                official_code=item.official_code,
            )
            try:
                candidate.full_clean()
            except ValidationError as exc:
                for name, messages in _messages(exc).items():
                    self.checker.add(
                        row,
                        column,
                        _("territory %(name)s: %(field)s: %(msg)s")
                        % {"name": item.name, "field": name or "-", "msg": " ".join(messages)},
                    )
                self.cache[key] = None
                return None
            found = _NewTerritory(item=item, row=row)
        self.cache[key] = found
        return found

    def _pending_twin(self, item: TerritoryItem, row: int, column: str):
        """The territory another row of the file creates that this item designates too (same
        code and kind, or same folded name); ``False`` after reporting a doubt (a name that
        only resembles); None when there is none."""
        key, skeleton = name_key(item.name), name_skeleton(item.name)
        for pending in self.pending:
            other = pending.item
            if other.country != item.country or other.kind != item.kind:
                continue
            if item.official_code and other.official_code:
                if item.official_code == other.official_code:
                    return pending
                continue
            if name_key(other.name) == key:
                return pending
            if (
                skeleton
                and not self.new_territories
                and not latin_pair(other.name, item.name)
                and name_skeleton(other.name) == skeleton
            ):
                self.checker.add(
                    row,
                    column,
                    _(
                        "territory %(name)s may be the territory %(other)s of row %(row)s: "
                        "write the same name, or import with --new-territories to create both"
                    )
                    % {"name": item.name, "other": other.name, "row": pending.row},
                )
                return False
        return None

    @property
    def pending(self) -> list[_NewTerritory]:
        return [t for t in self.cache.values() if isinstance(t, _NewTerritory)]


def _ids(territories) -> frozenset | None:
    """Ids of resolved territories, or None when one of them does not exist yet."""
    if any(not isinstance(t, Territory) for t in territories):
        return None
    return frozenset(t.pk for t in territories)


def _party_sets(partnership: Partnership) -> tuple[frozenset, frozenset]:
    parties = list(partnership.parties.all())
    return (
        frozenset(p.territory_id for p in parties if p.side == Side.FRENCH),
        frozenset(p.territory_id for p in parties if p.side == Side.PARTNER),
    )


def _same_territories(partnership, french, partners) -> bool:
    french_ids, partner_ids = _ids(french), _ids(partners)
    if french_ids is None or partner_ids is None:
        return False
    return _party_sets(partnership) == (french_ids, partner_ids)


def _check_group_consistency(checker: _Checker, plan: _PartnershipPlan, row: RegistryRow) -> None:
    for column in (*PARTNERSHIP_FIELDS, "french_territories", "partner_territories"):
        if row.has(column) and row.get(column) != plan.first.get(column):
            checker.add(
                row.row,
                column,
                _("differs from row %(row)s, which describes the same partnership")
                % {"row": plan.first.row},
            )


def _match_partnership(checker: _Checker, plan: _PartnershipPlan) -> None:
    row = plan.first
    title = row.get("partnership_title") or ""
    ref = row.get("partnership_ref") or ""
    if m := PARTNERSHIP_REF.match(ref):
        existing = (
            Partnership.all_objects.filter(pk=int(m.group(1))).prefetch_related("parties").first()
        )
        if existing is not None:
            if existing.is_deleted:
                checker.add(
                    row.row,
                    "partnership_ref",
                    _(
                        "%(ref)s names a deleted partnership; restore it first, or leave the "
                        "reference empty to create a new one"
                    )
                    % {"ref": ref},
                )
                return
            if existing.title.casefold() != title.casefold() and not _same_territories(
                existing, plan.french, plan.partners
            ):
                checker.add(
                    row.row,
                    "partnership_ref",
                    _(
                        "%(ref)s names “%(title)s”, which has another title and other "
                        "territories; leave the reference empty to create a new partnership"
                    )
                    % {"ref": ref, "title": existing.title},
                )
                return
            plan.partnership = existing
            return
    if _ids(plan.french) is None or _ids(plan.partners) is None:
        return  # a territory is new: so is the partnership
    candidates = [
        p
        for p in Partnership.objects.filter(title__iexact=title).prefetch_related("parties")
        if _same_territories(p, plan.french, plan.partners)
    ]
    if len(candidates) > 1:
        refs = ", ".join(f"P{p.pk}" for p in candidates)
        checker.add(
            row.row,
            "partnership_ref",
            _("%(refs)s have this title and these territories: say which with partnership_ref")
            % {"refs": refs},
        )
    elif candidates:
        plan.partnership = candidates[0]


def _partnership_fields(row: RegistryRow) -> dict[str, Any]:
    return {field: row.get(col) for col, field in PARTNERSHIP_FIELDS.items() if row.has(col)}


def _project_fields(row: RegistryRow) -> dict[str, Any]:
    return {field: row.get(col) for col, field in PROJECT_FIELDS.items() if row.has(col)}


def _validate_instance(checker: _Checker, row: int, instance, column_of: dict, exclude) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in _messages(exc).items():
            checker.add(row, column_of.get(name, name or None), " ".join(messages))


def _fundings_differ(project: Project, wanted: list) -> bool:
    current = {
        f.funder.name: (f.amount, f.currency) for f in project.fundings.select_related("funder")
    }
    return current != {name: (amount, currency) for name, _kind, amount, currency in wanted}


def _plan_project(
    checker: _Checker, plan: _PartnershipPlan, row: RegistryRow, seen: dict
) -> _ProjectPlan | None:
    ref = row.get("project_ref") or ""
    title = row.get("project_title") or ""
    project = None
    if m := PROJECT_REF.match(ref):
        found = Project.all_objects.filter(pk=int(m.group(1))).first()
        if found is not None:
            if found.is_deleted:
                checker.add(
                    row.row,
                    "project_ref",
                    _(
                        "%(ref)s names a deleted project; restore it first, or leave the "
                        "reference empty to create a new one"
                    )
                    % {"ref": ref},
                )
                return None
            if plan.partnership is None or found.partnership_id != plan.partnership.pk:
                checker.add(
                    row.row,
                    "project_ref",
                    _(
                        "%(ref)s is a project of partnership P%(pk)s, not of this row's "
                        "partnership; leave the reference empty to create a new project"
                    )
                    % {"ref": ref, "pk": found.partnership_id},
                )
                return None
            project = found
    if project is None and plan.partnership is not None and title:
        matches = list(Project.objects.filter(partnership=plan.partnership, title__iexact=title))
        if len(matches) > 1:
            checker.add(
                row.row,
                "project_ref",
                _("%(refs)s have this title: say which with project_ref")
                % {"refs": ", ".join(f"PR{p.pk}" for p in matches)},
            )
            return None
        project = matches[0] if matches else None
    key = ("pk", project.pk) if project else ("new", ref or geography.fold(title))
    if key in seen:
        checker.add(
            row.row,
            "project_title",
            _("the same project as row %(row)s") % {"row": seen[key]},
        )
        return None
    seen[key] = row.row
    fields = _project_fields(row)
    themes = list(row.get("themes")) if row.has("themes") else None
    publics = list(row.get("publics")) if row.has("publics") else None
    fundings = None
    if row.has("cofundings"):
        fundings = [(f.funder, f.kind, f.amount, f.currency) for f in row.get("cofundings")]
    if project is None and not themes:
        checker.add(row.row, "themes", _("a new project needs at least one theme"))
    target = copy.copy(project) if project else Project()
    for name, value in fields.items():
        setattr(target, name, value)
    _validate_instance(
        checker, row.row, target, PROJECT_COLUMN_OF, exclude=["partnership", "programme"]
    )
    project_plan = _ProjectPlan(
        row=row, project=project, fields=fields, themes=themes, publics=publics, fundings=fundings
    )
    if project is not None:
        project_plan.changed = (
            any(getattr(project, name) != value for name, value in fields.items())
            or (themes is not None and set(themes) != {t.code for t in project.themes.all()})
            or (publics is not None and set(publics) != {p.code for p in project.publics.all()})
            or (fundings is not None and _fundings_differ(project, fundings))
        )
    return project_plan


def _check_rights(checker: _Checker, actor, plan: _PartnershipPlan) -> None:
    if actor is None:
        return
    row = plan.first.row
    if plan.partnership is None:
        p = principal_of(actor)
        own = {t.pk for t in plan.french if isinstance(t, Territory)} & p.member_territory_ids
        if not permissions.can_create_partnership(actor) or not (p.is_admin or p.is_analyst or own):
            checker.add(row, "partnership_ref", _("you may not create this partnership"))
        return
    if not permissions.can_view_partnership(actor, plan.partnership):
        checker.add(
            row, "partnership_ref", _("you may not edit partnership P%s") % plan.partnership.pk
        )
        return
    if plan.changed or plan.territories_changed:
        if not permissions.can_edit_partnership(actor, plan.partnership):
            checker.add(
                row, "partnership_ref", _("you may not edit partnership P%s") % plan.partnership.pk
            )
    for project_plan in plan.projects:
        if project_plan.project is None:
            if not permissions.can_create_project(actor, plan.partnership):
                checker.add(project_plan.row.row, "project_ref", _("you may not add projects here"))
        elif project_plan.changed and not permissions.can_edit_project(actor, project_plan.project):
            checker.add(
                project_plan.row.row,
                "project_ref",
                _("you may not edit project PR%s") % project_plan.project.pk,
            )


def plan_registry_import(
    table: Table,
    *,
    actor=None,
    progress: Progress | None = None,
    new_territories: bool = False,
):
    """Validate a table against the layout and the database; nothing is written.

    A territory that may be an existing one without certainty is an error of its row, unless
    ``new_territories`` (then it is created).

    Returns (plans, territories); raises InvalidRows listing every problem.
    """
    checker = _Checker(table.source)
    for column, message in check_columns(table.columns):
        checker.add(None, column, message)
    if checker.errors:
        raise InvalidRows(checker.errors)
    if not table.rows:
        raise InvalidRows([RowError(table.source, None, None, _("the file holds no rows"))])
    progress = progress or _noop
    step, total = _("Checking rows"), len(table.rows)
    progress(step, 0, total)
    territories = _Territories(checker, new_territories=new_territories)
    plans: dict[tuple, _PartnershipPlan] = {}
    for done, (number, cells) in enumerate(table.rows, start=1):
        if done % 100 == 0:
            progress(step, done, total)
        row, problems = parse_row(number, cells)
        for column, message in problems:
            checker.add(number, column, message)
        if problems:
            continue
        french = [
            territories.resolve(item, number, "french_territories")
            for item in row.get("french_territories")
        ]
        partners = [
            territories.resolve(item, number, "partner_territories")
            for item in row.get("partner_territories")
        ]
        if None in french or None in partners:
            continue
        ref = row.get("partnership_ref") or ""
        key = (
            ("ref", ref.casefold())
            if ref
            else (
                "title",
                geography.fold(row.get("partnership_title")),
                frozenset(t.key() for t in row.get("french_territories")),
                frozenset(t.key() for t in row.get("partner_territories")),
            )
        )
        if key in plans:
            _check_group_consistency(checker, plans[key], row)
            plans[key].rows.append(row)
        else:
            plans[key] = _PartnershipPlan(
                key=key, first=row, rows=[row], french=french, partners=partners
            )
    progress(step, total, total)
    step, total = _("Matching records"), len(plans)
    matched: dict[int, int] = {}
    for done, plan in enumerate(plans.values(), start=1):
        if done % 100 == 0:
            progress(step, done, total)
        _match_partnership(checker, plan)
        plan.fields = _partnership_fields(plan.first)
        if plan.partnership is None:
            plan.fields.setdefault("kind", PartnershipKind.COOPERATION)
        target = copy.copy(plan.partnership) if plan.partnership else Partnership()
        for name, value in plan.fields.items():
            setattr(target, name, value)
        _validate_instance(checker, plan.first.row, target, PARTNERSHIP_COLUMN_OF, exclude=[])
        if plan.partnership is not None:
            if plan.partnership.pk in matched:
                checker.add(
                    plan.first.row,
                    "partnership_ref",
                    _(
                        "the same partnership as row %(row)s: give both rows the same "
                        "partnership_ref"
                    )
                    % {"row": matched[plan.partnership.pk]},
                )
                continue
            matched[plan.partnership.pk] = plan.first.row
            plan.changed = any(
                getattr(plan.partnership, name) != value for name, value in plan.fields.items()
            )
            plan.territories_changed = not _same_territories(
                plan.partnership, plan.french, plan.partners
            )
        seen: dict = {}
        for row in plan.rows:
            if row.has_project:
                project_plan = _plan_project(checker, plan, row, seen)
                if project_plan is not None:
                    plan.projects.append(project_plan)
        _check_rights(checker, actor, plan)
    progress(step, total, total)
    if checker.errors:
        raise InvalidRows(checker.errors)
    return list(plans.values()), territories


def _territory(handle) -> Territory:
    return handle.territory if isinstance(handle, _NewTerritory) else handle


def import_registry(
    table: Table,
    *,
    actor=None,
    progress: Progress | None = None,
    new_territories: bool = False,
) -> RegistryImportReport:
    """Import a table in the registry layout: all of it, or nothing (``InvalidRows``).

    ``new_territories``: create the territories that only resemble existing ones instead of
    reporting their rows."""
    progress = progress or _noop
    plans, territories = plan_registry_import(
        table, actor=actor, progress=progress, new_territories=new_territories
    )
    report = RegistryImportReport(rows=len(table.rows))
    total = len(plans)
    funders: dict[str, Funder] = {}
    current: int | None = None
    try:
        with transaction.atomic():
            for pending in territories.pending:
                current = pending.row
                item = pending.item
                pending.territory = territory_create(
                    actor=actor,
                    name=item.name,
                    kind=item.kind,
                    country=item.country,
                    official_code=item.official_code,
                )
                report.territories_created += 1
            progress(_("Importing partnerships"), 0, total)
            for done, plan in enumerate(plans, start=1):
                current = plan.first.row
                french = [_territory(t) for t in plan.french]
                partners = [_territory(t) for t in plan.partners]
                partnership = plan.partnership
                if partnership is None:
                    partnership = services.partnership_create(
                        actor=actor,
                        french_territories=french,
                        partner_territories=partners,
                        **plan.fields,
                    )
                    report.partnerships_created += 1
                elif plan.changed or plan.territories_changed:
                    services.partnership_update(
                        actor=actor,
                        partnership=partnership,
                        french_territories=french,
                        partner_territories=partners,
                        **plan.fields,
                    )
                    report.partnerships_updated += 1
                else:
                    report.partnerships_unchanged += 1
                for project_plan in plan.projects:
                    current = project_plan.row.row
                    _write_project(project_plan, partnership, actor, funders, report)
                progress(_("Importing partnerships"), done, total)
    except ValidationError as exc:
        raise _as_invalid(table.source, current, exc) from None
    except DatabaseError as exc:
        raise InvalidRows([RowError(table.source, current, None, str(exc))]) from None
    return report


def _write_project(plan: _ProjectPlan, partnership, actor, funders, report) -> None:
    fundings = None
    if plan.fundings is not None:
        fundings = []
        for name, kind, amount, currency in plan.fundings:
            if name not in funders:
                existed = Funder.objects.filter(name=name).exists()
                funders[name] = services.funder_get_or_create(actor=actor, name=name, kind=kind)
                report.funders_created += 0 if existed else 1
            fundings.append((funders[name], amount, currency))
    if plan.project is None:
        services.project_create(
            actor=actor,
            partnership=partnership,
            themes=plan.themes or [],
            publics=plan.publics or [],
            fundings=fundings or [],
            **plan.fields,
        )
        report.projects_created += 1
    elif plan.changed:
        services.project_update(
            actor=actor,
            project=plan.project,
            themes=plan.themes,
            publics=plan.publics,
            fundings=fundings,
            **plan.fields,
        )
        report.projects_updated += 1
    else:
        report.projects_unchanged += 1


def _as_invalid(source: str, row: int | None, exc: ValidationError) -> InvalidRows:
    errors = []
    column_of = {**PARTNERSHIP_COLUMN_OF, **PROJECT_COLUMN_OF, "territories": "partner_territories"}
    for name, messages in _messages(exc).items():
        errors.append(RowError(source, row, column_of.get(name, name or None), " ".join(messages)))
    return InvalidRows(errors)


# --- twin towns ---------------------------------------------------------------------------------

TWINNING_COLUMNS = ("city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2")
# France and its overseas départements and collectivities (with their own ISO 3166-1 codes):
# their authorities are the French side of a partnership.
FRENCH_COUNTRIES = frozenset(
    {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC"}
)
# Existing territories reused for a city: the first kind listed is preferred.
FRENCH_KINDS = (TerritoryKind.COMMUNE, TerritoryKind.RURAL_COMMUNE)
FOREIGN_KINDS = (
    TerritoryKind.MUNICIPALITY,
    TerritoryKind.COMMUNE,
    TerritoryKind.RURAL_COMMUNE,
    TerritoryKind.OTHER,
)
UNRESOLVED_REASONS = {
    "unknown_country": gettext_lazy("unknown country"),
    "no_french_side": gettext_lazy("no French side"),
    "both_french": gettext_lazy("both sides French (domestic twinning)"),
    "blank_name": gettext_lazy("blank name"),
    "invalid_territory": gettext_lazy("invalid territory"),
    "doubtful_territory": gettext_lazy("territory to decide (resembles another one)"),
}


@dataclass
class Unresolved:
    reason: str  # a key of UNRESOLVED_REASONS
    value: str
    rows: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def reason_label(self) -> str:
        return str(UNRESOLVED_REASONS[self.reason])


@dataclass
class TwinningsReport:
    pairs_read: int = 0
    pairs_resolved: int = 0
    duplicates: int = 0  # rows repeating a pair already read (in either order)
    partnerships_created: int = 0
    partnerships_present: int = 0
    territories_created: int = 0
    territories_reused: int = 0
    unresolved: list[Unresolved] = field(default_factory=list)

    @property
    def rows_unresolved(self) -> int:
        return len({row for u in self.unresolved for row in u.rows})

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "unresolved"}
        data["rows_unresolved"] = self.rows_unresolved
        data["unresolved"] = [
            {"reason": u.reason, "value": u.value, "count": u.count, "rows": u.rows}
            for u in self.unresolved
        ]
        return data


def _coordinates(lat: str, lng: str) -> tuple[Decimal | None, Decimal | None]:
    try:
        latitude = Decimal(lat.strip()).quantize(Decimal("0.000001"))
        longitude = Decimal(lng.strip()).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return latitude, longitude


@dataclass
class _City:
    country: str
    name: str
    latitude: Decimal | None
    longitude: Decimal | None
    french: bool
    row: int
    territory: Territory | None = None  # existing, or once created
    candidate: Territory | None = None  # validated, to create
    invalid: str = ""  # why the territory cannot be created
    doubt: str = ""  # the existing territories it may be (a person decides)


def _better_name(current: str, candidate: str) -> str:
    """Of two spellings of a name, the one with accents (ASCII spellings are often stripped)."""
    accents = sum(1 for ch in candidate if ord(ch) > 127)
    return candidate if accents > sum(1 for ch in current if ord(ch) > 127) else current


def import_twinnings(
    table: Table, *, actor=None, progress: Progress | None = None, batch_size: int = 500
) -> TwinningsReport:
    """Import twin-town pairs (city1,country1,lat1,lng1,city2,country2,lat2,lng2).

    The French side (FR or an overseas département or collectivity) becomes a commune, the
    other side a municipality; existing territories are reused as ``territories.resolve``
    finds them (country and name folded across scripts, case and accents). A city that only
    resembles existing territories, or other new cities of the file, is reported as a
    territory to decide, not guessed. One published, active partnership of kind twinning per
    pair; running it again creates nothing new. Rows that cannot be resolved are reported,
    not imported.
    """
    progress = progress or _noop
    missing = [c for c in TWINNING_COLUMNS if c not in table.columns]
    if missing:
        raise InvalidRows(
            [RowError(table.source, None, c, _("missing column (required)")) for c in missing]
        )
    user = actor if getattr(actor, "pk", None) else None
    report = TwinningsReport(pairs_read=len(table.rows))
    unresolved: dict[tuple[str, str], Unresolved] = {}

    def skip(reason: str, value: str, row: int) -> None:
        unresolved.setdefault((reason, value), Unresolved(reason, value)).rows.append(row)

    countries: dict[str, str | None] = {}
    cities: dict[tuple[str, str], _City] = {}
    pairs: dict[tuple, tuple[int, tuple, tuple]] = {}
    progress(_("Reading pairs"), 0, len(table.rows))
    for number, cells in table.rows:
        sides = []
        for n in ("1", "2"):
            name = " ".join((cells[f"city{n}"] or "").split())
            country_text = (cells[f"country{n}"] or "").strip()
            if country_text not in countries:
                countries[country_text] = geography.resolve_country(country_text)
            sides.append((name, country_text, countries[country_text], n))
        if any(not name for name, *_rest in sides):
            for name, _text, _code, n in sides:
                if not name:
                    skip("blank_name", f"city{n}", number)
            continue
        if any(code is None for _name, _text, code, _n in sides):
            for _name, text, code, _n in sides:
                if code is None:
                    skip("unknown_country", text or "(blank)", number)
            continue
        french = [code in FRENCH_COUNTRIES for _name, _text, code, _n in sides]
        if not any(french):
            skip("no_french_side", f"{sides[0][1]} ↔ {sides[1][1]}", number)
            continue
        if all(french):
            skip("both_french", f"{sides[0][1]} ↔ {sides[1][1]}", number)
            continue
        keys = []
        for (name, _text, code, n), is_french in zip(sides, french, strict=True):
            key = (code, name_key(name))
            lat, lng = _coordinates(cells[f"lat{n}"] or "", cells[f"lng{n}"] or "")
            city = cities.get(key)
            if city is None:
                cities[key] = _City(code, name, lat, lng, is_french, number)
            else:
                city.name = _better_name(city.name, name)
                if city.latitude is None and lat is not None:
                    city.latitude, city.longitude = lat, lng
            keys.append(key)
        french_key, partner_key = (keys[0], keys[1]) if french[0] else (keys[1], keys[0])
        pair = (french_key, partner_key)
        if pair in pairs:
            report.duplicates += 1
        else:
            pairs[pair] = (number, french_key, partner_key)
    progress(_("Reading pairs"), len(table.rows), len(table.rows))

    # Existing territories, resolved as everywhere (territories.resolve) but loaded once.
    codes = {city.country for city in cities.values()}
    index = TerritoryIndex(
        Territory.objects.filter(
            country__in=codes, kind__in=set(FRENCH_KINDS) | set(FOREIGN_KINDS)
        ).order_by("pk")
    )
    kind_names = dict(TerritoryKind.choices)

    def reusable(city: _City) -> Territory | None:
        resolution = index.resolve(
            country=city.country,
            kind=FRENCH_KINDS if city.french else FOREIGN_KINDS,
            name=city.name,
        )
        if not resolution.certain:
            city.doubt = "; ".join(
                f"{c.territory.name} ({kind_names.get(c.territory.kind, c.territory.kind)}, "
                f"#{c.territory.pk}: {c.reason_label})"
                for c in resolution.candidates[:5]
            )
        return resolution.match

    # Each city: an existing territory, or a new one validated now (created only if needed).
    new_skeletons: dict[tuple[str, str], list[_City]] = defaultdict(list)
    for city in cities.values():
        city.territory = reusable(city)
        if city.territory is not None or city.doubt:
            continue
        if skeleton := name_skeleton(city.name):
            new_skeletons[(city.country, skeleton)].append(city)
    # New cities of the file whose names only resemble each other ("Aït Amira", "آيت عميرة"):
    # a person decides whether they are one.
    for group in new_skeletons.values():
        for city in group:
            others = [o for o in group if o is not city and not latin_pair(o.name, city.name)]
            if others:
                city.doubt = ", ".join(other.name for other in others)
    for city in cities.values():
        if city.territory is not None or city.doubt:
            continue
        candidate = Territory(
            name=city.name,
            kind=TerritoryKind.COMMUNE if city.french else TerritoryKind.MUNICIPALITY,
            country=city.country,
            latitude=city.latitude,
            longitude=city.longitude,
        )
        try:
            # Field validators and clean() run; the database constraints would only repeat,
            # as one query per row, the range validators (coordinates) and a uniqueness of
            # official codes that cannot apply (none is given).
            candidate.full_clean(validate_constraints=False)
        except ValidationError as exc:
            city.invalid = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in _messages(exc).items()
            )
            continue
        city.candidate = candidate
    valid_pairs = []
    for number, french_key, partner_key in pairs.values():
        invalid = [c for c in (cities[french_key], cities[partner_key]) if c.invalid]
        for city in invalid:
            skip("invalid_territory", f"{city.name} ({city.country}): {city.invalid}", number)
        doubtful = [c for c in (cities[french_key], cities[partner_key]) if c.doubt]
        for city in doubtful:
            skip("doubtful_territory", f"{city.name} ({city.country}) ~ {city.doubt}", number)
        if not invalid and not doubtful:
            valid_pairs.append((number, cities[french_key], cities[partner_key]))
    needed = {id(c): c for _n, *pair in valid_pairs for c in pair if c.territory is None}
    new_cities = list(needed.values())
    new_territories = [c.candidate for c in new_cities]

    with transaction.atomic():
        total = len(new_territories)
        progress(_("Creating territories"), 0, total)
        for start in range(0, total, batch_size):
            batch = new_territories[start : start + batch_size]
            created = bulk_create_with_history(batch, Territory, default_user=user)
            for city, territory in zip(
                new_cities[start : start + batch_size], created, strict=True
            ):
                city.territory = territory
            progress(_("Creating territories"), min(start + batch_size, total), total)
        report.territories_created = total

        # Twinnings already present (deleted ones too: a deleted twinning is not recreated).
        party_sides: dict[int, dict[str, set]] = defaultdict(
            lambda: {Side.FRENCH: set(), Side.PARTNER: set()}
        )
        for pid, side, tid in PartnershipParty.objects.filter(
            partnership__kind=PartnershipKind.TWINNING
        ).values_list("partnership_id", "side", "territory_id"):
            party_sides[pid][side].add(tid)
        present = {
            (next(iter(s[Side.FRENCH])), next(iter(s[Side.PARTNER])))
            for s in party_sides.values()
            if len(s[Side.FRENCH]) == 1 and len(s[Side.PARTNER]) == 1
        }

        to_create: list[tuple[int, _City, _City]] = []
        used: set[int] = set()
        for number, french_city, partner_city in valid_pairs:
            report.pairs_resolved += 1
            ids = (french_city.territory.pk, partner_city.territory.pk)
            used.update(ids)
            if ids in present:
                report.partnerships_present += 1
                continue
            present.add(ids)
            to_create.append((number, french_city, partner_city))
        created_ids = {t.pk for t in new_territories}
        report.territories_reused = len(used - created_ids)

        total = len(to_create)
        progress(_("Creating partnerships"), 0, total)
        for start in range(0, total, batch_size):
            batch = to_create[start : start + batch_size]
            partnerships = []
            for _number, french_city, partner_city in batch:
                title = f"{french_city.territory.name} ↔ {partner_city.territory.name}"
                partnership = Partnership(
                    title=title if len(title) <= 300 else title[:299] + "…",
                    kind=PartnershipKind.TWINNING,
                    status=PartnershipStatus.ACTIVE,
                    is_published=True,
                )
                partnership.full_clean(validate_constraints=False)  # no dates to order
                partnerships.append(partnership)
            partnerships = bulk_create_with_history(partnerships, Partnership, default_user=user)
            parties = []
            for partnership, (_number, french_city, partner_city) in zip(
                partnerships, batch, strict=True
            ):
                parties.append(
                    PartnershipParty(
                        partnership=partnership, territory=french_city.territory, side=Side.FRENCH
                    )
                )
                parties.append(
                    PartnershipParty(
                        partnership=partnership,
                        territory=partner_city.territory,
                        side=Side.PARTNER,
                    )
                )
            bulk_create_with_history(parties, PartnershipParty, default_user=user)
            # written in bulk, past the services: announced here (core.changes)
            services.partnerships_announce(p.pk for p in partnerships)
            report.partnerships_created += len(partnerships)
            progress(_("Creating partnerships"), report.partnerships_created, total)

    report.unresolved = sorted(
        unresolved.values(),
        key=lambda u: (list(UNRESOLVED_REASONS).index(u.reason), -u.count, u.value),
    )
    return report
