"""Pages of coordination: a partnership's frameworks, pairs, exchanges and who does what; a
framework with its accountability board; a meeting; the calendar feeds.

Thin: selectors read, services write, ``permissions`` decides (each view says who may use it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reciprocite.core.http import deny_unless
from reciprocite.registry.models import Partnership
from reciprocite.registry.permissions import can_view_partnership

from . import calendar, permissions, selectors, services
from .models import CalendarFeed, Meeting, MeetingStatus, RegistrationStatus


def _framework_or_404(request: HttpRequest, pk: int) -> Any:
    framework = selectors.framework_get(pk)
    if framework is None or not permissions.can_view_framework(request.user, framework):
        raise Http404(_("No such framework."))
    return framework


@require_GET
def partnership_coordination(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone who may see the partnership: its frameworks, pairs, exchanges, who does what."""
    partnership = Partnership.objects.prefetch_related("parties__territory").filter(pk=pk).first()
    if partnership is None or not can_view_partnership(request.user, partnership):
        raise Http404(_("No such partnership."))
    frameworks = list(selectors.framework_list(viewer=request.user, partnership=partnership))
    context = {
        "partnership": partnership,
        "frameworks": frameworks,
        "board": selectors.accountability_board(
            selectors.action_list(viewer=request.user).filter(framework__partnership=partnership)
        ),
        "pairs": list(selectors.pair_list(partnership=partnership)),
        "exchanges": list(selectors.exchange_list(viewer=request.user, partnership=partnership)),
        "matrix": selectors.who_does_what(partnership),
        "can_manage": permissions.can_manage_partnership_coordination(request.user, partnership),
    }
    return render(request, "coordination/partnership.html", context)


@require_GET
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone who may see the partnership; members-only minutes stay hidden from others."""
    framework = _framework_or_404(request, pk)
    now = timezone.now()
    meetings = list(framework.meetings.all())
    actions = list(framework.actions.all())
    context = {
        "framework": framework,
        "members": list(framework.members.all()),
        "upcoming": [m for m in meetings if m.ends_at >= now],
        "past": [m for m in reversed(meetings) if m.ends_at < now],
        "decisions": list(framework.decisions.all()),
        "actions": actions,
        "board": selectors.accountability_board(actions),
        "today": timezone.localdate(),
        "can_manage": permissions.can_manage_framework(request.user, framework),
        "ical_url": request.build_absolute_uri(
            f"/coordination/frameworks/{framework.pk}/calendar.ics"
        ),
    }
    return render(request, "coordination/framework_detail.html", context)


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=calendar.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def framework_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The framework's calendar (iCalendar), for anyone who may see the framework."""
    framework = _framework_or_404(request, pk)
    content = calendar.feed(
        framework.meetings.all(),
        name=framework.title,
        time_zone=framework.time_zone,
        site_url=request.build_absolute_uri("/"),
    )
    return _ics(content, f"framework-{framework.pk}.ics")


@require_GET
def person_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """A person's calendar, by the secret token of its URL (no session: calendar applications
    fetch it); an unknown or revoked token is a 404."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(digest=services.feed_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404(_("No such calendar."))
    content = calendar.feed(
        selectors.person_meetings(feed.user),
        name=_("My meetings — Réciprocité"),
        site_url=request.build_absolute_uri("/"),
    )
    return _ics(content, "meetings.ics")


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    """Signed-in people: create their secret calendar URL (shown once) or revoke it."""
    user = request.user
    assert user.is_authenticated  # noqa: S101 - login_required
    feeds = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True)
    new_url = None
    if request.method == "POST":
        for feed in feeds:
            services.calendar_feed_revoke(feed=feed)
        if request.POST.get("action") == "create":
            token = services.calendar_feed_create(user=request.user)
            new_url = request.build_absolute_uri(f"/coordination/calendar/{token}.ics")
        else:
            messages.success(request, _("Your calendar address is revoked."))
    context = {
        "has_feed": new_url is not None or feeds.exists(),
        "new_url": new_url,
        "meetings": list(selectors.person_meetings(request.user)[:50]),
    }
    return render(request, "coordination/my_calendar.html", context)


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone who may see the framework; minutes as ``can_view_minutes`` says."""
    meeting = selectors.meeting_get(pk)
    if meeting is None or not permissions.can_view_framework(request.user, meeting.framework):
        raise Http404(_("No such meeting."))
    minutes = getattr(meeting, "minutes", None)
    registrations = list(meeting.registrations.all())
    mine = next((r for r in registrations if r.user_id == request.user.pk), None)
    context = {
        "meeting": meeting,
        "framework": meeting.framework,
        "agenda": [item for item in meeting.agenda.all() if item.accepted],
        "minutes": minutes
        if minutes and permissions.can_view_minutes(request.user, minutes)
        else None,
        "confirmed": sum(r.status == RegistrationStatus.CONFIRMED for r in registrations),
        "waiting": sum(r.status == RegistrationStatus.WAITING for r in registrations),
        "mine": mine if mine and mine.status != RegistrationStatus.CANCELLED else None,
        "can_register": permissions.can_register(request.user, meeting)
        and meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.MOVED),
    }
    return render(request, "coordination/meeting_detail.html", context)


@require_POST
@login_required
def meeting_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Members of the framework (and its managers): register, or cancel their registration."""
    meeting = Meeting.objects.select_related("framework__partnership").filter(pk=pk).first()
    if meeting is None or not permissions.can_view_framework(request.user, meeting.framework):
        raise Http404(_("No such meeting."))
    deny_unless(permissions.can_register(request.user, meeting))
    try:
        if request.POST.get("action") == "cancel":
            registration = meeting.registrations.filter(user_id=request.user.pk or 0).first()
            if registration is not None:
                services.registration_cancel(registration=registration)
                messages.success(request, _("Your registration is cancelled."))
        else:
            registration = services.registration_create(meeting=meeting, user=request.user)
            if registration.status == RegistrationStatus.WAITING:
                messages.info(request, _("The meeting is full: you are on the waiting list."))
            else:
                messages.success(request, _("You are registered."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("coordination:meeting_detail", pk=meeting.pk)
