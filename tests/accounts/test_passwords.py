"""Forgotten password (a link by e-mail, through a real SMTP server) and password change.

Before (issue #10): no "forgotten password" flow and no password change page.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reciprocite.accounts.models import User
from reciprocite.core.models import AuditEvent
from tests.factories import World

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-2027"  # noqa: S105 - test password
LOCKED = re.compile(r"Trop de tentatives : réessayez dans \d+ minutes?\.")
SAME_PAGE = "Si un compte a cette adresse électronique"


@pytest.fixture
def editor(world):
    user = world.herouville_editor
    user.email = "cooperation@herouville.test"
    user.save(update_fields=["email"])
    return user


def _link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", body)
    assert match, body
    return match.group(1)


def _signs_in(client, password) -> bool:
    client.logout()
    response = client.post(
        reverse("accounts:login"), {"username": "herouville_editor", "password": password}
    )
    return response.status_code == 302


def test_reset_by_e_mail_end_to_end(client, editor, smtp_server):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "Cooperation@Herouville.test"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert SAME_PAGE in client.get(response["Location"]).content.decode()

    [message] = smtp_server.messages
    assert message["To"] == "cooperation@herouville.test"
    assert message["Subject"].strip() == "Réciprocité : choisissez un nouveau mot de passe"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Bonjour herouville_editor," in body
    link = _link(message)

    # Django moves the token out of the address into the session before showing the form
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")

    assert _signs_in(client, NEW_PASSWORD)
    assert not _signs_in(client, World.PASSWORD)
    assert AuditEvent.objects.filter(
        kind="password_changed", user=editor, detail__how="reset"
    ).exists()

    # the link worked once
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "Ce lien n’est plus valide" in again.content.decode()


def test_reset_mail_is_in_the_users_language(client, editor, smtp_server):
    editor.preferred_language = "ru"
    editor.save(update_fields=["preferred_language"])
    client.post(reverse("accounts:password_reset"), {"email": editor.email})
    [message] = smtp_server.messages
    assert message["Subject"].strip() == "Réciprocité: выберите новый пароль"
    assert "Здравствуйте, herouville_editor!" in message.get_body().get_content()


def test_reset_link_uses_the_site_address_not_the_host_header(
    client, editor, smtp_server, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    settings.RECIPROCITE_SITE_URL = "https://reciprocite.example.org/"
    client.post(
        reverse("accounts:password_reset"), {"email": editor.email}, HTTP_HOST="evil.example"
    )
    [message] = smtp_server.messages
    body = message.get_body().get_content()
    assert "https://reciprocite.example.org/accounts/password/reset/" in body
    assert "evil.example" not in body


def test_reset_for_an_unknown_address_answers_the_same(client, editor, smtp_server):
    known = client.post(reverse("accounts:password_reset"), {"email": editor.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@nowhere.test"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(smtp_server.messages) == 1  # only the known address got a message


def test_reset_requests_are_throttled_per_address_and_per_e_mail(
    client, editor, smtp_server, settings
):
    settings.RECIPROCITE_PASSWORD_RESET_LIMIT = 3
    for _ in range(3):
        assert (
            client.post(reverse("accounts:password_reset"), {"email": editor.email}).status_code
            == 302
        )
    locked = client.post(reverse("accounts:password_reset"), {"email": editor.email})
    assert locked.status_code == 200
    assert LOCKED.search(locked.content.decode())
    assert len(smtp_server.messages) == 3
    # the same e-mail from another address is still refused; another e-mail from there is not
    other_address = client.post(
        reverse("accounts:password_reset"), {"email": editor.email}, REMOTE_ADDR="198.51.100.4"
    )
    assert other_address.status_code == 200
    fresh = client.post(
        reverse("accounts:password_reset"),
        {"email": "else@nowhere.test"},
        REMOTE_ADDR="198.51.100.4",
    )
    assert fresh.status_code == 302
    # an unknown address is locked the same way: the answer tells nothing of the account
    for _ in range(3):
        client.post(
            reverse("accounts:password_reset"),
            {"email": "ghost@nowhere.test"},
            REMOTE_ADDR="198.51.100.9",
        )
    ghost = client.post(
        reverse("accounts:password_reset"),
        {"email": "ghost@nowhere.test"},
        REMOTE_ADDR="198.51.100.9",
    )
    assert ghost.status_code == 200
    assert LOCKED.search(ghost.content.decode())


def test_a_reset_lifts_the_sign_in_lock(client, editor, smtp_server):
    for _ in range(10):
        client.post(reverse("accounts:login"), {"username": "herouville_editor", "password": "x"})
    assert not _signs_in(client, World.PASSWORD)
    client.post(reverse("accounts:password_reset"), {"email": editor.email})
    form_page = client.get(_link(smtp_server.messages[0]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert _signs_in(client, NEW_PASSWORD)


def test_a_forged_reset_link_is_refused(client, editor):
    response = client.get(
        reverse("accounts:password_reset_confirm", args=["MQ", "forged-token"]), follow=True
    )
    assert response.status_code == 200
    assert response.context["validlink"] is False
    editor.refresh_from_db()
    assert editor.check_password(World.PASSWORD)


def test_password_change_needs_sign_in(client, world):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": World.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    for user in User.objects.all():
        assert user.check_password(World.PASSWORD)


def test_password_change_needs_the_old_password(client, world):
    client.force_login(world.herouville_editor)
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:password_change") in page
    refused = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["old_password"]
    world.herouville_editor.refresh_from_db()
    assert world.herouville_editor.check_password(World.PASSWORD)

    changed = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": World.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert changed["Location"] == reverse("accounts:account")
    assert client.get(reverse("accounts:account")).status_code == 200  # still signed in
    assert _signs_in(client, NEW_PASSWORD)
    assert not _signs_in(client, World.PASSWORD)
    assert AuditEvent.objects.filter(kind="password_changed", detail__how="change").count() == 1


def test_password_change_refuses_a_weak_password(client, world):
    client.force_login(world.herouville_editor)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": World.PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
