"""A framework of Hérouville ↔ Tikhvine with a chair, a secretary, a member and a meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from reciprocite.accounts import services as accounts
from reciprocite.coordination import services
from reciprocite.registry import services as registry
from tests.factories import World


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


@dataclass
class Coordination:
    world: World
    framework: object
    chair: object
    secretary: object
    member: object
    chair_member: object
    secretary_member: object
    member_member: object
    meeting: object
    association_fr: object
    association_ru: object


@pytest.fixture
def coordination(world) -> Coordination:
    def user(name):
        return accounts.user_create(
            username=name, password=World.PASSWORD, email=f"{name}@example.org"
        )

    chair, secretary, member = user("chair"), user("secretary"), user("member")
    framework = services.framework_create(
        actor=world.herouville_editor,
        partnership=world.herouville_tikhvine,
        theme="jeunesse",
        title="Cadre de concertation jeunesse",
        time_zone="Europe/Moscow",
    )
    chair_member = services.member_add(
        framework=framework,
        user=chair,
        side="partner",
        position="chair",
        joined_on=date(2024, 1, 1),
    )
    secretary_member = services.member_add(
        framework=framework,
        user=secretary,
        side="french",
        position="secretary",
        joined_on=date(2024, 1, 1),
    )
    member_member = services.member_add(
        framework=framework, user=member, side="french", joined_on=date(2024, 1, 1)
    )
    meeting = services.meeting_schedule(
        framework=framework,
        title="Réunion de printemps",
        starts_at=datetime(2030, 4, 2, 7, 0, tzinfo=UTC),
        ends_at=datetime(2030, 4, 2, 9, 0, tzinfo=UTC),
        place="Mairie de Tikhvine",
        capacity=2,
        agenda=[{"title": "Bilan", "presenter": "Secrétariat", "duration_minutes": 30}],
    )
    association_fr = registry.actor_create(
        name="Maison des jeunes d'Hérouville", kind="association", territory=world.herouville
    )
    association_ru = registry.actor_create(
        name="Centre de jeunesse de Tikhvine", kind="association", territory=world.tikhvine
    )
    return Coordination(
        world=world,
        framework=framework,
        chair=chair,
        secretary=secretary,
        member=member,
        chair_member=chair_member,
        secretary_member=secretary_member,
        member_member=member_member,
        meeting=meeting,
        association_fr=association_fr,
        association_ru=association_ru,
    )
