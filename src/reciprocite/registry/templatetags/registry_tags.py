"""Presentation helpers for the pages: amounts, countries, subdivisions and zones in the
current language."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal
from django import template
from django.utils.translation import get_language, to_locale

from reciprocite.territories import geography

register = template.Library()


def _locale() -> str:
    return to_locale(get_language() or "fr")


@register.filter
def money(amount, currency: str = "EUR") -> str:
    """``{{ amount|money:currency }}`` → « 25 000,00 € » in French, "€25,000.00" in English."""
    if amount in (None, ""):
        return ""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    try:
        return format_currency(value, currency or "EUR", locale=_locale())
    except Exception:  # an unknown currency code: still show the figures
        return f"{format_decimal(value, locale=_locale())} {currency}"


@register.filter
def number(value) -> str:
    if value in (None, ""):
        return ""
    try:
        return format_decimal(value, locale=_locale())
    except Exception:
        return str(value)


@register.filter
def country_name(code: str) -> str:
    return geography.country_name(code) if code else ""


@register.filter
def subdivision_name(code: str) -> str:
    return geography.subdivision_name(code) if code else ""


@register.filter
def zone_label(country_code: str) -> str:
    zone = geography.zone_of(country_code or "")
    return zone.label() if zone else ""


@register.simple_tag
def zone_label_of_key(key: str) -> str:
    zone = geography.zone_by_key(key or "")
    return zone.label() if zone else key


@register.simple_tag(takes_context=True)
def partnerships_of(context, territory):
    """The partnerships a territory is a party to, among those the visitor may see.

    A tag rather than a view import, so that the territories app does not depend on the
    registry: the territory page composes the registry's part through its template.
    """
    from django.db.models import Exists, OuterRef

    from reciprocite.registry.models import PartnershipParty
    from reciprocite.registry.selectors import partnership_list

    request = context.get("request")
    viewer = getattr(request, "user", None)
    return list(
        partnership_list(viewer=viewer).filter(
            Exists(PartnershipParty.objects.filter(partnership=OuterRef("pk"), territory=territory))
        )
    )


@register.simple_tag
def reader_translation(original):
    """``{% reader_translation partnership as reader %}``: its translation into the reader's
    language, or None (then the page shows the original, with a note)."""
    from reciprocite.registry.selectors import translation_for_reader

    return translation_for_reader(original)
