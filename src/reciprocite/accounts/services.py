"""Writes for accounts: organisations, users, memberships and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pyotp
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from reciprocite.core.audit import audit_record

from . import throttle
from .models import ApiToken, Membership, Organisation, RecoveryCode, Role, SecondFactor, User

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


# -- second factor (TOTP) and recovery codes --------------------------------------------------

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def second_factor_new_secret() -> str:
    """A fresh TOTP secret (base32, 160 bits), kept in the session until confirmed."""
    return pyotp.random_base32(32)


def second_factor_uri(*, user: User, secret: str) -> str:
    """The otpauth:// address an authenticator application reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name="Réciprocité")


def _matching_step(secret: str, code: str, *, after: int | None) -> int | None:
    """The time step (one before, now, one after: clocks drift) whose code is ``code``, if it
    is later than ``after`` (a code is accepted once)."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(timezone.now())
    for step in (now_step - 1, now_step, now_step + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _normalise_recovery(code: str) -> str:
    raw = "".join(c for c in code.lower() if c.isalnum())
    return f"{raw[:5]}-{raw[5:]}" if len(raw) == 10 else ""


@transaction.atomic
def second_factor_enable(*, user: User, secret: str, code: str, request=None) -> list[str] | None:
    """Turn the second factor on once ``code`` proves the authenticator has ``secret``;
    the recovery codes in clear (shown once; only their hashes are kept), or None."""
    step = _matching_step(secret, code, after=None)
    if step is None:
        return None
    SecondFactor.objects.filter(user=user).delete()
    factor = SecondFactor.objects.create(
        user=user, secret=secret, last_step=step, last_used_at=timezone.now()
    )
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(factor=factor, code_hash=make_password(c)) for c in codes]
    )
    audit_record(kind="second_factor_enabled", request=request, user=user)
    return codes


@transaction.atomic
def second_factor_verify(*, user: User, code: str) -> str | None:
    """Check a code of the user's authenticator or one of their recovery codes; which kind
    matched ("totp" or "recovery"), or None. A recovery code is spent."""
    factor = SecondFactor.objects.select_for_update().filter(user=user).first()
    if factor is None:
        return None
    step = _matching_step(factor.secret, code, after=factor.last_step)
    if step is not None:
        factor.last_step = step
        factor.last_used_at = timezone.now()
        factor.save(update_fields=["last_step", "last_used_at"])
        return "totp"
    candidate = _normalise_recovery(code)
    if not candidate:
        return None
    for recovery in factor.codes.filter(used_at__isnull=True).order_by("pk"):
        if check_password(candidate, recovery.code_hash):
            recovery.used_at = timezone.now()
            recovery.save(update_fields=["used_at"])
            return "recovery"
    return None


def second_factor_disable(*, user: User, request=None) -> bool:
    """Turn the second factor off (its recovery codes go with it); False if it was off."""
    deleted, _ = SecondFactor.objects.filter(user=user).delete()
    if deleted:
        audit_record(kind="second_factor_disabled", request=request, user=user)
    return bool(deleted)


def password_changed(*, user: User, how: str, request=None) -> None:
    """Record a new password (changed by its owner or through a reset link) and lift the
    account's sign-in lock: whoever set it proved they own the account."""
    throttle.clear(throttle.SIGNIN_ACCOUNT, user.get_username())
    audit_record(kind="password_changed", request=request, user=user, detail={"how": how})
