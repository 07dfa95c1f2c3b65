"""interop.cells on its own: single cells parsed to typed values with a reason when wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from reciprocite.interop import cells
from reciprocite.interop.cells import CellError


def error_of(parser, text) -> str:
    with pytest.raises(CellError) as caught:
        parser(text)
    return str(caught.value)


def test_dates_booleans_choices_currencies():
    assert cells.parse_date("2024-02-29") == dt.date(2024, 2, 29)
    assert cells.parse_date("2024-02-29T00:00:00") == dt.date(2024, 2, 29)
    assert cells.parse_date("") is None
    assert error_of(cells.parse_date, "29/02/2024") == '"29/02/2024" is not a date (YYYY-MM-DD)'
    assert error_of(cells.parse_date, "2023-02-29") == '"2023-02-29" is not a date (YYYY-MM-DD)'
    assert cells.parse_bool("Oui", False) is True
    assert cells.parse_bool("no", True) is False
    assert cells.parse_bool("", True) is True
    assert error_of(lambda t: cells.parse_bool(t, True), "maybe") == '"maybe" is not yes or no'
    assert cells.parse_choice("ACTIVE", ["active", "ended"], "active") == "active"
    assert error_of(lambda t: cells.parse_choice(t, ["a", "b"], "a"), "c") == (
        '"c" is not one of a, b'
    )
    assert cells.parse_currency("xof") == "XOF"
    assert cells.parse_currency("") == "EUR"
    assert error_of(cells.parse_currency, "EURO") == (
        '"EURO" is not an ISO 4217 currency code (e.g. EUR, XOF)'
    )


def test_codes():
    assert cells.parse_codes("jeunesse  sante,jeunesse", ("jeunesse", "sante")) == (
        "jeunesse",
        "sante",
    )
    assert error_of(lambda t: cells.parse_codes(t, ("a", "b")), "a zz") == (
        'unknown code "zz" (known codes: a b)'
    )
