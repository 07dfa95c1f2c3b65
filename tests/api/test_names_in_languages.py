"""The API names zones, countries and subdivisions in the language Accept-Language asks."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "maghreb", "morocco", "eastern_europe"),
    [
        ("fr", "Maghreb", "Maroc", "Europe de l'Est"),
        ("en", "Maghreb", "Morocco", "Eastern Europe"),
        ("ar", "المغرب العربي", "المغرب", "أوروبا الشرقية"),
        ("ru", "Магриб", "Марокко", "Восточная Европа"),
    ],
)
def test_zones_in_the_language_asked(client, world, language, maghreb, morocco, eastern_europe):
    zones = {z["key"]: z for z in client.get("/api/v1/zones", HTTP_ACCEPT_LANGUAGE=language).json()}
    assert zones["Maghreb"]["name"] == maghreb
    assert zones["Maghreb"]["name_fr"] == "Maghreb"  # the fixed names stay as they were
    assert [c["name"] for c in zones["Maghreb"]["countries"] if c["code"] == "MA"] == [morocco]
    assert zones["Eastern Europe"]["name"] == eastern_europe


@pytest.mark.parametrize(
    ("language", "country", "subdivision"),
    [("fr", "Russie", "Leningradskaya oblast'"), ("ru", "Россия", "Leningradskaya oblast'")],
)
def test_a_territory_names_its_country_and_subdivision(
    client, world, language, country, subdivision
):
    body = client.get(
        f"/api/v1/territories/{world.tikhvine.pk}", HTTP_ACCEPT_LANGUAGE=language
    ).json()
    assert (body["country_name"], body["subdivision_name"]) == (country, subdivision)
    body = client.get(
        f"/api/v1/territories/{world.herouville.pk}", HTTP_ACCEPT_LANGUAGE=language
    ).json()
    assert body["subdivision_name"] == {"fr": "Calvados", "ru": "Кальвадос"}[language]


@pytest.mark.parametrize(
    ("language", "zone"),
    [("fr", "Europe de l'Est"), ("ar", "أوروبا الشرقية"), ("ru", "Восточная Европа")],
)
def test_registry_facets_name_zones_in_the_language_asked(client, world, language, zone):
    body = client.get("/api/v1/partnerships", {"facets": "1"}, HTTP_ACCEPT_LANGUAGE=language).json()
    labels = {item["value"]: item["label"] for item in body["facets"]["zone"]}
    assert labels["Eastern Europe"] == zone
