from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from reciprocite.coordination import selectors, services
from reciprocite.registry import services as registry

pytestmark = pytest.mark.django_db


def test_framework_list_filters_and_hides_unpublished(
    coordination, world, django_assert_max_num_queries
):
    c = coordination
    services.framework_create(partnership=world.lille_saint_louis, theme="sante", title="Santé")
    with django_assert_max_num_queries(4):
        public = [f.title for f in selectors.framework_list()]
    assert public == ["Cadre de concertation jeunesse"]
    assert [f.title for f in selectors.framework_list(viewer=world.lille_editor)] == [
        "Cadre de concertation jeunesse",
        "Santé",
    ]
    assert [f.title for f in selectors.framework_list(viewer=world.admin, country="sn")] == [
        "Santé"
    ]
    assert list(selectors.framework_list(viewer=world.admin, theme="logement")) == []
    assert [f.title for f in selectors.framework_list(partnership=c.framework.partnership)] == [
        "Cadre de concertation jeunesse"
    ]


def test_action_list_and_board_in_bounded_queries(coordination, django_assert_max_num_queries):
    c = coordination
    today = date(2030, 6, 15)
    for i in range(12):
        services.action_create(
            framework=c.framework,
            title=f"Action {i}",
            owner_member=c.member_member if i % 2 else None,
            owner_user=None if i % 2 else c.chair,
            due_on=date(2030, 6, 1) + timedelta(days=5 * i),
            status=["planned", "in_progress", "done", "dropped"][i % 4],
            blocked=i == 5,
            milestones=[{"title": "Étape"}],
        )
    with django_assert_max_num_queries(3):
        actions = list(selectors.action_list(today=today))
        board = selectors.accountability_board(actions, today=today)
        for a in actions:
            _ = (a.owner_name, list(a.milestones.all()), a.framework.theme)
    # dropped (i = 3, 7, 11) left out; late: open and due before 15 June (i = 0, 1)
    assert (board.total.total, board.total.done, board.total.late, board.total.blocked) == (
        9,
        3,
        2,
        1,
    )
    assert [(line.label, line.total) for line in board.by_owner] == [("chair", 6), ("member", 3)]
    late = selectors.action_list(overdue=True, today=today)
    assert [a.title for a in late] == ["Action 0", "Action 1"]
    assert selectors.action_list(owner="member", status="in_progress").count() == 3
    assert selectors.action_list(owner="nobody").count() == 0


def test_person_meetings_and_missing_minutes(coordination, world):
    c = coordination
    assert list(selectors.person_meetings(c.member)) == [c.meeting]
    assert list(selectors.person_meetings(world.outsider)) == []
    services.registration_create(meeting=c.meeting, user=world.outsider)
    assert list(selectors.person_meetings(world.outsider)) == [c.meeting]
    assert list(selectors.meetings_without_minutes(held_before=date(2030, 4, 5))) == [c.meeting]
    services.minutes_write(meeting=c.meeting, body="Bilan")
    assert list(selectors.meetings_without_minutes(held_before=date(2030, 4, 5))) == []


def test_reciprocity_entries_for_the_ledger(coordination, world):
    partnership = world.herouville_tikhvine
    services.exchange_create(
        partnership=partnership,
        title="Formation croisée",
        kind="training",
        direction="both",
        start_date=date(2018, 2, 1),
        lessons={
            "french": {"learned": "Le travail en réseau", "changed_at_home": "Un réseau"},
            "partner": {"learned": "", "changed_at_home": ""},
        },
    )
    services.exchange_create(
        partnership=partnership,
        title="Brouillon",
        kind="exchange",
        direction="both",
        start_date=date(2019, 2, 1),
        is_published=False,
        lessons={"partner": {"learned": "Caché"}},
    )
    entries = selectors.reciprocity_entries(partnership=partnership)
    assert [(e.title, e.side, e.learned, e.changed_at_home) for e in entries] == [
        ("Formation croisée", "french", "Le travail en réseau", "Un réseau")
    ]
    assert len(selectors.reciprocity_entries(viewer=world.tikhvine_editor)) == 2
    assert selectors.reciprocity_entries(side="partner") == []


def test_who_does_what_flags_overlaps_without_a_shared_framework(
    coordination, world, django_assert_max_num_queries
):
    c = coordination
    partnership = world.herouville_tikhvine
    other = registry.actor_create(
        name="Club de jeunes de Tikhvine", kind="association", territory=world.tikhvine
    )
    registry.project_actor_add(project=world.youth_centre, member=other, role="operator")
    services.pair_create(
        partnership=partnership,
        french_association=c.association_fr,
        partner_association=c.association_ru,
        theme="jeunesse",
    )
    with django_assert_max_num_queries(8):
        matrix = selectors.who_does_what(partnership)
    assert [(o.theme, o.place, o.actors) for o in matrix.overlaps] == [
        ("jeunesse", "Tikhvine", ("Centre de jeunesse de Tikhvine", "Club de jeunes de Tikhvine"))
    ]
    for actor in (c.association_ru, other):
        services.member_add(framework=c.framework, registry_actor=actor, side="partner")
    assert selectors.who_does_what(partnership).overlaps == []
    assert "jeunesse" in selectors.who_does_what(partnership).themes


def test_meeting_get_in_bounded_queries(coordination, django_assert_max_num_queries):
    c = coordination
    services.registration_create(meeting=c.meeting, user=c.member)
    services.minutes_write(meeting=c.meeting, body="Bilan")
    services.meeting_schedule(
        framework=c.framework,
        title="Autre",
        starts_at=datetime(2031, 1, 1, 8, tzinfo=UTC),
        ends_at=datetime(2031, 1, 1, 9, tzinfo=UTC),
    )
    with django_assert_max_num_queries(10):
        meeting = selectors.meeting_get(c.meeting.pk)
        assert meeting is not None
        _ = [r.user.username for r in meeting.registrations.all()]
        _ = [m.display_name for m in meeting.framework.members.all()]
        _ = list(meeting.agenda.all()), meeting.minutes.translations.all()
