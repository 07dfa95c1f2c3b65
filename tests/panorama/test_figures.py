"""The figures table (models.PartnershipFigure) gives the same figures as the SQL aggregates
over the projects, and follows every kind of change: through the services, the ORM, a
rolled-back transaction, a project moved, themes changed from either side, rows written
without signals."""

import pytest
from django.db import transaction
from django.utils import timezone, translation

from reciprocite.demo import load_demo
from reciprocite.panorama import services
from reciprocite.panorama.models import FigureMark, PartnershipFigure
from reciprocite.panorama.selectors import (
    PanoramaFilters,
    compute_panorama,
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
    {"theme": "handicap"},
    {"theme": "sante", "zone": "Western Africa"},
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


def test_the_table_gives_the_figures_of_the_sql_aggregates(demo):
    for params in FILTERS:
        f = PanoramaFilters.parse(params)
        plain = compute_panorama(f, figures=False)
        summed = compute_panorama(f)
        assert plain.key_figures["projects"] > 0, params
        assert registry_figures(summed) == registry_figures(plain), params
    assert PartnershipFigure.objects.filter(scope="handicap", kind="count").exists()


def test_the_table_follows_a_change_of_the_data(demo):
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
    assert registry_figures(after) == registry_figures(compute_panorama(figures=False))


def assert_current(filters=FILTERS):
    for params in filters:
        f = PanoramaFilters.parse(params)
        assert registry_figures(compute_panorama(f)) == registry_figures(
            compute_panorama(f, figures=False)
        ), params


def alive_projects():
    return Project.objects.filter(
        deleted_at__isnull=True,
        partnership__is_published=True,
        partnership__deleted_at__isnull=True,
    ).order_by("pk")


def test_a_write_marks_its_partnership_and_the_next_read_refreshes_only_it(demo):
    assert services.figures_sync() in ("rebuilt", "current")
    assert services.figures_sync() == "current"
    project = alive_projects().first()
    registry.project_update(project=project, budget_amount=750_000, budget_currency="EUR")
    assert list(FigureMark.objects.values_list("partnership_id", flat=True)) == [
        project.partnership_id
    ]
    assert services.figures_sync() == "refreshed"
    assert not FigureMark.objects.exists()
    assert services.figures_sync() == "current"
    band = PartnershipFigure.objects.get(
        partnership_id=project.partnership_id, scope="", kind="band", item="200k-1m"
    )
    assert band.projects >= 1
    assert_current()


def test_one_mark_per_partnership_and_transaction(demo):
    services.figures_sync()
    project = alive_projects().first()
    with transaction.atomic():
        registry.project_update(project=project, title="Un titre")
        registry.project_update(project=project, title="Un autre titre", themes=["sante"])
        marks = list(FigureMark.objects.values_list("partnership_id", "token"))
        assert len(marks) == 1 and marks[0][0] == project.partnership_id
        with pytest.raises(RuntimeError), transaction.atomic():
            registry.project_update(project=project, title="Annulé")
            raise RuntimeError("savepoint rolled back")
        assert FigureMark.objects.count() == 1  # the savepoint's write marked nothing new
    assert services.figures_sync() == "refreshed"
    assert not FigureMark.objects.exists()
    assert_current([{}])


def test_a_rolled_back_write_leaves_no_mark_and_the_figures_unchanged(demo):
    services.figures_sync()
    before = registry_figures(compute_panorama())
    project = alive_projects().first()
    with pytest.raises(RuntimeError), transaction.atomic():
        registry.project_delete(project=project)
        assert FigureMark.objects.filter(partnership_id=project.partnership_id).exists()
        raise RuntimeError("rolled back")
    assert not FigureMark.objects.exists()
    assert services.figures_sync() == "current"
    assert registry_figures(compute_panorama()) == before


def test_a_project_moved_to_another_partnership_changes_both(demo):
    services.figures_sync()
    project = alive_projects().first()
    other = (
        Project.objects.exclude(partnership_id=project.partnership_id)
        .filter(partnership__is_published=True, partnership__deleted_at__isnull=True)
        .first()
        .partnership
    )
    old = project.partnership_id
    project.partnership = other  # as the admin may (the services never move a project)
    project.save()
    assert set(FigureMark.objects.values_list("partnership_id", flat=True)) == {old, other.pk}
    assert_current()
    counted = PartnershipFigure.objects.filter(scope="", kind="count")
    assert (
        counted.get(partnership_id=other.pk).projects
        == other.projects.filter(deleted_at__isnull=True).count()
    )
    assert sum(counted.filter(partnership_id=old).values_list("projects", flat=True)) == (
        Project.objects.filter(partnership_id=old, deleted_at__isnull=True).count()
    )


def test_themes_changed_and_a_project_deleted_for_good(demo):
    services.figures_sync()
    project = alive_projects().first()
    project.themes.add("logement")
    assert_current([{}, {"theme": "logement"}])
    for other in alive_projects()[1:4]:
        other.themes.add("handicap")
    assert_current([{}, {"theme": "handicap"}])
    project.themes.remove("logement")
    assert_current([{}, {"theme": "logement"}])
    for other in alive_projects().filter(themes="handicap"):
        other.themes.clear()
    assert_current([{}, {"theme": "handicap"}])
    assert compute_panorama(PanoramaFilters(theme="handicap")).key_figures["projects"] == 0
    # the table holds unpublished partnerships too (visibility is applied when reading)
    visible = set(alive_projects().values_list("partnership_id", flat=True))
    assert not PartnershipFigure.objects.filter(
        scope="handicap", partnership_id__in=visible
    ).exists()
    doomed = alive_projects().last()
    doomed.themes.clear()
    doomed.delete()  # for good, as the admin would
    assert_current()
    # links written straight into the table send no signal: the stamp sees them
    Project.themes.through.objects.create(project=project, theme_id="logement")
    assert services.figures_sync() == "rebuilt"
    assert_current([{}, {"theme": "logement"}])


def test_rows_written_without_signals_are_found_by_the_stamp(demo):
    services.figures_sync()
    project = alive_projects().first()
    # a raw UPDATE sends no signal and marks nothing: the stamp (last change) moves
    Project.objects.filter(pk=project.pk).update(
        deleted_at=timezone.now(), updated_at=timezone.now()
    )
    assert not FigureMark.objects.exists()
    assert services.figures_sync() == "rebuilt"
    assert_current()
    # bulk_create sends no signal either: the projects' number moves
    copy = Project.objects.get(pk=alive_projects().first().pk)
    copy.pk, copy.id, copy.title = None, None, "A copy written in bulk"
    Project.objects.bulk_create([copy])
    assert services.figures_sync() == "rebuilt"
    assert_current()


def test_a_new_layout_rebuilds_everything(demo, monkeypatch):
    services.figures_sync()
    monkeypatch.setattr(services, "LAYOUT", services.LAYOUT + 1)
    assert services.figures_sync() == "rebuilt"
    assert services.figures_sync() == "current"
    assert_current([{}])


def reseed_taxonomy():
    """The themes and publics the migrations seed, back after an earlier transactional
    test's flush (as tests/browser/support.py does)."""
    from reciprocite.registry.models import TargetPublic, Theme
    from reciprocite.registry.taxonomy import TARGET_PUBLICS, THEMES

    for code, (_label, dac_code) in THEMES.items():
        Theme.objects.get_or_create(code=code, defaults={"dac_code": dac_code})
    for code in TARGET_PUBLICS:
        TargetPublic.objects.get_or_create(code=code)


@pytest.mark.django_db(transaction=True)
def test_the_figures_follow_at_commit_without_waiting_for_a_read():
    from django.db import connection

    from reciprocite.panorama import signals

    reseed_taxonomy()
    load_demo()  # in autocommit: every write's figures follow at once
    assert not FigureMark.objects.exists()
    assert services.figures_sync() == "current"
    project = alive_projects().first()
    with transaction.atomic():
        registry.project_delete(project=project)
        registry.project_update(project=alive_projects().first(), themes=["sante"])
        assert FigureMark.objects.exists()
        hooks = [f for _s, f, _r in connection.run_on_commit if f is signals._sync_after_commit]
        assert len(hooks) == 1  # one sync per transaction, however many writes
    assert not FigureMark.objects.exists()
    assert services.figures_sync() == "current"
    with translation.override("en"):
        assert_current()


@pytest.mark.django_db(transaction=True)
def test_two_transactions_marking_the_same_partnerships_in_opposite_orders_never_wait():
    """With a mark unique per partnership, the second insert of each would wait for the
    other's commit: a deadlock. Marks are unique per transaction, so neither waits."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time (IMMEDIATE)")
    barrier = threading.Barrier(2, timeout=20)
    errors = []

    def writer(first: int, second: int) -> None:
        try:
            with transaction.atomic():
                services.figures_mark([first], token=f"t{first}")
                barrier.wait()
                services.figures_mark([second], token=f"t{first}")
                barrier.wait()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=pair) for pair in ((1, 2), (2, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(FigureMark.objects.values_list("partnership_id", "token")) == [
        (1, "t1"),
        (1, "t2"),
        (2, "t1"),
        (2, "t2"),
    ]
