"""The role × object × action matrix of coordination/permissions.py, denials included."""

from __future__ import annotations

from datetime import date

import pytest

from reciprocite.coordination import permissions as perms
from reciprocite.coordination import services

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous", "outsider", "admin", "analyst", "herouville_editor", "tikhvine_editor",
    "lille_editor", "chair", "secretary", "member",
]  # fmt: skip


def subject(c, role):
    if role == "anonymous":
        return None
    if role in ("chair", "secretary", "member"):
        return getattr(c, role)
    return getattr(c.world, role)


def matrix(c, predicate):
    return {role for role in ROLES if predicate(subject(c, role))}


def test_managing_a_framework(coordination):
    c = coordination
    assert matrix(c, lambda s: perms.can_manage_framework(s, c.framework)) == {
        "admin", "analyst", "herouville_editor", "tikhvine_editor", "chair", "secretary",
    }  # fmt: skip
    assert matrix(c, lambda s: perms.can_create_framework(s, c.world.herouville_tikhvine)) == {
        "admin", "analyst", "herouville_editor", "tikhvine_editor",
    }  # fmt: skip


def test_a_member_who_left_no_longer_manages(coordination):
    c = coordination
    services.member_update(member=c.secretary_member, left_on=date(2025, 1, 1))
    c.framework.__dict__.pop("_positions_by_user", None)
    assert not perms.can_manage_framework(c.secretary, c.framework)
    assert not perms.can_take_part(c.secretary, c.framework)


def test_taking_part_and_approving(coordination):
    c = coordination
    managers = {"admin", "analyst", "herouville_editor", "tikhvine_editor", "chair", "secretary"}
    assert matrix(c, lambda s: perms.can_take_part(s, c.framework)) == managers | {"member"}
    assert matrix(c, lambda s: perms.can_register(s, c.meeting)) == managers | {"member"}
    minutes = services.minutes_write(meeting=c.meeting, body="Bilan")
    assert matrix(c, lambda s: perms.can_approve_minutes(s, minutes)) == {"admin", "chair"}
    assert matrix(c, lambda s: perms.can_comment_minutes(s, minutes)) == managers | {"member"}


@pytest.mark.parametrize(
    ("status", "visibility", "public"),
    [
        ("draft", "public", False),
        ("approved", "public", False),
        ("published", "members", False),
        ("published", "public", True),
    ],
)
def test_reading_minutes(coordination, status, visibility, public):
    c = coordination
    services.framework_update(framework=c.framework, minutes_visibility=visibility)
    minutes = services.minutes_write(meeting=c.meeting, body="Bilan")
    if status != "draft":
        services.minutes_approve(actor=c.chair, minutes=minutes)
    if status == "published":
        services.minutes_publish(minutes=minutes)
    insiders = {
        "admin", "analyst", "herouville_editor", "tikhvine_editor", "chair", "secretary", "member",
    }  # fmt: skip
    expected = set(ROLES) if public else insiders
    assert matrix(c, lambda s: perms.can_view_minutes(s, minutes)) == expected


def test_a_framework_of_an_unpublished_partnership_is_hidden_from_the_public(coordination, world):
    c = coordination
    hidden = services.framework_create(
        partnership=world.lille_saint_louis, theme="sante", title="Santé"
    )
    assert matrix(c, lambda s: perms.can_view_framework(s, hidden)) == {
        "admin", "analyst", "lille_editor",
    }  # fmt: skip
    assert "anonymous" in matrix(c, lambda s: perms.can_view_framework(s, c.framework))


def test_pairs_and_exchanges_belong_to_the_editors_of_both_sides(coordination, world):
    c = coordination
    editors = {"admin", "analyst", "herouville_editor", "tikhvine_editor"}
    partnership = world.herouville_tikhvine
    assert matrix(c, lambda s: perms.can_manage_partnership_coordination(s, partnership)) == editors
    exchange = services.exchange_create(
        partnership=partnership,
        title="Visite",
        kind="study_visit",
        direction="to_partner",
        start_date=date(2016, 5, 1),
        is_published=False,
    )
    assert matrix(c, lambda s: perms.can_view_exchange(s, exchange)) == editors
    services.exchange_update(exchange=exchange, is_published=True)
    assert matrix(c, lambda s: perms.can_view_exchange(s, exchange)) == set(ROLES)
