"""Who someone is on the platform: the roles behind every permission predicate.

A *principal* is what a permission is asked about: a signed-in user (all their memberships
count) or an API token (only the membership it was issued for counts). Every app's
``permissions.py`` asks ``principal_of(x)`` and reads these facts; nothing else in the code
looks at roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from .models import Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


@dataclass(frozen=True)
class Principal:
    user_id: int | None = None
    is_authenticated: bool = False
    is_admin: bool = False
    is_analyst: bool = False
    # territories whose records this principal may edit, by role
    member_territory_ids: frozenset[int] = field(default_factory=frozenset)
    partner_territory_ids: frozenset[int] = field(default_factory=frozenset)
    organisation_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def editor_territory_ids(self) -> frozenset[int]:
        return self.member_territory_ids | self.partner_territory_ids

    @property
    def can_edit_something(self) -> bool:
        return self.is_admin or self.is_analyst or bool(self.editor_territory_ids)


ANONYMOUS = Principal()

#: What a permission predicate is asked about: anything ``principal_of`` takes.
Subject: TypeAlias = "Principal | Membership | User | AnonymousUser | None"


def _from_memberships(user_id, is_admin: bool, memberships) -> Principal:
    member, partner, orgs = set(), set(), set()
    analyst = False
    for m in memberships:
        orgs.add(m.organisation_id)
        if m.role == Role.ANALYST:
            analyst = True
        elif m.role == Role.MEMBER_EDITOR and m.organisation.territory_id:
            member.add(m.organisation.territory_id)
        elif m.role == Role.PARTNER_EDITOR and m.organisation.territory_id:
            partner.add(m.organisation.territory_id)
    return Principal(
        user_id=user_id,
        is_authenticated=True,
        is_admin=is_admin,
        is_analyst=analyst,
        member_territory_ids=frozenset(member),
        partner_territory_ids=frozenset(partner),
        organisation_ids=frozenset(orgs),
    )


def principal_of(subject) -> Principal:
    """The principal of a user (cached on the object), a membership (token) or a principal."""
    if isinstance(subject, Principal):
        return subject
    if subject is None:
        return ANONYMOUS
    if isinstance(subject, Membership):
        user = subject.user
        return _from_memberships(user.pk, user.is_superuser and user.is_active, [subject])
    if not getattr(subject, "is_authenticated", False) or not subject.is_active:
        return ANONYMOUS
    cached = getattr(subject, "_reciprocite_principal", None)
    if cached is None:
        memberships = Membership.objects.filter(user=subject).select_related("organisation")
        cached = _from_memberships(subject.pk, subject.is_superuser, list(memberships))
        subject._reciprocite_principal = cached
    return cached


def can_manage_tokens(subject, membership: Membership) -> bool:
    """A user manages the tokens of their own memberships; admins manage all."""
    p = principal_of(subject)
    return p.is_admin or (p.user_id is not None and p.user_id == membership.user_id)


def can_use_second_factor(subject) -> bool:
    """Analysts and administrators may protect their account with a second factor (TOTP):
    they see and change what no one else can."""
    p = principal_of(subject)
    return p.is_authenticated and (p.is_admin or p.is_analyst)
