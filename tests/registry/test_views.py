"""Registry pages through the Django test client: who sees what, who may change what."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from reciprocite.registry import services
from reciprocite.registry.models import (
    BudgetLine,
    Document,
    Partnership,
    Project,
    ProjectActor,
    Replication,
)
from reciprocite.territories.services import territory_create
from tests.factories import World

pytestmark = pytest.mark.django_db


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


def signed_in(client, user):
    client.force_login(user)
    return client


# --- public pages -------------------------------------------------------------------------------


def test_home_shows_key_figures_and_real_partnerships(client, world):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert world.herouville_tikhvine.title in html
    assert world.lille_saint_louis.title not in html  # unpublished
    figures = response.context["figures"]
    assert figures == {
        "partnerships": 1,
        "projects": 2,
        "countries": 1,
        "territories": 2,
        "replications": 0,
    }
    assert [p.pk for p in response.context["highlights"]] == [world.herouville_tikhvine.pk]


def test_home_leaves_fictitious_partnerships_out_of_highlights(client, world):
    fake = services.partnership_create(
        title="Ville imaginaire ↔ Village imaginaire",
        kind="twinning",
        is_fictitious=True,
        french_territories=[world.lille],
        partner_territories=[world.tikhvine],
    )
    response = client.get("/")
    assert fake.pk not in [p.pk for p in response.context["highlights"]]
    listing = client.get("/partnerships/").content.decode()
    assert "Ville imaginaire" in listing
    assert "badge-fictitious" in listing


@pytest.mark.parametrize(
    "url_name",
    ["registry:partnership_list", "registry:project_list"],
)
def test_lists_are_public(client, world, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert '<main id="main"' in response.content.decode()


def test_partnership_list_shows_published_only_to_the_public(client, world):
    response = client.get("/partnerships/")
    titles = [p.title for p in response.context["page_obj"].object_list]
    assert titles == [world.herouville_tikhvine.title]
    signed_in(client, world.lille_editor)
    titles = [p.title for p in client.get("/partnerships/").context["page_obj"].object_list]
    assert titles == [world.herouville_tikhvine.title, world.lille_saint_louis.title]


def test_project_list_filters_and_facets(client, world):
    response = client.get("/projects/", {"theme": "sante"})
    assert response.status_code == 200
    assert [p.title for p in response.context["page_obj"].object_list] == [world.youth_centre.title]
    facets = {f["name"]: f for f in response.context["facet_fields"]}
    assert facets["theme"]["selected"] == "sante"
    assert [(o["value"], o["count"]) for o in facets["country"]["options"]] == [("RU", 1)]


def test_decade_facet_becomes_a_year_range(client, world):
    response = client.get("/projects/", {"decade": "1990"})
    assert response.status_code == 200
    assert response.context["filters"].year_from == 1990
    assert response.context["filters"].year_to == 1999
    assert sorted(p.title for p in response.context["page_obj"].object_list) == sorted(
        [world.employment_office.title, world.youth_centre.title]
    )
    facets = {f["name"]: f for f in response.context["facet_fields"]}
    assert facets["decade"]["selected"] == "1990"


@pytest.mark.parametrize(
    ("url", "params", "param"),
    [
        ("/partnerships/", {"country": "ZZ"}, "country"),
        ("/partnerships/", {"year_from": "19x"}, "year_from"),
        ("/projects/", {"status": "active"}, "status"),
        ("/projects/", {"decade": "1995"}, "decade"),
        ("/projects/", {"budget_band": "huge"}, "budget_band"),
    ],
)
def test_bad_filter_gives_a_clear_message_not_an_error(client, world, url, params, param):
    response = client.get(url, params)
    assert response.status_code == 200
    error = response.context["filter_error"]
    assert error.startswith(f"Le filtre « {param} » n’est pas valide") or f"“{param}”" in error
    assert escape(error) in response.content.decode()
    # all records are shown instead
    assert response.context["page_obj"].paginator.count >= 1


def test_htmx_request_gets_the_results_fragment(client, world):
    response = client.get("/partnerships/", {"zone": "Eastern Europe"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.startswith('<div id="listing"')
    assert world.herouville_tikhvine.title in html
    assert "HX-Request" in response["Vary"]
    full = client.get("/partnerships/", {"zone": "Eastern Europe"})
    assert "<html" in full.content.decode()


def test_pagination_uses_the_page_size(client, world, settings):
    settings.RECIPROCITE_PAGE_SIZE = 2
    for n in range(3):
        services.partnership_create(
            title=f"Partenariat {n}",
            kind="twinning",
            french_territories=[world.lille],
            partner_territories=[world.tikhvine],
        )
    response = client.get("/partnerships/", {"page": "2"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert response.context["page_obj"].paginator.count == 4
    assert len(response.context["page_obj"].object_list) == 2
    assert client.get("/partnerships/", {"page": "abc"}).status_code == 200


def test_partnership_detail_shows_everything(client, world):
    ht = world.herouville_tikhvine
    programme = services.programme_create(
        partnership=ht, title="Programme triennal", start_year=2010, end_year=2012
    )
    state = services.funder_get_or_create(name="Ministère", kind="etat_appel_projets")
    own = services.funder_get_or_create(name="Ville", kind="fonds_propres")
    services.budget_line_set(programme=programme, year=2010, funder=state, amount=1000)
    services.budget_line_set(programme=programme, year=2011, funder=state, amount=2000)
    services.budget_line_set(programme=programme, year=2011, funder=own, amount=500)
    services.project_update(
        project=world.employment_office,
        publics=["demandeurs_emploi"],
        fundings=[(state, Decimal("10000"), "EUR")],
    )
    association = services.actor_create(name="Association Normandie–Russie", kind="association")
    services.project_actor_add(project=world.employment_office, member=association, role="lead")
    services.replication_link(model=world.employment_office, replica=world.youth_centre)
    services.document_add(partnership=ht, title="Convention de 1991", kind="convention")

    response = client.get(reverse("registry:partnership_detail", args=[ht.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Hérouville-Saint-Clair",
        "Tikhvine",
        "14327",
        "Europe de l'Est",
        "Programme triennal",
        "Association Normandie–Russie",
        "Convention de 1991",
        world.youth_centre.title,
    ):
        assert escape(text) in html, text
    (table,) = response.context["programmes"][0]["tables"]
    assert table["years"] == [2010, 2011]
    assert table["year_totals"] == [Decimal("1000"), Decimal("2500")]
    assert table["total"] == Decimal("3500")
    assert response.context["project_totals"] == [("EUR", Decimal("145000"))]
    # the public does not get edit links nor the history link
    assert response.context["can_edit"] is False
    assert reverse("registry:partnership_history", args=[ht.pk]) not in html


def test_project_detail_shows_replications_both_ways(client, world):
    services.replication_link(model=world.employment_office, replica=world.youth_centre)
    model = client.get(reverse("registry:project_detail", args=[world.employment_office.pk]))
    replica = client.get(reverse("registry:project_detail", args=[world.youth_centre.pk]))
    assert model.status_code == replica.status_code == 200
    assert (
        reverse("registry:project_detail", args=[world.youth_centre.pk]) in model.content.decode()
    )
    assert (
        reverse("registry:project_detail", args=[world.employment_office.pk])
        in replica.content.decode()
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 404),
        ("outsider", 404),
        ("herouville_editor", 404),
        ("tikhvine_editor", 404),
        ("lille_editor", 200),
        ("analyst", 200),
        ("admin", 200),
    ],
)
def test_unpublished_partnership_is_invisible_to_others(client, world, who, status):
    if who:
        signed_in(client, getattr(world, who))
    lsl = world.lille_saint_louis
    assert client.get(reverse("registry:partnership_detail", args=[lsl.pk])).status_code == status
    assert (
        client.get(reverse("registry:project_detail", args=[world.ccas.pk])).status_code == status
    )


def test_missing_records_are_404(client, world):
    assert client.get("/partnerships/999999/").status_code == 404
    assert client.get("/projects/999999/").status_code == 404


# --- permissions on edit pages ------------------------------------------------------------------


def edit_urls(world: World) -> dict[str, str]:
    ht, office = world.herouville_tikhvine, world.employment_office
    return {
        "partnership_edit": reverse("registry:partnership_edit", args=[ht.pk]),
        "partnership_delete": reverse("registry:partnership_delete", args=[ht.pk]),
        "project_create": reverse("registry:project_create", args=[ht.pk]),
        "project_edit": reverse("registry:project_edit", args=[office.pk]),
        "project_delete": reverse("registry:project_delete", args=[office.pk]),
        "programme_create": reverse("registry:programme_create", args=[ht.pk]),
        "document_add": reverse("registry:document_add", args=[ht.pk]),
        "history": reverse("registry:partnership_history", args=[ht.pk]),
    }


@pytest.mark.parametrize(
    "page",
    [
        "partnership_edit",
        "partnership_delete",
        "project_create",
        "project_edit",
        "project_delete",
        "programme_create",
        "document_add",
        "history",
    ],
)
def test_anonymous_is_sent_to_sign_in(client, world, page):
    url = edit_urls(world)[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_anonymous_is_sent_to_sign_in_to_create_a_partnership(client, world):
    response = client.get(reverse("registry:partnership_create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# who → pages answered 200 (the others are 403)
ALLOWED = {
    "admin": {"partnership_edit", "partnership_delete", "project_create", "project_edit",
              "project_delete", "programme_create", "document_add", "history"},
    "analyst": {"partnership_edit", "project_create", "project_edit", "programme_create",
                "document_add", "history"},
    "herouville_editor": {"partnership_edit", "partnership_delete", "project_create",
                          "project_edit", "project_delete", "programme_create", "document_add",
                          "history"},
    "tikhvine_editor": {"project_create", "project_edit", "history"},
    "lille_editor": set(),
    "outsider": set(),
}  # fmt: skip


@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_edit_pages_follow_the_permission_matrix(client, world, who):
    signed_in(client, getattr(world, who))
    for page, url in edit_urls(world).items():
        expected = 200 if page in ALLOWED[who] else 403
        response = client.get(url)
        assert response.status_code == expected, (who, page, response.status_code)
        if expected == 403:
            assert "Accès refusé" in response.content.decode()


def test_edit_pages_of_an_invisible_partnership_are_404(client, world):
    signed_in(client, world.herouville_editor)
    lsl = world.lille_saint_louis
    for url in (
        reverse("registry:partnership_edit", args=[lsl.pk]),
        reverse("registry:project_create", args=[lsl.pk]),
        reverse("registry:project_edit", args=[world.ccas.pk]),
        reverse("registry:partnership_history", args=[lsl.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_partner_editor_cannot_post_a_partnership_edit(client, world):
    signed_in(client, world.tikhvine_editor)
    ht = world.herouville_tikhvine
    response = client.post(reverse("registry:partnership_edit", args=[ht.pk]), {"title": "Piraté"})
    assert response.status_code == 403
    ht.refresh_from_db()
    assert ht.title == "Hérouville-Saint-Clair ↔ Tikhvine"


# --- partnership writes -------------------------------------------------------------------------


def partnership_post(world, **overrides):
    data = {
        "title": "Hérouville-Saint-Clair ↔ Saint-Louis",
        "kind": "cooperation",
        "status": "active",
        "start_date": "2001-05-01",
        "end_date": "",
        "description": "Un partenariat social.",
        "language": "fr",
        "is_published": "on",
        "french_territories": [world.herouville.pk],
        "partner_territories": [world.saint_louis.pk],
    }
    data.update(overrides)
    return data


def test_member_editor_creates_a_partnership_with_its_territory(client, world):
    signed_in(client, world.herouville_editor)
    response = client.post(reverse("registry:partnership_create"), partnership_post(world))
    created = Partnership.objects.get(title="Hérouville-Saint-Clair ↔ Saint-Louis")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:partnership_detail", args=[created.pk])
    assert created.start_date == date(2001, 5, 1)
    assert {(p.territory_id, p.side) for p in created.parties.all()} == {
        (world.herouville.pk, "french"),
        (world.saint_louis.pk, "partner"),
    }
    record = created.history.get()
    assert record.history_type == "+"
    assert record.history_user == world.herouville_editor


def test_member_editor_may_not_create_a_partnership_without_its_territory(client, world):
    signed_in(client, world.herouville_editor)
    response = client.post(
        reverse("registry:partnership_create"),
        partnership_post(world, french_territories=[world.lille.pk]),
    )
    assert response.status_code == 200
    assert not Partnership.objects.filter(title="Hérouville-Saint-Clair ↔ Saint-Louis").exists()
    assert "Hérouville-Saint-Clair" in " ".join(response.context["form"].non_field_errors())


def test_partnership_form_errors_show_on_the_fields(client, world):
    signed_in(client, world.analyst)
    response = client.post(
        reverse("registry:partnership_create"),
        partnership_post(
            world,
            title="",
            start_date="2010-01-01",
            end_date="2000-01-01",
            partner_territories=[world.herouville.pk],
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "title" in form.errors
    assert "end_date" in form.errors
    assert "partner_territories" in form.errors  # a French authority is not offered there
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'role="alert"' in html


def test_edit_partnership_is_recorded_in_history_with_the_user(client, world):
    signed_in(client, world.herouville_editor)
    ht = world.herouville_tikhvine
    response = client.post(
        reverse("registry:partnership_edit", args=[ht.pk]),
        partnership_post(
            world,
            title="Hérouville ↔ Tikhvine",
            start_date="1991-10-01",
            partner_territories=[world.tikhvine.pk],
        ),
    )
    assert response.status_code == 302
    ht.refresh_from_db()
    assert ht.title == "Hérouville ↔ Tikhvine"
    latest = ht.history.order_by("-history_date").first()
    assert latest.history_user == world.herouville_editor
    page = client.get(reverse("registry:partnership_history", args=[ht.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "herouville_editor" in html
    entry = page.context["entries"][0]
    assert entry["who"] == world.herouville_editor
    assert entry["action"] == "changed"
    assert "titre" in entry["field_labels"]


def test_history_is_denied_to_outsiders(client, world):
    signed_in(client, world.outsider)
    url = reverse("registry:partnership_history", args=[world.herouville_tikhvine.pk])
    assert client.get(url).status_code == 403


def test_soft_delete_and_restore_a_partnership(client, world):
    signed_in(client, world.herouville_editor)
    ht = world.herouville_tikhvine
    confirm = client.get(reverse("registry:partnership_delete", args=[ht.pk]))
    assert confirm.status_code == 200
    response = client.post(reverse("registry:partnership_delete", args=[ht.pk]))
    assert response.status_code == 302
    assert not Partnership.objects.filter(pk=ht.pk).exists()
    assert Partnership.all_objects.get(pk=ht.pk).deleted_by == world.herouville_editor
    assert client.get(reverse("registry:partnership_detail", args=[ht.pk])).status_code == 404
    deleted = client.get(reverse("registry:deleted_partnerships"))
    assert [p.pk for p in deleted.context["partnerships"]] == [ht.pk]
    # another member editor neither sees nor restores it
    other = client.__class__()
    other.force_login(world.lille_editor)
    assert other.get(reverse("registry:deleted_partnerships")).context["partnerships"] == []
    assert other.post(reverse("registry:partnership_restore", args=[ht.pk])).status_code == 404
    response = client.post(reverse("registry:partnership_restore", args=[ht.pk]))
    assert response.status_code == 302
    assert Partnership.objects.filter(pk=ht.pk).exists()
    actions = [
        e["action"]
        for e in client.get(reverse("registry:partnership_history", args=[ht.pk])).context[
            "entries"
        ]
        if e["model"] == "partnership"
    ]
    assert actions[:2] == ["changed", "changed"]


def test_restore_needs_post(client, world):
    signed_in(client, world.admin)
    url = reverse("registry:partnership_restore", args=[world.herouville_tikhvine.pk])
    assert client.get(url).status_code == 405


# --- project writes -----------------------------------------------------------------------------


def project_post(**overrides):
    data = {
        "title": "Maison des familles",
        "summary": "Un lieu d'accueil.",
        "description": "",
        "results": "",
        "status": "ongoing",
        "start_date": "2012-01-01",
        "end_date": "",
        "programme": "",
        "budget_amount": "40000",
        "budget_currency": "EUR",
        "language": "fr",
        "themes": ["politique_familiale", "petite_enfance"],
        "publics": ["familles"],
        "funding-TOTAL_FORMS": "2",
        "funding-INITIAL_FORMS": "0",
        "funding-MIN_NUM_FORMS": "0",
        "funding-MAX_NUM_FORMS": "50",
        "funding-0-funder": "Fondation de France",
        "funding-0-funder_kind": "fondation",
        "funding-0-amount": "15000",
        "funding-0-currency": "EUR",
        "funding-1-funder": "",
        "funding-1-funder_kind": "fonds_propres",
        "funding-1-amount": "",
        "funding-1-currency": "EUR",
    }
    data.update(overrides)
    return data


def test_partner_editor_creates_a_project_with_cofunding(client, world):
    signed_in(client, world.tikhvine_editor)
    ht = world.herouville_tikhvine
    response = client.post(reverse("registry:project_create", args=[ht.pk]), project_post())
    project = Project.objects.get(title="Maison des familles")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:project_detail", args=[project.pk])
    assert project.partnership == ht
    assert sorted(t.code for t in project.themes.all()) == ["petite_enfance", "politique_familiale"]
    assert [p.code for p in project.publics.all()] == ["familles"]
    assert project.budget_amount == Decimal("40000")
    (funding,) = project.fundings.select_related("funder")
    assert (funding.funder.name, funding.funder.kind, funding.amount) == (
        "Fondation de France",
        "fondation",
        Decimal("15000"),
    )
    assert {r.history_user for r in project.history.all()} == {world.tikhvine_editor}
    assert funding.history.get().history_user == world.tikhvine_editor


def test_project_form_requires_a_theme_and_validates_fundings(client, world):
    signed_in(client, world.herouville_editor)
    ht = world.herouville_tikhvine
    response = client.post(
        reverse("registry:project_create", args=[ht.pk]),
        project_post(themes=[], **{"funding-0-amount": ""}),
    )
    assert response.status_code == 200
    assert "themes" in response.context["form"].errors
    assert response.context["formset"].forms[0].errors["amount"] == [
        "Indiquez le montant de ce cofinancement."
    ]
    assert not Project.objects.filter(title="Maison des familles").exists()


def test_edit_project_replaces_fundings_and_records_the_user(client, world):
    office = world.employment_office
    state = services.funder_get_or_create(name="Ministère", kind="etat_appel_projets")
    services.project_update(project=office, fundings=[(state, 5000, "EUR")])
    signed_in(client, world.herouville_editor)
    page = client.get(reverse("registry:project_edit", args=[office.pk]))
    assert page.status_code == 200
    assert page.context["formset"].initial[0]["funder"] == "Ministère"
    response = client.post(
        reverse("registry:project_edit", args=[office.pk]),
        project_post(
            title="Bureau de l'emploi",
            themes=["insertion_emploi"],
            **{
                "funding-INITIAL_FORMS": "1",
                "funding-0-funder": "Ministère",
                "funding-0-funder_kind": "etat_appel_projets",
                "funding-0-amount": "7000",
                "funding-0-DELETE": "",
                "funding-1-funder": "Région Normandie",
                "funding-1-funder_kind": "autre_collectivite",
                "funding-1-amount": "3000",
            },
        ),
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.title == "Bureau de l'emploi"
    assert sorted((f.funder.name, f.amount) for f in office.fundings.all()) == [
        ("Ministère", Decimal("7000")),
        ("Région Normandie", Decimal("3000")),
    ]
    assert office.history.order_by("-history_date").first().history_user == world.herouville_editor


def test_funding_row_fragment(client, world):
    response = client.get(reverse("registry:funding_row"), {"index": "3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="funding-3-funder"' in html
    assert 'name="funding-TOTAL_FORMS" value="4"' in html


def test_delete_and_restore_a_project(client, world):
    signed_in(client, world.herouville_editor)
    office = world.employment_office
    assert client.post(reverse("registry:project_delete", args=[office.pk])).status_code == 302
    assert not Project.objects.filter(pk=office.pk).exists()
    detail = client.get(reverse("registry:partnership_detail", args=[office.partnership_id]))
    assert [p.pk for p in detail.context["deleted_projects"]] == [office.pk]
    assert client.post(reverse("registry:project_restore", args=[office.pk])).status_code == 302
    assert Project.objects.filter(pk=office.pk).exists()


def test_partner_editor_may_not_delete_a_project(client, world):
    signed_in(client, world.tikhvine_editor)
    office = world.employment_office
    assert client.post(reverse("registry:project_delete", args=[office.pk])).status_code == 403
    assert Project.objects.filter(pk=office.pk).exists()


def test_add_and_remove_an_actor_role_with_htmx(client, world):
    signed_in(client, world.tikhvine_editor)
    office = world.employment_office
    url = reverse("registry:project_role_add", args=[office.pk])
    response = client.post(
        url,
        {
            "role-actor": "",
            "role-new_actor_name": "Mairie de Tikhvine, service social",
            "role-new_actor_kind": "municipal_service",
            "role-role": "operator",
            "role-note": "accueil",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="project-roles">')
    assert "Mairie de Tikhvine, service social" in html
    link = ProjectActor.objects.get(project=office)
    assert (link.role, link.note, link.actor.kind) == ("operator", "accueil", "municipal_service")
    assert link.history.get().history_user == world.tikhvine_editor
    # an invalid submission comes back with its errors, in the fragment
    bad = client.post(url, {"role-role": "operator"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200
    assert "Choisissez un acteur ou donnez le nom d’un nouvel acteur." in bad.content.decode()
    # removal without htmx: a redirect back to the page
    remove = client.post(reverse("registry:project_role_remove", args=[office.pk, link.pk]))
    assert remove.status_code == 302
    assert remove["Location"].endswith("#actors")
    assert not ProjectActor.objects.filter(pk=link.pk).exists()


def test_outsider_may_not_add_a_role(client, world):
    signed_in(client, world.outsider)
    url = reverse("registry:project_role_add", args=[world.employment_office.pk])
    assert client.post(url, {"role-role": "lead"}).status_code == 403


def test_link_and_unlink_a_replication(client, world):
    signed_in(client, world.herouville_editor)
    office, centre = world.employment_office, world.youth_centre
    response = client.post(
        reverse("registry:replication_add", args=[centre.pk]),
        {"rep-direction": "model", "rep-other": office.pk, "rep-note": "même méthode"},
    )
    assert response.status_code == 302
    link = Replication.objects.get()
    assert (link.model, link.replica, link.note) == (office, centre, "même méthode")
    assert link.history.get().history_user == world.herouville_editor
    # the reverse link is refused with a message, not a crash
    again = client.post(
        reverse("registry:replication_add", args=[centre.pk]),
        {"rep-direction": "replica", "rep-other": office.pk},
        follow=True,
    )
    assert again.status_code == 200
    assert Replication.objects.count() == 1
    assert "déjà liés dans l’autre sens" in again.content.decode()
    response = client.post(reverse("registry:replication_remove", args=[office.pk, link.pk]))
    assert response.status_code == 302
    assert not Replication.objects.exists()


def test_replication_to_an_invisible_project_is_refused(client, world):
    signed_in(client, world.herouville_editor)
    client.post(
        reverse("registry:replication_add", args=[world.employment_office.pk]),
        {"rep-direction": "replica", "rep-other": world.ccas.pk},
    )
    assert not Replication.objects.exists()


# --- programmes and budget lines ----------------------------------------------------------------


def test_programme_and_budget_lines(client, world):
    signed_in(client, world.herouville_editor)
    ht = world.herouville_tikhvine
    response = client.post(
        reverse("registry:programme_create", args=[ht.pk]),
        {"title": "Programme 2010–2012", "start_year": "2010", "end_year": "2012"},
    )
    programme = ht.programmes.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:programme_edit", args=[programme.pk])
    url = reverse("registry:budget_line_add", args=[programme.pk])
    line = {
        "year": "2011",
        "funder": "Ministère des Affaires étrangères",
        "funder_kind": "etat_appel_projets",
        "amount": "12000",
        "currency": "EUR",
    }
    response = client.post(url, line, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().startswith('<div id="budget-section">')
    saved = BudgetLine.objects.get()
    assert (saved.year, saved.amount, saved.funder.name) == (
        2011,
        Decimal("12000"),
        "Ministère des Affaires étrangères",
    )
    assert saved.history.get().history_user == world.herouville_editor
    # out of the programme's years: an error on the year field
    bad = client.post(url, line | {"year": "2015"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200
    assert bad.context["line_form"].errors["year"] == [
        "2015 est en dehors des années du programme (2010–2012)."
    ]
    assert BudgetLine.objects.count() == 1
    # the same year and funder replaces the line
    client.post(url, line | {"amount": "13000"})
    assert BudgetLine.objects.get().amount == Decimal("13000")
    detail = client.get(reverse("registry:partnership_detail", args=[ht.pk]))
    assert detail.context["programmes"][0]["tables"][0]["total"] == Decimal("13000")
    remove = client.post(
        reverse("registry:budget_line_delete", args=[programme.pk, saved.pk]),
        HTTP_HX_REQUEST="true",
    )
    assert remove.status_code == 200
    assert not BudgetLine.objects.exists()


def test_partner_editor_may_not_edit_programmes(client, world):
    programme = services.programme_create(
        partnership=world.herouville_tikhvine, title="P", start_year=2010, end_year=2011
    )
    signed_in(client, world.tikhvine_editor)
    assert client.get(reverse("registry:programme_edit", args=[programme.pk])).status_code == 403
    url = reverse("registry:budget_line_add", args=[programme.pk])
    assert client.post(url, {"year": "2010"}).status_code == 403


# --- documents ----------------------------------------------------------------------------------


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, partnership, name, content, **extra):
    return client.post(
        reverse("registry:document_add", args=[partnership.pk]),
        {
            "title": "Convention",
            "kind": "convention",
            "signed_on": "1991-10-01",
            "language": "fr",
            "file": SimpleUploadedFile(name, content),
            **extra,
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("convention.pdf", PDF), ("convention.docx", None), ("convention.odt", None)],
)
def test_upload_accepts_pdf_odt_docx_by_content(client, world, media, name, content):
    if content is None:
        content = docx_bytes() if name.endswith(".docx") else odt_bytes()
    signed_in(client, world.herouville_editor)
    response = upload(client, world.herouville_tikhvine, name, content)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file.read() == content
    assert document.history.get().history_user == world.herouville_editor


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 not a document", b"PK\x03\x04broken zip", b"<html>hello</html>"],
)
def test_upload_refuses_other_content_whatever_the_name(client, world, media, content):
    signed_in(client, world.herouville_editor)
    response = upload(client, world.herouville_tikhvine, "convention.pdf", content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "convention.pdf n’est pas un document PDF, ODT ou DOCX (vérifié d’après son contenu)."
    ]
    assert not Document.objects.exists()


def test_upload_refuses_a_file_over_the_limit(client, world, media, settings):
    settings.RECIPROCITE_MAX_UPLOAD_BYTES = 100
    signed_in(client, world.herouville_editor)
    response = upload(client, world.herouville_tikhvine, "big.pdf", PDF + b"x" * 200)
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert error.startswith("Le fichier fait")
    assert not Document.objects.exists()


def test_download_checks_the_permission(client, world, media):
    public = services.document_add(
        partnership=world.herouville_tikhvine,
        title="Convention publique",
        kind="convention",
        file=SimpleUploadedFile("publique.pdf", PDF),
    )
    private = services.document_add(
        partnership=world.lille_saint_louis,
        title="Convention privée",
        kind="convention",
        file=SimpleUploadedFile("privee.pdf", PDF),
    )
    response = client.get(reverse("registry:document_download", args=[public.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'attachment; filename="publique.pdf"' == response["Content-Disposition"]
    assert client.get(reverse("registry:document_download", args=[private.pk])).status_code == 404
    assert client.get("/media/" + private.file.name).status_code == 404
    signed_in(client, world.lille_editor)
    response = client.get(reverse("registry:document_download", args=[private.pk]))
    assert response.status_code == 200
    # a removed document is no longer served
    services.document_delete(document=private)
    assert client.get(reverse("registry:document_download", args=[private.pk])).status_code == 404


# --- query budgets --------------------------------------------------------------------------------


@pytest.fixture
def many_partnerships(world):
    """Twelve more partnerships with projects, territories, themes and fundings."""
    funder = services.funder_get_or_create(name="Ministère", kind="etat_appel_projets")
    for n in range(12):
        french = territory_create(name=f"Commune {n}", kind="commune", country="FR")
        partner = territory_create(name=f"Ville {n}", kind="municipality", country="SN")
        p = services.partnership_create(
            title=f"Partenariat {n:02d}",
            kind="cooperation",
            start_date=date(1990 + n, 1, 1),
            french_territories=[french],
            partner_territories=[partner],
        )
        for k in range(2):
            services.project_create(
                partnership=p,
                title=f"Projet {n}-{k}",
                themes=["sante", "jeunesse"],
                publics=["jeunes"],
                budget_amount=1000 * (n + 1),
                fundings=[(funder, 500, "EUR")],
            )
    return world


@pytest.mark.parametrize("url", ["/", "/partnerships/", "/projects/", "/territories/"])
def test_lists_have_a_bounded_number_of_queries(
    client, many_partnerships, django_assert_max_num_queries, url
):
    signed_in(client, many_partnerships.herouville_editor)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200


def test_partnership_detail_has_a_bounded_number_of_queries(
    client, many_partnerships, django_assert_max_num_queries
):
    p = Partnership.objects.get(title="Partenariat 03")
    with django_assert_max_num_queries(16):
        assert client.get(reverse("registry:partnership_detail", args=[p.pk])).status_code == 200
    project = p.projects.first()
    with django_assert_max_num_queries(16):
        assert client.get(reverse("registry:project_detail", args=[project.pk])).status_code == 200


# --- documents: stored and served by the type of their content (issue #10) -----------------------


def test_a_pdf_named_html_is_stored_and_served_as_a_pdf(client, world, media):
    signed_in(client, world.herouville_editor)
    response = upload(client, world.herouville_tikhvine, "polyglot.html", PDF)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file.name.endswith("/polyglot.pdf")
    response = client.get(reverse("registry:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="polyglot.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_the_service_renames_by_content_too(world, media):
    document = services.document_add(
        partnership=world.herouville_tikhvine,
        title="Rapport",
        kind="report",
        file=SimpleUploadedFile("Rapport final.exe", docx_bytes()),
    )
    assert document.file.name.endswith("/rapport-final.docx")
    with pytest.raises(ValidationError) as caught:
        services.document_add(
            partnership=world.herouville_tikhvine,
            title="Page",
            kind="report",
            file=SimpleUploadedFile("page.pdf", b"<html><script>alert(1)</script></html>"),
        )
    assert "page.pdf" in str(caught.value.message_dict["file"])
    assert Document.objects.count() == 1


def test_an_older_document_with_an_html_name_is_served_as_bytes(client, world, media):
    document = services.document_add(
        partnership=world.herouville_tikhvine, title="Ancien", kind="other"
    )
    Document.objects.filter(pk=document.pk).update(
        file=f"registry/partnerships/{world.herouville_tikhvine.pk}/ancien.html"
    )
    path = media / "registry" / "partnerships" / str(world.herouville_tikhvine.pk)
    path.mkdir(parents=True)
    (path / "ancien.html").write_bytes(PDF)
    response = client.get(reverse("registry:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_zip_bomb_document_is_refused_naming_the_file(client, world, media):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "0" * (30 * 1024 * 1024))
    signed_in(client, world.herouville_editor)
    settings_limit = buffer.getbuffer().nbytes
    assert settings_limit < 1024 * 1024
    response = upload(client, world.herouville_tikhvine, "bomb.docx", buffer.getvalue())
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert error.startswith("bomb.docx")
    assert not Document.objects.exists()
