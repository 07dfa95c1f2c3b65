from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reciprocite.registry import selectors, services
from reciprocite.registry.models import (
    BudgetLine,
    Partnership,
    PartnershipParty,
    Project,
    Replication,
)
from reciprocite.territories.services import territory_create

pytestmark = pytest.mark.django_db


def test_partnership_needs_both_sides(world):
    with pytest.raises(ValidationError) as exc:
        services.partnership_create(
            title="Seul", kind="twinning", french_territories=[world.lille], partner_territories=[]
        )
    assert "territories" in exc.value.message_dict
    assert not Partnership.objects.filter(title="Seul").exists()  # nothing half-written


def test_territory_cannot_be_on_both_sides(world):
    with pytest.raises(ValidationError):
        services.partnership_create(
            title="Miroir",
            kind="twinning",
            french_territories=[world.lille],
            partner_territories=[world.lille],
        )
    assert not Partnership.objects.filter(title="Miroir").exists()


def test_update_changes_parties_and_records_who(world):
    dakar = territory_create(name="Dakar", kind="commune", country="SN")
    services.partnership_update(
        actor=world.lille_editor,
        partnership=world.lille_saint_louis,
        partner_territories=[world.saint_louis, dakar],
        status="suspended",
    )
    parties = set(
        PartnershipParty.objects.filter(partnership=world.lille_saint_louis).values_list(
            "territory__name", "side"
        )
    )
    assert parties == {("Lille", "french"), ("Saint-Louis", "partner"), ("Dakar", "partner")}
    last = world.lille_saint_louis.history.first()
    assert (last.history_user, last.status, last.history_type) == (
        world.lille_editor,
        "suspended",
        "~",
    )


def test_soft_delete_and_restore(world):
    p = world.herouville_tikhvine
    services.partnership_delete(actor=world.herouville_editor, partnership=p)
    assert not Partnership.objects.filter(pk=p.pk).exists()
    assert Partnership.all_objects.get(pk=p.pk).deleted_by == world.herouville_editor
    assert p.pk not in set(
        selectors.partnership_list(viewer=world.admin).values_list("pk", flat=True)
    ) - {world.lille_saint_louis.pk}
    assert selectors.project_list(viewer=None).count() == 0  # its projects vanish from lists too
    services.partnership_restore(
        actor=world.admin, partnership=Partnership.all_objects.get(pk=p.pk)
    )
    assert selectors.project_list(viewer=None).count() == 2
    types = list(Partnership.history.filter(id=p.pk).values_list("history_type", flat=True))
    assert types == ["~", "~", "+"]


def test_project_needs_a_known_theme(world):
    with pytest.raises(ValidationError) as exc:
        services.project_create(partnership=world.herouville_tikhvine, title="X", themes=["chess"])
    assert "themes" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.project_create(partnership=world.herouville_tikhvine, title="Y", themes=[])
    assert not Project.objects.filter(title__in=["X", "Y"]).exists()


def test_amounts_are_decimals_with_a_currency(world):
    state = services.funder_get_or_create(
        name="Ministère — appel à projets", kind="etat_appel_projets"
    )
    own = services.funder_get_or_create(name="Ville de Lille", kind="fonds_propres")
    services.project_update(
        project=world.ccas,
        budget_amount=Decimal("60000.50"),
        fundings=[(state, "30000.25", "EUR"), (own, 18000, "EUR")],
    )
    world.ccas.refresh_from_db()
    assert world.ccas.budget_amount == Decimal("60000.50")
    assert sorted((f.funder.name, f.amount, f.currency) for f in world.ccas.fundings.all()) == [
        ("Ministère — appel à projets", Decimal("30000.25"), "EUR"),
        ("Ville de Lille", Decimal("18000.00"), "EUR"),
    ]
    with pytest.raises(ValidationError) as exc:
        services.project_update(project=world.ccas, budget_currency="EURO")
    assert "budget_currency" in exc.value.message_dict
    world.ccas.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.project_update(project=world.ccas, budget_amount=Decimal("-1"))
    assert "budget_amount" in exc.value.message_dict


def test_budget_lines_stay_within_programme_years(world):
    programme = services.programme_create(
        partnership=world.lille_saint_louis,
        title="Programme triennal",
        start_year=2010,
        end_year=2012,
    )
    ministry = services.funder_get_or_create(name="MAE", kind="etat_appel_projets")
    for year in (2010, 2011, 2012):
        services.budget_line_set(
            programme=programme, year=year, funder=ministry, amount=Decimal("40000")
        )
    services.budget_line_set(
        programme=programme, year=2011, funder=ministry, amount=Decimal("45000")
    )
    assert sorted(BudgetLine.objects.filter(programme=programme).values_list("year", "amount")) == [
        (2010, Decimal("40000.00")),
        (2011, Decimal("45000.00")),
        (2012, Decimal("40000.00")),
    ]
    with pytest.raises(ValidationError) as exc:
        services.budget_line_set(programme=programme, year=2014, funder=ministry, amount=1)
    assert "year" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.programme_create(
            partnership=world.lille_saint_louis, title="À l'envers", start_year=2012, end_year=2010
        )


def test_replication_is_a_link_not_a_copy(world):
    services.replication_link(
        model=world.employment_office, replica=world.youth_centre, note="modèle"
    )
    assert list(world.youth_centre.replicated_from.all()) == [world.employment_office]
    assert list(world.employment_office.replicated_as.all()) == [world.youth_centre]
    with pytest.raises(ValidationError):
        services.replication_link(model=world.youth_centre, replica=world.employment_office)
    with pytest.raises(ValidationError):
        services.replication_link(model=world.ccas, replica=world.ccas)
    services.replication_link(
        model=world.employment_office, replica=world.youth_centre, note="encore"
    )
    assert Replication.objects.count() == 1


def test_database_refuses_self_replication_even_without_the_service(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Replication.objects.create(model=world.ccas, replica=world.ccas)


def test_history_says_who_changed_what(world):
    services.project_update(
        actor=world.tikhvine_editor, project=world.youth_centre, status="completed"
    )
    services.project_actor_add(
        actor=world.tikhvine_editor,
        project=world.youth_centre,
        member=services.actor_create(name="Centre social de Tikhvine", kind="association"),
        role="operator",
    )
    entries = selectors.partnership_history(partnership=world.herouville_tikhvine)
    latest = entries[0]
    assert (latest["who"], latest["action"]) == (world.tikhvine_editor, "created")
    change = next(e for e in entries if e["model"] == "project" and e["fields"])
    assert change["who"] == world.tikhvine_editor
    assert change["fields"] == ["status"]
    assert change["object"] == "Centre d'aide médico-psychologique pour la jeunesse"


def test_dates_must_be_ordered(world):
    with pytest.raises(ValidationError) as exc:
        services.partnership_update(
            partnership=world.herouville_tikhvine, end_date=date(1990, 1, 1)
        )
    assert "end_date" in exc.value.message_dict


# --- what the services announce (core.changes), for the apps deriving data ---------------------


@pytest.fixture
def announced(django_capture_on_commit_callbacks):
    """``with announced() as calls:`` — the partnership ids announced by the writes inside,
    one set per committed transaction."""
    from contextlib import contextmanager

    from reciprocite.core import changes

    @contextmanager
    def capture():
        calls: list[set] = []

        def spy(ids):
            calls.append(set(ids))

        changes.subscribe(services.PARTNERSHIPS, spy)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                yield calls
        finally:
            changes.unsubscribe(services.PARTNERSHIPS, spy)

    return capture


def test_every_write_of_a_partnership_or_a_project_announces_its_partnership(world, announced):
    p = world.herouville_tikhvine
    with announced() as calls:
        services.partnership_update(partnership=p, title="Hérouville ↔ Tikhvine")
    assert calls == [{p.pk}]
    with announced() as calls:
        project = services.project_create(partnership=p, title="Crèche", themes=["petite_enfance"])
    assert calls == [{p.pk}]
    for write in (
        lambda: services.project_update(project=project, themes=["sante"]),
        lambda: services.project_update(project=project, budget_amount=Decimal("5000")),
        lambda: services.project_delete(project=project),
        lambda: services.project_restore(project=project),
        lambda: services.partnership_delete(partnership=p),
        lambda: services.partnership_restore(partnership=p),
    ):
        with announced() as calls:
            write()
        assert calls == [{p.pk}]
    with announced() as calls:
        created = services.partnership_create(
            title="Nouveau",
            kind="twinning",
            french_territories=[world.lille],
            partner_territories=[world.tikhvine],
        )
    assert calls == [{created.pk}]


def test_a_failed_write_announces_nothing(world, announced):
    with announced() as calls, pytest.raises(ValidationError):
        services.project_create(partnership=world.herouville_tikhvine, title="Sans", themes=[])
    with announced() as calls, pytest.raises(ValidationError):
        services.project_update(project=world.youth_centre, themes=["nope"])
    assert calls == []


def test_the_admin_announces_what_it_writes_past_the_services(world, announced, rf):
    from django.contrib import admin

    request = rf.post("/admin/")
    request.user = world.admin
    project = Project.objects.get(pk=world.youth_centre.pk)
    old, new = project.partnership_id, world.lille_saint_louis.pk
    project.partnership_id = new
    with announced() as calls:
        admin.site._registry[Project].save_model(request, project, None, True)
    assert calls == [{old, new}]  # moved: both partnerships changed
    party = PartnershipParty.objects.filter(partnership_id=new).first()
    with announced() as calls:
        admin.site._registry[PartnershipParty].delete_model(request, party)
    assert calls == [{new}]
    with announced() as calls:
        admin.site._registry[Partnership].delete_queryset(
            request, Partnership.objects.filter(pk=world.herouville_tikhvine.pk, projects=None)
        )
    assert calls == []  # nothing deleted (it has projects), nothing announced
