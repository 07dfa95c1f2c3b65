"""Fixtures of the API tests: one token per role, an extra partnership, and a JSON client."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest

from reciprocite.accounts import services as accounts
from reciprocite.accounts.models import Role
from reciprocite.registry import services as registry
from reciprocite.territories.services import territory_create

ROLES = [
    "admin",
    "analyst",
    "herouville_editor",
    "tikhvine_editor",
    "lille_editor",
    "outsider",
]


@dataclass
class Tokens:
    """Clear secrets by role, plus a revoked one (Hérouville's editor)."""

    admin: str
    analyst: str
    herouville_editor: str
    tikhvine_editor: str
    lille_editor: str
    outsider: str
    revoked: str


@pytest.fixture
def tokens(world) -> Tokens:
    def token_of(user, name):
        membership = user.memberships.get()
        return accounts.api_token_create(membership=membership, name=name)[1]

    # The administrator and the outsider have no membership in the world: give them one in
    # an organisation without a territory (so the token carries no editor rights of its own).
    platform = accounts.organisation_create(name="Plateforme", kind="network")
    accounts.membership_add(user=world.admin, organisation=platform, role=Role.MEMBER_EDITOR)
    association = accounts.organisation_create(name="Association des amis", kind="association")
    accounts.membership_add(user=world.outsider, organisation=association, role=Role.MEMBER_EDITOR)
    revoked, _secret = accounts.api_token_create(
        membership=world.herouville_editor.memberships.get(), name="old script"
    )
    accounts.api_token_revoke(token=revoked)
    return Tokens(
        admin=token_of(world.admin, "admin script"),
        analyst=token_of(world.analyst, "analyst script"),
        herouville_editor=token_of(world.herouville_editor, "herouville script"),
        tikhvine_editor=token_of(world.tikhvine_editor, "tikhvine script"),
        lille_editor=token_of(world.lille_editor, "lille script"),
        outsider=token_of(world.outsider, "outsider script"),
        revoked=_secret,
    )


@dataclass
class Extra:
    """A third, published partnership and the details of the first one.

    - ``nantes_agadir`` (published twinning, ended, 2005): Loire-Atlantique (FR, département)
      ↔ Agadir (MA, Maghreb); one project "Accueil des personnes handicapées" (handicap,
      8,000 EUR, planned, 2006).
    - Hérouville ↔ Tikhvine gets a programme 1995–1997 with two budget lines, a convention,
      co-fundings and actors on the employment office, and the youth centre replicated the
      office's model.
    """

    loire_atlantique: object
    agadir: object
    nantes_agadir: object
    disability: object
    programme: object
    funder_state: object
    funder_city: object
    association: object
    document: object


@pytest.fixture
def extra(world) -> Extra:
    la = territory_create(name="Loire-Atlantique", kind="departement", country="FR")
    agadir = territory_create(name="Agadir", kind="municipality", country="MA")
    na = registry.partnership_create(
        title="Loire-Atlantique ↔ Agadir",
        kind="twinning",
        status="ended",
        start_date=date(2005, 3, 1),
        end_date=date(2015, 12, 31),
        french_territories=[la],
        partner_territories=[agadir],
    )
    disability = registry.project_create(
        partnership=na,
        title="Accueil des personnes handicapées",
        themes=["handicap"],
        publics=["personnes_handicapees"],
        start_date=date(2006, 9, 1),
        budget_amount=8000,
        status="planned",
    )
    ht = world.herouville_tikhvine
    programme = registry.programme_create(
        partnership=ht, title="Programme triennal", start_year=1995, end_year=1997
    )
    state = registry.funder_get_or_create(
        name="Ministère des Affaires étrangères", kind="etat_appel_projets"
    )
    city = registry.funder_get_or_create(name="Ville d'Hérouville", kind="fonds_propres")
    registry.budget_line_set(programme=programme, year=1996, funder=state, amount=15000)
    registry.budget_line_set(programme=programme, year=1995, funder=city, amount="7500.50")
    office = world.employment_office
    registry.project_update(
        project=office,
        programme=programme,
        publics=["demandeurs_emploi", "jeunes"],
        fundings=[(state, 10000, "EUR"), (city, 15000, "EUR")],
    )
    association = registry.actor_create(
        name="Association Hérouville-Tikhvine", kind="association", territory=world.herouville
    )
    registry.project_actor_add(project=office, member=association, role="lead", note="Pilote")
    registry.replication_link(model=office, replica=world.youth_centre, note="Même méthode")
    document = registry.document_add(
        partnership=ht,
        title="Convention de coopération",
        kind="convention",
        signed_on=date(1991, 10, 1),
    )
    return Extra(
        loire_atlantique=la,
        agadir=agadir,
        nantes_agadir=na,
        disability=disability,
        programme=programme,
        funder_state=state,
        funder_city=city,
        association=association,
        document=document,
    )


class Api:
    """The Django test client speaking JSON to /api/v1/, in English."""

    def __init__(self, client):
        self.client = client

    def request(self, method: str, path: str, *, token: str | None = None, body=None, **params):
        headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
        if token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        url = "/api/v1" + path
        call = getattr(self.client, method.lower())
        if method.upper() == "GET":
            return call(url, params, **headers)
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return call(url, data=data, content_type="application/json", **headers)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, body={}, **kw)


@pytest.fixture
def api(client) -> Api:
    return Api(client)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]
