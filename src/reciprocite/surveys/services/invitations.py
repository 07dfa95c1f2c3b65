"""Personal invitation links: a stable secret per respondent, never stored.

The secret of an invitation's link is an HMAC of its ``secret_nonce`` (random, made when the
invitation is created) with SECRET_KEY: the same invitation gives the same link every time it
is e-mailed, shown on the campaign page or exported, and a copy of the database alone does not
give the links away. Only the SHA-256 digest of the secret is stored, to find the invitation
from a link. ``invitation_renew_secret`` draws a new nonce: the old link stops working.

A SECRET_KEY rotated with the old key in SECRET_KEY_FALLBACKS keeps the links reproducible;
without the old key a link can no longer be shown (``invitation_secret`` returns None) but
still opens, since its digest is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db.models import Q

from ..models import Invitation

NONCE_BYTES = 16
_PURPOSE = b"reciprocite.surveys.invitation:"


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


def invitation_create(*, campaign, organisation, email: str, language: str = "fr"):
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


def invitation_renew_secret(*, invitation) -> str:
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
