"""Sign-in, the administration's sign-in and API tokens resist guessing (issue #10).

Before: 30 wrong passwords in a row were all answered normally and the right one then
worked at once, on /accounts/login/, /admin/login/ and with API tokens.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from reciprocite.accounts import services, throttle
from reciprocite.core.models import AuditEvent
from tests.factories import World

pytestmark = pytest.mark.django_db

WRONG = "Saisissez un nom d’utilisateur et un mot de passe valides"
LOCKED = "Trop de tentatives : réessayez dans 15 minutes."


def _sign_in(client, username, password, path=None, **extra):
    return client.post(
        path or reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def _errors(response) -> list[str]:
    """The form's messages, the minutes left written as 15 (the window's length) whatever
    they are: a slow run must not change what is asserted."""
    return [
        re.sub(r"dans \d+ minutes?\.", "dans 15 minutes.", str(e))
        for e in response.context["form"].non_field_errors()
    ]


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(client, world):
    answers = [_errors(_sign_in(client, "herouville_editor", f"guess-{i}")) for i in range(30)]
    assert all(WRONG in a[0] for a in answers[:10])  # RECIPROCITE_SIGNIN_ACCOUNT_LIMIT = 10
    assert all(a == [LOCKED] for a in answers[10:])

    response = _sign_in(client, "herouville_editor", World.PASSWORD)
    assert response.status_code == 200
    assert _errors(response) == [LOCKED]
    assert not _signed_in(client)
    # the lock is one audit event, with the name typed and never a password
    locks = AuditEvent.objects.filter(kind="throttle_locked")
    assert [(e.username, e.detail["scope"]) for e in locks] == [
        ("herouville_editor", "signin-account")
    ]
    # 10 wrong passwords, then 21 attempts refused without a look at the password
    failed = AuditEvent.objects.filter(kind="sign_in_failed")
    assert failed.filter(detail__locked="signin-account").count() == 21
    assert failed.count() == 31


def test_the_lock_is_case_insensitive_and_ends_with_the_window(client, world, monkeypatch):
    for i in range(10):
        _sign_in(client, "Herouville_Editor" if i % 2 else "herouville_editor", "wrong")
    assert _errors(_sign_in(client, "HEROUVILLE_EDITOR", World.PASSWORD)) == [LOCKED]

    later = throttle.time.time() + 15 * 60 + 1
    monkeypatch.setattr(throttle.time, "time", lambda: later)
    response = _sign_in(client, "herouville_editor", World.PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_unknown_user_and_wrong_password_get_the_same_answers(client, world, settings):
    settings.RECIPROCITE_SIGNIN_ACCOUNT_LIMIT = 3
    unknown = [_errors(_sign_in(client, "nobody-here", "wrong")) for _ in range(4)]
    known = [_errors(_sign_in(client, "analyst", "wrong")) for _ in range(4)]
    assert unknown == known
    assert unknown[0] != unknown[3] == [LOCKED]


def test_a_successful_sign_in_clears_the_account_count(client, world):
    for _ in range(9):
        _sign_in(client, "analyst", "wrong")
    assert _sign_in(client, "analyst", World.PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(9):
        assert WRONG in _errors(_sign_in(client, "analyst", "wrong"))[0]
    assert _sign_in(client, "analyst", World.PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked_and_others_are_not(client, world, settings):
    settings.RECIPROCITE_SIGNIN_ADDRESS_LIMIT = 5
    for i in range(5):
        _sign_in(client, f"user-{i}", "wrong", REMOTE_ADDR="203.0.113.7")
    assert _errors(_sign_in(client, "analyst", World.PASSWORD, REMOTE_ADDR="203.0.113.7")) == [
        LOCKED
    ]
    assert (
        _sign_in(client, "analyst", World.PASSWORD, REMOTE_ADDR="198.51.100.2").status_code == 302
    )
    event = AuditEvent.objects.get(kind="throttle_locked")
    assert event.detail["scope"] == "signin-address"
    assert event.client_address == "203.0.113.7"


def test_x_forwarded_for_is_believed_from_trusted_proxies_only(client, world, settings):
    settings.RECIPROCITE_SIGNIN_ADDRESS_LIMIT = 3
    # an attacker rotating a forged header stays one address
    for i in range(3):
        _sign_in(
            client, f"u{i}", "wrong", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}"
        )
    assert _errors(_sign_in(client, "u9", "wrong", REMOTE_ADDR="203.0.113.7")) == [LOCKED]

    # behind our proxy, the client is the address the proxy saw
    settings.RECIPROCITE_TRUSTED_PROXIES = ["192.0.2.0/24"]
    for i in range(3):
        _sign_in(
            client, f"v{i}", "wrong", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.9"
        )
    locked = _sign_in(
        client,
        "analyst",
        World.PASSWORD,
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert _errors(locked) == [LOCKED]
    other = _sign_in(
        client,
        "analyst",
        World.PASSWORD,
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="forged, 198.51.100.20",
    )
    assert other.status_code == 302


def test_admin_login_is_throttled_too(client, world):
    admin_login = reverse("admin:login")
    for i in range(12):
        _sign_in(client, "admin", f"guess-{i}", path=admin_login)
    response = _sign_in(client, "admin", World.PASSWORD, path=admin_login)
    assert response.status_code == 200
    assert re.search(
        r"Trop de tentatives : réessayez dans \d+ minutes?\.", response.content.decode()
    )
    assert not _signed_in(client)
    assert client.get("/admin/").status_code == 302


def test_admin_login_signs_staff_in_and_refuses_others(client, world):
    admin_login = reverse("admin:login")
    refused = _sign_in(client, "analyst", World.PASSWORD, path=admin_login)
    assert refused.status_code == 200
    assert not _signed_in(client)
    response = _sign_in(client, "admin", World.PASSWORD, path=f"{admin_login}?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(admin_login)["Location"] == "/admin/"


def test_bad_tokens_get_401_then_429_with_retry_after(client, world, settings):
    settings.RECIPROCITE_TOKEN_ADDRESS_LIMIT = 5
    membership = world.herouville_editor.memberships.get()
    _token, secret = services.api_token_create(membership=membership, name="script")
    statuses = [
        client.get("/api/v1/token", HTTP_AUTHORIZATION=f"Bearer rcp_guess{i}").status_code
        for i in range(5)
    ]
    assert statuses == [401] * 5
    response = client.get("/api/v1/token", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert response.json()["detail"].startswith("Too many attempts") or response.json()[
        "detail"
    ].startswith("Trop de tentatives")
    # reads that carry a token are throttled as well; other addresses are not
    assert client.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 429
    ok = client.get(
        "/api/v1/token", HTTP_AUTHORIZATION=f"Bearer {secret}", REMOTE_ADDR="198.51.100.2"
    )
    assert ok.status_code == 200
    assert (
        AuditEvent.objects.filter(kind="throttle_locked", detail__scope="token-address").count()
        == 1
    )


def test_account_unlock_command_lifts_a_lock(client, world):
    for _ in range(10):
        _sign_in(client, "analyst", "wrong")
    assert _errors(_sign_in(client, "analyst", World.PASSWORD)) == [LOCKED]
    call_command("account_unlock", "Analyst")
    assert _sign_in(client, "analyst", World.PASSWORD).status_code == 302
