"""The audit log: sign-ins (and failures), sign-outs, API tokens, denials; no passwords."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reciprocite.accounts import services as accounts
from reciprocite.core.audit import audit_purge, audit_record
from reciprocite.core.models import AuditEvent
from tests.factories import World

Kind = AuditEvent.Kind


def _events(kind):
    return list(AuditEvent.objects.filter(kind=kind))


def _all_text() -> str:
    return json.dumps(
        list(AuditEvent.objects.values("username", "path", "detail", "client_address")),
        default=str,
    )


@pytest.mark.django_db
def test_a_sign_in_is_recorded_with_user_address_and_page(client, world):
    response = client.post(
        reverse("accounts:login"),
        {"username": "herouville_editor", "password": World.PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    [event] = _events(Kind.SIGN_IN)
    assert event.user == world.herouville_editor
    assert event.username == "herouville_editor"
    assert event.client_address == "203.0.113.7"
    assert event.path == reverse("accounts:login")
    assert World.PASSWORD not in _all_text()


@pytest.mark.django_db
def test_a_failed_sign_in_keeps_the_name_typed_never_the_password(client, world):
    response = client.post(
        reverse("accounts:login"),
        {"username": "herouville_editor", "password": "wrong-but-secret-guess"},
    )
    assert response.status_code == 200  # the form again, with its error
    [event] = _events(Kind.SIGN_IN_FAILED)
    assert event.user is None  # a failure proves nothing about who typed it
    assert event.username == "herouville_editor"
    assert "wrong-but-secret-guess" not in _all_text()
    assert not _events(Kind.SIGN_IN)


@pytest.mark.django_db
def test_a_very_long_name_typed_is_truncated_not_a_crash(client, world):
    response = client.post(reverse("accounts:login"), {"username": "x" * 5000, "password": "p"})
    assert response.status_code == 200
    events = _events(Kind.SIGN_IN_FAILED)
    assert all(len(e.username) <= 150 for e in events)


@pytest.mark.django_db
def test_a_sign_out_is_recorded(client, world):
    client.force_login(world.lille_editor)
    assert client.post(reverse("accounts:logout")).status_code == 302
    [event] = _events(Kind.SIGN_OUT)
    assert event.user == world.lille_editor


@pytest.mark.django_db
def test_creating_an_api_token_is_recorded_without_its_secret(world):
    membership = world.herouville_editor.memberships.get()
    token, secret = accounts.api_token_create(membership=membership, name="nightly export")
    [event] = _events(Kind.TOKEN_CREATED)
    assert event.user == world.herouville_editor
    assert event.detail["token"] == token.pk
    assert event.detail["name"] == "nightly export"
    assert secret not in _all_text()


@pytest.mark.django_db
def test_creating_a_token_from_the_account_page_is_recorded(client, world):
    client.force_login(world.herouville_editor)
    membership = world.herouville_editor.memberships.get()
    response = client.post(
        reverse("accounts:token_create"), {"name": "from the page", "membership": membership.pk}
    )
    assert response.status_code in (200, 302)
    [event] = _events(Kind.TOKEN_CREATED)
    assert event.user == world.herouville_editor
    assert event.detail["name"] == "from the page"


@pytest.mark.django_db
def test_a_web_denial_is_recorded_once_and_logged_as_one_line(client, world, caplog):
    client.force_login(world.tikhvine_editor)
    ht = world.herouville_tikhvine
    url = reverse("registry:partnership_edit", args=[ht.pk])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(url, {"title": "Piraté"})
    assert response.status_code == 403
    [event] = _events(Kind.PERMISSION_DENIED)
    assert event.user == world.tikhvine_editor
    assert event.path == url
    assert event.detail["method"] == "POST"
    forbidden = [r for r in caplog.records if r.name == "django.request"]
    assert len(forbidden) == 1
    assert forbidden[0].exc_info is None
    assert "Traceback" not in caplog.text
    assert url in caplog.text


@pytest.mark.django_db
def test_a_csrf_failure_is_a_recorded_denial(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": "herouville_editor", "password": "x"}
    )
    assert response.status_code == 403
    [event] = _events(Kind.PERMISSION_DENIED)
    assert event.user is None
    assert not _events(Kind.SIGN_IN_FAILED)  # refused before any authentication


@pytest.mark.django_db
def test_an_api_denial_is_recorded_once_with_its_message(client, world):
    membership = world.lille_editor.memberships.get()
    _token, secret = accounts.api_token_create(membership=membership, name="script")
    ht = world.herouville_tikhvine
    response = client.patch(
        f"/api/v1/partnerships/{ht.pk}",
        {"title": "Pas chez moi"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 403, response.content
    [event] = _events(Kind.PERMISSION_DENIED)
    assert event.user == world.lille_editor
    assert event.detail["detail"] == response.json()["detail"]
    assert secret not in _all_text()


@pytest.mark.django_db
def test_an_allowed_page_records_no_denial(client, world):
    client.force_login(world.herouville_editor)
    url = reverse("registry:partnership_edit", args=[world.herouville_tikhvine.pk])
    assert client.get(url).status_code == 200
    assert not _events(Kind.PERMISSION_DENIED)


@pytest.mark.django_db
def test_recording_never_raises_into_the_request(world, caplog, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AuditEvent, "save", broken_save)
    with caplog.at_level(logging.WARNING, logger="reciprocite.core.audit"):
        assert audit_record(kind=Kind.SIGN_IN, user=world.admin) is None
    assert "disk full" in caplog.text


@pytest.mark.django_db
def test_a_sign_in_still_works_when_the_audit_log_cannot_be_written(client, world, monkeypatch):
    monkeypatch.setattr(AuditEvent, "save", lambda self, *a, **k: 1 / 0)
    response = client.post(
        reverse("accounts:login"), {"username": "analyst", "password": World.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200


@pytest.mark.django_db
def test_old_events_are_purged_after_the_retention(world, settings):
    settings.RECIPROCITE_AUDIT_RETENTION_DAYS = 30
    old = audit_record(kind=Kind.SIGN_IN, user=world.admin)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = audit_record(kind=Kind.SIGN_IN, user=world.admin)
    assert audit_purge() == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_the_purge_command(world, capsys):
    old = audit_record(kind=Kind.SIGN_OUT, user=world.admin)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=400))
    call_command("audit_purge")
    assert "1 audit event(s) older than 365 days deleted." in capsys.readouterr().out
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_administrators_read_the_log_and_cannot_change_it(client, world):
    event = audit_record(kind=Kind.SIGN_IN, user=world.analyst)
    client.force_login(world.admin)
    listing = client.get(reverse("admin:core_auditevent_changelist"))
    assert listing.status_code == 200
    assert "analyst" in listing.content.decode()
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    detail = client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    delete = client.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_a_member_cannot_read_the_log(client, world):
    client.force_login(world.herouville_editor)
    response = client.get(reverse("admin:core_auditevent_changelist"))
    assert response.status_code == 302  # to the admin's sign-in page


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_and_logged_not_raised(caplog):
    with caplog.at_level(logging.WARNING, logger="reciprocite.core.audit"):
        assert audit_record(kind="coffee_break") is None
    assert "coffee_break" in caplog.text
    assert not AuditEvent.objects.exists()
