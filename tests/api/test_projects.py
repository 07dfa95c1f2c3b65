"""/projects, /themes and /publics: lists, filters, detail, writes and the denials matrix."""

import pytest

from reciprocite.registry import services as registry
from reciprocite.registry.models import Funder, Project
from tests.api.conftest import ids

pytestmark = pytest.mark.django_db


def _ref(p):
    return {
        "id": p.pk,
        "url": f"http://testserver/api/v1/projects/{p.pk}",
        "html_url": f"http://testserver/projects/{p.pk}/",
        "title": p.title,
    }


def _partnership_ref(p):
    return {
        "id": p.pk,
        "url": f"http://testserver/api/v1/partnerships/{p.pk}",
        "html_url": f"http://testserver/partnerships/{p.pk}/",
        "title": p.title,
    }


def _expected(world, extra, names):
    objects = {**vars(world), **vars(extra)}
    return sorted(objects[name].pk for name in names)


# --- reads -------------------------------------------------------------------------------------


def test_anonymous_list_shows_projects_of_published_partnerships(api, world, extra):
    response = api.get("/projects")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["count", "page", "page_size", "next", "previous", "results"]
    assert body["count"] == 3
    assert [p["title"] for p in body["results"]] == [
        "Accueil des personnes handicapées",
        "Bureau de l'emploi de Tikhvine",
        "Centre d'aide médico-psychologique pour la jeunesse",
    ]
    assert body["results"][0] == _ref(extra.disability) | {
        "summary": "",
        "status": "planned",
        "start_date": "2006-09-01",
        "end_date": None,
        "budget": {"amount": 8000.0, "currency": "EUR"},
        "themes": [{"code": "handicap", "label": "Disability", "dac_code": "15160"}],
        "partnership": _partnership_ref(extra.nantes_agadir),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, ["employment_office", "youth_centre", "disability"]),
        ("tikhvine_editor", ["employment_office", "youth_centre", "disability"]),
        ("lille_editor", ["employment_office", "youth_centre", "disability", "ccas"]),
        ("analyst", ["employment_office", "youth_centre", "disability", "ccas"]),
    ],
)
def test_list_shows_what_the_token_may_see(api, world, extra, tokens, role, expected):
    token = getattr(tokens, role) if role else None
    assert sorted(ids(api.get("/projects", token=token))) == _expected(world, extra, expected)


def test_detail_with_themes_publics_budget_fundings_actors_and_replications(api, world, extra):
    office = world.employment_office
    response = api.get(f"/projects/{office.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["created_at"] and body["updated_at"]
    del body["created_at"], body["updated_at"]
    herouville = world.herouville
    assert body == _ref(office) | {
        "summary": "",
        "status": "completed",
        "start_date": "1996-01-01",
        "end_date": None,
        "budget": {"amount": 25000.0, "currency": "EUR"},
        "themes": [
            {"code": "insertion_emploi", "label": "Employment and inclusion", "dac_code": "16020"}
        ],
        "partnership": _partnership_ref(world.herouville_tikhvine),
        "description": "",
        "results": "",
        "language": "fr",
        "is_fictitious": False,
        "programme": {
            "id": extra.programme.pk,
            "title": "Programme triennal",
            "start_year": 1995,
            "end_year": 1997,
        },
        "publics": [
            {"code": "demandeurs_emploi", "label": "Jobseekers"},
            {"code": "jeunes", "label": "Young people"},
        ],
        "fundings": [
            {
                "funder": {
                    "name": "Ministère des Affaires étrangères",
                    "kind": "etat_appel_projets",
                },
                "amount": 10000.0,
                "currency": "EUR",
            },
            {
                "funder": {"name": "Ville d'Hérouville", "kind": "fonds_propres"},
                "amount": 15000.0,
                "currency": "EUR",
            },
        ],
        "actors": [
            {
                "actor": {
                    "id": extra.association.pk,
                    "name": "Association Hérouville-Tikhvine",
                    "kind": "association",
                    "territory": {
                        "id": herouville.pk,
                        "url": f"http://testserver/api/v1/territories/{herouville.pk}",
                        "html_url": f"http://testserver/territories/{herouville.pk}/",
                        "name": "Hérouville-Saint-Clair",
                        "kind": "commune",
                        "country": "FR",
                    },
                    "website": "",
                },
                "role": "lead",
                "note": "Pilote",
            }
        ],
        "replicated_from": [],
        "replicated_as": [{"project": _ref(world.youth_centre), "note": "Même méthode"}],
    }
    centre = api.get(f"/projects/{world.youth_centre.pk}").json()
    assert centre["replicated_from"] == [{"project": _ref(office), "note": "Même méthode"}]
    assert centre["replicated_as"] == []
    assert (centre["programme"], centre["publics"], centre["fundings"], centre["actors"]) == (
        None,
        [],
        [],
        [],
    )


def test_replications_to_invisible_projects_are_left_out(api, world, extra, tokens):
    office, ccas = world.employment_office, world.ccas
    registry.replication_link(model=office, replica=ccas, note="Saint-Louis aussi")
    anonymous = api.get(f"/projects/{office.pk}").json()
    assert [r["project"]["id"] for r in anonymous["replicated_as"]] == [world.youth_centre.pk]
    lille = api.get(f"/projects/{office.pk}", token=tokens.lille_editor).json()
    assert sorted(r["project"]["id"] for r in lille["replicated_as"]) == sorted(
        [world.youth_centre.pk, ccas.pk]
    )


def test_projects_of_unpublished_or_deleted_partnerships_are_404(api, world, extra, tokens):
    ccas = world.ccas
    assert api.get(f"/projects/{ccas.pk}").status_code == 404
    assert api.get(f"/projects/{ccas.pk}", token=tokens.herouville_editor).status_code == 404
    assert api.get(f"/projects/{ccas.pk}", token=tokens.lille_editor).status_code == 200
    registry.partnership_delete(partnership=extra.nantes_agadir)
    gone = api.get(f"/projects/{extra.disability.pk}", token=tokens.admin)
    assert gone.status_code == 404
    assert gone.json() == {"detail": f"No project with id {extra.disability.pk}."}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "RU"}, ["employment_office", "youth_centre"]),
        ({"country": "MA"}, ["disability"]),
        ({"zone": "Eastern Europe"}, ["employment_office", "youth_centre"]),
        ({"zone": "Maghreb"}, ["disability"]),
        ({"theme": "sante"}, ["youth_centre"]),
        ({"theme": "insertion_emploi"}, ["employment_office"]),
        ({"theme": "acces_droits"}, []),  # unpublished for anonymous
        ({"authority_kind": "departement"}, ["disability"]),
        ({"authority_kind": "commune"}, ["employment_office", "youth_centre"]),
        ({"year_from": "1997"}, ["youth_centre", "disability"]),
        ({"year_to": "1996"}, ["employment_office"]),
        ({"year_from": "1997", "year_to": "2005"}, ["youth_centre"]),
        ({"status": "completed"}, ["employment_office"]),
        ({"status": "planned"}, ["disability"]),
        ({"status": "delayed"}, []),
        ({"budget_band": "lt10k"}, ["disability"]),
        ({"budget_band": "10k-50k"}, ["employment_office"]),
        ({"budget_band": "50k-200k"}, ["youth_centre"]),
        ({"kind": "twinning"}, ["disability"]),
        ({"kind": "cooperation"}, ["employment_office", "youth_centre"]),
        ({"q": "emploi"}, ["employment_office"]),
        ({"q": "'); DELETE FROM registry_project; --"}, []),
        ({"partnership": "HT"}, ["employment_office", "youth_centre"]),
        ({"partnership": "LSL"}, []),
        ({"partnership": "999999"}, []),
        ({"theme": "jeunesse", "status": "ongoing", "country": "RU"}, ["youth_centre"]),
    ],
)
def test_filters_give_exactly_the_expected_projects(api, world, extra, params, expected):
    params = dict(params)
    if params.get("partnership") == "HT":
        params["partnership"] = str(world.herouville_tikhvine.pk)
    if params.get("partnership") == "LSL":
        params["partnership"] = str(world.lille_saint_louis.pk)
    assert sorted(ids(api.get("/projects", **params))) == _expected(world, extra, expected)


def test_filters_with_a_token(api, world, extra, tokens):
    response = api.get(
        "/projects", token=tokens.lille_editor, partnership=str(world.lille_saint_louis.pk)
    )
    assert ids(response) == [world.ccas.pk]
    response = api.get("/projects", token=tokens.analyst, status="delayed", budget_band="50k-200k")
    assert ids(response) == [world.ccas.pk]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"status": "active"}, "status"),  # a partnership status, not a project one
        ({"partnership": "abc"}, "partnership"),
        ({"theme": "astrology"}, "theme"),
        ({"year_from": "-5"}, "year_from"),
        ({"budget_band": "1m"}, "budget_band"),
        ({"order": "title"}, "order"),
    ],
)
def test_bad_or_unknown_filters_are_400_naming_the_parameter(api, world, params, param):
    response = api.get("/projects", **params)
    assert response.status_code == 400
    assert response.json()["param"] == param


def test_pagination(api, world, extra):
    first = api.get("/projects", page_size=2).json()
    assert (first["count"], first["page"], first["page_size"], len(first["results"])) == (
        3,
        1,
        2,
        2,
    )
    assert first["next"] == "http://testserver/api/v1/projects?page_size=2&page=2"
    second = api.get("/projects", page_size=2, page=2).json()
    assert [p["title"] for p in second["results"]] == [
        "Centre d'aide médico-psychologique pour la jeunesse"
    ]
    assert second["previous"] == "http://testserver/api/v1/projects?page_size=2&page=1"
    assert second["next"] is None


def test_facets(api, world, extra):
    facets = api.get("/projects", facets="1").json()["facets"]
    assert facets["status"] == [
        {"value": "planned", "label": "Planned", "count": 1},
        {"value": "ongoing", "label": "Ongoing", "count": 1},
        {"value": "completed", "label": "Completed", "count": 1},
    ]
    assert sorted((f["value"], f["count"]) for f in facets["theme"]) == [
        ("handicap", 1),
        ("insertion_emploi", 1),
        ("jeunesse", 1),
        ("sante", 1),
    ]
    assert sorted((f["value"], f["count"]) for f in facets["country"]) == [("MA", 1), ("RU", 2)]
    assert facets["budget_band"] == [
        {"value": "lt10k", "label": "Under €10,000", "count": 1},
        {"value": "10k-50k", "label": "€10,000 – €50,000", "count": 1},
        {"value": "50k-200k", "label": "€50,000 – €200,000", "count": 1},
    ]


def test_themes_and_publics(api, world):
    themes = api.get("/themes")
    assert themes.status_code == 200
    by_code = {t["code"]: t for t in themes.json()}
    assert len(by_code) == 13
    assert by_code["handicap"] == {"code": "handicap", "label": "Disability", "dac_code": "15160"}
    assert by_code["sante"]["dac_code"] == "12220"
    assert [t["code"] for t in themes.json()] == sorted(by_code)
    publics = {p["code"]: p["label"] for p in api.get("/publics").json()}
    assert len(publics) == 12
    assert publics["migrants"] == "Migrants and diasporas"


def test_labels_follow_the_language_of_the_request(client, world):
    response = client.get("/api/v1/themes", HTTP_ACCEPT_LANGUAGE="en")
    assert {t["code"]: t["label"] for t in response.json()}["sante"] == "Health"
    french = client.get("/api/v1/zones", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert {z["key"]: z["name_fr"] for z in french}["Maghreb"] == "Maghreb"


# --- writes ------------------------------------------------------------------------------------


def _new(world, extra, **fields):
    return {
        "partnership": world.herouville_tikhvine.pk,
        "title": "Formation des travailleurs sociaux",
        "themes": ["renforcement_capacites", "jeunesse"],
        "publics": ["professionnels"],
        "summary": "Deux semaines d'échanges",
        "status": "planned",
        "start_date": "2025-02-01",
        "end_date": "2025-12-31",
        "budget": {"amount": 42000.5, "currency": "EUR"},
        "programme": extra.programme.pk,
        "fundings": [
            {
                "funder": {
                    "name": "Agence française de développement",
                    "kind": "etat_appel_projets",
                },
                "amount": 30000,
                "currency": "EUR",
            },
            {
                "funder": {"name": "Ville d'Hérouville", "kind": "fonds_propres"},
                "amount": 12000.5,
            },
        ],
    } | fields


@pytest.mark.parametrize("role", ["tikhvine_editor", "herouville_editor", "analyst", "admin"])
def test_create(api, world, extra, tokens, role):
    response = api.post("/projects", _new(world, extra), token=getattr(tokens, role))
    assert response.status_code == 201, response.content
    body = response.json()
    project = Project.objects.get(pk=body["id"])
    assert body["url"] == f"http://testserver/api/v1/projects/{project.pk}"
    assert body["partnership"] == _partnership_ref(world.herouville_tikhvine)
    assert [t["code"] for t in body["themes"]] == ["jeunesse", "renforcement_capacites"]
    assert body["themes"][1] == {
        "code": "renforcement_capacites",
        "label": "Capacity building",
        "dac_code": "15112",
    }
    assert body["publics"] == [
        {"code": "professionnels", "label": "Social workers and professionals"}
    ]
    assert body["budget"] == {"amount": 42000.5, "currency": "EUR"}
    assert (body["status"], body["start_date"], body["end_date"]) == (
        "planned",
        "2025-02-01",
        "2025-12-31",
    )
    assert body["programme"]["id"] == extra.programme.pk
    assert body["fundings"] == [
        {
            "funder": {"name": "Agence française de développement", "kind": "etat_appel_projets"},
            "amount": 30000.0,
            "currency": "EUR",
        },
        {
            "funder": {"name": "Ville d'Hérouville", "kind": "fonds_propres"},
            "amount": 12000.5,
            "currency": "EUR",
        },
    ]
    user = getattr(world, role)
    assert {h.history_user for h in project.history.all()} == {user}
    assert (
        Funder.objects.get(name="Agence française de développement").history.get().history_user
        == user
    )
    # the existing funder was reused, not duplicated
    assert Funder.objects.filter(name="Ville d'Hérouville").count() == 1


@pytest.mark.parametrize(
    ("token", "status"),
    [
        (None, 401),
        ("revoked", 401),
        ("outsider", 403),
        ("lille_editor", 403),  # another organisation's partnership
    ],
)
def test_create_denied(api, world, extra, tokens, token, status):
    before = Project.all_objects.count()
    response = api.post(
        "/projects", _new(world, extra), token=getattr(tokens, token) if token else None
    )
    assert response.status_code == status
    assert Project.all_objects.count() == before
    assert not Funder.objects.filter(name="Agence française de développement").exists()


def test_create_in_a_partnership_the_token_cannot_see_is_422(api, world, extra, tokens):
    body = _new(world, extra, partnership=world.lille_saint_louis.pk, programme=None)
    response = api.post("/projects", body, token=tokens.herouville_editor)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "partnership": [f"No partnership with id {world.lille_saint_louis.pk}."]
    }


def test_create_with_invalid_data_is_422_by_field_and_writes_nothing(api, world, extra, tokens):
    other_programme = registry.programme_create(
        partnership=extra.nantes_agadir, title="Autre", start_year=2005, end_year=2007
    )
    cases = [
        (_new(world, extra, themes=["astrology"]), ["themes"]),
        (_new(world, extra, themes=[]), ["themes"]),
        (_new(world, extra, publics=["martians"]), ["publics"]),
        (_new(world, extra, budget={"amount": -1, "currency": "EUR"}), ["budget.amount"]),
        (_new(world, extra, budget={"amount": 10, "currency": "XYZ"}), ["budget.currency"]),
        (_new(world, extra, budget={"amount": 10**15, "currency": "EUR"}), ["budget.amount"]),
        (_new(world, extra, end_date="2020-01-01"), ["end_date"]),
        (_new(world, extra, programme=other_programme.pk), ["programme"]),
        (_new(world, extra, status="dreaming"), ["status"]),
        (
            _new(world, extra, fundings=[{"funder": {"name": "X", "kind": "bank"}, "amount": 1}]),
            ["fundings.0.funder.kind"],
        ),
        (_new(world, extra, partnership="abc"), ["partnership"]),
        (_new(world, extra, colour="blue"), ["colour"]),
    ]
    before = (Project.all_objects.count(), Funder.objects.count())
    for body, fields in cases:
        response = api.post("/projects", body, token=tokens.analyst)
        assert response.status_code == 422, (body, response.content)
        assert sorted(response.json()["errors"]) == sorted(fields), (body, response.json())
    assert (Project.all_objects.count(), Funder.objects.count()) == before


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("tikhvine_editor", 200),  # a partner editor edits the projects of its partnership
        ("herouville_editor", 200),
        ("analyst", 200),
        ("admin", 200),
        ("lille_editor", 403),
        ("outsider", 403),
    ],
)
def test_update_matrix(api, world, tokens, role, status):
    office = world.employment_office
    response = api.patch(
        f"/projects/{office.pk}",
        {"status": "cancelled", "budget": {"amount": 26000, "currency": "EUR"}},
        token=getattr(tokens, role),
    )
    assert response.status_code == status, response.content
    office.refresh_from_db()
    if status == 200:
        assert response.json()["status"] == "cancelled"
        assert response.json()["budget"] == {"amount": 26000.0, "currency": "EUR"}
        assert office.status == "cancelled"
        assert office.history.latest().history_user == getattr(world, role)
    else:
        assert office.status == "completed"


def test_update_replaces_themes_publics_and_fundings_when_given(api, world, extra, tokens):
    office = world.employment_office
    response = api.patch(
        f"/projects/{office.pk}",
        {
            "themes": ["sante"],
            "publics": [],
            "fundings": [
                {"funder": {"name": "Ville d'Hérouville", "kind": "fonds_propres"}, "amount": 5}
            ],
            "budget": None,
            "programme": None,
        },
        token=tokens.tikhvine_editor,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [t["code"] for t in body["themes"]] == ["sante"]
    assert body["publics"] == []
    assert body["fundings"] == [
        {
            "funder": {"name": "Ville d'Hérouville", "kind": "fonds_propres"},
            "amount": 5.0,
            "currency": "EUR",
        }
    ]
    assert (body["budget"], body["programme"]) == (None, None)
    # fields not given are kept
    assert (body["title"], body["status"], body["start_date"]) == (
        "Bureau de l'emploi de Tikhvine",
        "completed",
        "1996-01-01",
    )
    assert body["actors"][0]["role"] == "lead"


def test_update_without_a_valid_token_or_of_an_invisible_project(api, world, tokens):
    office, ccas = world.employment_office, world.ccas
    assert api.patch(f"/projects/{office.pk}", {"title": "X"}).status_code == 401
    assert (
        api.patch(f"/projects/{office.pk}", {"title": "X"}, token=tokens.revoked).status_code == 401
    )
    invisible = api.patch(f"/projects/{ccas.pk}", {"title": "X"}, token=tokens.herouville_editor)
    assert invisible.status_code == 404
    office.refresh_from_db()
    ccas.refresh_from_db()
    assert "X" not in (office.title, ccas.title)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("herouville_editor", 204),
        ("admin", 204),
        ("tikhvine_editor", 403),  # a partner editor may edit the project but not delete it
        ("analyst", 403),
        ("lille_editor", 403),
        ("outsider", 403),
    ],
)
def test_delete_matrix(api, world, tokens, role, status):
    office = world.employment_office
    response = api.delete(f"/projects/{office.pk}", token=getattr(tokens, role))
    assert response.status_code == status, response.content
    office = Project.all_objects.get(pk=office.pk)
    if status == 204:
        assert office.is_deleted
        assert office.deleted_by == getattr(world, role)
        assert office.history.latest().history_user == getattr(world, role)
        assert api.get(f"/projects/{office.pk}").status_code == 404
        assert office.pk not in ids(api.get("/projects"))
        ht = api.get(f"/partnerships/{world.herouville_tikhvine.pk}").json()
        assert [p["id"] for p in ht["projects"]] == [world.youth_centre.pk]
    else:
        assert not office.is_deleted


def test_delete_without_a_valid_token(api, world, tokens):
    office = world.employment_office
    assert api.delete(f"/projects/{office.pk}").status_code == 401
    assert api.delete(f"/projects/{office.pk}", token=tokens.revoked).status_code == 401
    assert not Project.all_objects.get(pk=office.pk).is_deleted
