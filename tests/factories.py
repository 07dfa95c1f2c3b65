"""Test data built through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reciprocite.accounts import services as accounts
from reciprocite.accounts.models import Role
from reciprocite.registry import services as registry
from reciprocite.territories.services import territory_create


@dataclass
class World:
    """Two partnerships, their territories, and one user per role.

    - ``herouville_tikhvine`` (published): Hérouville-Saint-Clair (FR) ↔ Tikhvine (RU)
    - ``lille_saint_louis`` (unpublished): Lille (FR) ↔ Saint-Louis (SN)
    - users: admin, analyst, herouville_editor (member editor of Hérouville),
      tikhvine_editor (partner editor of Tikhvine), lille_editor (member editor of Lille),
      outsider (signed in, no membership)
    """

    herouville: object
    tikhvine: object
    lille: object
    saint_louis: object
    herouville_tikhvine: object
    lille_saint_louis: object
    employment_office: object
    youth_centre: object
    ccas: object
    admin: object
    analyst: object
    herouville_editor: object
    tikhvine_editor: object
    lille_editor: object
    outsider: object

    PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test password


def build_world() -> World:
    herouville = territory_create(
        name="Hérouville-Saint-Clair",
        kind="commune",
        country="FR",
        subdivision="FR-14",
        official_code="14327",
        latitude=49.2036,
        longitude=-0.3306,
        population=22000,
        languages=["fr"],
    )
    tikhvine = territory_create(
        name="Tikhvine", kind="municipality", country="RU", subdivision="RU-LEN", languages=["ru"]
    )
    lille = territory_create(name="Lille", kind="commune", country="FR", official_code="59350")
    saint_louis = territory_create(name="Saint-Louis", kind="commune", country="SN")
    ht = registry.partnership_create(
        title="Hérouville-Saint-Clair ↔ Tikhvine",
        kind="cooperation",
        start_date=date(1991, 10, 1),
        french_territories=[herouville],
        partner_territories=[tikhvine],
    )
    lsl = registry.partnership_create(
        title="Lille ↔ Saint-Louis",
        kind="cooperation",
        start_date=date(1978, 1, 1),
        is_published=False,
        french_territories=[lille],
        partner_territories=[saint_louis],
    )
    office = registry.project_create(
        partnership=ht,
        title="Bureau de l'emploi de Tikhvine",
        themes=["insertion_emploi"],
        start_date=date(1996, 1, 1),
        budget_amount=25000,
        status="completed",
    )
    centre = registry.project_create(
        partnership=ht,
        title="Centre d'aide médico-psychologique pour la jeunesse",
        themes=["jeunesse", "sante"],
        start_date=date(1999, 1, 1),
        budget_amount=120000,
    )
    ccas = registry.project_create(
        partnership=lsl,
        title="Centre communal d'action sociale de Saint-Louis",
        themes=["acces_droits"],
        start_date=date(2010, 1, 1),
        budget_amount=60000,
        status="delayed",
    )

    def user(name, **kw):
        return accounts.user_create(username=name, password=World.PASSWORD, **kw)

    def org(name, kind, territory=None):
        return accounts.organisation_create(name=name, kind=kind, territory=territory)

    admin = user("admin", is_superuser=True)
    analyst = user("analyst")
    accounts.membership_add(user=analyst, organisation=org("Réseau", "network"), role=Role.ANALYST)
    he = user("herouville_editor")
    accounts.membership_add(
        user=he,
        organisation=org("Ville d'Hérouville", "member", herouville),
        role=Role.MEMBER_EDITOR,
    )
    te = user("tikhvine_editor")
    accounts.membership_add(
        user=te,
        organisation=org("Ville de Tikhvine", "partner", tikhvine),
        role=Role.PARTNER_EDITOR,
    )
    le = user("lille_editor")
    accounts.membership_add(
        user=le, organisation=org("Ville de Lille", "member", lille), role=Role.MEMBER_EDITOR
    )
    outsider = user("outsider")
    return World(
        herouville=herouville,
        tikhvine=tikhvine,
        lille=lille,
        saint_louis=saint_louis,
        herouville_tikhvine=ht,
        lille_saint_louis=lsl,
        employment_office=office,
        youth_centre=centre,
        ccas=ccas,
        admin=admin,
        analyst=analyst,
        herouville_editor=he,
        tikhvine_editor=te,
        lille_editor=le,
        outsider=outsider,
    )
