"""Reads for coordination: lists with their related rows fetched up front (no N+1), the
accountability board, the reciprocity entries of exchanges and the "who does what where"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from reciprocite.accounts.permissions import principal_of
from reciprocite.registry.models import Partnership, ProjectActor

from .models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    AssociationPair,
    Exchange,
    ExchangeLesson,
    ExchangeParticipant,
    Framework,
    FrameworkMember,
    Meeting,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)


def _visible_partnerships(viewer: Any) -> Q:
    """Partnerships the viewer may see: published ones, and those of a party they edit."""
    p = principal_of(viewer)
    if p.is_admin or p.is_analyst:
        return Q()
    visible = Q(partnership__is_published=True)
    if p.editor_territory_ids:
        visible |= Q(partnership__parties__territory_id__in=p.editor_territory_ids)
    return visible & Q(partnership__deleted_at__isnull=True)


def _members_prefetch() -> Any:
    return Prefetch(
        "members",
        queryset=FrameworkMember.objects.select_related("user", "organisation", "actor"),
    )


def framework_list(
    *,
    viewer: Any = None,
    partnership: Partnership | int | None = None,
    theme: str | None = None,
    country: str | None = None,
) -> QuerySet[Framework]:
    qs = Framework.objects.filter(_visible_partnerships(viewer))
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if theme:
        qs = qs.filter(theme_id=theme)
    if country:
        qs = qs.filter(partnership__parties__territory__country=country.upper())
    listed: QuerySet[Framework] = (
        qs.distinct()
        .select_related("partnership", "theme")
        .prefetch_related("partnership__parties", _members_prefetch())
        .annotate(meeting_count=Count("meetings", distinct=True))
        .order_by("title", "id")
    )
    return listed


def framework_get(framework_id: int) -> Framework | None:
    """One framework with what its page shows (members, meetings, decisions, actions)."""
    return (
        Framework.objects.filter(pk=framework_id)
        .select_related("partnership", "theme")
        .prefetch_related(
            "partnership__parties__territory",
            _members_prefetch(),
            Prefetch("meetings", queryset=Meeting.objects.select_related("minutes")),
            "decisions",
            Prefetch("actions", queryset=_actions_queryset()),
        )
        .first()
    )


def meeting_get(meeting_id: int) -> Meeting | None:
    return (
        Meeting.objects.filter(pk=meeting_id, framework__deleted_at__isnull=True)
        .select_related("framework__partnership", "framework__theme", "minutes")
        .prefetch_related(
            "framework__partnership__parties",
            Prefetch(
                "framework__members",
                queryset=FrameworkMember.objects.select_related("user", "organisation", "actor"),
            ),
            "agenda",
            "minutes__translations",
            "minutes__comments__author",
            Prefetch("registrations", queryset=Registration.objects.select_related("user")),
            "attendances__member",
        )
        .first()
    )


def _actions_queryset() -> QuerySet[Action]:
    return Action.objects.select_related(
        "owner_user",
        "owner_member__user",
        "owner_member__organisation",
        "owner_member__actor",
        "owner_organisation",
        "decision",
        "project",
    ).prefetch_related("milestones")


def action_list(
    *,
    viewer: Any = None,
    framework: Framework | int | None = None,
    owner: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    today: date | None = None,
) -> QuerySet[Action]:
    """Actions of the frameworks the viewer sees. ``owner``: a user name or an organisation's
    name (exact); ``overdue``: open and due before ``today``."""
    today = today or timezone.localdate()
    qs = _actions_queryset().filter(
        framework__deleted_at__isnull=True,
        framework__in=Framework.objects.filter(_visible_partnerships(viewer)),
    )
    if framework is not None:
        qs = qs.filter(framework=framework)
    if owner:
        qs = qs.filter(
            Q(owner_user__username=owner)
            | Q(owner_organisation__name=owner)
            | Q(owner_member__person_name=owner)
            | Q(owner_member__user__username=owner)
            | Q(owner_member__organisation__name=owner)
            | Q(owner_member__actor__name=owner)
        )
    if status:
        qs = qs.filter(status=status)
    late = Q(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)
    if overdue is True:
        qs = qs.filter(late)
    elif overdue is False:
        qs = qs.exclude(late)
    return qs.select_related("framework__theme").order_by("due_on", "id")


@dataclass
class BoardLine:
    label: str
    total: int = 0
    done: int = 0
    late: int = 0
    blocked: int = 0

    @property
    def done_percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class Board:
    total: BoardLine
    by_theme: list[BoardLine] = field(default_factory=list)
    by_owner: list[BoardLine] = field(default_factory=list)


def accountability_board(actions: Any, *, today: date | None = None) -> Board:
    """Done, late and blocked actions, in all, per theme and per owner (dropped ones left out).

    ``actions``: actions fetched with their framework and owners (``action_list``,
    ``framework_get(...).actions.all()``); counted in Python, no further query."""
    today = today or timezone.localdate()
    total = BoardLine(label="")
    themes: dict[str, BoardLine] = {}
    owners: dict[str, BoardLine] = {}
    for action in actions:
        if action.status == ActionStatus.DROPPED:
            continue
        theme = str(action.framework.theme)
        owner = action.owner_name
        for line in (
            total,
            themes.setdefault(theme, BoardLine(theme)),
            owners.setdefault(owner, BoardLine(owner)),
        ):
            line.total += 1
            line.done += action.status == ActionStatus.DONE
            line.late += action.is_late(today)
            line.blocked += action.blocked and action.status != ActionStatus.DONE
    return Board(
        total=total,
        by_theme=sorted(themes.values(), key=lambda line: line.label),
        by_owner=sorted(owners.values(), key=lambda line: line.label),
    )


def person_meetings(user: Any) -> QuerySet[Meeting]:
    """The meetings a person is invited to (a current member of the framework) or registered for."""
    today = timezone.localdate()
    member_of = (
        FrameworkMember.objects.filter(user=user)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .values("framework_id")
    )
    registered = (
        Registration.objects.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values("meeting_id")
    )
    return (
        Meeting.objects.filter(framework__deleted_at__isnull=True)
        .filter(Q(framework_id__in=member_of) | Q(pk__in=registered))
        .select_related("framework")
        .order_by("starts_at", "id")
    )


def meetings_without_minutes(*, held_before: date) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        framework__deleted_at__isnull=True,
        status__in=[MeetingStatus.SCHEDULED, MeetingStatus.MOVED, MeetingStatus.HELD],
        ends_at__date__lt=held_before,
        minutes__isnull=True,
    ).select_related("framework")


def exchange_list(
    *, viewer: Any = None, partnership: Partnership | int | None = None, kind: str | None = None
) -> QuerySet[Exchange]:
    p = principal_of(viewer)
    qs = Exchange.objects.filter(_visible_partnerships(viewer))
    if not (p.is_admin or p.is_analyst):
        published = Q(is_published=True)
        if p.editor_territory_ids:
            published |= Q(partnership__parties__territory_id__in=p.editor_territory_ids)
        qs = qs.filter(published)
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.distinct()
        .select_related("partnership", "theme")
        .prefetch_related(
            Prefetch("participants", queryset=ExchangeParticipant.objects.select_related("actor")),
            "lessons",
        )
        .order_by("-start_date", "id")
    )


def pair_list(*, partnership: Partnership | int) -> QuerySet[AssociationPair]:
    return (
        AssociationPair.objects.filter(partnership=partnership)
        .select_related("french_association", "partner_association", "theme", "agreement")
        .prefetch_related("activities")
    )


@dataclass(frozen=True)
class ReciprocityEntry:
    """What one side learned from an exchange and what it changed at home."""

    exchange_id: int
    partnership_id: int
    title: str
    kind: str
    direction: str
    theme: str | None
    start_date: date
    side: str
    learned: str
    changed_at_home: str
    language: str


def reciprocity_entries(
    *,
    partnership: Partnership | int | None = None,
    side: str | None = None,
    viewer: Any = None,
) -> list[ReciprocityEntry]:
    """The reciprocity entries of the exchanges the viewer sees (published ones by default),
    newest first; an entry with neither a lesson nor a change is left out. For the knowledge
    base, the panorama and the matching ledger."""
    exchanges = exchange_list(viewer=viewer, partnership=partnership).values("pk")
    lessons = ExchangeLesson.objects.filter(exchange__in=exchanges).exclude(
        learned="", changed_at_home=""
    )
    if side:
        lessons = lessons.filter(side=side)
    lessons = lessons.select_related("exchange").order_by(
        "-exchange__start_date", "exchange_id", "side"
    )
    return [
        ReciprocityEntry(
            exchange_id=lesson.exchange_id,
            partnership_id=lesson.exchange.partnership_id,
            title=lesson.exchange.title,
            kind=lesson.exchange.kind,
            direction=lesson.exchange.direction,
            theme=lesson.exchange.theme_id,
            start_date=lesson.exchange.start_date,
            side=lesson.side,
            learned=lesson.learned,
            changed_at_home=lesson.changed_at_home,
            language=lesson.exchange.language,
        )
        for lesson in lessons
    ]


# --- who does what where --------------------------------------------------------------------


@dataclass
class MatrixCell:
    actor_id: int
    actor: str
    theme: str
    place_id: int | None
    place: str
    sources: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Overlap:
    theme: str
    place: str
    actors: tuple[str, str]


@dataclass
class WhoDoesWhat:
    cells: list[MatrixCell]
    overlaps: list[Overlap]

    @property
    def themes(self) -> list[str]:
        return sorted({c.theme for c in self.cells})

    @property
    def actors(self) -> list[str]:
        return sorted({c.actor for c in self.cells})


def who_does_what(partnership: Partnership) -> WhoDoesWhat:
    """Actors × themes × places of a partnership, from its projects, frameworks, pairs and
    exchanges; an overlap is two actors on the same theme in the same place who share no
    framework. A fixed number of queries, whatever the size of the partnership."""
    cells: dict[tuple[int, str, int | None], MatrixCell] = {}

    def add(actor: Any, theme: str, source: str) -> None:
        place = actor.territory
        key = (actor.pk, theme, actor.territory_id)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = MatrixCell(
                actor_id=actor.pk,
                actor=actor.name,
                theme=theme,
                place_id=actor.territory_id,
                place=place.name if place else "",
            )
        cell.sources.add(source)

    roles = (
        ProjectActor.objects.filter(
            project__partnership=partnership, project__deleted_at__isnull=True
        )
        .select_related("actor__territory")
        .prefetch_related("project__themes")
    )
    for role in roles:
        for theme in role.project.themes.all():
            add(role.actor, theme.code, "project")
    shared: dict[int, set[int]] = defaultdict(set)  # actor → frameworks
    members = FrameworkMember.objects.filter(
        framework__partnership=partnership, framework__deleted_at__isnull=True, actor__isnull=False
    ).select_related("actor__territory", "framework")
    for member in members:
        add(member.actor, member.framework.theme_id, "framework")
        if member.actor_id is not None:
            shared[member.actor_id].add(member.framework_id)
    pairs = AssociationPair.objects.filter(partnership=partnership).select_related(
        "french_association__territory", "partner_association__territory"
    )
    for pair in pairs:
        add(pair.french_association, pair.theme_id, "pair")
        add(pair.partner_association, pair.theme_id, "pair")
    participants = ExchangeParticipant.objects.filter(
        exchange__partnership=partnership,
        exchange__deleted_at__isnull=True,
        exchange__theme__isnull=False,
        actor__isnull=False,
    ).select_related("actor__territory", "exchange")
    for participant in participants:
        assert participant.exchange.theme_id is not None  # noqa: S101 - filtered above
        add(participant.actor, participant.exchange.theme_id, "exchange")

    by_place: dict[tuple[str, int | None], list[MatrixCell]] = defaultdict(list)
    for cell in cells.values():
        if cell.place_id is not None:
            by_place[(cell.theme, cell.place_id)].append(cell)
    overlaps = [
        Overlap(theme=a.theme, place=a.place, actors=(a.actor, b.actor))
        for group in by_place.values()
        for a, b in combinations(sorted(group, key=lambda c: c.actor), 2)
        if not shared[a.actor_id] & shared[b.actor_id]
    ]
    return WhoDoesWhat(
        cells=sorted(cells.values(), key=lambda c: (c.actor, c.theme, c.place)),
        overlaps=sorted(overlaps, key=lambda o: (o.theme, o.place, o.actors)),
    )
