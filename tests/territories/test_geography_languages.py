"""Zone, country and subdivision names in the reader's language: the M49 zones and the
Maghreb from the project's catalogues, countries from Babel (pycountry's catalogues
behind), subdivisions from pycountry's iso3166-2 catalogues."""

import pytest
from django.utils import translation

from reciprocite.territories import geography


@pytest.mark.parametrize(
    ("code", "fr", "en", "ar", "ru"),
    [
        ("MA", "Maghreb", "Maghreb", "المغرب العربي", "Магриб"),
        ("SN", "Afrique de l'Ouest", "Western Africa", "غرب أفريقيا", "Западная Африка"),
        ("FR", "Europe de l'Ouest", "Western Europe", "أوروبا الغربية", "Западная Европа"),
        ("RU", "Europe de l'Est", "Eastern Europe", "أوروبا الشرقية", "Восточная Европа"),
        ("EG", "Afrique du Nord", "Northern Africa", "شمال أفريقيا", "Северная Африка"),
    ],
)
def test_zone_names_in_each_language(code, fr, en, ar, ru):
    zone = geography.zone_of(code)
    assert [zone.label(lang) for lang in ("fr", "en", "ar", "ru")] == [fr, en, ar, ru]
    for lang, name in (("fr", fr), ("en", en), ("ar", ar), ("ru", ru)):
        with translation.override(lang):
            assert zone.label() == name  # the active language by default


@pytest.mark.parametrize("language", ["fr", "ar", "ru"])
def test_every_zone_has_its_name_in_the_catalogue(language):
    names = {zone.key: zone.label(language) for zone in geography.zones()}
    untranslated = [key for key, name in names.items() if name == key and key != "Maghreb"]
    assert untranslated == []
    if language == "fr":  # one French name: the catalogue's is the table's
        assert names == {zone.key: zone.name_fr for zone in geography.zones()}


def test_a_zone_name_does_not_leak_the_active_language():
    with translation.override("ar"):
        assert geography.zone_of("SN").label("ru") == "Западная Африка"
        assert translation.get_language() == "ar"


@pytest.mark.parametrize(
    ("code", "fr", "ar", "ru"),
    [
        ("MA", "Maroc", "المغرب", "Марокко"),
        ("SN", "Sénégal", "السنغال", "Сенегал"),
        ("RU", "Russie", "روسيا", "Россия"),
        ("FR", "France", "فرنسا", "Франция"),
    ],
)
def test_country_names_in_each_language(code, fr, ar, ru):
    assert [geography.country_name(code, lang) for lang in ("fr", "ar", "ru")] == [fr, ar, ru]
    with translation.override("ar"):
        assert geography.country_name(code) == ar


def test_subdivision_names_from_pycountry_catalogues():
    assert geography.subdivision_name("FR-14", "ru") == "Кальвадос"
    assert geography.subdivision_name("FR-14", "fr") == "Calvados"
    # no translation in the catalogue: the ISO name
    assert geography.subdivision_name("MA-AGD", "ar") == "Agadir-Ida-Ou-Tanane"
    assert geography.subdivision_name("XX-99", "fr") == "XX-99"
    assert geography.subdivision_name("", "fr") == ""
    with translation.override("ru"):
        choices = dict(geography.subdivision_choices("FR"))
    assert choices["FR-44"] == "Атлантическая Луара"
