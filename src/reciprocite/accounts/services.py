"""Writes for accounts: organisations, users, memberships and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from reciprocite.core.audit import audit_record

from .models import ApiToken, Membership, Organisation, Role, User

TOKEN_PREFIX = "rcp_"  # noqa: S105 - a public prefix, not a secret


def organisation_create(
    *, name: str, kind: str, territory=None, contact_email: str = "", slug: str = ""
) -> Organisation:
    organisation = Organisation(
        name=name,
        kind=kind,
        territory=territory,
        contact_email=contact_email,
        slug=slug or slugify(name)[:80],
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def organisation_get_or_create(*, name: str, **fields) -> tuple[Organisation, bool]:
    existing = Organisation.objects.filter(name=name).first()
    if existing:
        return existing, False
    return organisation_create(name=name, **fields), True


def user_create(
    *, username: str, password: str | None, email: str = "", is_superuser: bool = False, **extra
) -> User:
    user = User(username=username, email=email, is_superuser=is_superuser, is_staff=is_superuser)
    for key, value in extra.items():
        setattr(user, key, value)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def membership_add(*, user: User, organisation: Organisation, role: str) -> Membership:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    return membership


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """Create a token; the clear secret is returned once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        membership=membership, name=name, prefix=secret[:12], digest=_digest(secret)
    )
    audit_record(
        kind="token_created",
        user=membership.user,
        detail={"token": token.pk, "name": name, "organisation": membership.organisation_id},
    )
    return token, secret


def api_token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


@transaction.atomic
def api_token_authenticate(secret: str) -> Membership | None:
    """The membership a secret acts for, or None when unknown or revoked."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("membership__organisation", "membership__user")
        .filter(digest=_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.membership.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.membership
