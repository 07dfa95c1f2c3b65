"""Hostile and malformed input: always a JSON error with a clear message, never a 500.

The test client re-raises any exception a view lets through, so a crash fails these tests.
"""

import json

import pytest

from reciprocite.registry.models import Partnership, Project
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
    assert not_json["detail"] == "Cannot parse request body"
    a_list = _json_error(api.post("/partnerships", "[1, 2]", token=tokens.analyst), 422)
    assert a_list["errors"] == {
        "body": ["Input should be a valid dictionary or object to extract fields from"]
    }
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
    )
    assert response.status_code == 405
    assert api.delete("/territories/1", token=tokens.admin).status_code == 405


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
