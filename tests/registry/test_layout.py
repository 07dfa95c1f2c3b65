"""Cells of the registry layout: parsed to typed values with a reason when wrong, and back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from reciprocite.interop.cells import CellError, cell_text
from reciprocite.registry import layout
from reciprocite.registry.layout import FundingItem, TerritoryItem


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the default language of the site is French)."""
    with translation.override("en"):
        yield


def error_of(parser, text) -> str:
    with pytest.raises(CellError) as caught:
        parser(text)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25000", Decimal("25000.00")),
        ("25000.5", Decimal("25000.50")),
        ("1 234,50", Decimal("1234.50")),
        ("1\u202f234", Decimal("1234.00")),
        ("", None),
    ],
)
def test_amounts(text, expected):
    assert layout.parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12k", '"12k" is not a number'),
        ("-5", '"-5" is not a number'),
        ("1,234.5", '"1,234.5" is not a number'),
        ("1.234", '"1.234" has more than 2 decimals'),
        ("1000000000000", '"1000000000000" is too large'),
    ],
)
def test_bad_amounts(text, message):
    assert error_of(layout.parse_amount, text) == message


def test_territories_with_escapes_defaults_and_names():
    items = layout.parse_territories(
        r"Saint-Louis\; Sor|SN; Tikhvine|Russia|municipality; Caen|FR|commune|14118",
        "partner_territories",
    )
    assert items == (
        TerritoryItem("Saint-Louis; Sor", "SN", "municipality", ""),
        TerritoryItem("Tikhvine", "RU", "municipality", ""),
        TerritoryItem("Caen", "FR", "commune", "14118"),
    )
    assert layout.parse_territories("Caen|FR", "french_territories")[0].kind == "commune"
    assert layout.format_territories(items) == (
        r"Saint-Louis\; Sor|SN|municipality; Tikhvine|RU|municipality; Caen|FR|commune|14118"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "at least one territory is required (name|country|kind|official code)"),
        ("Caen", 'territory 1 ("Caen"): expected name|country|kind|official code'),
        (
            "Caen|XX",
            'territory 1 ("Caen|XX"): "XX" is not a country (ISO 3166-1 alpha-2 code, e.g. FR, SN)',
        ),
        (
            "Caen|FR|town",
            'territory 1 ("Caen|FR|town"): "town" is not one of '
            "commune, rural_commune, intercommunalite, departement, region, province, prefecture, "
            "oblast, district, municipality, other",
        ),
        (
            "Caen|FR|commune|123",
            'territory 1 ("Caen|FR|commune|123"): 123 is not an INSEE '
            "commune code of 5 characters (e.g. 14327, 2A004) nor a SIREN number (9 digits).",
        ),
        ("Caen|FR; caen|FR", "the same territory is listed twice"),
        ("|FR", 'territory 1 ("|FR"): required'),
    ],
)
def test_bad_territories(text, message):
    assert error_of(lambda t: layout.parse_territories(t, "french_territories"), text) == message


def test_fundings():
    items = layout.parse_fundings(
        r"Ministère\|MEAE|etat_appel_projets|5000; Ville|fonds_propres|1 000,5|XOF"
    )
    assert items == (
        FundingItem("Ministère|MEAE", "etat_appel_projets", Decimal("5000.00"), "EUR"),
        FundingItem("Ville", "fonds_propres", Decimal("1000.50"), "XOF"),
    )
    assert layout.format_fundings(items) == (
        r"Ministère\|MEAE|etat_appel_projets|5000.00|EUR; Ville|fonds_propres|1000.50|XOF"
    )
    assert layout.parse_fundings("") == ()
    assert error_of(layout.parse_fundings, "A|autre|12k") == (
        'co-funding 1 ("A|autre|12k"): "12k" is not a number'
    )
    assert error_of(layout.parse_fundings, "A|bank|12") == (
        'co-funding 1 ("A|bank|12"): "bank" is not one of etat_appel_projets, union_europeenne, '
        "fonds_propres, autre_collectivite, fondation, autre"
    )
    assert error_of(layout.parse_fundings, "A|autre|1; A|autre|2") == (
        "the same funder is listed twice"
    )


def test_parse_row_lists_every_problem():
    cells = {
        "partnership_title": "",
        "french_territories": "Caen|FR",
        "partner_territories": "caen|FR|commune",
        "budget_amount": "12k",
        "project_start_date": "2020-05-01",
        "project_end_date": "2020-01-01",
        "themes": "",
    }
    row, problems = layout.parse_row(7, cells)
    assert row.has_project is True
    assert problems == [
        ("partnership_title", "required"),
        ("budget_amount", '"12k" is not a number'),
        ("project_end_date", "the end date is before the start date"),
        ("partner_territories", "a territory cannot be on both sides"),
        ("project_title", "required when the row describes a project"),
        ("themes", "a project needs at least one theme"),
    ]


def test_a_row_without_project_cells_describes_a_partnership():
    row, problems = layout.parse_row(
        2,
        {
            "partnership_title": "A ↔ B",
            "french_territories": "A|FR",
            "partner_territories": "B|SN",
            "project_status": "",
            "themes": "",
        },
    )
    assert problems == []
    assert row.has_project is False
    assert row.get("partnership_kind") is None  # absent column: left to the defaults


def test_check_columns():
    assert layout.check_columns(["partnership_title", "budget", "french_territories"]) == [
        ("budget", "unknown column (the layout is in docs/registry-layout.md)"),
        ("partner_territories", "missing column (required)"),
    ]


def test_export_cells_and_text():
    cells = layout.export_cells(
        {
            "partnership_ref": "P1",
            "partnership_is_published": True,
            "themes": ("jeunesse", "sante"),
            "budget_amount": Decimal("10.00"),
            "project_start_date": dt.date(2020, 1, 1),
        }
    )
    assert list(cells) == list(layout.COLUMNS)
    assert cells["themes"] == "jeunesse sante"
    assert cells["french_territories"] == ""
    assert [
        cell_text(cells[c])
        for c in (
            "partnership_is_published",
            "budget_amount",
            "project_start_date",
            "project_title",
        )
    ] == ["yes", "10.00", "2020-01-01", ""]


def test_the_example_of_the_layout_document_is_valid():
    from pathlib import Path

    from reciprocite.interop.tabular import read_table_bytes

    doc = Path(__file__).resolve().parents[2] / "docs" / "registry-layout.md"
    text = doc.read_text(encoding="utf-8")
    example = text.split("```csv\n", 1)[1].split("```", 1)[0]
    table = read_table_bytes(example.encode(), source="example.csv")
    assert layout.check_columns(table.columns) == []
    parsed = [layout.parse_row(n, cells) for n, cells in table.rows]
    assert [problems for _row, problems in parsed] == [[], [], []]
    assert [row.has_project for row, _problems in parsed] == [True, True, False]
    assert parsed[1][0].get("cofundings") == (
        FundingItem("MEAE", "etat_appel_projets", Decimal("5000.00"), "EUR"),
    )
