"""E-mail of coordination, through Django's e-mail backend (SMTP in production):

- ``meeting_notify``: the invitation to a meeting (its event attached, METHOD:REQUEST), and
  the same when it moves or is cancelled (SEQUENCE raised, METHOD:CANCEL), or as a reminder;
- ``reminders_send``: the day-before reminders and, 3 and 7 days after a meeting whose minutes
  are missing, a reminder to its secretaries;
- ``digest_send``: one weekly digest per person (not one e-mail per event), built from a fixed
  number of queries whatever the number of people.

Each message is written in its recipient's language (``User.preferred_language``, else the
framework's language).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import calendar
from .models import (
    OPEN_ACTION_STATUSES,
    Action,
    FrameworkMember,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Position,
    Registration,
    RegistrationStatus,
)


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str


def _active_members() -> Q:
    today = timezone.localdate()
    return Q(left_on__isnull=True) | Q(left_on__gt=today)


def meeting_recipients(
    meeting: Meeting, *, positions: Iterable[str] | None = None
) -> list[Recipient]:
    """Current members of the meeting's framework with an e-mail address, and the people
    registered for it; each address once."""
    members = FrameworkMember.objects.filter(_active_members(), framework_id=meeting.framework_id)
    if positions is not None:
        members = members.filter(position__in=list(positions))
    found: dict[str, Recipient] = {}
    default = meeting.framework.language
    for member in members.select_related("user"):
        address = (member.user.email if member.user else "") or member.email
        language = (member.user.preferred_language if member.user else "") or default
        if address:
            found.setdefault(address.lower(), Recipient(address, language))
    if positions is None:
        registrations = Registration.objects.filter(meeting=meeting).exclude(
            status=RegistrationStatus.CANCELLED
        )
        for registration in registrations.select_related("user"):
            user = registration.user
            if user.email:
                found.setdefault(
                    user.email.lower(), Recipient(user.email, user.preferred_language or default)
                )
    return sorted(found.values(), key=lambda r: r.email.lower())


def _local(meeting: Meeting) -> str:
    start = meeting.starts_at.astimezone(meeting.zone)
    end = meeting.ends_at.astimezone(meeting.zone)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} ({meeting.time_zone})"


def _ics_part(ics: bytes, method: str) -> MIMEText:
    part = MIMEText(ics.decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
    return part


def _site_url() -> str:
    return str(getattr(settings, "RECIPROCITE_SITE_URL", ""))


def meeting_notify(meeting: Meeting, *, reason: str = "invitation", connection: Any = None) -> int:
    """Send ``meeting`` to its recipients; ``reason``: invitation, update, cancellation or
    reminder. Returns the number of messages sent."""
    recipients = meeting_recipients(meeting)
    if not recipients:
        return 0
    ics = calendar.invitation(
        meeting, attendees=[r.email for r in recipients], site_url=_site_url()
    )
    method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"
    connection = connection or get_connection()
    messages = []
    for recipient in recipients:
        with translation.override(recipient.language):
            subjects = {
                "invitation": _("Invitation: %(title)s"),
                "update": _("Changed: %(title)s"),
                "cancellation": _("Cancelled: %(title)s"),
                "reminder": _("Tomorrow: %(title)s"),
            }
            subject = subjects[reason] % {"title": meeting.title}
            body = "\n".join(
                [
                    meeting.framework.title,
                    meeting.title,
                    _local(meeting),
                    meeting.place or meeting.online_url,
                    "",
                    _("The event is attached: open it to add it to your calendar."),
                    f"{_site_url().rstrip('/')}/coordination/meetings/{meeting.pk}/",
                ]
            )
        message = EmailMessage(subject, body, to=[recipient.email], connection=connection)
        message.attach(_ics_part(ics, method))
        messages.append(message)
    return int(connection.send_messages(messages) or 0)


@dataclass
class ReminderReport:
    day_before: int = 0
    minutes_missing: int = 0


def reminders_send(*, now: datetime | None = None) -> ReminderReport:
    """The day-before reminders (once per meeting and date) and the reminders to write the
    minutes, 3 and 7 days after a meeting that has none."""
    now = now or timezone.now()
    report = ReminderReport()
    connection = get_connection()
    coming = Meeting.objects.filter(
        framework__deleted_at__isnull=True,
        status__in=[MeetingStatus.SCHEDULED, MeetingStatus.MOVED],
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=1),
        reminded_at__isnull=True,
    ).select_related("framework")
    for meeting in coming:
        meeting_notify(meeting, reason="reminder", connection=connection)
        Meeting.objects.filter(pk=meeting.pk).update(reminded_at=now)
        report.day_before += 1
    today = timezone.localdate(now)
    late = Meeting.objects.filter(
        framework__deleted_at__isnull=True,
        status__in=[MeetingStatus.SCHEDULED, MeetingStatus.MOVED, MeetingStatus.HELD],
        ends_at__date__in=[today - timedelta(days=3), today - timedelta(days=7)],
        minutes__isnull=True,
    ).select_related("framework")
    messages = []
    for meeting in late:
        for recipient in meeting_recipients(meeting, positions=[Position.SECRETARY]):
            with translation.override(recipient.language):
                subject = _("Minutes missing: %(title)s") % {"title": meeting.title}
                body = _(
                    "The meeting %(title)s of %(framework)s was held on %(date)s and has no "
                    "minutes yet. Write them so that the members can comment and the chair "
                    "can approve them."
                ) % {
                    "title": meeting.title,
                    "framework": meeting.framework.title,
                    "date": _local(meeting),
                }
            messages.append(
                EmailMessage(subject, body, to=[recipient.email], connection=connection)
            )
    report.minutes_missing = int(connection.send_messages(messages) or 0) if messages else 0
    return report


# --- the weekly digest ----------------------------------------------------------------------


@dataclass
class Digest:
    meetings: list[Meeting] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    minutes: list[Minutes] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.meetings or self.actions or self.minutes)


def digests(*, week_start: date) -> dict[int, Digest]:
    """Each person's digest for the week from ``week_start``: meetings coming that week,
    their open actions due by its end (late ones included), minutes published in the week
    before to frameworks they belong to. Keyed by user id; people with nothing are absent."""
    start = datetime.combine(
        week_start, datetime.min.time(), tzinfo=timezone.get_current_timezone()
    )
    end = start + timedelta(days=7)
    members: dict[int, set[int]] = defaultdict(set)  # framework → users
    rows = FrameworkMember.objects.filter(
        _active_members(), user__isnull=False, framework__deleted_at__isnull=True
    ).values_list("framework_id", "user_id")
    for framework_id, user_id in rows:
        members[framework_id].add(user_id)
    result: dict[int, Digest] = defaultdict(Digest)
    meetings = {
        m.pk: m
        for m in Meeting.objects.filter(
            framework__deleted_at__isnull=True, starts_at__gte=start, starts_at__lt=end
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("framework")
    }
    invited: dict[int, set[int]] = {pk: set(members[m.framework_id]) for pk, m in meetings.items()}
    registered = Registration.objects.filter(meeting_id__in=list(meetings)).exclude(
        status=RegistrationStatus.CANCELLED
    )
    for meeting_id, user_id in registered.values_list("meeting_id", "user_id"):
        invited[meeting_id].add(user_id)
    for pk, users in invited.items():
        for user_id in users:
            result[user_id].meetings.append(meetings[pk])
    actions = Action.objects.filter(
        framework__deleted_at__isnull=True,
        status__in=OPEN_ACTION_STATUSES,
        due_on__lt=end.date(),
    ).filter(Q(owner_user__isnull=False) | Q(owner_member__user__isnull=False))
    for action in actions.select_related("framework", "owner_member").order_by("due_on", "id"):
        owner = action.owner_user_id or (
            action.owner_member.user_id if action.owner_member else None
        )
        if owner is not None:
            result[owner].actions.append(action)
    published = Minutes.objects.filter(
        status=MinutesStatus.PUBLISHED,
        published_at__gte=start - timedelta(days=7),
        published_at__lt=start,
        meeting__framework__deleted_at__isnull=True,
    ).select_related("meeting__framework")
    for minutes in published:
        for user_id in members[minutes.meeting.framework_id]:
            result[user_id].minutes.append(minutes)
    for digest in result.values():
        digest.meetings.sort(key=lambda m: (m.starts_at, m.pk))
    return dict(result)


def _digest_body(digest: Digest, week_start: date) -> str:
    lines = [_("Your week from %(date)s") % {"date": week_start.isoformat()}, ""]
    if digest.meetings:
        lines.append(_("Meetings coming:"))
        lines += [f"- {m.framework.title}: {m.title}, {_local(m)}" for m in digest.meetings]
        lines.append("")
    if digest.actions:
        lines.append(_("Your actions due or late:"))
        lines += [
            f"- {a.title} ({a.due_on.isoformat() if a.due_on else ''})" for a in digest.actions
        ]
        lines.append("")
    if digest.minutes:
        lines.append(_("Minutes published:"))
        lines += [f"- {m.meeting.framework.title}: {m.meeting.title}" for m in digest.minutes]
    return "\n".join(lines).strip() + "\n"


@dataclass
class DigestReport:
    people: int
    sent: int


def digest_send(*, week_start: date, dry_run: bool = False, batch: int = 500) -> DigestReport:
    """Send each person their digest for the week (``dry_run``: count, send nothing)."""
    all_digests = digests(week_start=week_start)
    users = (
        get_user_model().objects.filter(pk__in=list(all_digests), is_active=True).exclude(email="")
    )
    people = list(users.only("pk", "email", "preferred_language").order_by("pk"))
    if dry_run:
        return DigestReport(people=len(people), sent=0)
    sent = 0
    connection = get_connection()
    with connection:
        for i in range(0, len(people), batch):
            messages = []
            for user in people[i : i + batch]:
                with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                    subject = _("Your week in the consultation frameworks")
                    body = _digest_body(all_digests[user.pk], week_start)
                messages.append(EmailMessage(subject, body, to=[user.email], connection=connection))
            sent += int(connection.send_messages(messages) or 0)
    return DigestReport(people=len(people), sent=sent)
