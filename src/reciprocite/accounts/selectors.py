from __future__ import annotations

from .models import ApiToken, Membership, RecoveryCode, SecondFactor


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


def has_second_factor(*, user) -> bool:
    return bool(getattr(user, "pk", None)) and SecondFactor.objects.filter(user=user).exists()


def recovery_codes_left(*, user) -> int:
    return RecoveryCode.objects.filter(factor__user=user, used_at__isnull=True).count()


def qr_code_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` address (drawn here, no outside service;
    the CSP allows ``img-src data:``)."""
    import segno

    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
