"""Whitelisted list filters, shared by pages, the API and the CLI."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from django.utils.translation import gettext as _

# the start years a filter may name (the registry's and the panorama's year_from / year_to)
MIN_YEAR, MAX_YEAR = 1900, 2100
# the largest id a filter may name: a signed 64-bit integer (bigint), as core.api's MAX_ID;
# beyond it the database drivers raise OverflowError (a server error) instead of matching none
MAX_ID = 2**63 - 1


class FilterError(ValueError):
    """A filter that is not allowed or a value out of range; the message names the parameter."""

    def __init__(self, param: str, message: str):
        self.param = param
        super().__init__(f"{param}: {message}")


def reject_unknown(params: Iterable[str], allowed: Collection[str]) -> None:
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise FilterError(
            unknown[0], f"unknown filter; allowed filters are {', '.join(sorted(allowed))}"
        )


def year_range(get: Callable[[str], str], *, ordered: bool = True) -> dict[str, int]:
    """The years of the parameters ``year_from`` and ``year_to``, each optional: ``get(name)``
    gives a parameter's stripped text, "" when absent. Returns the ones given, as ints.

    A value that is not a whole year from MIN_YEAR to MAX_YEAR raises FilterError naming its
    parameter; so does, on ``year_to``, a period that ends before it starts — unless
    ``ordered`` is False (such a period then simply matches nothing)."""
    values: dict[str, int] = {}
    for name in ("year_from", "year_to"):
        if raw := get(name):
            if not raw.isdecimal() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
                raise FilterError(
                    name,
                    _("must be a year between %(a)s and %(b)s") % {"a": MIN_YEAR, "b": MAX_YEAR},
                )
            values[name] = int(raw)
    if ordered and values.get("year_from") and values.get("year_to"):
        if values["year_from"] > values["year_to"]:
            raise FilterError("year_to", _("the period ends before it starts"))
    return values


def id_value(raw: object) -> int | None:
    """The id a parameter's text names (1 to MAX_ID), or None when it names none.

    Decimal digits of any script are read (Arabic-Indic ones too, as everywhere else); a sign,
    a space inside, a superscript, zero or a number beyond MAX_ID name no id."""
    text = str(raw).strip()
    if not text.isdecimal() or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def parse_id(param: str, raw: object, message: str | None = None) -> int:
    """``id_value`` or a FilterError naming ``param``."""
    value = id_value(raw)
    if value is None:
        raise FilterError(
            param, message or _("must be an id, a whole number from 1 to %(max)s") % {"max": MAX_ID}
        )
    return value


def bounded_int(raw: object, *, default: int, low: int, high: int) -> int:
    """A whole number of a parameter clamped to low..high (a page number, an index); the
    default when the text is not a whole number. Never raises."""
    text = str(raw if raw is not None else "").strip()
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    if not digits.isdecimal():
        return default
    if len(digits) > 30:  # far beyond any bound; int() of it is slow or refused
        return low if negative else high
    value = -int(digits) if negative else int(digits)
    return max(low, min(value, high))
