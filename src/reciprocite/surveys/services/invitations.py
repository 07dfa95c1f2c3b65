"""Personal invitation links: a stable secret per respondent, never stored.

The secret of an invitation's link is an HMAC of its ``secret_nonce`` (random, made when the
invitation is created) with SECRET_KEY: the same invitation gives the same link every time it
is e-mailed, shown on the campaign page or exported, and a copy of the database alone does not
give the links away. Only the SHA-256 digest of the secret is stored, to find the invitation
from a link. ``invitation_renew_secret`` draws a new nonce: the old link stops working.

A SECRET_KEY rotated with the old key in SECRET_KEY_FALLBACKS keeps the links reproducible;
without the old key a link can no longer be shown (``invitation_secret`` returns None) but
still opens, since its digest is stored.

An invitation's state moves forward only (``invitation_mark``: invited → opened → in progress
→ submitted); the web form keeps the respondent's draft in the invitation
(``invitation_draft_save``) until the answer is stored (``invitation_finish``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from reciprocite.accounts.models import Organisation

from ..models import Campaign, Invitation, InvitationStatus

NONCE_BYTES = 16
_PURPOSE = b"reciprocite.surveys.invitation:"

# Forward order of an invitation's statuses; "bounced" sits with "invited": a respondent who
# opens the link after all (e.g. a late delivery) moves on.
_RANK: dict[str, int] = {
    InvitationStatus.INVITED: 0,
    InvitationStatus.BOUNCED: 0,
    InvitationStatus.OPENED: 1,
    InvitationStatus.IN_PROGRESS: 2,
    InvitationStatus.SUBMITTED: 3,
}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _derive(nonce: str, key: str) -> str:
    mac = hmac.new(key.encode(), _PURPOSE + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:24]).decode().rstrip("=")


def _new_nonce() -> tuple[str, str]:
    """(nonce, digest of its secret) under the current SECRET_KEY."""
    nonce = secrets.token_hex(NONCE_BYTES)
    return nonce, _digest(_derive(nonce, settings.SECRET_KEY))


def invitation_secret(invitation: Invitation) -> str | None:
    """The secret of the invitation's link (the same every time); None when it cannot be
    made again (the SECRET_KEY it was made with is gone)."""
    if not invitation.secret_nonce:
        return None
    for key in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())):
        secret = _derive(invitation.secret_nonce, key)
        if hmac.compare_digest(_digest(secret), invitation.token_digest):
            return secret
    return None


def invitation_create(
    *, campaign: Campaign, organisation: Organisation, email: str, language: str = "fr"
) -> tuple[Invitation, str | None]:
    """Create an invitation; returns (invitation, secret). The secret goes in the link only."""
    nonce, digest = _new_nonce()
    invitation = Invitation(
        campaign=campaign,
        organisation=organisation,
        email=email,
        language=language,
        secret_nonce=nonce,
        token_digest=digest,
    )
    invitation.full_clean()
    invitation.save()
    return invitation, invitation_secret(invitation)


def invitation_renew_secret(*, invitation: Invitation) -> str | None:
    """A new secret (e.g. after a link was leaked); the old link stops working."""
    invitation.secret_nonce, invitation.token_digest = _new_nonce()
    invitation.legacy_token_digest = None
    invitation.save(update_fields=["secret_nonce", "token_digest", "legacy_token_digest"])
    return invitation_secret(invitation)


def invitation_for_token(secret: str) -> Invitation | None:
    """The invitation a link's secret opens, or None (unknown, forged or malformed)."""
    if not secret or len(secret) > 100:
        return None
    digest = _digest(secret)
    return (
        Invitation.objects.select_related("campaign__questionnaire", "organisation")
        .filter(Q(token_digest=digest) | Q(legacy_token_digest=digest))
        .first()
    )


# --- state ----------------------------------------------------------------------------------


def invitation_mark(invitation: Invitation, status: str) -> bool:
    """Move an invitation forward (opened → in progress → submitted); never backwards.

    Returns True when the status changed. One conditional UPDATE, so two requests of the
    same respondent cannot move it back.
    """
    if status not in (
        InvitationStatus.OPENED,
        InvitationStatus.IN_PROGRESS,
        InvitationStatus.SUBMITTED,
    ):
        raise ValueError(f"cannot mark an invitation {str(status)!r}")
    lower = [s for s, rank in _RANK.items() if rank < _RANK[status]]
    now = timezone.now()
    changes: dict[str, Any] = {"status": status}
    if status == InvitationStatus.SUBMITTED:
        changes["submitted_at"] = now
    changed = Invitation.objects.filter(pk=invitation.pk, status__in=lower).update(**changes)
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
    invitation.refresh_from_db(fields=["status", "opened_at", "submitted_at"])
    return bool(changed)


def invitation_draft_save(*, invitation: Invitation, draft: dict[str, Any]) -> None:
    """Keep the web form's draft (answers so far, page, UUID, start time) in the invitation,
    so that the same link resumes where the respondent left."""
    invitation.draft = draft
    invitation.save(update_fields=["draft"])


def invitation_finish(*, invitation: Invitation) -> None:
    """The respondent's answer is stored: the invitation is submitted, its draft dropped."""
    invitation_mark(invitation, InvitationStatus.SUBMITTED)
    invitation_draft_save(invitation=invitation, draft={})
