"""The panorama's figures, exact, on the test world (tests/factories.py)."""

import pytest
from django.utils import translation

from reciprocite.core.filters import FilterError
from reciprocite.panorama.selectors import (
    Item,
    PanoramaFilters,
    compute_panorama,
    panorama,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_world_counts_only_what_the_public_sees(world):
    p = compute_panorama()
    # Lille ↔ Saint-Louis is unpublished: only Hérouville ↔ Tikhvine is counted
    assert p.key_figures == {
        "partnerships": 1,
        "projects": 2,
        "countries": 1,
        "zones": 1,
        "partner_territories": 1,
        "french_authorities": 1,
        "replications": 0,
    }
    assert p.countries == {"RU": 1}
    assert p.zones == {"Eastern Europe": 1}
    assert p.country_projects == {"RU": 2}
    assert p.zone_projects == {"Eastern Europe": 2}
    assert p.series["theme"].items == [
        Item("insertion_emploi", "Employment and inclusion", 1),
        Item("sante", "Health", 1),
        Item("jeunesse", "Youth", 1),
    ]
    assert p.series["authority_kind"].items == [Item("commune", "Commune", 1)]
    assert p.series["start_year"].items == [Item("1991", "1991", 1)]
    assert p.series["budget"].items == [
        Item("10k-50k", "€10,000 – €50,000", 1, 25000.0),
        Item("50k-200k", "€50,000 – €200,000", 1, 120000.0),
    ]
    assert p.series["cofunding"].items == []
    # Tikhvine has no coordinates: no point
    assert p.points == []
    assert p.replications == []
    assert p.survey is None
    assert "services" not in p.series
    assert p.sentences[0] == (
        "1 partnership of 1 French authority with 1 partner territory in 1 country."
    )


def test_filters_narrow_the_figures(world):
    assert compute_panorama(PanoramaFilters(country="SN")).key_figures["partnerships"] == 0
    assert compute_panorama(PanoramaFilters(zone="Eastern Europe")).key_figures["projects"] == 2
    # a theme: the partnerships with a project on it, and those projects only
    health = compute_panorama(PanoramaFilters(theme="sante"))
    assert health.key_figures["partnerships"] == 1
    assert health.key_figures["projects"] == 1
    assert health.country_projects == {"RU": 1}
    assert {i.code: i.count for i in health.series["theme"].items} == {"jeunesse": 1, "sante": 1}
    assert [(i.code, i.count) for i in health.series["budget"].items] == [("50k-200k", 1)]
    assert compute_panorama(PanoramaFilters(theme="logement")).key_figures["partnerships"] == 0
    assert compute_panorama(PanoramaFilters(kind="region")).key_figures["partnerships"] == 0
    assert compute_panorama(PanoramaFilters(kind="commune")).key_figures["partnerships"] == 1
    assert compute_panorama(PanoramaFilters(year_from=1992)).key_figures["partnerships"] == 0
    assert compute_panorama(PanoramaFilters(year_to=1991)).key_figures["partnerships"] == 1


def test_parse_reads_and_checks_every_filter():
    f = PanoramaFilters.parse(
        {
            "zone": "Maghreb",
            "country": "ma",
            "theme": "sante",
            "kind": "region",
            "year_from": "2000",
            "year_to": "2010",
            "campaign": "3",
        }
    )
    assert f == PanoramaFilters("Maghreb", "MA", "sante", "region", 2000, 2010)
    assert f.as_params() == {
        "zone": "Maghreb",
        "country": "MA",
        "theme": "sante",
        "kind": "region",
        "year_from": "2000",
        "year_to": "2010",
    }
    assert PanoramaFilters.parse({}) == PanoramaFilters()
    for params, name in [
        ({"zone": "Atlantis"}, "zone"),
        ({"country": "ZZ"}, "country"),
        ({"theme": "cooking"}, "theme"),
        ({"kind": "empire"}, "kind"),
        ({"year_from": "19"}, "year_from"),
        ({"year_to": "abc"}, "year_to"),
        ({"year_from": "2010", "year_to": "2000"}, "year_to"),
        ({"colour": "red"}, "colour"),
    ]:
        with pytest.raises(FilterError) as error:
            PanoramaFilters.parse(params)
        assert error.value.param == name


def test_cached_panorama_sees_a_change_at_once(world, django_capture_on_commit_callbacks):
    from reciprocite.registry import services as registry

    assert panorama().key_figures["projects"] == 2
    assert panorama().key_figures["projects"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        registry.project_create(
            partnership=world.herouville_tikhvine, title="Crèche", themes=["petite_enfance"]
        )
    assert panorama().key_figures["projects"] == 3


def test_points_are_the_busiest_territories_only(world, monkeypatch):
    from reciprocite.panorama import selectors
    from reciprocite.registry import services as registry
    from reciprocite.territories.services import territory_update

    territory_update(territory=world.tikhvine, latitude=59.64, longitude=33.51)
    territory_update(territory=world.saint_louis, latitude=16.02, longitude=-16.49)
    registry.partnership_update(partnership=world.lille_saint_louis, is_published=True)
    p = compute_panorama()
    assert p.points == [
        (16.02, -16.49, "Saint-Louis (Senegal)", 1),
        (59.64, 33.51, "Tikhvine (Russia)", 1),
    ]
    assert p.points_truncated is False
    monkeypatch.setattr(selectors, "MAX_POINTS", 1)
    p = compute_panorama()
    assert p.points == [(16.02, -16.49, "Saint-Louis (Senegal)", 1)]
    assert p.points_truncated is True
