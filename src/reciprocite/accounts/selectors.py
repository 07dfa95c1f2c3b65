from __future__ import annotations

from .models import ApiToken, Membership


def membership_list(*, user) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user)
        .select_related("organisation__territory")
        .order_by("organisation__name", "role")
    )


def token_list(*, user) -> list[ApiToken]:
    return list(
        ApiToken.objects.filter(membership__user=user)
        .select_related("membership__organisation")
        .order_by("-created_at")
    )
