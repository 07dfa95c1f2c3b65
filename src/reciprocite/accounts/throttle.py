"""Throttling of sign-in, second-factor codes, API tokens and password-reset requests.

The policy (docs/accounts.md): in each *scope* — an account (its user name, case-folded),
a client address, an e-mail address asking for a reset — failures are counted in a window
of ``RECIPROCITE_THROTTLE_MINUTES`` minutes that opens at the first failure. When a scope
reaches its limit it is locked for the rest of that window: every attempt is refused, even
with the right password, until the window ends. A successful sign-in clears the account's
count (not the address's). Each lock is one audit event (``throttle_locked``).

Counts live in Django's cache under its own alias ``throttle`` (settings.CACHES), a file
cache in the data folder shared by every server process. Keys carry a SHA-256 of the
identifier, never the identifier itself. Two processes writing the same count at the same
instant may lose one failure: the limit holds to within the number of server processes.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

from reciprocite.core.audit import audit_record

CACHE_ALIAS = "throttle"

# scope → the setting that holds its limit
SIGNIN_ACCOUNT = "signin-account"
SIGNIN_ADDRESS = "signin-address"
TOKEN_ADDRESS = "token-address"  # noqa: S105 - a scope name
RESET_ADDRESS = "reset-address"
RESET_EMAIL = "reset-email"

_LIMIT_SETTINGS = {
    SIGNIN_ACCOUNT: "RECIPROCITE_SIGNIN_ACCOUNT_LIMIT",
    SIGNIN_ADDRESS: "RECIPROCITE_SIGNIN_ADDRESS_LIMIT",
    TOKEN_ADDRESS: "RECIPROCITE_TOKEN_ADDRESS_LIMIT",
    RESET_ADDRESS: "RECIPROCITE_PASSWORD_RESET_LIMIT",
    RESET_EMAIL: "RECIPROCITE_PASSWORD_RESET_LIMIT",
}


@dataclass(frozen=True)
class Lock:
    """A locked scope and the seconds left until its window ends."""

    scope: str
    retry_after: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def _cache():
    return caches[CACHE_ALIAS]


def _window() -> int:
    return int(settings.RECIPROCITE_THROTTLE_MINUTES) * 60


def _limit(scope: str) -> int:
    return int(getattr(settings, _LIMIT_SETTINGS[scope]))


def normalise(scope: str, identifier: str) -> str:
    identifier = str(identifier or "").strip()
    if scope in (SIGNIN_ACCOUNT, RESET_EMAIL):
        identifier = identifier.casefold()
    return identifier


def _key(scope: str, identifier: str) -> str:
    digest = hashlib.sha256(normalise(scope, identifier).encode()).hexdigest()
    return f"rc:{scope}:{digest}"


def client_address(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or the last address of ``X-Forwarded-For``
    that is not a trusted proxy when the request comes from one of
    ``RECIPROCITE_TRUSTED_PROXIES`` (an address or a network per item)."""
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    trusted = _trusted_networks()
    if not trusted or not _in(remote, trusted):
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    # read from the right: each trusted proxy appended the address it received from
    for candidate in reversed(forwarded):
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            return remote  # a forged or garbled header: the proxy's own address
        if not _in(candidate, trusted):
            return candidate
    return remote


def _trusted_networks():
    networks = []
    for item in settings.RECIPROCITE_TRUSTED_PROXIES:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue
    return networks


def _in(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _read(scope: str, identifier: str) -> tuple[float, int] | None:
    value = _cache().get(_key(scope, identifier))
    if not value:
        return None
    started, count = value
    if time.time() - started >= _window():
        return None
    return started, count


def locked(scope: str, identifier: str) -> Lock | None:
    """The lock of this scope if it has reached its limit in the current window."""
    if not normalise(scope, identifier):
        return None
    entry = _read(scope, identifier)
    if entry is None:
        return None
    started, count = entry
    if count < _limit(scope):
        return None
    return Lock(scope, max(1, math.ceil(started + _window() - time.time())))


def first_lock(checks) -> Lock | None:
    """The first lock among ``[(scope, identifier), …]``, or None."""
    for scope, identifier in checks:
        lock = locked(scope, identifier)
        if lock is not None:
            return lock
    return None


def register_failure(scope: str, identifier: str, *, request=None, username: str = "") -> bool:
    """Count one failure; True when it locks the scope (recorded in the audit log)."""
    if not normalise(scope, identifier):
        return False
    now = time.time()
    entry = _read(scope, identifier)
    started, count = entry if entry else (now, 0)
    count += 1
    remaining = max(1, math.ceil(started + _window() - now))
    _cache().set(_key(scope, identifier), (started, count), timeout=remaining)
    limit = _limit(scope)
    if count == limit:
        audit_record(
            kind="throttle_locked",
            request=request,
            user=None,
            username=username,
            detail={"scope": scope, "failures": count, "minutes": math.ceil(remaining / 60)},
        )
        return True
    return False


def clear(scope: str, identifier: str) -> None:
    _cache().delete(_key(scope, identifier))


def unlock(*, username: str = "", address: str = "", email: str = "") -> list[str]:
    """Clear the counts of an account, an address and/or an e-mail address (the
    ``account_unlock`` command); the scopes cleared."""
    cleared = []
    if email:
        clear(RESET_EMAIL, email)
        cleared.append(RESET_EMAIL)
    if username:
        clear(SIGNIN_ACCOUNT, username)
        cleared.append(SIGNIN_ACCOUNT)
    if address:
        for scope in (SIGNIN_ADDRESS, TOKEN_ADDRESS, RESET_ADDRESS):
            clear(scope, address)
            cleared.append(scope)
    return cleared
