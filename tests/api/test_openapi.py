"""The OpenAPI document and the browsable docs, served with our own assets (no CDN)."""

import json
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/": {"get"},
    "/api/v1/territories": {"get", "post"},
    "/api/v1/territories/{id}": {"get", "patch"},
    "/api/v1/zones": {"get"},
    "/api/v1/partnerships": {"get", "post"},
    "/api/v1/partnerships/{id}": {"get", "patch", "delete"},
    "/api/v1/projects": {"get", "post"},
    "/api/v1/projects/{id}": {"get", "patch", "delete"},
    "/api/v1/themes": {"get"},
    "/api/v1/publics": {"get"},
    "/api/v1/token": {"get"},
    "/api/v1/surveys/{form_id}/submissions": {"post"},
    "/api/v1/surveys/{form_id}/submissions/{uuid}": {"get"},
    "/api/v1/surveys/{form_id}/analysis": {"get"},
    "/api/v1/knowledge/search": {"get"},
    "/api/v1/knowledge/sheets/{ref}": {"get"},
    "/api/v1/knowledge/tools": {"get"},
    "/api/v1/matching/needs/{ref}/matches": {"get"},
    "/api/v1/matching/expertise/{ref}/matches": {"get"},
    "/api/v1/matching/interests/{ref}/matches": {"get"},
    "/api/v1/matching/innovations/{ref}/matches": {"get"},
    "/api/v1/panorama": {"get"},
    "/api/v1/frameworks": {"get"},
    "/api/v1/frameworks/{id}": {"get"},
    "/api/v1/frameworks/{id}/meetings": {"post"},
    "/api/v1/meetings/{id}": {"get"},
    "/api/v1/actions": {"get"},
    "/api/v1/actions/{id}": {"patch"},
    "/api/v1/exchanges": {"get"},
    "/api/v1/partnerships/{id}/who-does-what": {"get"},
}


def test_openapi_document_lists_every_path_and_method(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "Réciprocité API"
    assert doc["info"]["version"] == "1"
    methods = {path: set(ops) for path, ops in doc["paths"].items()}
    assert methods == PATHS


def test_openapi_document_marks_writes_as_needing_a_bearer_token(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["components"]["securitySchemes"] == {
        "BearerToken": {"type": "http", "scheme": "bearer"}
    }
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if method in {"post", "patch", "delete"}:
                assert op["security"] == [{"BearerToken": []}], (method, path)
                assert {"401", "403", "422"} <= set(op["responses"]), (method, path)
            elif path not in {
                "/api/v1/",
                "/api/v1/zones",
                "/api/v1/themes",
                "/api/v1/publics",
                "/api/v1/panorama",  # public figures: a token shows nothing more
                # matches among published records: a token shows nothing more
                "/api/v1/matching/needs/{ref}/matches",
                "/api/v1/matching/expertise/{ref}/matches",
                "/api/v1/matching/interests/{ref}/matches",
                "/api/v1/matching/innovations/{ref}/matches",
            }:
                # reads: anonymous, or with a token that widens what is visible
                expected = (
                    [{"BearerToken": []}]
                    # reads that need a token: who it is, the analysis of survey answers
                    if path in {"/api/v1/token", "/api/v1/surveys/{form_id}/analysis"}
                    else [
                        {},
                        {"BearerToken": []},
                    ]
                )
                assert op["security"] == expected, (method, path)


def test_openapi_document_names_the_list_filters(client):
    doc = client.get("/api/v1/openapi.json").json()

    def params(path):
        return {p["name"] for p in doc["paths"][path]["get"]["parameters"]}

    registry = {
        "q",
        "country",
        "zone",
        "theme",
        "authority_kind",
        "year_from",
        "year_to",
        "status",
        "budget_band",
        "kind",
        "facets",
        "page",
        "page_size",
    }
    assert params("/api/v1/partnerships") == registry
    assert params("/api/v1/projects") == registry | {"partnership"}
    assert params("/api/v1/territories") == {"q", "country", "zone", "kind", "page", "page_size"}


def _schema(doc, ref_or_schema):
    ref = ref_or_schema.get("$ref")
    return doc["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else ref_or_schema


def test_facets_are_described_as_they_are_sent(client, world):
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    page = schemas["PartnershipPageOut"]["properties"]["facets"]
    facets = _schema(doc, next(s for s in page["anyOf"] if "$ref" in s))
    assert set(facets["properties"]) == {
        "country",
        "zone",
        "theme",
        "authority_kind",
        "decade",
        "status",
        "budget_band",
        "kind",
    }
    item = _schema(doc, facets["properties"]["country"]["items"])
    assert set(item["properties"]) == {"value", "label", "count"}
    assert item["properties"]["value"]["type"] == "string"
    decade = _schema(doc, facets["properties"]["decade"]["items"])
    assert decade["properties"]["value"]["type"] == "integer"
    knowledge = schemas["SearchOut"]["properties"]["facets"]["additionalProperties"]["items"]
    assert set(_schema(doc, knowledge)["properties"]) == {"code", "label", "count"}
    assert "total_is_estimate" in schemas["SearchOut"]["required"]
    # and the answer has exactly that shape: a decade's value is an integer
    sent = client.get("/api/v1/partnerships", {"facets": "1"}).json()["facets"]
    assert sent["decade"] and all(isinstance(f["value"], int) for f in sent["decade"])
    assert all(isinstance(f["value"], str) for f in sent["country"])


def test_filters_with_fixed_values_are_enums(client):
    doc = client.get("/api/v1/openapi.json").json()

    def param(path, name):
        return next(p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == name)[
            "schema"
        ]

    assert param("/api/v1/partnerships", "status")["enum"] == [
        "planned",
        "active",
        "suspended",
        "ended",
    ]
    assert param("/api/v1/projects", "status")["enum"] == [
        "planned",
        "ongoing",
        "delayed",
        "completed",
        "cancelled",
    ]
    assert param("/api/v1/projects", "budget_band")["enum"] == [
        "lt10k",
        "10k-50k",
        "50k-200k",
        "200k-1m",
        "gte1m",
    ]
    assert "Maghreb" in param("/api/v1/partnerships", "zone")["enum"]
    assert "oblast" in param("/api/v1/territories", "kind")["enum"]
    assert param("/api/v1/projects", "partnership")["type"] == "integer"
    assert param("/api/v1/projects", "year_from") == {
        "type": "integer",
        "minimum": 1900,
        "maximum": 2100,
        "description": "Start year at least (1900–2100).",
        "title": "Year From",
    }


def test_every_operation_documents_its_error_answers(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            assert "414" in codes, (method, path)
            if method in {"post", "patch", "delete"}:
                assert {"400", "401", "403", "404", "413", "422", "429"} <= codes, (method, path)
            elif {"BearerToken": []} in op.get("security", []):
                assert {"401", "429"} <= codes, (method, path)


def test_write_fields_are_nullable_only_where_null_is_accepted(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    def nullable(schema, field):
        prop = schemas[schema]["properties"][field]
        return {"type": "null"} in prop.get("anyOf", [])

    assert nullable("PartnershipPatch", "end_date")
    assert not nullable("PartnershipPatch", "title")
    assert nullable("ProjectPatch", "budget") and nullable("ProjectPatch", "programme")
    assert not nullable("ProjectPatch", "themes")
    assert nullable("TerritoryPatch", "population")
    assert not nullable("TerritoryPatch", "languages")
    assert schemas["PartnershipIn"]["properties"]["kind"]["enum"] == [
        "cooperation",
        "twinning",
        "one_off",
    ]


def test_a_null_where_the_schema_refuses_one_is_a_422_not_a_500(api, world, tokens):
    territory = world.herouville
    response = api.patch(f"/territories/{territory.pk}", {"languages": None}, token=tokens.admin)
    assert response.status_code == 422
    assert response.json()["errors"] == {"languages": ["Must be a list."]}
    response = api.patch(
        f"/partnerships/{world.herouville_tikhvine.pk}", {"title": None}, token=tokens.admin
    )
    assert response.json()["errors"] == {"title": ["Must be text."]}


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name):
                self.urls.append((tag, attrs[name]))


def test_docs_page_loads_its_scripts_and_styles_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    parser = _Assets()
    parser.feed(html)
    tags = {tag for tag, _url in parser.urls}
    assert {"script", "link"} <= tags
    for _tag, url in parser.urls:
        assert url.startswith("/static/"), url
    for cdn in ("http://", "https://", "//cdn", "unpkg", "jsdelivr", "cdnjs"):
        assert cdn not in html
    # the page asks for our OpenAPI document and no outside validator
    assert '"url": "/api/v1/openapi.json"' in html
    assert '"validatorUrl": null' in html
    # every asset is actually served by the application
    for _tag, url in parser.urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        body = b"".join(asset.streaming_content) if asset.streaming else asset.content
        assert len(body) > 0, url
        asset.close()
