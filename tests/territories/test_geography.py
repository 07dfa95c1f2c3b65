import pytest

from reciprocite.territories import geography


@pytest.mark.parametrize(
    ("code", "zone", "zone_fr"),
    [
        ("MA", "Maghreb", "Maghreb"),
        ("dz", "Maghreb", "Maghreb"),
        ("MR", "Maghreb", "Maghreb"),
        ("TN", "Maghreb", "Maghreb"),
        ("LY", "Maghreb", "Maghreb"),
        ("EG", "Northern Africa", "Afrique du Nord"),
        ("SN", "Western Africa", "Afrique de l'Ouest"),
        ("RU", "Eastern Europe", "Europe de l'Est"),
    ],
)
def test_zone_of_follows_the_maghreb_rule(code, zone, zone_fr):
    z = geography.zone_of(code)
    assert (z.key, z.name_fr) == (zone, zone_fr)
    assert z.label("fr") == zone_fr
    assert z.label("en") == zone


def test_zone_table_matches_the_reference(shared_dir):
    import csv

    with (shared_dir / "data/reference/zones.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assert geography.zone_of(row["iso2"]).key == row["zone"]


def test_countries_in_zone():
    assert geography.countries_in_zone("Maghreb") == ["DZ", "LY", "MA", "MR", "TN"]
    assert geography.zone_by_key("Atlantis") is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Senegal", "SN"),
        ("Sénégal", "SN"),
        ("Maroc", "MA"),
        ("England, United Kingdom", "GB"),
        ("Wales", "GB"),
        ("Réunion, France", "RE"),
        ("Georgia (country)", "GE"),
        ("Ivory Coast", "CI"),
        ("Republic of Ireland", "IE"),
        ("Russia", "RU"),
        ("Madagaskar", "MG"),
        ("Democratic Republic of the Congo", "CD"),
        ("Czech Republic", "CZ"),
        ("fr", "FR"),
    ],
)
def test_resolve_country(name, code):
    assert geography.resolve_country(name) == code


@pytest.mark.parametrize("name", ["", "   ", "Atlantis", "Middle-earth"])
def test_resolve_country_unknown(name):
    assert geography.resolve_country(name) is None


def test_country_names_follow_the_language():
    assert geography.country_name("SN", "fr") == "Sénégal"
    assert geography.country_name("SN", "en") == "Senegal"
    assert geography.country_name("MA", "ar") == "المغرب"


def test_kosovo_is_a_country_here():
    assert geography.is_country("XK") and geography.is_country("xk")
    assert geography.resolve_country("Kosovo") == "XK"
    assert geography.zone_of("XK").key == "Southern Europe"
    assert geography.country_name("XK", "fr") == "Kosovo"
    assert ("XK", "Kosovo") in geography.country_choices("en")
    assert not geography.is_country("XX") and not geography.is_country("FRA")
