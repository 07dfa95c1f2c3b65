"""Writes for coordination. Every function records who did it (``actor``) in the history, and
multi-row work runs in one transaction: bad input raises a ``ValidationError`` naming the field
and leaves nothing half-written.

Views, the API, the CLI and tasks check permissions (``permissions.py``) before calling these.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocite.core.sanitize import clean_html
from reciprocite.registry.models import ActorKind, Document, Partnership, Side, Theme

from .models import (
    MAX_AGENDA_ITEMS,
    Action,
    ActionStatus,
    AgendaItem,
    AssociationPair,
    Attendance,
    CalendarFeed,
    Decision,
    Exchange,
    ExchangeLesson,
    ExchangeParticipant,
    Framework,
    FrameworkMember,
    JointActivity,
    Meeting,
    MeetingStatus,
    Milestone,
    Minutes,
    MinutesComment,
    MinutesStatus,
    MinutesTranslation,
    Registration,
    RegistrationStatus,
    validate_time_zone,
)

M = TypeVar("M", bound=models.Model)

FRAMEWORK_FIELDS = (
    "title",
    "description",
    "time_zone",
    "minutes_visibility",
    "language",
    "is_fictitious",
)
ACTION_FIELDS = (
    "title",
    "description",
    "due_on",
    "status",
    "progress",
    "blocked",
    "owner_user",
    "owner_member",
    "owner_organisation",
    "project",
    "decision",
)
EXCHANGE_FIELDS = (
    "title",
    "kind",
    "direction",
    "start_date",
    "end_date",
    "places",
    "purpose",
    "programme",
    "outcome",
    "language",
    "is_published",
    "is_fictitious",
)


def _save(instance: M, actor: Any) -> M:
    instance.full_clean()
    if actor is not None and getattr(actor, "pk", None):
        instance._history_user = actor  # type: ignore[attr-defined]
    instance.save()
    return instance


def _clean_row(instance: models.Model, prefix: str) -> None:
    """``full_clean`` of one row of a list, its errors named ``prefix.field``."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ValidationError(
            {f"{prefix}.{field}": errors for field, errors in exc.message_dict.items()}
        ) from exc


def _check_fields(fields: Mapping[str, object], allowed: Iterable[str], what: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {what} fields: {', '.join(sorted(unknown))}")


def _theme(value: Theme | str, field: str = "theme") -> Theme:
    if isinstance(value, Theme):
        return value
    theme = Theme.objects.filter(pk=value).first()
    if theme is None:
        raise ValidationError(
            {field: _("%(code)s is not a theme of the taxonomy.") % {"code": value}}
        )
    return theme


def _aware(value: datetime, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError({field: _("Give a date and a time.")})
    if timezone.is_naive(value):
        raise ValidationError({field: _("Give the time with its time zone.")})
    return value


def _time_zone(value: str) -> str:
    try:
        validate_time_zone(value)
    except ValidationError as exc:
        raise ValidationError({"time_zone": exc.messages}) from exc
    return value


# --- frameworks -----------------------------------------------------------------------------


@transaction.atomic
def framework_create(
    *, actor: Any = None, partnership: Partnership, theme: Theme | str, **fields: Any
) -> Framework:
    _check_fields(fields, FRAMEWORK_FIELDS, "framework")
    if "time_zone" in fields:
        _time_zone(fields["time_zone"])
    return _save(Framework(partnership=partnership, theme=_theme(theme), **fields), actor)


@transaction.atomic
def framework_update(
    *, actor: Any = None, framework: Framework, theme: Theme | str | None = None, **fields: Any
) -> Framework:
    _check_fields(fields, FRAMEWORK_FIELDS, "framework")
    if "time_zone" in fields:
        _time_zone(fields["time_zone"])
    if theme is not None:
        framework.theme = _theme(theme)
    for key, value in fields.items():
        setattr(framework, key, value)
    return _save(framework, actor)


@transaction.atomic
def member_add(
    *,
    actor: Any = None,
    framework: Framework,
    side: str,
    position: str = "member",
    user: Any = None,
    person_name: str = "",
    email: str = "",
    organisation: Any = None,
    registry_actor: Any = None,
    joined_on: date | None = None,
    left_on: date | None = None,
) -> FrameworkMember:
    member = FrameworkMember(
        framework=framework,
        side=side,
        position=position,
        user=user,
        person_name=person_name.strip(),
        email=email.strip(),
        organisation=organisation,
        actor=registry_actor,
        joined_on=joined_on or timezone.localdate(),
        left_on=left_on,
    )
    return _save(member, actor)


@transaction.atomic
def member_update(
    *,
    actor: Any = None,
    member: FrameworkMember,
    position: str | None = None,
    left_on: date | None = None,
) -> FrameworkMember:
    if position is not None:
        member.position = position
    if left_on is not None:
        member.left_on = left_on
    return _save(member, actor)


# --- meetings -------------------------------------------------------------------------------


def _check_agenda_size(count: int) -> None:
    if count > MAX_AGENDA_ITEMS:
        raise ValidationError(
            {
                "agenda": _("An agenda holds at most %(max)d items; this one has %(count)d.")
                % {"max": MAX_AGENDA_ITEMS, "count": count}
            }
        )


def _agenda_item(meeting: Meeting, order: int, item: Mapping[str, Any], row: int) -> AgendaItem:
    unknown = set(item) - {"title", "presenter", "duration_minutes", "proposed_by", "accepted"}
    if unknown:
        raise TypeError(f"unknown agenda item fields: {', '.join(sorted(unknown))}")
    agenda_item = AgendaItem(meeting=meeting, order=order, **item)
    _clean_row(agenda_item, f"agenda[{row}]")
    return agenda_item


@transaction.atomic
def meeting_schedule(
    *,
    actor: Any = None,
    framework: Framework,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str | None = None,
    place: str = "",
    online_url: str = "",
    capacity: int | None = None,
    agenda: Sequence[Mapping[str, Any]] = (),
) -> Meeting:
    """A new meeting and its agenda (items: title, presenter, duration_minutes)."""
    _check_agenda_size(len(agenda))
    meeting = Meeting(
        framework=framework,
        title=title,
        starts_at=_aware(starts_at, "starts_at"),
        ends_at=_aware(ends_at, "ends_at"),
        time_zone=_time_zone(time_zone or framework.time_zone),
        place=place,
        online_url=online_url,
        capacity=capacity,
    )
    _save(meeting, actor)
    items = [_agenda_item(meeting, i, item, i) for i, item in enumerate(agenda)]
    AgendaItem.objects.bulk_create(items)
    return meeting


@transaction.atomic
def meeting_move(
    *,
    actor: Any = None,
    meeting: Meeting,
    starts_at: datetime,
    ends_at: datetime,
    place: str | None = None,
    online_url: str | None = None,
) -> Meeting:
    """A new date (or place): the meeting is *moved* and its iCalendar SEQUENCE grows."""
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.CLOSED):
        raise ValidationError({"status": _("A cancelled or closed meeting cannot be moved.")})
    meeting.starts_at = _aware(starts_at, "starts_at")
    meeting.ends_at = _aware(ends_at, "ends_at")
    if place is not None:
        meeting.place = place
    if online_url is not None:
        meeting.online_url = online_url
    meeting.status = MeetingStatus.MOVED
    meeting.sequence += 1
    meeting.reminded_at = None
    return _save(meeting, actor)


@transaction.atomic
def meeting_cancel(*, actor: Any = None, meeting: Meeting) -> Meeting:
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.CLOSED):
        raise ValidationError({"status": _("A meeting already held cannot be cancelled.")})
    if meeting.status != MeetingStatus.CANCELLED:
        meeting.status = MeetingStatus.CANCELLED
        meeting.sequence += 1
        _save(meeting, actor)
    return meeting


def _confirmed_count(meeting: Meeting) -> int:
    return meeting.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


@transaction.atomic
def meeting_set_capacity(*, actor: Any = None, meeting: Meeting, capacity: int | None) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if capacity is not None:
        confirmed = _confirmed_count(meeting)
        if capacity < confirmed:
            raise ValidationError(
                {
                    "capacity": _(
                        "The capacity (%(capacity)d) is below the %(count)d confirmed registrations."
                    )
                    % {"capacity": capacity, "count": confirmed}
                }
            )
    meeting.capacity = capacity
    _save(meeting, actor)
    _promote_waiting(meeting)
    return meeting


@transaction.atomic
def meeting_hold(
    *,
    actor: Any = None,
    meeting: Meeting,
    present: Iterable[FrameworkMember] = (),
    excused: Iterable[FrameworkMember] = (),
) -> Meeting:
    """The meeting took place: its attendance is recorded (members absent unless named)."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"status": _("A cancelled meeting cannot be held.")})
    present_ids = {m.pk for m in present}
    excused_ids = {m.pk for m in excused}
    for member_id in present_ids | excused_ids:
        if not FrameworkMember.objects.filter(
            pk=member_id, framework_id=meeting.framework_id
        ).exists():
            raise ValidationError({"attendance": _("Only members of the framework attend it.")})
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            member_id=member_id,
            present=member_id in present_ids,
            excused=member_id in excused_ids and member_id not in present_ids,
        )
        for member_id in sorted(present_ids | excused_ids)
    )
    meeting.status = MeetingStatus.HELD
    return _save(meeting, actor)


@transaction.atomic
def meeting_close(*, actor: Any = None, meeting: Meeting) -> Meeting:
    """Closed: the meeting is over and its minutes approved. Without minutes, it stays open."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or minutes.status == MinutesStatus.DRAFT:
        raise ValidationError(
            {"minutes": _("A meeting cannot be closed before its minutes are approved.")}
        )
    meeting.status = MeetingStatus.CLOSED
    return _save(meeting, actor)


@transaction.atomic
def agenda_item_add(
    *,
    actor: Any = None,
    meeting: Meeting,
    title: str,
    presenter: str = "",
    duration_minutes: int | None = None,
    proposed: bool = False,
) -> AgendaItem:
    """An item added by the secretary, or proposed by a member (``proposed``: not yet accepted)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    count = meeting.agenda.count()
    _check_agenda_size(count + 1)
    item = _agenda_item(
        meeting,
        count,
        {
            "title": title,
            "presenter": presenter,
            "duration_minutes": duration_minutes,
            "proposed_by": actor if getattr(actor, "pk", None) else None,
            "accepted": not proposed,
        },
        count,
    )
    item.save()
    return item


def agenda_item_accept(*, item: AgendaItem) -> AgendaItem:
    item.accepted = True
    item.save(update_fields=["accepted"])
    return item


# --- registrations --------------------------------------------------------------------------


def _promote_waiting(meeting: Meeting) -> None:
    """Fill freed seats from the waiting list, first come first served."""
    waiting = meeting.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "created_at", "id"
    )
    if meeting.capacity is None:
        waiting.update(status=RegistrationStatus.CONFIRMED)
        return
    free = meeting.capacity - _confirmed_count(meeting)
    if free > 0:
        ids = list(waiting.values_list("pk", flat=True)[:free])
        Registration.objects.filter(pk__in=ids).update(status=RegistrationStatus.CONFIRMED)


@transaction.atomic
def registration_create(*, meeting: Meeting, user: Any) -> Registration:
    """A seat if one is free, else a place on the waiting list; registering twice is one."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD, MeetingStatus.CLOSED):
        raise ValidationError({"meeting": _("Registrations are closed for this meeting.")})
    registration = Registration.objects.filter(meeting=meeting, user=user).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return registration
    full = meeting.capacity is not None and _confirmed_count(meeting) >= meeting.capacity
    status = RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED
    if registration is None:
        registration = Registration(meeting=meeting, user=user)
    registration.status = status
    registration.created_at = timezone.now()
    registration.save()
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    _promote_waiting(meeting)
    return registration


# --- minutes --------------------------------------------------------------------------------


def _body(value: str) -> str:
    body = clean_html(value)
    if not body:
        raise ValidationError({"body": _("The minutes are empty.")})
    return body


@transaction.atomic
def minutes_write(
    *, actor: Any = None, meeting: Meeting, body: str, language: str | None = None
) -> Minutes:
    """The draft minutes of a meeting, sanitised (scripts and unknown tags are removed)."""
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        minutes = Minutes(meeting=meeting, language=language or meeting.framework.language)
    elif minutes.status != MinutesStatus.DRAFT:
        raise ValidationError({"status": _("Approved minutes can no longer be changed.")})
    minutes.body = _body(body)
    if language:
        minutes.language = language
    return _save(minutes, actor)


@transaction.atomic
def minutes_translate(
    *, actor: Any = None, minutes: Minutes, language: str, body: str
) -> MinutesTranslation:
    if language == minutes.language:
        raise ValidationError({"language": _("This is the language of the minutes themselves.")})
    translation = MinutesTranslation.objects.filter(minutes=minutes, language=language).first()
    if translation is None:
        translation = MinutesTranslation(minutes=minutes, language=language)
    translation.body = _body(body)
    return _save(translation, actor)


def minutes_comment(*, minutes: Minutes, author: Any, body: str) -> MinutesComment:
    if minutes.status != MinutesStatus.DRAFT:
        raise ValidationError({"body": _("Comments are closed once the minutes are approved.")})
    comment = MinutesComment(minutes=minutes, author=author, body=body.strip())
    return _save(comment, None)


@transaction.atomic
def minutes_approve(*, actor: Any, minutes: Minutes) -> Minutes:
    if minutes.status != MinutesStatus.DRAFT:
        raise ValidationError({"status": _("Only draft minutes can be approved.")})
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_by = actor if getattr(actor, "pk", None) else None
    minutes.approved_at = timezone.now()
    return _save(minutes, actor)


@transaction.atomic
def minutes_publish(*, actor: Any = None, minutes: Minutes) -> Minutes:
    if minutes.status != MinutesStatus.APPROVED:
        raise ValidationError({"status": _("Minutes are approved before they are published.")})
    minutes.status = MinutesStatus.PUBLISHED
    minutes.published_at = timezone.now()
    return _save(minutes, actor)


# --- decisions and actions ------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    actor: Any = None,
    framework: Framework,
    title: str,
    text: str = "",
    meeting: Meeting | None = None,
    decided_on: date | None = None,
) -> Decision:
    """A decision, given the framework's next number (the framework row is locked meanwhile)."""
    Framework.all_objects.select_for_update().filter(pk=framework.pk).first()
    if meeting is not None and meeting.framework_id != framework.pk:
        raise ValidationError({"meeting": _("The meeting belongs to another framework.")})
    last = Decision.objects.filter(framework=framework).aggregate(n=Max("number"))["n"] or 0
    decision = Decision(
        framework=framework,
        meeting=meeting,
        number=last + 1,
        title=title,
        text=text,
        decided_on=decided_on or (meeting.starts_at.date() if meeting else timezone.localdate()),
    )
    return _save(decision, actor)


def _check_action(action: Action) -> None:
    framework = action.framework
    if action.project_id is not None and action.project is not None:
        if action.project.partnership_id != framework.partnership_id:
            raise ValidationError({"project": _("The project belongs to another partnership.")})
    if action.decision_id is not None and action.decision is not None:
        if action.decision.framework_id != framework.pk:
            raise ValidationError({"decision": _("The decision belongs to another framework.")})
    if action.owner_member_id is not None and action.owner_member is not None:
        if action.owner_member.framework_id != framework.pk:
            raise ValidationError({"owner": _("The owner is not a member of this framework.")})
    if action.status == ActionStatus.DONE:
        action.progress = 100
        action.completed_on = action.completed_on or timezone.localdate()
    else:
        action.completed_on = None


@transaction.atomic
def action_create(
    *,
    actor: Any = None,
    framework: Framework,
    title: str,
    milestones: Sequence[Mapping[str, Any]] = (),
    **fields: Any,
) -> Action:
    _check_fields(fields, ACTION_FIELDS, "action")
    action = Action(framework=framework, title=title, **fields)
    _check_action(action)
    _save(action, actor)
    for row, milestone in enumerate(milestones):
        item = Milestone(action=action, **milestone)
        _clean_row(item, f"milestones[{row}]")
        _save(item, actor)
    return action


@transaction.atomic
def action_update(*, actor: Any = None, action: Action, **fields: Any) -> Action:
    """Status, progress, due date…: each change is a row of the action's history."""
    _check_fields(fields, ACTION_FIELDS, "action")
    for key, value in fields.items():
        setattr(action, key, value)
    _check_action(action)
    return _save(action, actor)


def milestone_done(
    *, actor: Any = None, milestone: Milestone, done_on: date | None = None
) -> Milestone:
    milestone.done_on = done_on or timezone.localdate()
    return _save(milestone, actor)


# --- pairs of associations and exchanges ----------------------------------------------------


def _side_of(partnership: Partnership, territory_id: int | None) -> str | None:
    for party in partnership.parties.all():
        if party.territory_id == territory_id:
            return party.side
    return None


@transaction.atomic
def pair_create(
    *,
    actor: Any = None,
    partnership: Partnership,
    french_association: Any,
    partner_association: Any,
    theme: Theme | str,
    start_date: date | None = None,
    agreement: Document | None = None,
    description: str = "",
    is_fictitious: bool = False,
) -> AssociationPair:
    for field, association, side in (
        ("french_association", french_association, Side.FRENCH),
        ("partner_association", partner_association, Side.PARTNER),
    ):
        if association.kind != ActorKind.ASSOCIATION:
            raise ValidationError(
                {field: _("%(name)s is not an association.") % {"name": association}}
            )
        found = _side_of(partnership, association.territory_id)
        if found is not None and found != side:
            raise ValidationError(
                {
                    field: _("%(name)s is on the other side of the partnership.")
                    % {"name": association}
                }
            )
    if agreement is not None and agreement.partnership_id != partnership.pk:
        raise ValidationError({"agreement": _("The agreement belongs to another partnership.")})
    pair = AssociationPair(
        partnership=partnership,
        french_association=french_association,
        partner_association=partner_association,
        theme=_theme(theme),
        start_date=start_date,
        agreement=agreement,
        description=description,
        is_fictitious=is_fictitious,
    )
    return _save(pair, actor)


def joint_activity_add(
    *, actor: Any = None, pair: AssociationPair, date: date, title: str, description: str = ""
) -> JointActivity:
    return _save(JointActivity(pair=pair, date=date, title=title, description=description), actor)


def _participant(exchange: Exchange, row: int, data: Mapping[str, Any]) -> ExchangeParticipant:
    unknown = set(data) - {"name", "user", "actor", "side", "role"}
    if unknown:
        raise TypeError(f"unknown participant fields: {', '.join(sorted(unknown))}")
    participant = ExchangeParticipant(exchange=exchange, **data)
    _clean_row(participant, f"participants[{row}]")
    return participant


def _set_exchange_details(
    exchange: Exchange,
    actor: Any,
    participants: Sequence[Mapping[str, Any]] | None,
    lessons: Mapping[str, Mapping[str, str]] | None,
) -> None:
    if participants is not None:
        rows = [_participant(exchange, i, p) for i, p in enumerate(participants)]
        exchange.participants.all().delete()
        ExchangeParticipant.objects.bulk_create(rows)
    if lessons is not None:
        for side, lesson in lessons.items():
            if side not in Side.values:
                raise ValidationError({"lessons": _("%(side)s is not a side.") % {"side": side}})
            entry = ExchangeLesson.objects.filter(exchange=exchange, side=side).first()
            entry = entry or ExchangeLesson(exchange=exchange, side=side)
            entry.learned = lesson.get("learned", "").strip()
            entry.changed_at_home = lesson.get("changed_at_home", "").strip()
            _save(entry, actor)


@transaction.atomic
def exchange_create(
    *,
    actor: Any = None,
    partnership: Partnership,
    theme: Theme | str | None = None,
    participants: Sequence[Mapping[str, Any]] = (),
    lessons: Mapping[str, Mapping[str, str]] | None = None,
    **fields: Any,
) -> Exchange:
    """An exchange with its participants and, per side, what it learned and changed at home."""
    _check_fields(fields, EXCHANGE_FIELDS, "exchange")
    exchange = Exchange(
        partnership=partnership, theme=_theme(theme) if theme is not None else None, **fields
    )
    _save(exchange, actor)
    _set_exchange_details(exchange, actor, participants, lessons or {})
    return exchange


@transaction.atomic
def exchange_update(
    *,
    actor: Any = None,
    exchange: Exchange,
    participants: Sequence[Mapping[str, Any]] | None = None,
    lessons: Mapping[str, Mapping[str, str]] | None = None,
    **fields: Any,
) -> Exchange:
    _check_fields(fields, EXCHANGE_FIELDS, "exchange")
    for key, value in fields.items():
        setattr(exchange, key, value)
    _save(exchange, actor)
    _set_exchange_details(exchange, actor, participants, lessons)
    return exchange


# --- calendar feeds -------------------------------------------------------------------------


def feed_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_create(*, user: Any) -> str:
    """A new secret feed URL token for ``user`` (shown once; only its digest is kept)."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, digest=feed_digest(token))
    return token


def calendar_feed_revoke(*, feed: CalendarFeed) -> None:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
