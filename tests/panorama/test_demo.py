"""The panorama of the demo data: exact figures, and the same counted another way (row by
row in Python over the public records)."""

from collections import Counter

import pytest
from django.utils import translation

from reciprocite.demo import load_demo
from reciprocite.panorama.selectors import PanoramaFilters, compute_panorama
from reciprocite.registry.models import Partnership, Project, Side
from reciprocite.territories.geography import zone_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the figures follow at commit
        load_demo()
    with translation.override("en"):
        yield compute_panorama()


def test_demo_figures(demo):
    p = demo
    assert p.key_figures == {
        "partnerships": 35,
        "projects": 94,
        "countries": 22,
        "zones": 8,
        "partner_territories": 37,
        "french_authorities": 21,
        "replications": 13,
    }
    assert p.zones == {
        "Caribbean": 1,
        "Eastern Africa": 1,
        "Eastern Europe": 7,
        "Maghreb": 7,
        "Middle Africa": 1,
        "South-eastern Asia": 1,
        "Western Africa": 15,
        "Western Asia": 2,
    }
    assert {i.code: i.count for i in p.series["authority_kind"].items} == {
        "commune": 18,
        "departement": 8,
        "intercommunalite": 6,
        "region": 4,
    }
    assert [(i.code, i.count, i.value) for i in p.series["budget"].items] == [
        ("lt10k", 6, 40500.0),
        ("10k-50k", 27, 634500.0),
        ("50k-200k", 18, 1416000.0),
    ]
    assert len(p.points) == 37
    assert p.sentences == [
        "35 partnerships of 21 French authorities with 37 partner territories in 22 countries.",
        "94 projects are recorded.",
        "15 partnerships are with Western Africa, the first zone.",
        "13 replications of a project elsewhere.",
        "The survey: 38 cooperations described by 21 authorities, 16 of them with Western Africa.",
    ]
    # the study's forms are loaded by the demo, with its published, invented answers
    assert p.survey["submissions"] == 21 and not p.survey["withheld"]
    assert p.survey["repeats"] == 38
    assert p.survey["respondent_types"] == {
        "commune": 19,
        "departement": 8,
        "intercommunalite": 7,
        "region": 4,
    }
    assert p.series["services"].items and p.series["added_values"].items
    # replications: one row each, a line when the two places differ
    assert len(p.replication_rows) == 13
    places = {(r["model_place"], r["replica_place"]) for r in p.replication_rows}
    assert ("Sindoné (fictive)", "Mbélaye (fictive)") in places
    assert ("Béni Khalfa (fictive)", "Vireval (fictive)") in places
    assert all(a != b for a, b, _label in p.replications)


def test_demo_figures_counted_row_by_row(demo):
    p = demo
    public = Partnership.objects.filter(deleted_at__isnull=True, is_published=True)
    countries, zones, kinds, years = Counter(), Counter(), Counter(), Counter()
    country_projects, zone_projects = Counter(), Counter()
    for partnership in public.prefetch_related("parties__territory"):
        partner = {x.territory.country for x in partnership.parties.all() if x.side == Side.PARTNER}
        countries.update(partner)
        zones.update({zone_of(c).key for c in partner if zone_of(c)})
        kinds.update({x.territory.kind for x in partnership.parties.all() if x.side == Side.FRENCH})
        if partnership.start_date:
            years[str(partnership.start_date.year)] += 1
        alive = partnership.projects.filter(deleted_at__isnull=True).count()
        for code in partner:
            country_projects[code] += alive
        for zone in {zone_of(c).key for c in partner if zone_of(c)}:
            zone_projects[zone] += alive
    assert p.countries == dict(countries)
    assert p.zones == dict(zones)
    assert p.country_projects == {c: n for c, n in country_projects.items() if n}
    assert p.zone_projects == {z: n for z, n in zone_projects.items() if n}
    assert {i.code: i.count for i in p.series["authority_kind"].items} == dict(kinds)
    assert {i.code: i.count for i in p.series["start_year"].items} == dict(years)
    themes = Counter()
    projects = Project.objects.filter(partnership__in=public).prefetch_related("themes")
    for project in projects:
        themes.update(t.code for t in project.themes.all())
    assert {i.code: i.count for i in p.series["theme"].items} == dict(themes)
    assert p.key_figures["projects"] == projects.count()


def test_demo_filters(demo):
    with translation.override("en"):
        maghreb = compute_panorama(PanoramaFilters(zone="Maghreb"))
        assert maghreb.key_figures["partnerships"] == 7
        assert set(maghreb.countries) <= {"DZ", "LY", "MA", "MR", "TN"}
        senegal = compute_panorama(PanoramaFilters(country="SN"))
        assert senegal.countries["SN"] == 4
        early = compute_panorama(PanoramaFilters(year_to=1990))
        assert early.key_figures["partnerships"] == 5
        assert compute_panorama(PanoramaFilters(kind="region")).key_figures["partnerships"] == 4


def test_demo_report_shows_both_surveys(demo):
    from reciprocite.panorama.report.document import report_context

    with translation.override("en"):
        context = report_context(language="en")
    sections = {s.id: s for s in context["sections"]}
    perception, cooperations = sections["perception"], sections["cooperations"]
    assert "27 authorities answered the questionnaire." in perception.intro
    assert perception.figures and cooperations.figures
    assert not any("withheld" in line or "No answers" in line for line in cooperations.intro)
    assert dict(sections["key-figures"].survey_facts)
