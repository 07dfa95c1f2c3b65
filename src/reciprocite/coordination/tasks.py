"""Background tasks of coordination (Django's tasks API; see core.jobs for the backends).

- ``send_meeting_notice(meeting_id, reason)``: the invitation, change, cancellation or
  reminder e-mail of a meeting to its members and registered people (``mail.meeting_notify``);
  started after the commit of the write that caused it (``schedule_notice``).
- ``send_reminders()``: day-before reminders and the minutes-missing reminders (3 and 7 days
  after); to run daily (``reciprocite coordination reminders`` from cron, or the worker).
- ``send_weekly_digest(week_start)``: one digest per person (``mail.digest_send``).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from . import mail
from .models import Meeting


@task()
def send_meeting_notice(meeting_id: int, reason: str) -> int:
    meeting = Meeting.objects.select_related("framework").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    return mail.meeting_notify(meeting, reason=reason)


@task()
def send_reminders() -> dict[str, int]:
    report = mail.reminders_send()
    return {"day_before": report.day_before, "minutes_missing": report.minutes_missing}


@task()
def send_weekly_digest(week_start: str) -> dict[str, int]:
    report = mail.digest_send(week_start=date.fromisoformat(week_start))
    return {"people": report.people, "sent": report.sent}


def schedule_notice(meeting: Meeting, reason: str) -> None:
    """E-mail ``meeting`` once the current transaction commits (at once with the immediate
    backend, as in the tests)."""
    if isinstance(send_meeting_notice.get_backend(), ImmediateBackend):
        send_meeting_notice.enqueue(meeting.pk, reason)
    else:
        transaction.on_commit(lambda: send_meeting_notice.enqueue(meeting.pk, reason))
