"""API of coordination (docs/api.md): frameworks, meetings, actions, exchanges, who does what.

Thin: reads through ``selectors``, writes through ``services`` with ``actor`` set to the
token's user, every decision through ``permissions`` asked about the token's membership.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja import Path as PathParam

from reciprocite.accounts.authentication import bearer, optional_membership
from reciprocite.core.api import (
    COUNTRY_CODE,
    ERRORS_READ,
    ERRORS_WRITE,
    ID_QUERY,
    MAX_ID,
    OPTIONAL_BEARER,
    ApiError,
    PageOut,
    PageParams,
    absolute,
    check_query_params,
    choice,
    forbidden,
    not_found,
    paginate,
)
from reciprocite.core.filters import FilterError, parse_id, reject_unknown
from reciprocite.registry.models import Partnership
from reciprocite.registry.permissions import can_view_partnership
from reciprocite.registry.taxonomy import THEMES

from . import permissions, selectors, services, tasks
from .models import (
    Action,
    ActionStatus,
    Exchange,
    ExchangeKind,
    Framework,
    FrameworkMember,
    Meeting,
    Minutes,
)

router = Router(tags=["coordination"])

Id = PathParam(..., ge=1, le=MAX_ID, description="Id.")


# --- schemas --------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    name: str
    side: str
    position: str
    organisation: str | None
    joined_on: date
    left_on: date | None


class MeetingSummary(Schema):
    id: int
    title: str
    starts_at: datetime = Field(..., description="Start, in UTC (ISO 8601).")
    ends_at: datetime
    time_zone: str = Field(..., description="IANA time zone the meeting is held in.")
    status: str
    place: str
    online_url: str


class DecisionOut(Schema):
    number: int
    title: str
    text: str
    decided_on: date
    meeting: int | None


class MilestoneOut(Schema):
    title: str
    due_on: date | None
    done_on: date | None


class ActionOut(Schema):
    id: int
    framework: int
    title: str
    owner: str
    due_on: date | None
    status: str
    progress: int
    blocked: bool
    late: bool
    decision: int | None = Field(..., description="Number of the decision it follows.")
    project: int | None
    milestones: list[MilestoneOut]


class FrameworkSummary(Schema):
    id: int
    title: str
    partnership: int
    theme: str
    time_zone: str
    language: str
    chair: str | None
    url: str


class FrameworkDetail(FrameworkSummary):
    description: str
    minutes_visibility: str
    ical_url: str = Field(..., description="The framework's calendar (iCalendar feed).")
    members: list[MemberOut]
    meetings: list[MeetingSummary]
    decisions: list[DecisionOut]
    actions: list[ActionOut]


class AgendaItemOut(Schema):
    title: str
    presenter: str
    duration_minutes: int | None
    accepted: bool


class MinutesOut(Schema):
    language: str
    status: str
    body: str = Field(..., description="Sanitised HTML.")
    translations: dict[str, str]


class MeetingDetail(MeetingSummary):
    framework: int
    capacity: int | None
    registered: int
    waiting: int
    sequence: int
    uid: str
    agenda: list[AgendaItemOut]
    minutes: MinutesOut | None = Field(..., description="Null when absent or not visible.")


class ParticipantOut(Schema):
    name: str
    side: str
    role: str


class LessonOut(Schema):
    side: str
    learned: str
    changed_at_home: str


class ExchangeOut(Schema):
    id: int
    partnership: int
    title: str
    kind: str
    direction: str
    theme: str | None
    start_date: date
    end_date: date | None
    places: str
    purpose: str
    programme: str
    outcome: str
    participants: list[ParticipantOut]
    lessons: list[LessonOut]


class FrameworkPageOut(PageOut):
    results: list[FrameworkSummary]


class ActionPageOut(PageOut):
    results: list[ActionOut]


class ExchangePageOut(PageOut):
    results: list[ExchangeOut]


class CellOut(Schema):
    actor: str
    theme: str
    place: str
    sources: list[str]


class OverlapOut(Schema):
    theme: str
    place: str
    actors: list[str]


class WhoDoesWhatOut(Schema):
    partnership: int
    themes: list[str]
    cells: list[CellOut]
    overlaps: list[OverlapOut] = Field(
        ..., description="Two actors on the same theme in the same place, no shared framework."
    )


class MeetingIn(Schema):
    title: str = Field(..., max_length=300)
    starts_at: datetime = Field(..., description="With its offset (ISO 8601).")
    ends_at: datetime
    time_zone: str | None = Field(None, max_length=64)
    place: str = Field("", max_length=300)
    online_url: str = Field("", max_length=200)
    capacity: int | None = Field(None, ge=0, le=100000)
    agenda: list[dict[str, Any]] = Field(default_factory=list)
    notify: bool = Field(False, description="E-mail the invitations (iCalendar attached).")


class ActionPatch(Schema):
    status: choice(ActionStatus.values) | None = None
    progress: int | None = Field(None, ge=0, le=100)
    blocked: bool | None = None
    due_on: date | None = None


# --- serialisers ----------------------------------------------------------------------------


def _member(m: FrameworkMember) -> dict[str, Any]:
    return {
        "id": m.pk,
        "name": m.display_name,
        "side": m.side,
        "position": m.position,
        "organisation": m.organisation.name
        if m.organisation
        else m.actor.name
        if m.actor
        else None,
        "joined_on": m.joined_on,
        "left_on": m.left_on,
    }


def _meeting(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "time_zone": m.time_zone,
        "status": m.status,
        "place": m.place,
        "online_url": m.online_url,
    }


def _action(a: Action, today: date | None = None) -> dict[str, Any]:
    return {
        "id": a.pk,
        "framework": a.framework_id,
        "title": a.title,
        "owner": a.owner_name,
        "due_on": a.due_on,
        "status": a.status,
        "progress": a.progress,
        "blocked": a.blocked,
        "late": a.is_late(today),
        "decision": a.decision.number if a.decision else None,
        "project": a.project_id,
        "milestones": [
            {"title": s.title, "due_on": s.due_on, "done_on": s.done_on} for s in a.milestones.all()
        ],
    }


def _chair(f: Framework) -> str | None:
    for m in f.members.all():
        if m.position == "chair" and m.left_on is None:
            return m.display_name
    return None


def _framework(request: HttpRequest, f: Framework) -> dict[str, Any]:
    return {
        "id": f.pk,
        "title": f.title,
        "partnership": f.partnership_id,
        "theme": f.theme_id,
        "time_zone": f.time_zone,
        "language": f.language,
        "chair": _chair(f),
        "url": absolute(request, f"/coordination/frameworks/{f.pk}/"),
    }


def _exchange(e: Exchange) -> dict[str, Any]:
    return {
        "id": e.pk,
        "partnership": e.partnership_id,
        "title": e.title,
        "kind": e.kind,
        "direction": e.direction,
        "theme": e.theme_id,
        "start_date": e.start_date,
        "end_date": e.end_date,
        "places": e.places,
        "purpose": e.purpose,
        "programme": e.programme,
        "outcome": e.outcome,
        "participants": [
            {"name": str(p), "side": p.side, "role": p.role} for p in e.participants.all()
        ],
        "lessons": [
            {"side": s.side, "learned": s.learned, "changed_at_home": s.changed_at_home}
            for s in e.lessons.all()
        ],
    }


def _minutes(viewer: Any, minutes: Minutes | None) -> dict[str, Any] | None:
    if minutes is None or not permissions.can_view_minutes(viewer, minutes):
        return None
    return {
        "language": minutes.language,
        "status": minutes.status,
        "body": minutes.body,
        "translations": {t.language: t.body for t in minutes.translations.all()},
    }


# --- reads ----------------------------------------------------------------------------------


def _checked(request: HttpRequest, filters: Schema, choices: dict[str, Any]) -> dict[str, Any]:
    """The filters' values, checked: ids, fixed values, country codes; an unknown parameter or
    a bad value is a 400 naming it."""
    check_query_params(request)
    reject_unknown(request.GET, set(type(filters).model_fields) | {"page", "page_size"})
    values: dict[str, Any] = {}
    for name, raw in filters.dict().items():
        if raw is None or raw == "":
            values[name] = None
        elif name in ("partnership", "framework"):
            values[name] = parse_id(name, raw)
        elif name == "country":
            if not (len(raw) == 2 and raw.isascii() and raw.isalpha()):
                raise FilterError(name, _("must be a two-letter ISO 3166-1 code"))
            values[name] = raw.upper()
        elif name in choices and raw not in choices[name]:
            raise FilterError(
                name, _("must be one of %(values)s") % {"values": ", ".join(choices[name])}
            )
        else:
            values[name] = raw
    return values


class FrameworkQuery(Schema):
    partnership: ID_QUERY = Query(None, description="Id of the partnership.")
    theme: choice(THEMES) = Query(None, description="Theme code (see /themes).")
    country: COUNTRY_CODE = Query(None, description="ISO 3166-1 alpha-2 code of a territory.")


@router.get(
    "/frameworks",
    response={200: FrameworkPageOut, **ERRORS_READ},
    url_name="framework_list",
    summary="List consultation frameworks",
    openapi_extra=OPTIONAL_BEARER,
)
def framework_list(
    request: HttpRequest, filters: Query[FrameworkQuery], paging: Query[PageParams]
) -> Any:
    """Frameworks of the partnerships the caller sees, by title."""
    values = _checked(request, filters, {"theme": list(THEMES)})
    viewer = optional_membership(request)
    qs = selectors.framework_list(viewer=viewer, **values)
    return paginate(
        request,
        qs,
        page=paging.page,
        page_size=paging.page_size,
        serialize=lambda f: _framework(request, f),
    )


def _framework_for(viewer: Any, pk: int) -> Framework:
    framework = selectors.framework_get(pk)
    if framework is None or not permissions.can_view_framework(viewer, framework):
        raise ApiError(404, _("No framework with id %(id)s.") % {"id": pk})
    return framework


@router.get(
    "/frameworks/{id}",
    response={200: FrameworkDetail, **ERRORS_READ},
    url_name="framework_detail",
    summary="One framework: members, meetings, decisions, actions",
    openapi_extra=OPTIONAL_BEARER,
)
def framework_detail(request: HttpRequest, id: int = Id) -> Any:
    viewer = optional_membership(request)
    f = _framework_for(viewer, id)
    return _framework(request, f) | {
        "description": f.description,
        "minutes_visibility": f.minutes_visibility,
        "ical_url": absolute(request, f"/coordination/frameworks/{f.pk}/calendar.ics"),
        "members": [_member(m) for m in f.members.all()],
        "meetings": [_meeting(m) for m in f.meetings.all()],
        "decisions": [
            {
                "number": d.number,
                "title": d.title,
                "text": d.text,
                "decided_on": d.decided_on,
                "meeting": d.meeting_id,
            }
            for d in f.decisions.all()
        ],
        "actions": [_action(a) for a in f.actions.all()],
    }


@router.get(
    "/meetings/{id}",
    response={200: MeetingDetail, **ERRORS_READ},
    url_name="meeting_detail",
    summary="One meeting: agenda, registrations, minutes",
    openapi_extra=OPTIONAL_BEARER,
)
def meeting_detail(request: HttpRequest, id: int = Id) -> Any:
    viewer = optional_membership(request)
    meeting = selectors.meeting_get(id)
    if meeting is None or not permissions.can_view_framework(viewer, meeting.framework):
        raise ApiError(404, _("No meeting with id %(id)s.") % {"id": id})
    registrations = [r.status for r in meeting.registrations.all()]
    return _meeting(meeting) | {
        "framework": meeting.framework_id,
        "capacity": meeting.capacity,
        "registered": registrations.count("confirmed"),
        "waiting": registrations.count("waiting"),
        "sequence": meeting.sequence,
        "uid": meeting.uid,
        "agenda": [
            {
                "title": i.title,
                "presenter": i.presenter,
                "duration_minutes": i.duration_minutes,
                "accepted": i.accepted,
            }
            for i in meeting.agenda.all()
        ],
        "minutes": _minutes(viewer, getattr(meeting, "minutes", None)),
    }


class ActionQuery(Schema):
    framework: ID_QUERY = Query(None, description="Id of the framework.")
    owner: str | None = Query(None, max_length=200, description="Owner's user name or name.")
    status: choice(ActionStatus.values) = Query(None, description="Status of the action.")
    overdue: bool | None = Query(None, description="1: open and past due; 0: the others.")


@router.get(
    "/actions",
    response={200: ActionPageOut, **ERRORS_READ},
    url_name="action_list",
    summary="List follow-up actions",
    openapi_extra=OPTIONAL_BEARER,
)
def action_list(
    request: HttpRequest, filters: Query[ActionQuery], paging: Query[PageParams]
) -> Any:
    """Actions of the frameworks the caller sees, by due date."""
    values = _checked(request, filters, {"status": ActionStatus.values})
    viewer = optional_membership(request)
    qs = selectors.action_list(viewer=viewer, **values)
    return paginate(request, qs, page=paging.page, page_size=paging.page_size, serialize=_action)


class ExchangeQuery(Schema):
    partnership: ID_QUERY = Query(None, description="Id of the partnership.")
    kind: choice(ExchangeKind.values) = Query(None, description="Kind of exchange.")


@router.get(
    "/exchanges",
    response={200: ExchangePageOut, **ERRORS_READ},
    url_name="exchange_list",
    summary="List exchanges, delegations, study visits and trainings",
    openapi_extra=OPTIONAL_BEARER,
)
def exchange_list(
    request: HttpRequest, filters: Query[ExchangeQuery], paging: Query[PageParams]
) -> Any:
    """Published exchanges (and, with a token, those of the partnerships it edits), newest
    first, with what each side learned and changed at home."""
    values = _checked(request, filters, {"kind": ExchangeKind.values})
    viewer = optional_membership(request)
    qs = selectors.exchange_list(viewer=viewer, **values)
    return paginate(request, qs, page=paging.page, page_size=paging.page_size, serialize=_exchange)


@router.get(
    "/partnerships/{id}/who-does-what",
    response={200: WhoDoesWhatOut, **ERRORS_READ},
    url_name="who_does_what",
    summary="Who does what where in a partnership, overlaps flagged",
    openapi_extra=OPTIONAL_BEARER,
)
def who_does_what(request: HttpRequest, id: int = Id) -> Any:
    viewer = optional_membership(request)
    partnership = Partnership.objects.filter(pk=id).first()
    if partnership is None or not can_view_partnership(viewer, partnership):
        raise not_found("partnership", id)
    matrix = selectors.who_does_what(partnership)
    return {
        "partnership": partnership.pk,
        "themes": matrix.themes,
        "cells": [
            {"actor": c.actor, "theme": c.theme, "place": c.place, "sources": sorted(c.sources)}
            for c in matrix.cells
        ],
        "overlaps": [
            {"theme": o.theme, "place": o.place, "actors": list(o.actors)} for o in matrix.overlaps
        ],
    }


# --- writes ---------------------------------------------------------------------------------


@router.post(
    "/frameworks/{id}/meetings",
    response={201: MeetingDetail, **ERRORS_WRITE},
    auth=bearer,
    url_name="meeting_create",
    summary="Schedule a meeting",
)
def meeting_create(request: HttpRequest, body: MeetingIn, id: int = Id) -> Any:
    """The chair, the secretary or an editor of either side schedules a meeting (agenda items:
    ``title``, ``presenter``, ``duration_minutes``); ``notify`` e-mails the invitations."""
    membership = request.auth
    framework = _framework_for(membership, id)
    if not permissions.can_manage_framework(membership, framework):
        raise forbidden(_("This token may not schedule meetings of this framework."))
    data = body.dict()
    notify = data.pop("notify")
    meeting = services.meeting_schedule(actor=membership.user, framework=framework, **data)
    if notify:
        tasks.schedule_notice(meeting, "invitation")
    return Status(201, meeting_detail(request, meeting.pk))


@router.patch(
    "/actions/{id}",
    response={200: ActionOut, **ERRORS_WRITE},
    auth=bearer,
    url_name="action_update",
    summary="Change an action's status, progress or due date",
)
def action_update(request: HttpRequest, body: ActionPatch, id: int = Id) -> Any:
    membership = request.auth
    action = Action.objects.select_related("framework__partnership").filter(pk=id).first()
    if action is None or not permissions.can_view_framework(membership, action.framework):
        raise ApiError(404, _("No action with id %(id)s.") % {"id": id})
    if not permissions.can_manage_framework(membership, action.framework):
        raise forbidden(_("This token may not change the actions of this framework."))
    services.action_update(actor=membership.user, action=action, **body.dict(exclude_unset=True))
    return _action(
        selectors.action_list(viewer=membership, framework=action.framework_id).get(pk=action.pk)
    )
