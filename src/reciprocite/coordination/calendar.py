"""iCalendar (RFC 5545) of meetings, written with the ``icalendar`` library.

- Feeds (a framework's, a person's) publish events with times in UTC (``DTSTART:…Z``), which
  every calendar application reads the same way; ``X-WR-TIMEZONE`` names the framework's zone.
- Invitations (RFC 5546 iTIP) carry ``METHOD:REQUEST`` (``METHOD:CANCEL`` once cancelled),
  an ORGANIZER and the ATTENDEEs.
- Each meeting has a stable UID; its SEQUENCE grows when it moves or is cancelled, so that
  calendar applications replace the event they hold; a cancelled meeting is
  ``STATUS:CANCELLED``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting, MeetingStatus

PRODID = "-//Réciprocité//coordination//FR"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _status(meeting: Meeting) -> str:
    if meeting.status == MeetingStatus.CANCELLED:
        return "CANCELLED"
    return "CONFIRMED"


def meeting_event(meeting: Meeting, *, url: str = "") -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", f"{meeting.framework.title} — {meeting.title}")
    event.add("status", _status(meeting))
    location = meeting.place or meeting.online_url
    if location:
        event.add("location", location)
    description = [meeting.framework.title]
    if meeting.online_url:
        description.append(meeting.online_url)
    if url:
        description.append(url)
        event.add("url", url)
    event.add("description", "\n".join(description))
    return event


def _calendar(name: str, time_zone: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    if time_zone:
        cal.add("x-wr-timezone", time_zone)
    return cal


def feed(
    meetings: Iterable[Meeting], *, name: str, time_zone: str = "", site_url: str = ""
) -> bytes:
    """A subscribable calendar of ``meetings`` (their framework fetched with them)."""
    cal = _calendar(name, time_zone)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, url=_meeting_url(site_url, meeting)))
    return bytes(cal.to_ical())


def _meeting_url(site_url: str, meeting: Meeting) -> str:
    return f"{site_url.rstrip('/')}/coordination/meetings/{meeting.pk}/" if site_url else ""


def invitation(meeting: Meeting, *, attendees: Iterable[str], site_url: str = "") -> bytes:
    """An iTIP message for ``meeting``: REQUEST while it stands, CANCEL once cancelled."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    cal = _calendar(meeting.framework.title, meeting.time_zone)
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = meeting_event(meeting, url=_meeting_url(site_url, meeting))
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = vText(name)
    event.add("organizer", organizer)
    for email in attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    return bytes(cal.to_ical())
