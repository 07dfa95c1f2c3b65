from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from reciprocite.coordination import mail, services, tasks
from reciprocite.coordination.models import CalendarFeed
from tests.surveys.conftest import smtp_server  # noqa: F401 - a fixture, used by name

pytestmark = pytest.mark.django_db


def events(content: bytes):
    cal = Calendar.from_ical(content)
    return cal, [c for c in cal.walk("VEVENT")]


def test_the_framework_feed_parses_back_with_stable_uids(client, coordination):
    c = coordination
    response = client.get(f"/coordination/frameworks/{c.framework.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal, [event] = events(response.content)
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Moscow"
    assert str(event["UID"]) == c.meeting.uid
    assert event.decoded("DTSTART") == datetime(2030, 4, 2, 7, 0, tzinfo=UTC)
    assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (0, "CONFIRMED")
    services.meeting_move(
        meeting=c.meeting,
        starts_at=datetime(2030, 4, 3, 7, 0, tzinfo=UTC),
        ends_at=datetime(2030, 4, 3, 8, 0, tzinfo=UTC),
    )
    _, [event] = events(
        client.get(f"/coordination/frameworks/{c.framework.pk}/calendar.ics").content
    )
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (c.meeting.uid, 1)
    services.meeting_cancel(meeting=c.meeting)
    _, [event] = events(
        client.get(f"/coordination/frameworks/{c.framework.pk}/calendar.ics").content
    )
    assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (2, "CANCELLED")


def test_an_unpublished_partnership_feed_is_a_404_for_the_public(client, world):
    framework = services.framework_create(
        partnership=world.lille_saint_louis, theme="sante", title="Santé"
    )
    assert client.get(f"/coordination/frameworks/{framework.pk}/calendar.ics").status_code == 404
    client.force_login(world.lille_editor)
    assert client.get(f"/coordination/frameworks/{framework.pk}/calendar.ics").status_code == 200


def test_a_person_feed_by_secret_token_revocable_and_forged_404(client, coordination):
    c = coordination
    token = services.calendar_feed_create(user=c.member)
    response = client.get(f"/coordination/calendar/{token}.ics")
    assert response.status_code == 200
    _, found = events(response.content)
    assert [str(e["UID"]) for e in found] == [c.meeting.uid]
    assert client.get(f"/coordination/calendar/{token[:-1]}x.ics").status_code == 404
    assert client.get("/coordination/calendar/forged.ics").status_code == 404
    services.calendar_feed_revoke(feed=CalendarFeed.objects.get())
    assert client.get(f"/coordination/calendar/{token}.ics").status_code == 404


def test_my_calendar_page_creates_and_revokes(client, coordination):
    c = coordination
    assert client.get("/coordination/calendar/").status_code == 302
    client.force_login(c.member)
    response = client.post("/coordination/calendar/", {"action": "create"})
    url = response.context["new_url"]
    assert url.startswith("http://testserver/coordination/calendar/")
    assert client.get(url.removeprefix("http://testserver")).status_code == 200
    client.post("/coordination/calendar/", {"action": "revoke"})
    assert client.get(url.removeprefix("http://testserver")).status_code == 404


def test_invitations_carry_a_request_and_cancellation_a_cancel(coordination, smtp_server):  # noqa: F811
    c = coordination
    tasks.schedule_notice(c.meeting, "invitation")
    addresses = sorted(str(m["To"]) for m in smtp_server.messages)
    assert addresses == ["chair@example.org", "member@example.org", "secretary@example.org"]
    message = smtp_server.to("member@example.org")[0]
    # in the recipient's language, else the framework's (French)
    assert str(message["Subject"]) == "Invitation : Réunion de printemps"
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REQUEST"
    cal, [event] = events(part.get_payload(decode=True))
    assert str(cal["METHOD"]) == "REQUEST"
    assert sorted(str(a) for a in event.get("ATTENDEE")) == [
        "mailto:chair@example.org",
        "mailto:member@example.org",
        "mailto:secretary@example.org",
    ]
    assert str(event["ORGANIZER"]) == "mailto:enquetes@reseau.test"
    services.meeting_cancel(meeting=c.meeting)
    smtp_server.messages.clear()
    mail.meeting_notify(c.meeting, reason="cancellation")
    part = next(
        p for p in smtp_server.messages[0].walk() if p.get_content_type() == "text/calendar"
    )
    cal, [event] = events(part.get_payload(decode=True))
    assert (str(cal["METHOD"]), str(event["STATUS"]), int(event["SEQUENCE"])) == (
        "CANCEL", "CANCELLED", 1,
    )  # fmt: skip


def test_reminders_the_day_before_and_for_missing_minutes(coordination, smtp_server):  # noqa: F811
    c = coordination
    report = mail.reminders_send(now=c.meeting.starts_at - timedelta(hours=20))
    assert report.day_before == 1
    assert len(smtp_server.messages) == 3
    assert mail.reminders_send(now=c.meeting.starts_at - timedelta(hours=19)).day_before == 0
    smtp_server.messages.clear()
    three_days_after = c.meeting.ends_at + timedelta(days=3)
    assert mail.reminders_send(now=three_days_after).minutes_missing == 1
    assert [str(m["To"]) for m in smtp_server.messages] == ["secretary@example.org"]
    assert mail.reminders_send(now=c.meeting.ends_at + timedelta(days=5)).minutes_missing == 0
    assert mail.reminders_send(now=c.meeting.ends_at + timedelta(days=7)).minutes_missing == 1
    services.minutes_write(meeting=c.meeting, body="Bilan")
    assert mail.reminders_send(now=c.meeting.ends_at + timedelta(days=7)).minutes_missing == 0


def test_one_weekly_digest_per_person(coordination, smtp_server, django_assert_max_num_queries):  # noqa: F811
    c = coordination
    services.action_create(
        framework=c.framework, title="Écrire le bilan", owner_member=c.member_member,
        due_on=date(2030, 3, 30),
    )  # fmt: skip
    week = date(2030, 4, 1)
    with django_assert_max_num_queries(6):
        report = mail.digest_send(week_start=week, dry_run=True)
    assert (report.people, report.sent) == (3, 0)
    assert smtp_server.messages == []
    report = mail.digest_send(week_start=week)
    assert report.sent == 3
    [message] = smtp_server.to("member@example.org")
    body = message.get_body().get_content()
    assert "Réunion de printemps" in body and "Écrire le bilan" in body
    # a year later: only the late action remains, for its owner
    assert mail.digest_send(week_start=date(2031, 1, 5), dry_run=True).people == 1
