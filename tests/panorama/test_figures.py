"""The figures table (models.PartnershipFigure) gives the same figures as the SQL aggregates
over the projects, and follows every kind of change once it is committed: through the
services, the admin, a rolled-back transaction, a project moved, themes changed, a project
deleted for good; rows written past the services are followed by the documented rebuild
(``manage.py derived_rebuild``). Reading never writes."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from reciprocite.core import changes
from reciprocite.demo import load_demo
from reciprocite.panorama import services
from reciprocite.panorama.models import PartnershipFigure
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
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the figures follow at commit
        load_demo()
    with translation.override("en"):
        yield


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` — the writes inside run their commit hooks on leaving, as if
    their transaction had committed (a test's never does)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def refreshed():
    """The sets of partnership ids the panorama was asked to refresh, in order."""
    calls = []

    def spy(ids):
        calls.append(set(ids))

    changes.subscribe(registry.PARTNERSHIPS, spy)
    yield calls
    changes.unsubscribe(registry.PARTNERSHIPS, spy)


def test_the_table_gives_the_figures_of_the_sql_aggregates(demo):
    for params in FILTERS:
        f = PanoramaFilters.parse(params)
        plain = compute_panorama(f, figures=False)
        summed = compute_panorama(f)
        assert plain.key_figures["projects"] > 0, params
        assert registry_figures(summed) == registry_figures(plain), params
    assert PartnershipFigure.objects.filter(scope="handicap", kind="count").exists()


def test_the_table_follows_a_change_of_the_data(demo, committed):
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
    with committed():
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


def figure_rows():
    return sorted(
        PartnershipFigure.objects.values_list(
            "partnership_id", "scope", "kind", "item", "projects", "budget"
        )
    )


def test_a_write_refreshes_only_its_partnership_at_commit_and_a_read_never_writes(
    demo, committed, refreshed
):
    project = alive_projects().first()
    with committed():
        registry.project_update(project=project, budget_amount=750_000, budget_currency="EUR")
        assert refreshed == []  # not before the commit
    assert refreshed == [{project.partnership_id}]
    band = PartnershipFigure.objects.get(
        partnership_id=project.partnership_id, scope="", kind="band", item="200k-1m"
    )
    assert band.projects >= 1
    assert_current()
    # the panorama's selectors only read: nothing written but their own temporary table
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        compute_panorama(PanoramaFilters(theme="sante"))
        panorama()
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
        and "panorama_visible_" not in q["sql"]
    ]
    assert writes == []


def test_one_refresh_per_transaction_with_every_partnership_it_wrote(demo, committed, refreshed):
    project, other = (
        alive_projects()[0],
        alive_projects().exclude(partnership_id=alive_projects()[0].partnership_id)[0],
    )
    with committed(), transaction.atomic():
        registry.project_update(project=project, title="Un titre")
        registry.project_update(project=project, title="Un autre titre", themes=["sante"])
        with pytest.raises(RuntimeError), transaction.atomic():
            registry.project_update(project=other, title="Annulé")
            raise RuntimeError("savepoint rolled back")
        registry.project_update(project=project, budget_amount=90_000, budget_currency="EUR")
    # once, with the union (at least once: the rolled-back savepoint's partnership too,
    # computed again from what was committed)
    assert refreshed == [{project.partnership_id, other.partnership_id}]
    assert_current([{}, {"theme": "sante"}])


def test_a_savepoint_rolled_back_first_loses_nothing_announced_after(demo, committed, refreshed):
    project = alive_projects().first()
    with committed(), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            registry.project_update(project=project, title="Annulé")
            raise RuntimeError("savepoint rolled back")
        registry.project_update(project=project, budget_amount=90_000, budget_currency="EUR")
    assert refreshed == [{project.partnership_id}]
    assert_current([{}])


def test_a_rolled_back_write_refreshes_nothing_and_the_figures_stay(demo, committed, refreshed):
    before = registry_figures(compute_panorama())
    rows = figure_rows()
    project = alive_projects().first()
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        registry.project_delete(project=project)
        raise RuntimeError("rolled back")
    assert refreshed == []
    assert figure_rows() == rows
    assert registry_figures(compute_panorama()) == before


@pytest.fixture
def admin_request(rf, admin_user):
    request = rf.post("/admin/")
    request.user = admin_user
    return request


def test_a_project_moved_to_another_partnership_in_the_admin_changes_both(
    demo, committed, refreshed, admin_request
):
    project = alive_projects().first()
    other = (
        Project.objects.exclude(partnership_id=project.partnership_id)
        .filter(partnership__is_published=True, partnership__deleted_at__isnull=True)
        .first()
        .partnership
    )
    old = project.partnership_id
    project.partnership = other  # as the admin may (the services never move a project)
    with committed():
        admin.site._registry[Project].save_model(admin_request, project, None, True)
    assert refreshed == [{old, other.pk}]
    assert_current()
    counted = PartnershipFigure.objects.filter(scope="", kind="count")
    assert (
        counted.get(partnership_id=other.pk).projects
        == other.projects.filter(deleted_at__isnull=True).count()
    )
    assert sum(counted.filter(partnership_id=old).values_list("projects", flat=True)) == (
        Project.objects.filter(partnership_id=old, deleted_at__isnull=True).count()
    )


def themes_of(project):
    return list(project.themes.values_list("code", flat=True))


def test_themes_changed_and_a_project_deleted_for_good(demo, committed, admin_request):
    project = alive_projects().first()
    with committed():
        registry.project_update(project=project, themes=[*themes_of(project), "logement"])
    assert_current([{}, {"theme": "logement"}])
    with committed():
        for other in alive_projects()[1:4]:
            registry.project_update(project=other, themes=[*themes_of(other), "handicap"])
    assert_current([{}, {"theme": "handicap"}])
    with committed():
        registry.project_update(
            project=project, themes=[t for t in themes_of(project) if t != "logement"]
        )
    assert_current([{}, {"theme": "logement"}])
    with committed():
        for other in alive_projects().filter(themes="handicap"):
            kept = [t for t in themes_of(other) if t != "handicap"] or ["logement"]
            registry.project_update(project=other, themes=kept)
    assert_current([{}, {"theme": "handicap"}])
    assert compute_panorama(PanoramaFilters(theme="handicap")).key_figures["projects"] == 0
    # the table holds unpublished partnerships too (visibility is applied when reading)
    visible = set(alive_projects().values_list("partnership_id", flat=True))
    assert not PartnershipFigure.objects.filter(
        scope="handicap", partnership_id__in=visible
    ).exists()
    doomed = alive_projects().last()
    with committed():
        doomed.themes.clear()  # the admin's deletion removes the links with the row
        admin.site._registry[Project].delete_model(admin_request, doomed)  # for good
    assert_current()


def test_rows_written_past_the_services_are_followed_by_the_rebuild(demo):
    rows = figure_rows()
    project = alive_projects().first()
    # a raw UPDATE, bulk_create and links written straight into the table announce nothing:
    # the figures stay as they were until the documented rebuild
    Project.objects.filter(pk=project.pk).update(
        deleted_at=timezone.now(), updated_at=timezone.now()
    )
    copy = Project.objects.get(pk=alive_projects().first().pk)
    copy.pk, copy.id, copy.title = None, None, "A copy written in bulk"
    (copy,) = Project.objects.bulk_create([copy])
    Project.themes.through.objects.create(project=copy, theme_id="logement")
    assert figure_rows() == rows
    call_command("derived_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert figure_rows() != rows
    assert_current()
    assert_current([{"theme": "logement"}])


def test_the_rebuild_gives_the_rows_of_the_refreshes(demo):
    refreshed_rows = figure_rows()
    services.figures_rebuild()
    assert figure_rows() == refreshed_rows
    assert services.figures_refresh([]) == 0
    ids = set(Project.all_objects.values_list("partnership_id", flat=True))
    assert services.figures_refresh(ids) == len(ids)
    assert figure_rows() == refreshed_rows


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
def test_the_figures_follow_at_commit_without_waiting_for_a_read(refreshed):
    reseed_taxonomy()
    load_demo()  # in autocommit: every write's figures follow at once
    with translation.override("en"):
        assert_current([{}])
    refreshed.clear()
    project = alive_projects().first()
    with transaction.atomic():
        registry.project_delete(project=project)
        registry.project_update(project=alive_projects().first(), themes=["sante"])
        assert refreshed == []
    assert len(refreshed) == 1  # one refresh per transaction, however many writes
    with translation.override("en"):
        assert_current()


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_of_the_same_partnerships_at_once_wait_for_each_other():
    """Both delete and insert the same rows: unserialised, the second insert would break the
    table's unique constraint. The advisory lock makes the second wait for the first."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time (IMMEDIATE)")
    reseed_taxonomy()
    load_demo()
    ids = sorted(set(alive_projects().values_list("partnership_id", flat=True)))
    rows = figure_rows()
    barrier = threading.Barrier(2, timeout=20)
    errors = []

    def refresh(order) -> None:
        try:
            barrier.wait()
            services.figures_refresh(order)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh, args=(o,)) for o in (ids, ids[::-1])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert figure_rows() == rows
