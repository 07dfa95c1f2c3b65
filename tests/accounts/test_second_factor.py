"""Optional second factor (TOTP) for analysts and administrators, with recovery codes."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone

from reciprocite.accounts.models import RecoveryCode, SecondFactor
from reciprocite.core.models import AuditEvent
from tests.factories import World

pytestmark = pytest.mark.django_db


def _code(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(timezone.now() + timedelta(seconds=30 * steps_ahead))


def _enrol(client, user) -> tuple[str, list[str]]:
    """Enrol ``user`` through the pages; (secret, recovery codes)."""
    client.force_login(user)
    page = client.get(reverse("accounts:second_factor"))
    assert page.status_code == 200
    html = page.content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
    assert 'src="data:image/svg+xml' in html  # the QR code is drawn here, no outside service
    response = client.post(reverse("accounts:second_factor"), {"code": _code(secret)})
    assert response.status_code == 200
    codes = re.findall(
        r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", response.content.decode()
    )
    client.logout()
    return secret, codes


def _password_step(client, username="analyst", path=None):
    return client.post(
        path or reverse("accounts:login"), {"username": username, "password": World.PASSWORD}
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_enrolment_is_for_analysts_and_administrators(client, world):
    assert client.get(reverse("accounts:second_factor")).status_code == 302  # anonymous
    client.force_login(world.herouville_editor)
    assert client.get(reverse("accounts:second_factor")).status_code == 403
    assert client.post(reverse("accounts:second_factor"), {"code": "123456"}).status_code == 403
    assert (
        reverse("accounts:second_factor")
        not in client.get(reverse("accounts:account")).content.decode()
    )
    client.force_login(world.analyst)
    assert (
        reverse("accounts:second_factor")
        in client.get(reverse("accounts:account")).content.decode()
    )


def test_enrolment_needs_a_right_code_and_shows_ten_hashed_codes_once(client, world):
    client.force_login(world.analyst)
    page = client.get(reverse("accounts:second_factor")).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    wrong = client.post(reverse("accounts:second_factor"), {"code": "000000"})
    assert "Ce code n’est pas valide" in wrong.content.decode()
    assert not SecondFactor.objects.exists()

    response = client.post(reverse("accounts:second_factor"), {"code": _code(secret)})
    codes = re.findall(
        r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", response.content.decode()
    )
    assert len(codes) == len(set(codes)) == 10
    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert SecondFactor.objects.get().user == world.analyst
    assert AuditEvent.objects.filter(kind="second_factor_enabled", user=world.analyst).count() == 1
    # shown once: the page now only says it is on
    again = client.get(reverse("accounts:second_factor")).content.decode()
    assert not any(code in again for code in codes)
    assert "10 codes de secours" in again


def test_sign_in_asks_the_code_after_the_password(client, world):
    secret, _codes = _enrol(client, world.analyst)
    signed_in_before = AuditEvent.objects.filter(kind="sign_in", user=world.analyst).count()
    response = _password_step(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login_code")
    assert not _signed_in(client)

    wrong = client.post(reverse("accounts:login_code"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not _signed_in(client)
    assert (
        AuditEvent.objects.filter(kind="sign_in_failed", detail__step="second factor").count() == 1
    )

    right = client.post(reverse("accounts:login_code"), {"code": _code(secret, 1)})
    assert right.status_code == 302
    assert _signed_in(client)
    signed_in = AuditEvent.objects.filter(kind="sign_in", user=world.analyst).count()
    assert signed_in == signed_in_before + 1  # once, after the code, not after the password


def test_a_code_is_accepted_once(client, world):
    secret, _codes = _enrol(client, world.analyst)
    code = _code(secret, 1)
    _password_step(client)
    assert client.post(reverse("accounts:login_code"), {"code": code}).status_code == 302
    client.logout()
    _password_step(client)
    replay = client.post(reverse("accounts:login_code"), {"code": code})
    assert replay.status_code == 200
    assert not _signed_in(client)


def test_the_code_page_needs_the_password_first(client, world):
    secret, _codes = _enrol(client, world.analyst)
    response = client.post(reverse("accounts:login_code"), {"code": _code(secret, 1)})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not _signed_in(client)


def test_a_recovery_code_works_once(client, world):
    _secret, codes = _enrol(client, world.analyst)
    _password_step(client)
    response = client.post(reverse("accounts:login_code"), {"code": codes[3].upper()}, follow=True)
    assert _signed_in(client)
    assert "Il reste 9 codes de secours." in response.content.decode()
    client.logout()
    _password_step(client)
    again = client.post(reverse("accounts:login_code"), {"code": codes[3]})
    assert again.status_code == 200
    assert not _signed_in(client)
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 1


def test_codes_are_throttled_like_passwords(client, world):
    secret, _codes = _enrol(client, world.analyst)
    _password_step(client)
    for i in range(10):
        client.post(reverse("accounts:login_code"), {"code": f"{i:06d}"})
    locked = client.post(reverse("accounts:login_code"), {"code": _code(secret, 1)})
    assert locked.status_code == 200
    assert "Trop de tentatives" in locked.content.decode()
    assert not _signed_in(client)
    # and the password step is locked too now
    response = _password_step(client)
    assert response.status_code == 200
    assert not _signed_in(client)


def test_admin_login_asks_the_code_too(client, world):
    secret, _codes = _enrol(client, world.admin)
    response = _password_step(client, "admin", path=f"{reverse('admin:login')}?next=/admin/")
    assert response["Location"] == reverse("accounts:login_code")
    assert client.get("/admin/").status_code == 302
    done = client.post(reverse("accounts:login_code"), {"code": _code(secret, 1)})
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_disabling_needs_a_current_code_or_the_password(client, world):
    secret, _codes = _enrol(client, world.analyst)
    client.force_login(world.analyst)
    refused = client.post(reverse("accounts:second_factor_disable"), {"code_or_password": "nope"})
    assert refused.status_code == 200
    assert SecondFactor.objects.filter(user=world.analyst).exists()
    done = client.post(
        reverse("accounts:second_factor_disable"), {"code_or_password": World.PASSWORD}
    )
    assert done.status_code == 302
    assert not SecondFactor.objects.exists() and not RecoveryCode.objects.exists()
    assert AuditEvent.objects.filter(kind="second_factor_disabled").count() == 1
    # an editor may not reach it at all
    client.force_login(world.herouville_editor)
    assert (
        client.post(
            reverse("accounts:second_factor_disable"), {"code_or_password": World.PASSWORD}
        ).status_code
        == 403
    )


def test_disabling_with_a_code(client, world):
    secret, _codes = _enrol(client, world.analyst)
    client.force_login(world.analyst)
    done = client.post(
        reverse("accounts:second_factor_disable"), {"code_or_password": _code(secret, 1)}
    )
    assert done.status_code == 302
    assert not SecondFactor.objects.exists()


def test_second_factor_reset_command(client, world):
    from django.core.management import call_command

    _enrol(client, world.analyst)
    call_command("second_factor_reset", "analyst")
    assert not SecondFactor.objects.exists()
    response = _password_step(client)
    assert response.status_code == 302 and _signed_in(client)
