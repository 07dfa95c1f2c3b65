from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from reciprocite.coordination import services
from reciprocite.coordination.models import (
    Action,
    AgendaItem,
    Decision,
    Exchange,
    Meeting,
    MeetingStatus,
    RegistrationStatus,
)

pytestmark = pytest.mark.django_db

START = datetime(2030, 5, 1, 8, 0, tzinfo=UTC)


def schedule(c, **kw):
    fields = {
        "framework": c.framework,
        "title": "Réunion",
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
    } | kw
    return services.meeting_schedule(**fields)


def test_a_meeting_ending_before_it_starts_is_refused(coordination):
    with pytest.raises(ValidationError) as exc:
        schedule(coordination, ends_at=START - timedelta(minutes=1))
    assert "ends_at" in exc.value.message_dict
    assert Meeting.objects.count() == 1


def test_an_unknown_time_zone_is_refused_naming_the_field(coordination):
    with pytest.raises(ValidationError) as exc:
        schedule(coordination, time_zone="Africa/Atlantis")
    assert exc.value.message_dict["time_zone"] == ["Africa/Atlantis is not a known time zone."]
    with pytest.raises(ValidationError) as exc:
        services.framework_update(framework=coordination.framework, time_zone="Mars/Olympus")
    assert "time_zone" in exc.value.message_dict


def test_a_naive_time_is_refused(coordination):
    with pytest.raises(ValidationError) as exc:
        schedule(coordination, starts_at=datetime(2030, 5, 1, 8, 0))  # noqa: DTZ001
    assert "starts_at" in exc.value.message_dict


def test_an_agenda_of_ten_thousand_items_is_refused_and_nothing_written(coordination):
    agenda = [{"title": f"Point {i}"} for i in range(10_000)]
    with pytest.raises(ValidationError) as exc:
        schedule(coordination, agenda=agenda)
    assert exc.value.message_dict["agenda"] == [
        "An agenda holds at most 200 items; this one has 10000."
    ]
    assert Meeting.objects.count() == 1


def test_a_bad_agenda_item_names_its_row_and_rolls_back_the_meeting(coordination):
    with pytest.raises(ValidationError) as exc:
        schedule(coordination, agenda=[{"title": "Ok"}, {"title": ""}])
    assert "agenda[1].title" in exc.value.message_dict
    assert Meeting.objects.count() == 1
    assert AgendaItem.objects.count() == 1


def test_registrations_fill_the_capacity_then_the_waiting_list(coordination):
    c = coordination
    first = services.registration_create(meeting=c.meeting, user=c.chair)
    second = services.registration_create(meeting=c.meeting, user=c.secretary)
    third = services.registration_create(meeting=c.meeting, user=c.member)
    assert [first.status, second.status, third.status] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITING,
    ]
    assert services.registration_create(meeting=c.meeting, user=c.member).pk == third.pk
    services.registration_cancel(registration=first)
    third.refresh_from_db()
    assert third.status == RegistrationStatus.CONFIRMED


def test_a_capacity_below_the_registrations_is_refused(coordination):
    c = coordination
    services.registration_create(meeting=c.meeting, user=c.chair)
    services.registration_create(meeting=c.meeting, user=c.secretary)
    with pytest.raises(ValidationError) as exc:
        services.meeting_set_capacity(meeting=c.meeting, capacity=1)
    assert exc.value.message_dict["capacity"] == [
        "The capacity (1) is below the 2 confirmed registrations."
    ]
    c.meeting.refresh_from_db()
    assert c.meeting.capacity == 2


def test_moving_raises_the_sequence_and_cancelling_too(coordination):
    c = coordination
    uid = c.meeting.uid
    services.meeting_move(
        meeting=c.meeting, starts_at=START, ends_at=START + timedelta(hours=1), place="En ligne"
    )
    assert (c.meeting.status, c.meeting.sequence, c.meeting.uid) == (MeetingStatus.MOVED, 1, uid)
    services.meeting_cancel(meeting=c.meeting)
    assert (c.meeting.status, c.meeting.sequence) == (MeetingStatus.CANCELLED, 2)
    services.meeting_cancel(meeting=c.meeting)
    assert c.meeting.sequence == 2
    with pytest.raises(ValidationError):
        services.meeting_move(
            meeting=c.meeting, starts_at=START, ends_at=START + timedelta(hours=1)
        )


def test_minutes_are_sanitised_approved_then_published_and_close_the_meeting(coordination):
    c = coordination
    with pytest.raises(ValidationError) as exc:
        services.meeting_close(meeting=c.meeting)
    assert "minutes" in exc.value.message_dict
    services.meeting_hold(meeting=c.meeting, present=[c.chair_member], excused=[c.member_member])
    minutes = services.minutes_write(
        actor=c.secretary,
        meeting=c.meeting,
        body='<p onclick="x()">Bilan <script>alert(1)</script><strong>positif</strong></p>',
    )
    assert minutes.body == "<p>Bilan <strong>positif</strong></p>"
    with pytest.raises(ValidationError) as exc:
        services.minutes_write(meeting=c.meeting, body="<script>alert(1)</script>")
    assert exc.value.message_dict["body"] == ["The minutes are empty."]
    services.minutes_translate(minutes=minutes, language="ru", body="Итоги")
    services.minutes_comment(minutes=minutes, author=c.member, body="Ajouter le budget.")
    services.minutes_approve(actor=c.chair, minutes=minutes)
    with pytest.raises(ValidationError):
        services.minutes_comment(minutes=minutes, author=c.member, body="Trop tard")
    with pytest.raises(ValidationError):
        services.minutes_write(meeting=c.meeting, body="Changement")
    services.minutes_publish(minutes=minutes)
    services.meeting_close(meeting=c.meeting)
    assert c.meeting.status == MeetingStatus.CLOSED
    assert minutes.approved_by == c.chair
    attendance = {a.member_id: (a.present, a.excused) for a in c.meeting.attendances.all()}
    assert attendance == {c.chair_member.pk: (True, False), c.member_member.pk: (False, True)}


def test_decisions_are_numbered_per_framework(coordination, world):
    c = coordination
    other = services.framework_create(
        partnership=world.lille_saint_louis, theme="sante", title="Santé"
    )
    numbers = [services.decision_record(framework=c.framework, title=t).number for t in "abc"]
    assert numbers == [1, 2, 3]
    assert services.decision_record(framework=other, title="x").number == 1
    with pytest.raises(ValidationError) as exc:
        services.decision_record(framework=other, title="y", meeting=c.meeting)
    assert "meeting" in exc.value.message_dict
    assert Decision.objects.count() == 4


def test_actions_keep_their_history_and_check_their_links(coordination, world):
    c = coordination
    decision = services.decision_record(framework=c.framework, title="Ouvrir un point jeunes")
    action = services.action_create(
        actor=c.secretary,
        framework=c.framework,
        decision=decision,
        title="Trouver un local",
        owner_member=c.member_member,
        due_on=date(2030, 6, 1),
        project=world.youth_centre,
        milestones=[{"title": "Visite", "due_on": date(2030, 5, 1)}],
    )
    services.action_update(actor=c.chair, action=action, status="in_progress", progress=40)
    services.action_update(actor=c.chair, action=action, status="done")
    assert (action.progress, action.completed_on is not None) == (100, True)
    history = list(action.history.order_by("history_date"))
    assert [(h.status, h.progress, h.history_user) for h in history] == [
        ("planned", 0, c.secretary),
        ("in_progress", 40, c.chair),
        ("done", 100, c.chair),
    ]
    with pytest.raises(ValidationError) as exc:
        services.action_create(framework=c.framework, title="Sans porteur")
    assert "owner" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            framework=c.framework, title="x", owner_user=c.chair, project=world.ccas
        )
    assert "project" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.action_create(framework=c.framework, title="x", owner_user=c.chair, progress=150)
    assert "progress" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            framework=c.framework, title="x", owner_user=c.chair, milestones=[{"title": ""}]
        )
    assert "milestones[0].title" in exc.value.message_dict
    assert Action.objects.count() == 1


def test_a_pair_takes_one_association_per_side(coordination, world):
    c = coordination
    pair = services.pair_create(
        partnership=world.herouville_tikhvine,
        french_association=c.association_fr,
        partner_association=c.association_ru,
        theme="jeunesse",
        start_date=date(2012, 9, 1),
    )
    services.joint_activity_add(pair=pair, date=date(2013, 7, 1), title="Camp d'été")
    assert pair.activities.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.pair_create(
            partnership=world.herouville_tikhvine,
            french_association=c.association_ru,
            partner_association=c.association_fr,
            theme="jeunesse",
        )
    assert "french_association" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.pair_create(
            partnership=world.herouville_tikhvine,
            french_association=c.association_fr,
            partner_association=c.association_ru,
            theme="astrologie",
        )
    assert "theme" in exc.value.message_dict


def test_an_exchange_keeps_its_participants_and_lessons_per_side(coordination, world):
    c = coordination
    exchange = services.exchange_create(
        partnership=world.herouville_tikhvine,
        title="Échange de travailleurs sociaux",
        kind="exchange",
        direction="both",
        theme="jeunesse",
        start_date=date(2015, 3, 2),
        end_date=date(2015, 3, 9),
        participants=[
            {"name": "Travailleuse sociale (fictive)", "side": "french", "role": "éducatrice"},
            {"actor": c.association_ru, "side": "partner", "role": "accueil"},
        ],
        lessons={
            "french": {"learned": "Le travail de rue", "changed_at_home": "Une équipe mobile"},
            "partner": {"learned": "La médiation familiale"},
        },
    )
    assert exchange.participants.count() == 2
    assert sorted(exchange.lessons.values_list("side", flat=True)) == ["french", "partner"]
    with pytest.raises(ValidationError) as exc:
        services.exchange_create(
            partnership=world.herouville_tikhvine,
            title="x",
            kind="exchange",
            direction="both",
            start_date=date(2015, 3, 2),
            participants=[{"side": "french", "role": "?"}],
        )
    assert "participants[0].name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.exchange_create(
            partnership=world.herouville_tikhvine,
            title="x",
            kind="exchange",
            direction="both",
            start_date=date(2015, 3, 2),
            end_date=date(2015, 3, 1),
        )
    assert "end_date" in exc.value.message_dict
    assert Exchange.objects.count() == 1
