"""Hostile and malformed input: always a JSON error with a clear message, never a 500.

The test client re-raises any exception a view lets through, so a crash fails these tests.
"""

import json

import pytest
from django.test import Client

from reciprocite.accounts.services import organisation_create
from reciprocite.core.api import MAX_QUERY_STRING
from reciprocite.registry.models import Partnership, Project
from reciprocite.surveys.models import Campaign, CampaignStatus, Submission
from reciprocite.surveys.services.invitations import invitation_create
from reciprocite.territories.models import Territory

pytestmark = pytest.mark.django_db

LISTS = ["/territories", "/partnerships", "/projects"]
DETAILS = ["/territories/{}", "/partnerships/{}", "/projects/{}"]


def _json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    ("params", "status", "param"),
    [
        ({"page": str(10**30)}, 404, "page"),
        ({"page": "99"}, 404, "page"),
        ({"page": "0"}, 400, "page"),
        ({"page": "-1"}, 400, "page"),
        ({"page": "abc"}, 400, "page"),
        ({"page": "1.5"}, 400, "page"),
        ({"page_size": str(10**9)}, 400, "page_size"),
        ({"page_size": "101"}, 400, "page_size"),
        ({"page_size": "0"}, 400, "page_size"),
        ({"page_size": "NaN"}, 400, "page_size"),
        ({"country": "\x00"}, 400, "country"),
        ({"q": "a\x00b"}, 400, "q"),
        ({"zone": "x" * 5000}, 400, "zone"),
        ({"bogus": "1"}, 400, "bogus"),
    ],
)
def test_hostile_list_parameters(api, world, path, params, status, param):
    body = _json_error(api.get(path, **params), status)
    assert body["param"] == param
    assert body["detail"].startswith(f"{param}: ")


@pytest.mark.parametrize("path", ["/partnerships", "/projects"])
def test_a_query_of_5000_characters_is_refused_on_registry_lists(api, world, path):
    body = _json_error(api.get(path, q="x" * 5000), 400)
    assert body == {"detail": "q: at most 200 characters", "param": "q"}


def test_a_query_of_5000_characters_finds_no_territory(api, world):
    response = api.get("/territories", q="x" * 5000)
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "q",
    [
        "' OR '1'='1",
        "1; DROP TABLE registry_partnership; --",
        "%",
        "_",
        "\\",
        '" UNION SELECT password FROM accounts_user --',
        "Тихвин ↔ سانت لويس",
        "🤝",
    ],
)
def test_sql_ish_and_unusual_queries_are_just_words(api, world, path, q):
    response = api.get(path, q=q)
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert Partnership.objects.count() == 2 and Project.objects.count() == 3


@pytest.mark.parametrize("template", DETAILS)
@pytest.mark.parametrize(
    "value", ["abc", "1.5", "-1", "0", str(10**30), "9223372036854775808", "%20", "1e3"]
)
def test_bad_ids_are_json_404(api, world, template, value):
    body = _json_error(api.get(template.format(value)), 404)
    assert body["detail"].startswith("No ")


def test_unknown_endpoints_are_json_404(api, world):
    body = _json_error(api.get("/nothing/here"), 404)
    assert body["detail"] == "No such endpoint: see /api/v1/docs for the list."
    _json_error(api.post("/partnerships/1/restore", {}), 404)


def test_writes_refuse_malformed_bodies(api, world, tokens):
    not_json = _json_error(api.post("/partnerships", "{not json", token=tokens.analyst), 400)
    assert not_json["detail"] == "The body is not valid JSON."
    a_list = _json_error(api.post("/partnerships", "[1, 2]", token=tokens.analyst), 422)
    assert a_list["errors"] == {"body": ["Must be an object."]}
    empty = _json_error(api.post("/territories", "", token=tokens.analyst), 422)
    assert empty["detail"] == "The data sent is not valid."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "A\x00B"}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": ["a list"]}, "name"),
        ({"population": 10**30}, "population"),
        ({"population": -1}, "population"),
        ({"latitude": "north"}, "latitude"),
        ({"latitude": 1e308, "longitude": 0}, "latitude"),
        ({"languages": "fr"}, "languages"),
        ({"country": "\x00\x00"}, "country"),
    ],
)
def test_hostile_territory_bodies_are_422_naming_the_field(api, world, tokens, body, field):
    full = {"name": "Rabat", "kind": "municipality", "country": "MA"} | body
    response = api.post("/territories", full, token=tokens.analyst)
    errors = _json_error(response, 422)["errors"]
    assert field in errors, errors
    assert not Territory.objects.filter(name__startswith="Rabat").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"french_territories": [10**30]}, "french_territories.0"),
        ({"french_territories": ["one"]}, "french_territories.0"),
        ({"french_territories": list(range(1, 100))}, "french_territories"),
        ({"title": "\x00"}, "title"),
        ({"title": ""}, "title"),
        ({"is_published": "perhaps"}, "is_published"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": "0000-01-01"}, "start_date"),
    ],
)
def test_hostile_partnership_bodies_are_422_naming_the_field(api, world, tokens, body, field):
    full = {
        "title": "Hostile",
        "kind": "twinning",
        "french_territories": [world.herouville.pk],
        "partner_territories": [world.tikhvine.pk],
    } | body
    response = api.post("/partnerships", full, token=tokens.analyst)
    errors = _json_error(response, 422)["errors"]
    assert field in errors, errors
    assert not Partnership.all_objects.filter(title="Hostile").exists()


def test_hostile_project_amounts(api, world, tokens):
    base = {
        "partnership": world.herouville_tikhvine.pk,
        "title": "Hostile",
        "themes": ["sante"],
    }
    for budget in (
        {"amount": "NaN", "currency": "EUR"},
        {"amount": "Infinity", "currency": "EUR"},
        {"amount": 1.001, "currency": "EUR"},
        {"amount": 10, "currency": "\x00"},
        {"amount": 10},  # currency defaults to EUR: valid
    ):
        response = api.post("/projects", base | {"budget": budget}, token=tokens.analyst)
        if budget == {"amount": 10}:
            assert response.status_code == 201
            assert response.json()["budget"] == {"amount": 10.0, "currency": "EUR"}
        else:
            assert (
                "budget.amount" in _json_error(response, 422)["errors"]
                or "budget.currency" in (response.json()["errors"])
            )


def test_authorization_headers_of_every_shape_are_401(client, world):
    for header in (
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token abc",
        "bearer " + "x" * 5000,
    ):
        response = client.post(
            "/api/v1/partnerships",
            data=json.dumps({}),
            content_type="application/json",
            HTTP_AUTHORIZATION=header,
            HTTP_ACCEPT_LANGUAGE="en",
        )
        body = _json_error(response, 401)
        assert body["detail"] in {
            "Authentication required: send the header 'Authorization: Bearer <token>'.",
            "The Authorization header must read 'Bearer <token>'.",
            "This token is unknown or has been revoked.",
        }


def test_methods_that_do_not_exist_on_a_path(api, world, tokens):
    response = api.client.put(
        f"/api/v1/partnerships/{world.herouville_tikhvine.pk}",
        data="{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens.analyst}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert _json_error(response, 405) == {
        "detail": "The method PUT is not allowed here; allowed: GET, PATCH, DELETE."
    }
    assert response["Allow"] == "GET, PATCH, DELETE"
    _json_error(api.delete("/territories/1", token=tokens.admin), 405)


def test_bad_ids_name_what_was_looked_for(api, world, tokens):
    assert api.get("/partnerships/abc").json() == {"detail": "No partnership with id abc."}
    assert api.get("/territories/-3").json() == {"detail": "No territory with id -3."}
    response = api.patch("/projects/1x", {"title": "X"}, token=tokens.analyst)
    assert response.status_code == 404
    assert response.json() == {"detail": "No project with id 1x."}
    assert api.delete("/projects/0", token=tokens.admin).json() == {
        "detail": "No project with id 0."
    }


def test_a_body_over_the_size_limit_is_a_json_413(client, world, tokens, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = client.post(
        "/api/v1/partnerships",
        data=json.dumps({"title": "x" * (1024 * 1024 + 1)}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens.analyst}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert _json_error(response, 413) == {"detail": "The body is too large: 1 MB at most."}


# --- JSON everywhere under /api/, in the request's language ----------------------------------


def test_a_server_error_is_json_in_the_request_language(world, monkeypatch):
    from reciprocite.registry import selectors

    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "partnership_list", crash)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/partnerships", HTTP_ACCEPT_LANGUAGE="fr")
    body = _json_error(response, 500)
    assert body == {
        "detail": "Une erreur du serveur s’est produite ; elle a été consignée. "
        "Veuillez réessayer plus tard."
    }
    # the site's pages keep their HTML error page
    monkeypatch.setattr(selectors, "partnership_list", crash)
    page = client.get("/partnerships/")
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/", "/api/v2/projects", "/api/v1/docs/nothing/x"])
def test_paths_under_api_that_no_route_matches_are_json_404(client, world, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert _json_error(response, 404) == {
        "detail": "No such endpoint: see /api/v1/docs for the list."
    }


def test_a_page_that_does_not_exist_is_still_html(client, world):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_index_says_what_the_api_is_and_where_its_description_is(client, world):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {
        "name": "Réciprocité API",
        "version": "1",
        "links": {
            "openapi": "http://testserver/api/v1/openapi.json",
            "docs": "http://testserver/api/v1/docs",
        },
    }
    assert client.get(response.json()["links"]["openapi"]).status_code == 200


def test_a_method_the_path_does_not_have_is_a_json_405_in_french(client, world):
    response = client.put("/api/v1/", data="{}", HTTP_ACCEPT_LANGUAGE="fr")
    body = _json_error(response, 405)
    assert body == {"detail": "La méthode PUT n’est pas permise ici ; méthodes permises : GET."}
    assert response["Allow"] == "GET"


@pytest.mark.parametrize("path", ["/partnerships", "/territories", "/knowledge/search", "/"])
def test_an_over_long_query_string_is_a_json_414(api, world, path):
    response = api.get(path, q="x" * (MAX_QUERY_STRING + 1))
    assert _json_error(response, 414) == {
        "detail": f"The query string is too long: {MAX_QUERY_STRING} bytes at most."
    }
    # up to the limit, the filters answer as usual (a 400 naming q on the registry lists)
    assert api.get(path, q="x" * (MAX_QUERY_STRING - 10)).status_code != 414


# --- a lone surrogate in a JSON string: 422 naming the field, never a 500 ---------------------

SURROGATE = "\\ud800"  # JSON text: the escape of a lone surrogate, valid JSON, not Unicode text


def _raw(body: dict) -> str:
    """JSON text with the escape of a lone surrogate wherever a value is SURROGATE."""
    return json.dumps(body).replace('"@@"', f'"{SURROGATE}"').replace('"a@@"', f'"a{SURROGATE}"')


def _surrogate_error(response, field):
    body = _json_error(response, 422)
    assert body == {
        "detail": "The data sent is not valid.",
        "errors": {
            field: ["Must be Unicode text: a lone surrogate (such as \\ud800) is not a character."]
        },
    }, body


def test_a_lone_surrogate_in_a_project_title_is_a_422(api, world, tokens):
    body = {"partnership": world.herouville_tikhvine.pk, "title": "@@", "themes": ["sante"]}
    before = Project.all_objects.count()
    response = api.post("/projects", _raw(body), token=tokens.analyst)
    _surrogate_error(response, "title")
    assert Project.all_objects.count() == before


def test_a_lone_surrogate_in_a_funder_name_names_the_nested_field(api, world, tokens):
    body = {
        "partnership": world.herouville_tikhvine.pk,
        "title": "Formation",
        "themes": ["sante"],
        "fundings": [{"funder": {"name": "a@@", "kind": "autre"}, "amount": 10}],
    }
    response = api.post("/projects", _raw(body), token=tokens.analyst)
    _surrogate_error(response, "fundings.0.funder.name")
    assert not Project.objects.filter(title="Formation").exists()


def test_a_lone_surrogate_in_a_partnership_description_is_a_422(api, world, tokens):
    partnership = world.herouville_tikhvine
    response = api.patch(
        f"/partnerships/{partnership.pk}", _raw({"description": "@@"}), token=tokens.analyst
    )
    _surrogate_error(response, "description")
    partnership.refresh_from_db()
    assert "\ud800" not in partnership.description


def test_a_lone_surrogate_in_a_territory_name_or_a_field_name_is_a_422(api, world, tokens):
    body = {"name": "@@", "kind": "municipality", "country": "MA"}
    _surrogate_error(api.post("/territories", _raw(body), token=tokens.analyst), "name")
    # in a key: the field is named with the escape, so that the answer is valid UTF-8
    raw = '{"name": "Rabat", "kind": "municipality", "country": "MA", "\\ud800": 1}'
    response = api.post("/territories", raw, token=tokens.analyst)
    _surrogate_error(response, "\\ud800")
    assert not Territory.objects.filter(name="Rabat").exists()


def test_a_lone_surrogate_in_a_survey_answer_sent_with_an_invitation_is_a_422(client, world):
    from tests.surveys.submissions_support import questionnaire_from_md, valid_answers

    form = questionnaire_from_md()
    organisation = organisation_create(
        name="Ville de Caen", kind="member", contact_email="international@caen.test"
    )
    campaign = Campaign.objects.create(
        questionnaire=form, title="Étude 2026", status=CampaignStatus.OPEN
    )
    _invitation, secret = invitation_create(
        campaign=campaign, organisation=organisation, email="a@caen.test"
    )
    answers = valid_answers() | {"collectivite_nom": "@@"}
    raw = _raw({"uuid": "0b8c6c1e-8f0e-4a43-9d0c-3f4c2a1b7e55", "data": answers})
    response = client.post(
        f"/api/v1/surveys/{form.form_id}/submissions",
        raw,
        content_type="application/json",
        HTTP_X_INVITATION_TOKEN=secret,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    _surrogate_error(response, "data.collectivite_nom")
    assert not Submission.objects.exists()


# --- refusals are whole sentences in the request's language ------------------------------------


def test_refusals_are_whole_french_sentences(client, world, tokens):
    def post(path, body, token):
        return client.post(
            "/api/v1" + path,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_ACCEPT_LANGUAGE="fr",
        )

    forbidden = post(
        "/partnerships",
        {
            "title": "Lille ↔ Tikhvine",
            "kind": "twinning",
            "french_territories": [world.lille.pk],
            "partner_territories": [world.tikhvine.pk],
        },
        tokens.herouville_editor,
    )
    assert _json_error(forbidden, 403) == {
        "detail": "Ce jeton ne peut pas créer un partenariat dont son territoire n’est pas "
        "partie (il agit avec le seul rôle de son adhésion)."
    }
    missing = client.get("/api/v1/partnerships/abc", HTTP_ACCEPT_LANGUAGE="fr")
    assert _json_error(missing, 404) == {"detail": "Aucun partenariat avec l’identifiant abc."}
    invalid = post("/territories", {"name": "", "kind": "commune", "country": "FR"}, tokens.analyst)
    assert _json_error(invalid, 422) == {
        "detail": "Les données envoyées ne sont pas valides.",
        "errors": {"name": ["Ne doit pas être vide."]},
    }
    page = client.get("/api/v1/projects", {"page": "0"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert _json_error(page, 400) == {"detail": "page: Doit valoir au moins 1.", "param": "page"}
