"""The two ways a number is written into a chart, a map or a report figure.

- ``geometry(value)``: a coordinate, a length, a radius, a viewBox or a CSS length. Never
  localised: "." as decimal separator, no grouping, no exponent, at most ``decimals``
  decimals (trailing zeros dropped). A browser rejects "153,5" as an SVG length and draws
  nothing, so every number of an SVG attribute or a CSS geometry goes through here (in
  templates: ``{% load reciprocite_numbers %}`` then ``{{ value|geometry }}``).
- ``text(value)``: a figure a person reads (a count beside a bar, a legend, a tooltip). In
  the reader's language through Babel (CLDR): "12 345,5" in French and Russian, "12,345.5" in
  English and Arabic (Latin digits, as the rest of the site and the PDF report show them);
  ``percent_text`` gives "12,5 %" / "12.5%". In templates ``{{ value|number_text }}``.

Labels drawn inside an SVG also need their direction settled: ``isolate(text)`` wraps a
label of the data in Unicode first-strong isolates, so that an Arabic label keeps its
reading order inside a chart laid out left to right, and the numbers and punctuation around
it stay where they belong.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale
from babel.numbers import format_decimal, format_percent
from django.utils.translation import get_language

__all__ = ["geometry", "isolate", "percent_text", "text"]

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate … pop directional isolate


def geometry(value: Any, decimals: int = 2) -> str:
    """12.5 → "12.5", 300.0 → "300", 1e-7 → "0", "-0" → "0": a number for SVG or CSS.

    Whatever the active language. Not a number (None, text, NaN, infinity) gives "0", so a
    chart never carries a value a browser would reject."""
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError):
        return "0"
    if not number.is_finite():
        return "0"
    quantum = Decimal(1).scaleb(-decimals)
    number = number.quantize(quantum)
    written = format(number, "f")
    if "." in written:
        written = written.rstrip("0").rstrip(".")
    return "0" if written in ("-0", "") else written


def _language(language: str | None) -> str:
    code = (language or get_language() or "en").replace("-", "_")
    return code.split("_")[0] or "en"


def text(value: Any, decimals: int = 0, language: str | None = None) -> str:
    """A figure to read, in ``language`` (default: the active one): 12345 → "12 345" in
    French, "12,345" in English; up to ``decimals`` decimals (12.5 → "12,5")."""
    if value is None:
        return "–"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    if not number.is_finite():
        return "–"
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    if decimals <= 0:
        number = number.quantize(Decimal(1))
    if number == 0:
        number = abs(number)  # never "-0"
    return format_decimal(number, format=pattern, locale=_language(language))


def percent_text(value: Any, decimals: int = 1, language: str | None = None) -> str:
    """A percentage (0–100) to read: 12.5 → "12,5 %" in French, "12.5%" in English."""
    if value is None:
        return "–"
    try:
        share = Decimal(str(value)) / 100
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    if not share.is_finite():
        return "–"
    if share == 0:
        share = abs(share)

    locale = Locale.parse(_language(language))
    pattern = locale.percent_formats[None].pattern
    if decimals > 0:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * decimals, 1)
    return format_percent(share, format=pattern, locale=locale)


def isolate(label: str) -> str:
    """A label with its own direction (Arabic or Latin) inside a chart laid out left to
    right: "\u2068label\u2069". Empty text stays empty."""
    return f"{FSI}{label}{PDI}" if label else label
