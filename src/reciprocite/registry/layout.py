"""The registry's tabular layout (docs/registry-layout.md): one row per project.

Each row carries its partnership's columns (repeated on every project of the partnership; a
partnership without projects has one row with empty project columns). ``parse_row`` turns a
row of text into typed values and a list of errors naming the column; ``export_cells`` turns
typed values back into cells. No database access here: codes are checked against the
taxonomy and ISO lists (the cells themselves are read by ``interop.cells``), records are
matched and persisted by ``registry.imports``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reciprocite.interop import cells as cell
from reciprocite.interop.cells import (
    CellError,
    escape,
    parse_bool,
    parse_choice,
    parse_codes,
    parse_currency,
    parse_date,
    parse_items,
    parse_text,
    quote,
)
from reciprocite.territories import geography
from reciprocite.territories.models import TerritoryKind
from reciprocite.territories.validators import validate_french_official_code

from .models import (
    LANGUAGE_CHOICES,
    FunderKind,
    PartnershipKind,
    PartnershipStatus,
    ProjectStatus,
)
from .taxonomy import TARGET_PUBLICS, THEMES

LAYOUT_NAME = "reciprocite-registry"
LAYOUT_VERSION = 1

PARTNERSHIP_COLUMNS = (
    "partnership_ref",
    "partnership_title",
    "partnership_kind",
    "partnership_status",
    "partnership_start_date",
    "partnership_end_date",
    "partnership_language",
    "partnership_is_published",
    "partnership_is_fictitious",
    "partnership_description",
    "french_territories",
    "partner_territories",
)
PROJECT_COLUMNS = (
    "project_ref",
    "project_title",
    "project_status",
    "project_start_date",
    "project_end_date",
    "project_language",
    "project_is_fictitious",
    "themes",
    "publics",
    "budget_amount",
    "budget_currency",
    "cofundings",
    "project_summary",
    "project_description",
    "project_results",
)
COLUMNS = PARTNERSHIP_COLUMNS + PROJECT_COLUMNS
REQUIRED_COLUMNS = ("partnership_title", "french_territories", "partner_territories")

TITLE_MAX = 300
REF_MAX = 40
NAME_MAX = 200
OFFICIAL_CODE_MAX = 32
AMOUNT_MAX = Decimal("999999999999.99")  # 14 digits, 2 of them decimals
LANGUAGES = tuple(code for code, _label in LANGUAGE_CHOICES)
DEFAULT_KIND = {
    "french_territories": TerritoryKind.COMMUNE,
    "partner_territories": TerritoryKind.MUNICIPALITY,
}


@dataclass(frozen=True)
class TerritoryItem:
    name: str
    country: str
    kind: str
    official_code: str = ""

    def key(self) -> tuple[str, ...]:
        """What identifies the territory: its official code with its kind (INSEE codes
        collide across kinds), else its kind and name."""
        if self.official_code:
            return (self.country, "code", self.kind, self.official_code)
        return (self.country, self.kind, geography.fold(self.name))


@dataclass(frozen=True)
class FundingItem:
    funder: str
    kind: str
    amount: Decimal
    currency: str = "EUR"


def parse_amount(text: str) -> Decimal | None:
    """An amount the registry stores (at most ``AMOUNT_MAX``)."""
    return cell.parse_amount(text, maximum=AMOUNT_MAX)


def parse_country(text: str) -> str:
    text = text.strip()
    code = geography.resolve_country(text) if text else None
    if code is None:
        raise CellError(
            _("%(value)s is not a country (ISO 3166-1 alpha-2 code, e.g. FR, SN)")
            % {"value": quote(text)}
        )
    return code


def _territory(column: str, parts: list[str]) -> TerritoryItem:
    name = parse_text(parts[0], max_length=NAME_MAX, required=True)
    country = parse_country(parts[1])
    kind = parse_choice(parts[2], TerritoryKind.values, DEFAULT_KIND[column])
    code = parse_text(parts[3], max_length=OFFICIAL_CODE_MAX).upper()
    if code and country == "FR":
        try:
            validate_french_official_code(code, kind)
        except ValidationError as exc:
            raise CellError(" ".join(str(m) for m in exc.messages)) from None
    return TerritoryItem(name=name, country=country, kind=kind, official_code=code)


def parse_territories(text: str, column: str) -> tuple[TerritoryItem, ...]:
    """``name|country|kind|official code`` items separated by ``;`` (kind and code optional)."""
    items = parse_items(
        text,
        lambda parts: _territory(column, parts),
        parts=(2, 4),
        shape=_("expected name|country|kind|official code"),
        where=_("territory %(n)s (%(item)s): %(reason)s"),
    )
    if not items:
        raise CellError(_("at least one territory is required (name|country|kind|official code)"))
    keys = [item.key() for item in items]
    if len(set(keys)) != len(keys):
        raise CellError(_("the same territory is listed twice"))
    return tuple(items)


def _funding(parts: list[str]) -> FundingItem:
    name = parse_text(parts[0], max_length=NAME_MAX, required=True)
    kind = parse_choice(parts[1], FunderKind.values, "")
    if not kind:
        raise CellError(_("the kind is required (%s)") % ", ".join(FunderKind.values))
    amount = parse_amount(parts[2])
    if amount is None:
        raise CellError(_("the amount is required"))
    currency = parse_currency(parts[3])
    return FundingItem(funder=name, kind=kind, amount=amount, currency=currency)


def parse_fundings(text: str) -> tuple[FundingItem, ...]:
    """``funder name|kind|amount|currency`` items separated by ``;`` (currency optional)."""
    items = parse_items(
        text,
        _funding,
        parts=(3, 4),
        shape=_("expected funder name|kind|amount|currency"),
        where=_("co-funding %(n)s (%(item)s): %(reason)s"),
    )
    names = [item.funder for item in items]
    if len(set(names)) != len(names):
        raise CellError(_("the same funder is listed twice"))
    return tuple(items)


PARSERS: dict[str, Callable[[str], Any]] = {
    "partnership_ref": lambda t: parse_text(t, max_length=REF_MAX),
    "partnership_title": lambda t: parse_text(t, max_length=TITLE_MAX, required=True),
    "partnership_kind": lambda t: parse_choice(
        t, PartnershipKind.values, PartnershipKind.COOPERATION
    ),
    "partnership_status": lambda t: parse_choice(
        t, PartnershipStatus.values, PartnershipStatus.ACTIVE
    ),
    "partnership_start_date": parse_date,
    "partnership_end_date": parse_date,
    "partnership_language": lambda t: parse_choice(t, LANGUAGES, "fr"),
    "partnership_is_published": lambda t: parse_bool(t, True),
    "partnership_is_fictitious": lambda t: parse_bool(t, False),
    "partnership_description": lambda t: t.strip(),
    "french_territories": lambda t: parse_territories(t, "french_territories"),
    "partner_territories": lambda t: parse_territories(t, "partner_territories"),
    "project_ref": lambda t: parse_text(t, max_length=REF_MAX),
    "project_title": lambda t: parse_text(t, max_length=TITLE_MAX),
    "project_status": lambda t: parse_choice(t, ProjectStatus.values, ProjectStatus.ONGOING),
    "project_start_date": parse_date,
    "project_end_date": parse_date,
    "project_language": lambda t: parse_choice(t, LANGUAGES, "fr"),
    "project_is_fictitious": lambda t: parse_bool(t, False),
    "themes": lambda t: parse_codes(t, tuple(THEMES)),
    "publics": lambda t: parse_codes(t, tuple(TARGET_PUBLICS)),
    "budget_amount": parse_amount,
    "budget_currency": parse_currency,
    "cofundings": parse_fundings,
    "project_summary": lambda t: t.strip(),
    "project_description": lambda t: t.strip(),
    "project_results": lambda t: t.strip(),
}
assert set(PARSERS) == set(COLUMNS)  # noqa: S101 - a layout defined twice must agree


def check_columns(columns: list[str]) -> list[tuple[str, str]]:
    """Problems with a header, as (column, message): unknown or missing columns."""
    problems = []
    for column in columns:
        if column not in PARSERS:
            problems.append(
                (column, _("unknown column (the layout is in docs/registry-layout.md)"))
            )
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            problems.append((column, _("missing column (required)")))
    return problems


@dataclass
class RegistryRow:
    """A parsed row: ``values`` holds the typed value of every column the file has."""

    row: int
    values: dict[str, Any]
    has_project: bool = False  # whether any project cell is filled in

    def has(self, column: str) -> bool:
        return column in self.values

    def get(self, column: str, default: Any = None) -> Any:
        return self.values.get(column, default)


def parse_row(row: int, cells: dict[str, str]) -> tuple[RegistryRow, list[tuple[str, str]]]:
    """Typed values of a row, and its problems as (column, message)."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for column, text in cells.items():
        parser = PARSERS.get(column)
        if parser is None:
            continue
        try:
            values[column] = parser(text or "")
        except CellError as exc:
            problems.append((column, str(exc)))
    has_project = any((cells.get(c) or "").strip() for c in PROJECT_COLUMNS)
    parsed = RegistryRow(row=row, values=values, has_project=has_project)
    for prefix in ("partnership", "project"):
        start, end = values.get(f"{prefix}_start_date"), values.get(f"{prefix}_end_date")
        if start and end and end < start:
            problems.append((f"{prefix}_end_date", _("the end date is before the start date")))
    french = values.get("french_territories") or ()
    partners = values.get("partner_territories") or ()
    if {t.key() for t in french} & {t.key() for t in partners}:
        problems.append(("partner_territories", _("a territory cannot be on both sides")))
    failed = {column for column, _message in problems}
    if parsed.has_project and "project_title" not in failed:
        if not values.get("project_title"):
            problems.append(("project_title", _("required when the row describes a project")))
        if "themes" in cells and not values.get("themes") and "themes" not in failed:
            problems.append(("themes", _("a project needs at least one theme")))
    return parsed, problems


# --- export ------------------------------------------------------------------------------------


def format_territories(items: Iterable[TerritoryItem]) -> str:
    cells: list[str] = []
    for item in items:
        parts = [escape(item.name), item.country, item.kind]
        if item.official_code:
            parts.append(escape(item.official_code))
        cells.append("|".join(parts))
    return "; ".join(cells)


def format_fundings(items: Iterable[FundingItem]) -> str:
    return "; ".join(
        f"{escape(i.funder)}|{i.kind}|{format(i.amount, 'f')}|{i.currency}" for i in items
    )


def export_cells(values: dict[str, Any]) -> dict[str, Any]:
    """Typed values of a row → cells: str, date, Decimal, bool or None (compound cells as text)."""
    cells: dict[str, Any] = {}
    for column in COLUMNS:
        value = values.get(column)
        if column in ("french_territories", "partner_territories"):
            value = format_territories(value or ())
        elif column == "cofundings":
            value = format_fundings(value or ())
        elif column in ("themes", "publics"):
            value = " ".join(value or ())
        cells[column] = value
    return cells
