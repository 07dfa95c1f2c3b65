"""Cells of an export turned into the values ``Submission.data`` holds: integers and
decimals as numbers (Excel's 2007.0 is 2007), dates and times as ISO strings, select_multiple
as one space-separated string, everything else as text; and the UUID of a row.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuid_module
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .. import tabular
from .form import SELECT_MULTIPLE, Question

# Namespace of the UUIDs given to rows whose ``_uuid`` is missing or not a UUID.
UUID_NAMESPACE = uuid_module.UUID("6f1c9a52-3b8e-4c1d-9a77-2c6b0f8e4d10")

INTEGER_TYPES = {"integer"}
DECIMAL_TYPES = {"decimal", "range"}
DATE_TYPES = {"date", "today"}
DATETIME_TYPES = {"datetime", "start", "end"}
TIME_TYPES = {"time"}


class BadValue(ValueError):
    pass


def _number_text(value: Any) -> str:
    if isinstance(value, bool):
        raise BadValue(_("expected a number, found %(value)s") % {"value": value})
    if isinstance(value, (int, float, Decimal)):
        return repr(value) if isinstance(value, float) else str(value)
    return str(value).strip().replace(",", ".") if _looks_decimal_comma(value) else str(value)


def _looks_decimal_comma(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\s*-?\d+,\d+\s*", value) is not None


def _plain_integer(value: Any) -> int | None:
    """A cell that already is a whole number: text of one (the fast path) or an int."""
    if type(value) is str:
        try:
            return int(value)
        except ValueError:
            return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def to_integer(value: Any) -> int:
    whole = _plain_integer(value)
    if whole is not None:
        return whole
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _number_text(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadValue(_("expected a whole number, found %(value)s") % {"value": text}) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise BadValue(_("expected a whole number, found %(value)s") % {"value": text})
    return int(number)


def _to_decimal(value: Any) -> int | float:
    whole = _plain_integer(value)
    if whole is not None:
        return whole
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    text = _number_text(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadValue(_("expected a number, found %(value)s") % {"value": text}) from None
    if not number.is_finite():
        raise BadValue(_("expected a number, found %(value)s") % {"value": text})
    if number == number.to_integral_value() and abs(number) < Decimal("1e15"):
        return int(number)
    return float(number)


def _iso_datetime(value: dt.datetime) -> str:
    return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")


def _to_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = as_text(value)
    match = re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ]|$)", text)
    if match is None:
        raise BadValue(_("expected a date (YYYY-MM-DD), found %(value)s") % {"value": text})
    return match.group(1)


def _to_datetime(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return _iso_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return as_text(value)


def _to_time(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.time().isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return as_text(value)


def as_text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return _iso_datetime(value)
    return tabular.cell_text(value).strip()


def _to_multiple(value: Any) -> str:
    return " ".join(as_text(value).split())


def converter(question: Question) -> Callable[[Any], Any]:
    """The function turning a cell into the value ``Submission.data`` holds."""
    if question.type in INTEGER_TYPES:
        return to_integer
    if question.type in DECIMAL_TYPES:
        return _to_decimal
    if question.type in DATE_TYPES:
        return _to_date
    if question.type in DATETIME_TYPES:
        return _to_datetime
    if question.type in TIME_TYPES:
        return _to_time
    if question.kind == SELECT_MULTIPLE:
        return _to_multiple
    return as_text


def is_empty(value: Any) -> bool:
    if value is None or value == "":
        return True
    return type(value) is str and not value.strip()


def parse_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = as_text(value)
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise BadValue(
                _("expected a date and time, found %(value)s") % {"value": text}
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # Kobo writes _submission_time in UTC
    return moment


def row_uuid(raw: str, *, form_id: str, fallback: str) -> tuple[uuid_module.UUID, str | None]:
    """A row's UUID: its ``_uuid`` when it is one; else one derived from it (or from the row's
    ``_index``), the same on every import of the same file."""
    raw = raw.strip()
    if raw.lower().startswith("uuid:"):
        raw = raw[5:]
    if raw:
        try:
            return uuid_module.UUID(raw), None
        except ValueError:
            return uuid_module.uuid5(UUID_NAMESPACE, f"{form_id}:uuid:{raw}"), raw
    return uuid_module.uuid5(UUID_NAMESPACE, f"{form_id}:{fallback}"), None
