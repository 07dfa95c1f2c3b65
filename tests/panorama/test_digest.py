"""The per-partnership digest (selectors._digest) gives the same figures as the SQL
aggregates, and a change of the data is seen at once."""

import pytest
from django.utils import translation

from reciprocite.demo import load_demo
from reciprocite.panorama.selectors import (
    PanoramaFilters,
    compute_panorama,
    data_version,
    panorama,
)
from reciprocite.registry import services as registry
from reciprocite.registry.models import Project

pytestmark = pytest.mark.django_db

FILTERS = [
    {},
    {"zone": "Western Africa"},
    {"country": "SN"},
    {"kind": "commune"},
    {"kind": "departement"},
    {"year_from": "2000", "year_to": "2015"},
    {"zone": "Maghreb", "kind": "commune"},
    {"theme": "handicap"},  # a theme: counted in SQL, never from the digest
]


def registry_figures(p):
    return (
        p.key_figures,
        p.countries,
        p.zones,
        p.country_projects,
        p.zone_projects,
        {k: s.items for k, s in p.series.items()},
    )


@pytest.fixture
def demo():
    load_demo()
    with translation.override("en"):
        yield


def test_digest_gives_the_figures_of_the_sql_aggregates(demo, monkeypatch):
    from reciprocite.panorama import selectors

    calls = []
    original = selectors._digest

    def spy(version):
        calls.append(version)
        return original(version)

    monkeypatch.setattr(selectors, "_digest", spy)
    version = data_version()
    for params in FILTERS:
        f = PanoramaFilters.parse(params)
        plain = compute_panorama(f)
        summed = compute_panorama(f, version=version)
        assert plain.key_figures["projects"] > 0, params
        assert registry_figures(summed) == registry_figures(plain), params
    # every filter set without a theme summed the digest; the theme was counted in SQL
    assert calls == [version] * (len(FILTERS) - 1)


def test_digest_follows_a_change_of_the_data(demo):
    before = panorama()
    projects = before.key_figures["projects"]
    themes = {i.code: i.count for i in before.series["theme"].items}
    project = (
        Project.objects.filter(
            deleted_at__isnull=True,
            partnership__is_published=True,
            partnership__deleted_at__isnull=True,
            themes__code="sante",
        )
        .order_by("pk")
        .first()
    )
    registry.project_delete(project=project)
    after = panorama()
    assert after.key_figures["projects"] == projects - 1
    assert {i.code: i.count for i in after.series["theme"].items}["sante"] == themes["sante"] - 1
    assert registry_figures(after) == registry_figures(compute_panorama())
