"""Sign-in, sign-out and the "my account" page with its API tokens."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reciprocite.accounts import services
from reciprocite.accounts.models import ApiToken
from tests.factories import World

pytestmark = pytest.mark.django_db


def test_sign_in_page_renders(client, world):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html


def test_sign_in_and_out(client, world):
    response = client.post(
        reverse("accounts:login"),
        {"username": "herouville_editor", "password": World.PASSWORD, "next": "/projects/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/projects/"
    assert "Mon compte (herouville_editor)" in client.get("/").content.decode()
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Se connecter" in client.get("/").content.decode()


def test_sign_in_with_a_wrong_password_says_so(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "herouville_editor", "password": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'role="alert"' in response.content.decode()


def test_sign_in_refuses_an_outside_next_url(client, world):
    response = client.post(
        reverse("accounts:login"),
        {"username": "analyst", "password": World.PASSWORD, "next": "https://example.org/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_account_page_needs_sign_in(client, world):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('accounts:account')}"


def test_account_page_lists_memberships(client, world):
    client.force_login(world.herouville_editor)
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ville d&#x27;Hérouville" in html
    assert "Éditeur membre" in html
    assert "no-store" in response["Cache-Control"]


def test_create_a_token_shows_the_secret_once(client, world):
    client.force_login(world.herouville_editor)
    membership = world.herouville_editor.memberships.get()
    response = client.post(
        reverse("accounts:token_create"), {"membership": membership.pk, "name": "export"}
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("rcp_")
    assert secret in response.content.decode()
    assert services.api_token_authenticate(secret) == membership
    token = ApiToken.objects.get()
    assert token.name == "export"
    assert token.digest not in response.content.decode()
    # shown once: the page does not show it again
    again = client.get(reverse("accounts:account")).content.decode()
    assert secret not in again
    assert re.search(r"<code>rcp_[^<]{8}…</code>", again)


def test_a_token_for_someone_elses_membership_is_refused(client, world):
    client.force_login(world.herouville_editor)
    other = world.lille_editor.memberships.get()
    response = client.post(
        reverse("accounts:token_create"), {"membership": other.pk, "name": "steal"}
    )
    assert response.status_code == 200
    assert "membership" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_revoke_a_token(client, world):
    membership = world.herouville_editor.memberships.get()
    token, secret = services.api_token_create(membership=membership, name="script")
    client.force_login(world.herouville_editor)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert services.api_token_authenticate(secret) is None
    assert "Révoqué le" in client.get(reverse("accounts:account")).content.decode()


def test_revoking_another_users_token_is_forbidden(client, world):
    membership = world.herouville_editor.memberships.get()
    token, secret = services.api_token_create(membership=membership, name="script")
    client.force_login(world.lille_editor)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 403
    assert services.api_token_authenticate(secret) == membership
    client.force_login(world.admin)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    assert services.api_token_authenticate(secret) is None


def test_token_pages_need_post(client, world):
    client.force_login(world.herouville_editor)
    assert client.get(reverse("accounts:token_create")).status_code == 405


def test_admin_lists_the_models_of_the_three_apps(client, world):
    client.force_login(world.admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    for path in (
        "/admin/accounts/user/",
        "/admin/accounts/organisation/",
        "/admin/accounts/membership/",
        "/admin/accounts/apitoken/",
        "/admin/territories/territory/",
        "/admin/registry/partnership/",
        "/admin/registry/project/",
        "/admin/registry/programme/",
        "/admin/registry/document/",
        "/admin/registry/actor/",
        "/admin/registry/replication/",
        f"/admin/registry/partnership/{world.herouville_tikhvine.pk}/history/",
    ):
        assert client.get(path).status_code == 200, path
