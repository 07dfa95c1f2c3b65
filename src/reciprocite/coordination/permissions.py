"""Who may do what in coordination. Views, the API, the CLI and tests use only these predicates.

| action                                        | admin | analyst | editor of a party | chair | secretary | member | others |
|-----------------------------------------------|-------|---------|-------------------|-------|-----------|--------|--------|
| see a framework of a visible partnership      | yes   | yes     | yes               | yes   | yes       | yes    | yes    |
| manage it: members, meetings, decisions…      | yes   | yes     | yes               | yes   | yes       | no     | no     |
| propose an agenda item, register, comment     | yes   | yes     | yes               | yes   | yes       | yes    | no     |
| approve minutes                               | yes   | no      | no                | yes   | no        | no     | no     |
| read draft or approved minutes                | yes   | yes     | yes               | yes   | yes       | yes    | no     |
| read published members-only minutes           | yes   | yes     | yes               | yes   | yes       | yes    | no     |
| read published public minutes                 | yes   | yes     | yes               | yes   | yes       | yes    | yes    |
| manage pairs of associations and exchanges    | yes   | yes     | yes               | no    | no        | no     | no     |
| see an unpublished exchange                   | yes   | yes     | yes               | no    | no        | no     | no     |

"A party" is a territory of the partnership (either side) whose organisation the editor
belongs to: coordination belongs to both sides alike. Chair, secretary and member are the
signed-in person's current position in the framework (``FrameworkMember`` not yet left).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from reciprocite.accounts.permissions import Principal, principal_of
from reciprocite.registry.permissions import can_view_partnership

from .models import (
    MANAGING_POSITIONS,
    Exchange,
    Framework,
    Meeting,
    Minutes,
    MinutesStatus,
    MinutesVisibility,
    Position,
)


def _party_ids(partnership: Any) -> set[int]:
    return {party.territory_id for party in partnership.parties.all()}


def _is_partnership_editor(p: Principal, partnership: Any) -> bool:
    return p.is_admin or p.is_analyst or bool(p.editor_territory_ids & _party_ids(partnership))


def positions_of(p: Principal, framework: Framework) -> set[str]:
    """The current positions of the principal's user in the framework (cached per framework)."""
    if p.user_id is None:
        return set()
    cache: dict[int, set[str]] = framework.__dict__.setdefault("_positions_by_user", {})
    if p.user_id not in cache:
        today = timezone.localdate()
        cache[p.user_id] = {
            m.position
            for m in framework.members.all()
            if m.user_id == p.user_id and (m.left_on is None or m.left_on > today)
        }
    return cache[p.user_id]


def can_view_framework(subject: Any, framework: Framework) -> bool:
    return not framework.is_deleted and can_view_partnership(subject, framework.partnership)


def can_manage_framework(subject: Any, framework: Framework) -> bool:
    p = principal_of(subject)
    if not p.is_authenticated or framework.is_deleted:
        return False
    return _is_partnership_editor(p, framework.partnership) or bool(
        positions_of(p, framework) & set(MANAGING_POSITIONS)
    )


def can_create_framework(subject: Any, partnership: Any) -> bool:
    p = principal_of(subject)
    return p.is_authenticated and _is_partnership_editor(p, partnership)


def is_member(subject: Any, framework: Framework) -> bool:
    p = principal_of(subject)
    return bool(positions_of(p, framework)) or can_manage_framework(p, framework)


def can_take_part(subject: Any, framework: Framework) -> bool:
    """Propose agenda items, register for meetings, comment on draft minutes."""
    return can_view_framework(subject, framework) and is_member(subject, framework)


def can_register(subject: Any, meeting: Meeting) -> bool:
    return can_take_part(subject, meeting.framework)


def can_approve_minutes(subject: Any, minutes: Minutes) -> bool:
    p = principal_of(subject)
    framework = minutes.meeting.framework
    return p.is_admin or Position.CHAIR in positions_of(p, framework)


def can_view_minutes(subject: Any, minutes: Minutes) -> bool:
    framework = minutes.meeting.framework
    if not can_view_framework(subject, framework):
        return False
    if (
        minutes.status == MinutesStatus.PUBLISHED
        and framework.minutes_visibility == MinutesVisibility.PUBLIC
    ):
        return True
    return is_member(subject, framework)


def can_comment_minutes(subject: Any, minutes: Minutes) -> bool:
    return minutes.status == MinutesStatus.DRAFT and can_take_part(
        subject, minutes.meeting.framework
    )


def can_manage_partnership_coordination(subject: Any, partnership: Any) -> bool:
    """Pairs of associations and exchanges: the editors of either side."""
    p = principal_of(subject)
    return p.is_authenticated and _is_partnership_editor(p, partnership)


def can_view_exchange(subject: Any, exchange: Exchange) -> bool:
    if exchange.is_deleted or not can_view_partnership(subject, exchange.partnership):
        return False
    return exchange.is_published or can_manage_partnership_coordination(
        subject, exchange.partnership
    )
