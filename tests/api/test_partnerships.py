"""/partnerships: lists, filters, facets, detail, visibility, writes and the denials matrix."""

import pytest

from reciprocite.registry.models import Partnership
from tests.api.conftest import ids

pytestmark = pytest.mark.django_db


def _territory_ref(t):
    return {
        "id": t.pk,
        "url": f"http://testserver/api/v1/territories/{t.pk}",
        "html_url": f"http://testserver/territories/{t.pk}/",
        "name": t.name,
        "kind": t.kind,
        "country": t.country,
    }


def _ref(p):
    return {
        "id": p.pk,
        "url": f"http://testserver/api/v1/partnerships/{p.pk}",
        "html_url": f"http://testserver/partnerships/{p.pk}/",
        "title": p.title,
    }


def _ht_summary(world):
    ht = world.herouville_tikhvine
    return _ref(ht) | {
        "kind": "cooperation",
        "status": "active",
        "start_date": "1991-10-01",
        "end_date": None,
        "language": "fr",
        "is_published": True,
        "is_fictitious": False,
        "parties": [
            {"side": "french", "territory": _territory_ref(world.herouville)},
            {"side": "partner", "territory": _territory_ref(world.tikhvine)},
        ],
        "project_count": 2,
        "budget": {"amount": 145000.0, "currency": "EUR"},
    }


# --- reads -----------------------------------------------------------------------------------


def test_anonymous_list_shows_published_partnerships_with_every_field(api, world, extra):
    response = api.get("/partnerships")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["count", "page", "page_size", "next", "previous", "results"]
    assert (body["count"], body["page"], body["page_size"]) == (2, 1, 20)
    assert [p["id"] for p in body["results"]] == [
        world.herouville_tikhvine.pk,
        extra.nantes_agadir.pk,
    ]
    assert body["results"][0] == _ht_summary(world)
    assert body["results"][1]["budget"] == {"amount": 8000.0, "currency": "EUR"}
    assert body["results"][1]["end_date"] == "2015-12-31"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, ["herouville_tikhvine", "nantes_agadir"]),
        ("outsider", ["herouville_tikhvine", "nantes_agadir"]),
        ("tikhvine_editor", ["herouville_tikhvine", "nantes_agadir"]),
        ("herouville_editor", ["herouville_tikhvine", "nantes_agadir"]),
        ("lille_editor", ["herouville_tikhvine", "lille_saint_louis", "nantes_agadir"]),
        ("analyst", ["herouville_tikhvine", "lille_saint_louis", "nantes_agadir"]),
        ("admin", ["herouville_tikhvine", "lille_saint_louis", "nantes_agadir"]),
    ],
)
def test_list_shows_what_the_token_may_see(api, world, extra, tokens, role, expected):
    token = getattr(tokens, role) if role else None
    objects = {**vars(world), **vars(extra)}
    assert sorted(ids(api.get("/partnerships", token=token))) == sorted(
        objects[name].pk for name in expected
    )


def test_unpublished_partnership_is_invisible_to_anonymous_but_visible_to_its_editor(
    api, world, tokens
):
    lsl = world.lille_saint_louis
    anonymous = api.get(f"/partnerships/{lsl.pk}")
    assert anonymous.status_code == 404
    assert anonymous.json() == {"detail": f"No partnership with id {lsl.pk}."}
    assert api.get(f"/partnerships/{lsl.pk}", token=tokens.herouville_editor).status_code == 404
    editor = api.get(f"/partnerships/{lsl.pk}", token=tokens.lille_editor)
    assert editor.status_code == 200
    assert editor.json()["is_published"] is False
    assert [p["title"] for p in editor.json()["projects"]] == [
        "Centre communal d'action sociale de Saint-Louis"
    ]
    assert api.get(f"/partnerships/{lsl.pk}", token=tokens.analyst).status_code == 200


def test_a_revoked_or_unknown_token_is_refused_even_on_reads(api, world, tokens):
    for secret in (tokens.revoked, "rcp_not-a-token", "garbage"):
        response = api.get("/partnerships", token=secret)
        assert response.status_code == 401
        assert response.json() == {"detail": "This token is unknown or has been revoked."}
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_detail_with_parties_programmes_budget_lines_projects_and_documents(api, world, extra):
    ht = world.herouville_tikhvine
    response = api.get(f"/partnerships/{ht.pk}")
    assert response.status_code == 200
    body = response.json()
    ht.refresh_from_db()
    assert body["created_at"] and body["updated_at"]
    del body["created_at"], body["updated_at"]
    office, centre = world.employment_office, world.youth_centre

    def project(p, status, start, amount, themes):
        return {
            "id": p.pk,
            "url": f"http://testserver/api/v1/projects/{p.pk}",
            "html_url": f"http://testserver/projects/{p.pk}/",
            "title": p.title,
            "summary": "",
            "status": status,
            "start_date": start,
            "end_date": None,
            "budget": {"amount": amount, "currency": "EUR"},
            "themes": themes,
            "partnership": _ref(ht),
        }

    assert body == _ht_summary(world) | {
        "description": "",
        "programmes": [
            {
                "id": extra.programme.pk,
                "title": "Programme triennal",
                "start_year": 1995,
                "end_year": 1997,
                "description": "",
                "budget_lines": [
                    {
                        "year": 1995,
                        "funder": {"name": "Ville d'Hérouville", "kind": "fonds_propres"},
                        "amount": 7500.5,
                        "currency": "EUR",
                    },
                    {
                        "year": 1996,
                        "funder": {
                            "name": "Ministère des Affaires étrangères",
                            "kind": "etat_appel_projets",
                        },
                        "amount": 15000.0,
                        "currency": "EUR",
                    },
                ],
            }
        ],
        "projects": [
            project(
                office,
                "completed",
                "1996-01-01",
                25000.0,
                [
                    {
                        "code": "insertion_emploi",
                        "label": "Employment and inclusion",
                        "dac_code": "16020",
                    }
                ],
            ),
            project(
                centre,
                "ongoing",
                "1999-01-01",
                120000.0,
                [
                    {"code": "jeunesse", "label": "Youth", "dac_code": "11231"},
                    {"code": "sante", "label": "Health", "dac_code": "12220"},
                ],
            ),
        ],
        "documents": [
            {
                "id": extra.document.pk,
                "title": "Convention de coopération",
                "kind": "convention",
                "signed_on": "1991-10-01",
                "language": "fr",
                "has_file": False,
                "file_url": None,
            }
        ],
    }


def _expected(world, extra, names):
    objects = {**vars(world), **vars(extra)}
    return sorted(objects[name].pk for name in names)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["herouville_tikhvine", "nantes_agadir"]),
        ({"country": "RU"}, ["herouville_tikhvine"]),
        ({"country": "ma"}, ["nantes_agadir"]),
        ({"country": "FR"}, []),  # the country filter looks at the partner side
        ({"country": "SN"}, []),  # unpublished for anonymous
        ({"zone": "Maghreb"}, ["nantes_agadir"]),
        ({"zone": "Eastern Europe"}, ["herouville_tikhvine"]),
        ({"theme": "handicap"}, ["nantes_agadir"]),
        ({"theme": "sante"}, ["herouville_tikhvine"]),
        ({"theme": "logement"}, []),
        ({"authority_kind": "departement"}, ["nantes_agadir"]),
        ({"authority_kind": "commune"}, ["herouville_tikhvine"]),
        ({"authority_kind": "municipality"}, ["herouville_tikhvine", "nantes_agadir"]),
        ({"year_from": "2000"}, ["nantes_agadir"]),
        ({"year_to": "1999"}, ["herouville_tikhvine"]),
        ({"year_from": "1991", "year_to": "2005"}, ["herouville_tikhvine", "nantes_agadir"]),
        ({"year_from": "1992", "year_to": "2004"}, []),
        ({"status": "ended"}, ["nantes_agadir"]),
        ({"status": "active"}, ["herouville_tikhvine"]),
        ({"budget_band": "lt10k"}, ["nantes_agadir"]),
        ({"budget_band": "50k-200k"}, ["herouville_tikhvine"]),
        ({"budget_band": "gte1m"}, []),
        ({"kind": "twinning"}, ["nantes_agadir"]),
        ({"kind": "cooperation"}, ["herouville_tikhvine"]),
        ({"q": "agadir"}, ["nantes_agadir"]),
        ({"q": "Tikhvine", "status": "active", "zone": "Eastern Europe"}, ["herouville_tikhvine"]),
        ({"q": "' OR 1=1 --"}, []),
    ],
)
def test_filters_give_exactly_the_expected_partnerships(api, world, extra, params, expected):
    assert sorted(ids(api.get("/partnerships", **params))) == _expected(world, extra, expected)


@pytest.mark.parametrize(
    ("role", "params", "expected"),
    [
        ("lille_editor", {"country": "SN"}, ["lille_saint_louis"]),
        ("lille_editor", {"zone": "Western Africa"}, ["lille_saint_louis"]),
        ("analyst", {"theme": "acces_droits"}, ["lille_saint_louis"]),
        ("analyst", {"year_to": "1980"}, ["lille_saint_louis"]),
        ("tikhvine_editor", {"country": "SN"}, []),
    ],
)
def test_filters_with_a_token(api, world, extra, tokens, role, params, expected):
    response = api.get("/partnerships", token=getattr(tokens, role), **params)
    assert sorted(ids(response)) == _expected(world, extra, expected)


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"country": "XX"}, "country"),
        ({"zone": "Atlantis"}, "zone"),
        ({"theme": "astrology"}, "theme"),
        ({"authority_kind": "castle"}, "authority_kind"),
        ({"year_from": "nineteen"}, "year_from"),
        ({"year_to": "1800"}, "year_to"),
        ({"status": "ongoing"}, "status"),  # a project status, not a partnership one
        ({"budget_band": "huge"}, "budget_band"),
        ({"kind": "marriage"}, "kind"),
        ({"partnership": "1"}, "partnership"),  # a project filter only
        ({"sort": "title"}, "sort"),
        ({"facets": "perhaps"}, "facets"),
    ],
)
def test_bad_or_unknown_filters_are_400_naming_the_parameter(api, world, params, param):
    response = api.get("/partnerships", **params)
    assert response.status_code == 400
    body = response.json()
    assert body["param"] == param
    assert body["detail"].startswith(f"{param}: ")


def test_pagination_keeps_the_filters(api, world, extra, tokens):
    first = api.get("/partnerships", token=tokens.analyst, page_size=2, year_to="2010").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    assert first["next"] == "http://testserver/api/v1/partnerships?page_size=2&year_to=2010&page=2"
    second = api.get(
        "/partnerships", token=tokens.analyst, page_size=2, year_to="2010", page=2
    ).json()
    assert (second["count"], len(second["results"]), second["next"]) == (3, 1, None)
    assert second["previous"].endswith("page=1")
    seen = [p["id"] for p in first["results"] + second["results"]]
    assert sorted(seen) == _expected(
        world, extra, ["herouville_tikhvine", "lille_saint_louis", "nantes_agadir"]
    )


def test_facets_count_the_whole_filtered_list(api, world, extra):
    body = api.get("/partnerships", facets="1", page_size=1).json()
    assert len(body["results"]) == 1
    facets = body["facets"]
    assert facets["status"] == [
        {"value": "active", "label": "Active", "count": 1},
        {"value": "ended", "label": "Ended", "count": 1},
    ]
    assert facets["kind"] == [
        {"value": "cooperation", "label": "Cooperation agreement", "count": 1},
        {"value": "twinning", "label": "Twinning", "count": 1},
    ]
    assert sorted((f["value"], f["count"]) for f in facets["country"]) == [("MA", 1), ("RU", 1)]
    assert sorted((f["value"], f["count"]) for f in facets["zone"]) == [
        ("Eastern Europe", 1),
        ("Maghreb", 1),
    ]
    assert facets["budget_band"] == [
        {"value": "lt10k", "label": "Under €10,000", "count": 1},
        {"value": "50k-200k", "label": "€50,000 – €200,000", "count": 1},
    ]
    assert facets["decade"] == [
        {"value": 1990, "label": "1990–1999", "count": 1},
        {"value": 2000, "label": "2000–2009", "count": 1},
    ]
    filtered = api.get("/partnerships", facets="true", zone="Maghreb").json()["facets"]
    assert filtered["theme"] == [{"value": "handicap", "label": "Disability", "count": 1}]
    assert "facets" not in api.get("/partnerships").json()


# --- writes ------------------------------------------------------------------------------------


def _new(world, extra, french="herouville", partner="agadir", **fields):
    objects = {**vars(world), **vars(extra)}
    return {
        "title": "Hérouville ↔ Agadir",
        "kind": "twinning",
        "start_date": "2024-05-01",
        "french_territories": [objects[french].pk],
        "partner_territories": [objects[partner].pk],
    } | fields


@pytest.mark.parametrize("role", ["herouville_editor", "analyst", "admin"])
def test_create(api, world, extra, tokens, role):
    response = api.post(
        "/partnerships", _new(world, extra, description="Échanges"), token=getattr(tokens, role)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    created = Partnership.objects.get(pk=body["id"])
    assert body["url"] == f"http://testserver/api/v1/partnerships/{created.pk}"
    assert (body["title"], body["kind"], body["status"], body["start_date"]) == (
        "Hérouville ↔ Agadir",
        "twinning",
        "active",
        "2024-05-01",
    )
    assert body["description"] == "Échanges"
    assert body["parties"] == [
        {"side": "french", "territory": _territory_ref(world.herouville)},
        {"side": "partner", "territory": _territory_ref(extra.agadir)},
    ]
    assert (body["project_count"], body["budget"], body["projects"]) == (0, None, [])
    assert created.history.get().history_user == getattr(world, role)


@pytest.mark.parametrize(
    ("token", "status"),
    [
        (None, 401),
        ("revoked", 401),
        ("outsider", 403),
        ("tikhvine_editor", 403),  # a partner editor creates no partnership
    ],
)
def test_create_denied(api, world, extra, tokens, token, status):
    before = Partnership.all_objects.count()
    response = api.post(
        "/partnerships", _new(world, extra), token=getattr(tokens, token) if token else None
    )
    assert response.status_code == status
    assert response.json()["detail"]
    assert Partnership.all_objects.count() == before


def test_a_member_editor_creates_only_partnerships_of_its_own_territory(api, world, extra, tokens):
    before = Partnership.all_objects.count()
    response = api.post(
        "/partnerships",
        _new(world, extra, french="lille", partner="saint_louis", title="Pas chez moi"),
        token=tokens.herouville_editor,
    )
    assert response.status_code == 403
    assert Partnership.all_objects.count() == before


def test_create_with_invalid_data_is_422_by_field(api, world, extra, tokens):
    cases = [
        (_new(world, extra, kind="marriage"), ["kind"]),
        (_new(world, extra, end_date="2020-01-01"), ["end_date"]),
        (_new(world, extra, french="herouville", partner="herouville"), ["territories"]),
        (_new(world, extra) | {"partner_territories": [987654]}, ["partner_territories"]),
        (_new(world, extra) | {"partner_territories": []}, ["partner_territories"]),
        (_new(world, extra) | {"mayor": "X"}, ["mayor"]),
        (_new(world, extra, start_date="2024-13-45"), ["start_date"]),
        (
            {"title": "Sans parties", "kind": "twinning"},
            ["french_territories", "partner_territories"],
        ),
    ]
    before = Partnership.all_objects.count()
    for body, fields in cases:
        response = api.post("/partnerships", body, token=tokens.analyst)
        assert response.status_code == 422, (body, response.content)
        assert response.json()["detail"] == "The data sent is not valid."
        assert sorted(response.json()["errors"]) == sorted(fields), body
    assert Partnership.all_objects.count() == before


@pytest.mark.parametrize(
    ("role", "which", "status"),
    [
        ("herouville_editor", "herouville_tikhvine", 200),  # its own partnership
        ("lille_editor", "lille_saint_louis", 200),
        ("lille_editor", "herouville_tikhvine", 403),  # another's, published
        ("herouville_editor", "lille_saint_louis", 404),  # another's, unpublished
        ("tikhvine_editor", "herouville_tikhvine", 403),  # partner editors edit projects only
        ("outsider", "herouville_tikhvine", 403),
        ("analyst", "lille_saint_louis", 200),
        ("admin", "herouville_tikhvine", 200),
    ],
)
def test_update_matrix(api, world, tokens, role, which, status):
    partnership = getattr(world, which)
    response = api.patch(
        f"/partnerships/{partnership.pk}",
        {"title": "Nouveau titre", "status": "suspended"},
        token=getattr(tokens, role),
    )
    assert response.status_code == status, response.content
    partnership.refresh_from_db()
    if status == 200:
        assert (response.json()["title"], response.json()["status"]) == (
            "Nouveau titre",
            "suspended",
        )
        assert partnership.title == "Nouveau titre"
        assert partnership.history.latest().history_user == getattr(world, role)
    else:
        assert partnership.title != "Nouveau titre"


@pytest.mark.parametrize(("token", "status"), [(None, 401), ("revoked", 401)])
def test_update_without_a_valid_token(api, world, tokens, token, status):
    ht = world.herouville_tikhvine
    response = api.patch(
        f"/partnerships/{ht.pk}",
        {"title": "X"},
        token=getattr(tokens, token) if token else None,
    )
    assert response.status_code == status
    ht.refresh_from_db()
    assert ht.title == "Hérouville-Saint-Clair ↔ Tikhvine"


def test_update_replaces_one_side_and_refuses_to_lock_its_editor_out(api, world, extra, tokens):
    ht = world.herouville_tikhvine
    response = api.patch(
        f"/partnerships/{ht.pk}",
        {"partner_territories": [world.tikhvine.pk, extra.agadir.pk]},
        token=tokens.herouville_editor,
    )
    assert response.status_code == 200
    assert [(p["side"], p["territory"]["name"]) for p in response.json()["parties"]] == [
        ("french", "Hérouville-Saint-Clair"),
        ("partner", "Tikhvine"),
        ("partner", "Agadir"),
    ]
    locked_out = api.patch(
        f"/partnerships/{ht.pk}",
        {"french_territories": [world.lille.pk]},
        token=tokens.herouville_editor,
    )
    assert locked_out.status_code == 403
    assert sorted(ht.parties.values_list("territory_id", flat=True)) == sorted(
        [world.herouville.pk, world.tikhvine.pk, extra.agadir.pk]
    )


def test_update_with_invalid_data_is_422(api, world, tokens):
    ht = world.herouville_tikhvine
    response = api.patch(f"/partnerships/{ht.pk}", {"end_date": "1980-01-01"}, token=tokens.analyst)
    assert response.status_code == 422
    assert response.json()["errors"] == {"end_date": ["The end date is before the start date."]}
    null_title = api.patch(f"/partnerships/{ht.pk}", {"title": None}, token=tokens.analyst)
    assert null_title.status_code == 422
    assert list(null_title.json()["errors"]) == ["title"]
    ht.refresh_from_db()
    assert ht.end_date is None


@pytest.mark.parametrize(
    ("role", "which", "status"),
    [
        ("herouville_editor", "herouville_tikhvine", 204),
        ("admin", "herouville_tikhvine", 204),
        ("lille_editor", "lille_saint_louis", 204),
        ("analyst", "herouville_tikhvine", 403),  # analysts do not delete
        ("tikhvine_editor", "herouville_tikhvine", 403),
        ("lille_editor", "herouville_tikhvine", 403),
        ("outsider", "herouville_tikhvine", 403),
        ("herouville_editor", "lille_saint_louis", 404),
    ],
)
def test_delete_matrix(api, world, tokens, role, which, status):
    partnership = getattr(world, which)
    response = api.delete(f"/partnerships/{partnership.pk}", token=getattr(tokens, role))
    assert response.status_code == status, response.content
    partnership = Partnership.all_objects.get(pk=partnership.pk)
    if status == 204:
        assert response.content == b""
        assert partnership.is_deleted
        assert partnership.deleted_by == getattr(world, role)
        assert partnership.history.latest().history_user == getattr(world, role)
        assert api.get(f"/partnerships/{partnership.pk}", token=tokens.admin).status_code == 404
        assert partnership.pk not in ids(api.get("/partnerships", token=tokens.admin))
    else:
        assert not partnership.is_deleted


def test_delete_without_a_valid_token(api, world, tokens):
    ht = world.herouville_tikhvine
    assert api.delete(f"/partnerships/{ht.pk}").status_code == 401
    assert api.delete(f"/partnerships/{ht.pk}", token=tokens.revoked).status_code == 401
    assert not Partnership.all_objects.get(pk=ht.pk).is_deleted


def test_documents_with_a_file_give_its_download_address(api, world, tokens, settings, tmp_path):
    from django.core.files.base import ContentFile

    from reciprocite.registry import services as registry

    settings.MEDIA_ROOT = tmp_path
    ht = world.herouville_tikhvine
    document = registry.document_add(
        partnership=ht,
        title="Rapport 2024",
        kind="report",
        file=ContentFile(b"%PDF-1.4 report", name="rapport.pdf"),
    )
    documents = api.get(f"/partnerships/{ht.pk}").json()["documents"]
    assert documents == [
        {
            "id": document.pk,
            "title": "Rapport 2024",
            "kind": "report",
            "signed_on": None,
            "language": "fr",
            "has_file": True,
            "file_url": f"http://testserver/documents/{document.pk}/download/",
        }
    ]


def test_answers_are_utf8_json_without_escapes(api, world):
    response = api.get(f"/partnerships/{world.herouville_tikhvine.pk}")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Hérouville-Saint-Clair ↔ Tikhvine".encode() in response.content
