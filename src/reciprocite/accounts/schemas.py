"""API representations for accounts."""

from __future__ import annotations

from ninja import Schema

from .models import Membership


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    territory_id: int | None


class TokenInfoOut(Schema):
    user: str
    organisation: OrganisationOut
    role: str
    is_admin: bool


def token_info(membership: Membership) -> dict:
    org = membership.organisation
    return {
        "user": membership.user.username,
        "organisation": {
            "id": org.pk,
            "name": org.name,
            "kind": org.kind,
            "territory_id": org.territory_id,
        },
        "role": membership.role,
        "is_admin": membership.user.is_superuser,
    }
