"""core/filters.year_range: the year_from / year_to parameters of the registry's and the
panorama's filters — whole years from 1900 to 2100, a period that does not end before it
starts, errors naming the parameter in words that the catalogues translate."""

from __future__ import annotations

import pytest
from django.utils import translation

from reciprocite.core.filters import MAX_YEAR, MIN_YEAR, FilterError, year_range


def given(**params):
    return lambda name: params.get(name, "")


def test_the_years_given_are_read_as_ints():
    assert (MIN_YEAR, MAX_YEAR) == (1900, 2100)
    assert year_range(given()) == {}
    assert year_range(given(year_from="1978")) == {"year_from": 1978}
    assert year_range(given(year_to="2000")) == {"year_to": 2000}
    assert year_range(given(year_from="1900", year_to="2100")) == {
        "year_from": 1900,
        "year_to": 2100,
    }
    assert year_range(given(year_from="1991", year_to="1991")) == {
        "year_from": 1991,
        "year_to": 1991,
    }


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"year_from": "abc"}, "year_from"),
        ({"year_from": "-1950"}, "year_from"),
        ({"year_from": "1950.5"}, "year_from"),
        ({"year_from": "1e3"}, "year_from"),
        ({"year_to": "2000 "}, "year_to"),  # the caller strips; an unstripped value is refused
        ({"year_from": "1899"}, "year_from"),
        ({"year_to": "2101"}, "year_to"),
        ({"year_to": "0"}, "year_to"),
        ({"year_from": "20000"}, "year_from"),
        # the first bad one is named: year_from before year_to
        ({"year_from": "x", "year_to": "y"}, "year_from"),
        ({"year_from": "1950", "year_to": "3000"}, "year_to"),
    ],
)
def test_not_a_number_or_out_of_range_is_refused_naming_the_parameter(params, name):
    with translation.override("en"), pytest.raises(FilterError) as caught:
        year_range(given(**params))
    assert caught.value.param == name
    assert str(caught.value) == f"{name}: must be a year between 1900 and 2100"


def test_a_period_ending_before_it_starts_is_refused_on_year_to():
    with translation.override("en"), pytest.raises(FilterError) as caught:
        year_range(given(year_from="2001", year_to="2000"))
    assert caught.value.param == "year_to"
    assert str(caught.value) == "year_to: the period ends before it starts"
    # the registry's lists take such a period and list nothing
    assert year_range(given(year_from="2001", year_to="2000"), ordered=False) == {
        "year_from": 2001,
        "year_to": 2000,
    }
    # out of range is refused all the same
    with pytest.raises(FilterError):
        year_range(given(year_from="1800", year_to="2000"), ordered=False)


def test_the_messages_are_those_the_catalogues_translate():
    with translation.override("fr"):
        with pytest.raises(FilterError) as caught:
            year_range(given(year_from="1800"))
        assert str(caught.value) == "year_from: doit être une année entre 1900 et 2100"
        with pytest.raises(FilterError) as caught:
            year_range(given(year_from="2001", year_to="2000"))
        assert str(caught.value) == "year_to: la période se termine avant de commencer"
