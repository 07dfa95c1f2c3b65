"""``{% load reciprocite_numbers %}``: the two ways of writing a number (``core.numbers``).

``{{ bar.width|geometry }}`` in an SVG attribute or a CSS length (never localised: "153.5"
in every language, where ``{{ bar.width }}`` would write "153,5" in French and the browser
would drop the bar); ``{{ count|number_text }}`` and ``{{ share|percent_text }}`` for the
figures a person reads, in the active language.
"""

from __future__ import annotations

from typing import Any

from django import template

from reciprocite.core import numbers

register = template.Library()


@register.filter(is_safe=True)
def geometry(value: Any, decimals: Any = 2) -> str:
    """A coordinate or a length: "." decimals, no grouping, at most ``decimals`` decimals."""
    try:
        places = int(decimals)
    except (TypeError, ValueError):
        places = 2
    return numbers.geometry(value, places)


@register.filter
def number_text(value: Any, decimals: Any = 0) -> str:
    """A figure to read, in the active language ("12 345,5" in French)."""
    try:
        places = int(decimals)
    except (TypeError, ValueError):
        places = 0
    return numbers.text(value, places)


@register.filter
def percent_text(value: Any, decimals: Any = 1) -> str:
    """A percentage (0–100) to read, in the active language ("12,5 %" in French)."""
    try:
        places = int(decimals)
    except (TypeError, ValueError):
        places = 1
    return numbers.percent_text(value, places)
