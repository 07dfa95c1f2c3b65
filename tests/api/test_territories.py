"""/territories and /zones: reads, filters, pagination, writes and their denials."""

import pytest

from reciprocite.territories.models import Territory
from tests.api.conftest import ids

pytestmark = pytest.mark.django_db


def _herouville(world):
    t = world.herouville
    return {
        "id": t.pk,
        "url": f"http://testserver/api/v1/territories/{t.pk}",
        "html_url": f"http://testserver/territories/{t.pk}/",
        "name": "Hérouville-Saint-Clair",
        "kind": "commune",
        "country": "FR",
        "kind_label": "Commune",
        "country_name": "France",
        "zone": "Western Europe",
        "subdivision": "FR-14",
        "subdivision_name": "Calvados",
        "official_code": "14327",
        "latitude": 49.2036,
        "longitude": -0.3306,
        "population": 22000,
        "languages": ["fr"],
        "is_fictitious": False,
    }


def _without_times(item):
    return {k: v for k, v in item.items() if k not in {"created_at", "updated_at"}}


def test_list_is_public_and_gives_every_field(api, world):
    response = api.get("/territories")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("count", "page", "page_size", "next", "previous")} == {
        "count": 4,
        "page": 1,
        "page_size": 20,
        "next": None,
        "previous": None,
    }
    names = [t["name"] for t in body["results"]]
    assert sorted(names) == ["Hérouville-Saint-Clair", "Lille", "Saint-Louis", "Tikhvine"]
    herouville = next(t for t in body["results"] if t["id"] == world.herouville.pk)
    assert _without_times(herouville) == _herouville(world)
    assert herouville["created_at"].endswith("Z") or "+" in herouville["created_at"]


def test_detail(api, world):
    response = api.get(f"/territories/{world.herouville.pk}")
    assert response.status_code == 200
    assert _without_times(response.json()) == _herouville(world)


def test_detail_of_an_absent_territory_is_a_json_404(api, world):
    response = api.get("/territories/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "No territory with id 999999."}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "FR"}, ["herouville", "lille"]),
        ({"country": "fr"}, ["herouville", "lille"]),
        ({"zone": "Eastern Europe"}, ["tikhvine"]),
        ({"zone": "Western Africa"}, ["saint_louis"]),
        ({"kind": "municipality"}, ["tikhvine"]),
        ({"kind": "commune", "country": "SN"}, ["saint_louis"]),
        ({"q": "lil"}, ["lille"]),
        ({"q": "14327"}, ["herouville"]),
        ({"q": "'; DROP TABLE territories_territory; --"}, []),
    ],
)
def test_filters(api, world, params, expected):
    assert sorted(ids(api.get("/territories", **params))) == sorted(
        getattr(world, name).pk for name in expected
    )


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"country": "XX"}, "country"),
        ({"zone": "Atlantis"}, "zone"),
        ({"kind": "castle"}, "kind"),
        ({"theme": "sante"}, "theme"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_or_unknown_filters_are_400_naming_the_parameter(api, world, params, param):
    response = api.get("/territories", **params)
    assert response.status_code == 400
    assert response.json()["param"] == param
    assert response.json()["detail"].startswith(f"{param}: ")


def test_pagination(api, world):
    first = api.get("/territories", page_size=3, country="")
    body = first.json()
    assert (body["count"], body["page"], body["page_size"], len(body["results"])) == (4, 1, 3, 3)
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/v1/territories?page_size=3&country=&page=2"
    second = api.get("/territories", page_size=3, country="", page=2).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/territories?page_size=3&country=&page=1"
    every = [t["id"] for t in body["results"]] + [t["id"] for t in second["results"]]
    assert sorted(every) == sorted(t.pk for t in Territory.objects.all())
    past = api.get("/territories", page_size=3, page=3)
    assert past.status_code == 404
    assert past.json() == {
        "detail": "page: there is no page 3; the last page is 2.",
        "param": "page",
    }


NEW = {
    "name": "Agadir",
    "kind": "municipality",
    "country": "ma",
    "latitude": 30.4278,
    "longitude": -9.5981,
    "population": 421844,
    "languages": ["ar", "fr"],
}


@pytest.mark.parametrize("role", ["analyst", "admin", "herouville_editor", "tikhvine_editor"])
def test_create_by_any_editor_analyst_or_admin(api, world, tokens, role):
    response = api.post("/territories", NEW, token=getattr(tokens, role))
    assert response.status_code == 201, response.content
    body = response.json()
    created = Territory.objects.get(pk=body["id"])
    assert _without_times(body) == {
        "id": created.pk,
        "url": f"http://testserver/api/v1/territories/{created.pk}",
        "html_url": f"http://testserver/territories/{created.pk}/",
        "name": "Agadir",
        "kind": "municipality",
        "country": "MA",
        "kind_label": "Municipality",
        "country_name": "Morocco",
        "zone": "Maghreb",
        "subdivision": "",
        "subdivision_name": "",
        "official_code": "",
        "latitude": 30.4278,
        "longitude": -9.5981,
        "population": 421844,
        "languages": ["ar", "fr"],
        "is_fictitious": False,
    }
    assert created.history.get().history_user == getattr(world, role)


@pytest.mark.parametrize(
    ("token", "status"),
    [(None, 401), ("revoked", 401), ("outsider", 403)],
)
def test_create_denied(api, world, tokens, token, status):
    secret = getattr(tokens, token) if token else None
    response = api.post("/territories", NEW, token=secret)
    assert response.status_code == status
    assert "detail" in response.json()
    assert not Territory.objects.filter(name="Agadir").exists()


def test_create_with_invalid_fields_is_422_by_field(api, world, tokens):
    body = NEW | {"country": "ZZ", "languages": ["xx"]}
    response = api.post("/territories", body, token=tokens.analyst)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors == {
        "country": ["ZZ is not an ISO 3166-1 country code."],
        "languages": ["Languages must be a list of ISO 639-1 codes."],
    }
    out_of_range = api.post("/territories", NEW | {"latitude": 91}, token=tokens.analyst)
    assert out_of_range.status_code == 422
    assert list(out_of_range.json()["errors"]) == ["latitude"]
    assert not Territory.objects.filter(name="Agadir").exists()


@pytest.mark.parametrize(
    ("role", "which", "status"),
    [
        ("herouville_editor", "herouville", 200),
        ("herouville_editor", "tikhvine", 403),
        ("tikhvine_editor", "tikhvine", 200),
        ("lille_editor", "herouville", 403),
        ("outsider", "herouville", 403),
        ("analyst", "tikhvine", 200),
        ("admin", "saint_louis", 200),
    ],
)
def test_update_matrix(api, world, tokens, role, which, status):
    territory = getattr(world, which)
    response = api.patch(
        f"/territories/{territory.pk}", {"population": 12345}, token=getattr(tokens, role)
    )
    assert response.status_code == status, response.content
    territory.refresh_from_db()
    if status == 200:
        assert response.json()["population"] == 12345
        assert territory.population == 12345
        assert territory.history.latest().history_user == getattr(world, role)
    else:
        assert territory.population != 12345


def test_update_changes_only_the_fields_given(api, world, tokens):
    response = api.patch(
        f"/territories/{world.herouville.pk}", {"name": "Hérouville"}, token=tokens.analyst
    )
    assert response.status_code == 200
    body = _without_times(response.json())
    assert body == _herouville(world) | {"name": "Hérouville"}


def test_update_refuses_unknown_fields_and_absent_territories(api, world, tokens):
    unknown = api.patch(f"/territories/{world.herouville.pk}", {"mayor": "X"}, token=tokens.analyst)
    assert unknown.status_code == 422
    assert list(unknown.json()["errors"]) == ["mayor"]
    absent = api.patch("/territories/999999", {"population": 1}, token=tokens.analyst)
    assert absent.status_code == 404


def test_zones_with_their_names_and_countries(api, world):
    response = api.get("/zones")
    assert response.status_code == 200
    zones = {z["key"]: z for z in response.json()}
    maghreb = zones["Maghreb"]
    assert maghreb["name_fr"] == "Maghreb"
    assert maghreb["name_en"] == "Maghreb"
    assert [c["code"] for c in maghreb["countries"]] == ["DZ", "LY", "MA", "MR", "TN"]
    assert maghreb["countries"][2] == {
        "code": "MA",
        "name": "Morocco",
        "name_fr": "Maroc",
        "name_en": "Morocco",
    }
    eastern = zones["Eastern Europe"]
    assert eastern["name_fr"] == "Europe de l'Est"
    assert "RU" in [c["code"] for c in eastern["countries"]]
    # every zone key filters the territory list
    for key in zones:
        assert api.get("/territories", zone=key).status_code == 200
