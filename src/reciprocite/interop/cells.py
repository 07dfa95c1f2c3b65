"""Cells of a tabular layout: text parsed to typed values with a reason when wrong, and back.

Format-generic: a layout (e.g. the registry's, ``registry.layout``) says which column holds
what and passes the vocabulary (its choices, its codes, its bounds) as arguments. A compound
cell holds items separated by ``;``, their parts by ``|``, and ``\\`` escapes both.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import pycountry
from django.utils.translation import gettext as _

TRUE_WORDS = {"yes", "y", "true", "1", "oui", "vrai", "x"}
FALSE_WORDS = {"no", "n", "false", "0", "non", "faux"}

T = TypeVar("T")


class CellError(ValueError):
    """A cell value is wrong; the message says why (the caller names file, row and field)."""


# --- compound cells: items separated by ";", parts by "|", "\" escapes both ------------------


def _split(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for ch in text:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
            current.append(ch)
        elif ch == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).strip()


def escape(text: str) -> str:
    """A part of a compound cell, its ``;``, ``|`` and ``\\`` escaped."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace("|", "\\|")


def items(text: str) -> list[list[str]]:
    """A compound cell's items, each as its unescaped parts (blank items left out)."""
    return [
        [_unescape(part) for part in _split(item, "|")]
        for item in _split(text, ";")
        if item.strip()
    ]


def parse_items(
    text: str,
    parse: Callable[[list[str]], T],
    *,
    parts: tuple[int, int],
    shape: str,
    where: str,
) -> list[T]:
    """The items of a compound cell, each parsed by ``parse`` from its parts (padded with
    empty parts up to the most ``parts`` allows). An item with too few or too many parts is
    refused with ``shape``; a refused item's reason is given in ``where`` (placeholders
    ``n``, ``item`` and ``reason``)."""
    fewest, most = parts
    parsed: list[T] = []
    for position, item_parts in enumerate(items(text), start=1):
        try:
            if len(item_parts) < fewest or len(item_parts) > most:
                raise CellError(shape)
            parsed.append(parse(item_parts + [""] * (most - len(item_parts))))
        except CellError as exc:
            raise CellError(
                where % {"n": position, "item": quote("|".join(item_parts)), "reason": exc}
            ) from None
    return parsed


# --- parsers of single cells -------------------------------------------------------------------


def quote(text: str) -> str:
    """A value quoted for a message, cut at 60 characters."""
    shown = text if len(text) <= 60 else text[:57] + "…"
    return f'"{shown}"'


def parse_text(text: str, *, max_length: int | None = None, required: bool = False) -> str:
    text = text.strip()
    if required and not text:
        raise CellError(_("required"))
    if max_length and len(text) > max_length:
        raise CellError(
            _("%(n)s characters; at most %(max)s") % {"n": len(text), "max": max_length}
        )
    return text


def parse_choice(text: str, choices: Iterable[object], default: str) -> str:
    text = text.strip()
    if not text:
        return default
    values = [str(v) for v in choices]
    if text not in values and text.lower() in values:
        text = text.lower()
    if text not in values:
        raise CellError(
            _("%(value)s is not one of %(choices)s")
            % {"value": quote(text), "choices": ", ".join(values)}
        )
    return text


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10] if re.match(r"^\d{4}-\d\d-\d\dT", text) else text)
    except ValueError:
        raise CellError(
            _("%(value)s is not a date (YYYY-MM-DD)") % {"value": quote(text)}
        ) from None


def parse_bool(text: str, default: bool) -> bool:
    word = text.strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("%(value)s is not yes or no") % {"value": quote(text.strip())})


def parse_amount(text: str, *, maximum: Decimal | None = None) -> Decimal | None:
    """A positive amount with at most 2 decimals (``1 234,50`` reads as 1234.50)."""
    raw = text.strip()
    if not raw:
        return None
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", raw)
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", cleaned):
        raise CellError(_("%(value)s is not a number") % {"value": quote(raw)})
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(_("%(value)s is not a number") % {"value": quote(raw)}) from None
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(_("%(value)s has more than 2 decimals") % {"value": quote(raw)})
    if maximum is not None and amount > maximum:
        raise CellError(_("%(value)s is too large") % {"value": quote(raw)})
    return amount.quantize(Decimal("0.01"))


def parse_currency(text: str) -> str:
    code = text.strip().upper()
    if not code:
        return "EUR"
    if not re.fullmatch(r"[A-Z]{3}", code) or pycountry.currencies.get(alpha_3=code) is None:
        raise CellError(
            _("%(value)s is not an ISO 4217 currency code (e.g. EUR, XOF)")
            % {"value": quote(text.strip())}
        )
    return code


def parse_codes(text: str, known: tuple[str, ...]) -> tuple[str, ...]:
    codes = [c for c in re.split(r"[\s,;]+", text.strip()) if c]
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise CellError(
            _("unknown code %(codes)s (known codes: %(known)s)")
            % {"codes": ", ".join(quote(c) for c in unknown), "known": " ".join(known)}
        )
    return tuple(dict.fromkeys(codes))


# --- typed values back to cells ----------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def xlsx_value(value: Any) -> Any:
    """A cell for a workbook: booleans as yes/no text, empty cells empty."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value == "":
        return None
    return value
