"""Personal invitation links: a secret per respondent, only its digest stored."""

from __future__ import annotations

import hashlib
import secrets

from ..models import Invitation

TOKEN_BYTES = 24


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invitation_create(*, campaign, organisation, email: str, language: str = "fr"):
    """Create an invitation; returns (invitation, secret). The secret goes in the link only."""
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation(
        campaign=campaign,
        organisation=organisation,
        email=email,
        language=language,
        token_digest=_digest(secret),
    )
    invitation.full_clean()
    invitation.save()
    return invitation, secret


def invitation_renew_secret(*, invitation) -> str:
    """A new secret (e.g. for a reminder to a lost link); the old link stops working."""
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    invitation.token_digest = _digest(secret)
    invitation.save(update_fields=["token_digest"])
    return secret


def invitation_for_token(secret: str) -> Invitation | None:
    """The invitation a link's secret opens, or None (unknown, forged or malformed)."""
    if not secret or len(secret) > 100:
        return None
    return (
        Invitation.objects.select_related("campaign__questionnaire", "organisation")
        .filter(token_digest=_digest(secret))
        .first()
    )
