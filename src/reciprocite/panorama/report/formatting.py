"""Numbers, amounts, shares and dates in the report's language; text for its CSS
(quoted strings, "page X of Y"); zone names."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_percent
from django.utils.translation import gettext as _

from reciprocite.core import numbers
from reciprocite.territories.geography import zone_by_key


def number(value: Any, language: str, decimals: int = 0) -> str:
    """A figure to read in the report's language (the text path of ``core.numbers``)."""
    return numbers.text(value, decimals, language)


@lru_cache(maxsize=8)
def _percent_pattern(language: str) -> str:
    """The language's percent pattern with one decimal ("#,##0.0 %" in French)."""
    pattern: str = Locale.parse(language).percent_formats[None].pattern
    return pattern.replace("#,##0", "#,##0.0", 1)


def share(value: float, language: str) -> str:
    """A share as a percentage with one decimal, halves rounded up as on the survey's analysis
    page (0.6885 → 68.9 %)."""
    rounded = Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return format_percent(rounded, format=_percent_pattern(language), locale=language)


def percent(part: int | float, whole: int | float, language: str) -> str:
    if not whole:
        return "–"
    return share(part / whole, language)


def euros(value: float | Decimal | None, language: str) -> str:
    """A whole amount in euros in the language's way: "13 150 €", "€13,150"."""
    if value is None:
        return "–"
    pattern = Locale.parse(language).currency_formats["standard"].pattern
    return format_currency(
        round(value),
        "EUR",
        format=pattern.replace(".00", ""),
        locale=language,
        currency_digits=False,
    )


def long_date(day: dt.date, language: str) -> str:
    return format_date(day, format="long", locale=language)


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_of_pages_css() -> str:
    """``"Page " counter(page) " of " counter(pages)`` in the active language (any order)."""
    marker = "\x00"
    text = _("Page %(page)s of %(pages)s") % {
        "page": f"{marker}P{marker}",
        "pages": f"{marker}N{marker}",
    }
    parts = []
    for i, piece in enumerate(text.split(marker)):
        if i % 2:
            parts.append("counter(page)" if piece == "P" else "counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def zone_label(key: str, language: str) -> str:
    zone = zone_by_key(key)
    return zone.label(language) if zone else key
