"""What several pages show: a partnership's two sides, totals by currency, a programme's
budget tables, breadcrumbs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from reciprocite.territories.models import Territory

from ..models import BudgetLine, Partnership, Programme

Crumb = tuple[str, str | None]  # a label and its link (None: the current page)


def crumbs(*items: Crumb) -> list[Crumb]:
    return list(items)


def budget_tables(programme: Programme) -> list[dict[str, Any]]:
    """One table per currency: a row per funder, a column per year, with totals."""
    by_currency: dict[str, list[BudgetLine]] = defaultdict(list)
    for line in programme.budget_lines.all():
        by_currency[line.currency].append(line)
    tables = []
    for currency in sorted(by_currency):
        lines = by_currency[currency]
        years = sorted({line.year for line in lines})
        funders = sorted({line.funder for line in lines}, key=lambda f: f.name.casefold())
        cell = {(line.funder_id, line.year): line for line in lines}
        rows = []
        for funder in funders:
            amounts = [cell.get((funder.pk, year)) for year in years]
            rows.append(
                {
                    "funder": funder,
                    "cells": amounts,
                    "total": sum((c.amount for c in amounts if c), Decimal("0")),
                }
            )
        year_totals = [
            sum((line.amount for line in lines if line.year == year), Decimal("0"))
            for year in years
        ]
        tables.append(
            {
                "currency": currency,
                "years": years,
                "rows": rows,
                "year_totals": year_totals,
                "total": sum(year_totals, Decimal("0")),
            }
        )
    return tables


def totals_by_currency(pairs: Iterable[tuple[Decimal | None, str]]) -> list[tuple[str, Decimal]]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for amount, currency in pairs:
        if amount is not None:
            totals[currency] += amount
    return sorted(totals.items())


def sides(partnership: Partnership) -> list[tuple[str, list[Territory]]]:
    """[(label, territories)] for the French side, then the partner side."""
    sides: dict[str, list[Territory]] = {"french": [], "partner": []}
    for party in partnership.parties.all():
        sides[party.side].append(party.territory)
    return [
        (_("French side"), sorted(sides["french"], key=lambda t: t.name)),
        (_("Partner side"), sorted(sides["partner"], key=lambda t: t.name)),
    ]
