"""Inviting without e-mail: the mail server checked before sending, each member's personal
link shown (with a copy button) and exported as CSV — stable links that exporting does not
change — for the campaign's analysts only; and the surveys' menu (issue #18)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client

from reciprocite.accounts import services as accounts
from reciprocite.accounts.models import Role
from reciprocite.surveys.models import Invitation
from reciprocite.surveys.services import campaigns as svc
from reciprocite.surveys.services.invitations import (
    invitation_for_token,
    invitation_renew_secret,
    invitation_secret,
)

from .conftest import _free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world, cooperations_form, members):
    return svc.campaign_create(
        questionnaire=cooperations_form,
        title="Étude 2026",
        actor=world.analyst,
        recipients=[members["caen"], members["nantes"]],
        languages={members["nantes"].pk: "en"},
    )


@pytest.fixture
def other_analyst(world):
    user = accounts.user_create(username="other_analyst", password="x-x-x-x-x-1")
    organisation = accounts.organisation_create(name="Autre réseau", kind="network")
    accounts.membership_add(user=user, organisation=organisation, role=Role.ANALYST)
    return user


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def links_csv(client: Client, campaign) -> list[dict]:
    response = client.get(f"/surveys/campaigns/{campaign.pk}/links.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="campaign-{campaign.pk}-links.csv"'
    )
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


LINK = re.compile(r"^http://testserver/surveys/r/([A-Za-z0-9_-]{32})/$")


def test_the_csv_lists_every_personal_link_and_exporting_changes_none(world, campaign, smtp_server):
    client = signed_in(world.analyst)
    digests = dict(Invitation.objects.values_list("pk", "token_digest"))
    rows = links_csv(client, campaign)
    assert [(r["organisation"], r["contact"], r["language"], r["state"]) for r in rows] == [
        ("Ville de Caen", "international@caen.test", "fr", "invited"),
        ("Ville de Nantes", "cooperation@nantes.test", "en", "invited"),
    ]
    assert list(rows[0]) == ["organisation", "contact", "language", "link", "state"]
    secrets = [LINK.match(r["link"]).group(1) for r in rows]
    assert [invitation_for_token(s).organisation.name for s in secrets] == [
        "Ville de Caen",
        "Ville de Nantes",
    ]
    # the same links again, nothing stored changed
    assert links_csv(client, campaign) == rows
    assert dict(Invitation.objects.values_list("pk", "token_digest")) == digests

    # the e-mailed invitation and its reminder carry that same link, which keeps working
    svc.campaign_send(campaign)
    svc.campaign_remind(campaign)
    mailed = {
        m["To"]: re.search(
            r"/surveys/r/([\w-]+)/", m.get_payload(0).get_payload(decode=True).decode()
        ).group(1)
        for m in smtp_server.messages
    }
    assert mailed["international@caen.test"] == secrets[0]
    assert mailed["cooperation@nantes.test"] == secrets[1]
    assert links_csv(client, campaign)[0]["link"] == rows[0]["link"]
    assert invitation_for_token(secrets[0]) is not None

    # the page shows the links as text with a copy button (a static script, no inline one)
    page = client.get(f"/surveys/campaigns/{campaign.pk}/").content.decode()
    assert f'<code id="link-{invitation_for_token(secrets[0]).pk}">{rows[0]["link"]}</code>' in page
    assert 'data-copy="link-' in page
    assert "/static/reciprocite/js/campaign.js" in page
    assert "<script>" not in page


def test_a_renewed_secret_replaces_the_link(world, campaign):
    invitation = campaign.invitations.order_by("pk").first()
    before = invitation_secret(invitation)
    assert invitation_secret(invitation) == before
    after = invitation_renew_secret(invitation=invitation)
    assert after != before
    assert invitation_for_token(before) is None
    assert invitation_for_token(after).pk == invitation.pk


def test_a_link_survives_a_rotated_secret_key_kept_as_fallback(world, campaign, settings):
    invitation = campaign.invitations.order_by("pk").first()
    secret = invitation_secret(invitation)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert invitation_secret(invitation) == secret
    settings.SECRET_KEY_FALLBACKS = []
    assert invitation_secret(invitation) is None  # cannot be shown again…
    assert invitation_for_token(secret).pk == invitation.pk  # …but still opens


@pytest.mark.parametrize("who", [None, "herouville_editor", "tikhvine_editor", "other_analyst"])
def test_links_and_mail_check_are_for_the_campaigns_analysts_only(
    world, campaign, other_analyst, who
):
    user = other_analyst if who == "other_analyst" else getattr(world, who) if who else None
    client = signed_in(user)
    for url in (
        f"/surveys/campaigns/{campaign.pk}/links.csv",
        f"/surveys/campaigns/{campaign.pk}/mail-check/",
        f"/surveys/campaigns/{campaign.pk}/",
    ):
        response = client.get(url)
        if user is None:
            assert response.status_code == 302
            assert response["Location"] == f"/accounts/login/?next={url}"
        else:
            assert response.status_code == 403, url
        assert "/surveys/r/" not in response.content.decode()
    if user is not None:
        listing = client.get("/surveys/campaigns/")
        assert "Étude 2026" not in listing.content.decode()


def test_the_administrator_sees_the_links(world, campaign):
    assert len(links_csv(signed_in(world.admin), campaign)) == 2


def test_the_mail_check_says_invitations_can_be_sent(world, campaign, smtp_server, settings):
    client = signed_in(world.analyst)
    fragment = client.get(f"/surveys/campaigns/{campaign.pk}/mail-check/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "<html" not in text
    assert (
        f"The mail server 127.0.0.1:{settings.EMAIL_PORT} answers: invitations can be sent." in text
    )
    assert smtp_server.messages == []  # nothing was sent
    page = client.get(f"/surveys/campaigns/{campaign.pk}/mail-check/")
    assert "<html" in page.content.decode()
    assert "invitations can be sent." in page.content.decode()


def test_the_mail_check_warns_when_the_server_cannot_be_reached(world, campaign, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    client = signed_in(world.analyst)
    # the campaign page loads the check through htmx, with a plain link without JavaScript
    page = client.get(f"/surveys/campaigns/{campaign.pk}/").content.decode()
    assert f'hx-get="/surveys/campaigns/{campaign.pk}/mail-check/"' in page
    assert 'hx-trigger="load"' in page
    fragment = client.get(f"/surveys/campaigns/{campaign.pk}/mail-check/", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert f"The mail server 127.0.0.1:{settings.EMAIL_PORT} cannot be reached (" in text
    assert "invitations cannot be sent by e-mail now" in text
    assert "export them all as CSV" in text
    check = svc.mail_server_check()
    assert (check.ok, check.host, check.port) == (False, "127.0.0.1", settings.EMAIL_PORT)
    assert check.detail


def test_a_backend_that_is_not_smtp_cannot_send_invitations(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    check = svc.mail_server_check()
    assert check.ok is False
    assert check.detail == "e-mails are not sent to a mail server (console)"


# --- the menus -----------------------------------------------------------------------------

MENU = 'aria-label="Surveys menu"'


def test_the_surveys_menu_shows_for_an_analyst(world, campaign, cooperations_form):
    client = signed_in(world.analyst)
    home = client.get("/").content.decode()
    assert 'href="/surveys/"' in home
    page = client.get("/surveys/campaigns/").content.decode()
    assert MENU in page
    menu = page[page.index(MENU) : page.index("</nav>", page.index(MENU))]
    assert 'href="/surveys/"' in menu
    assert '<a href="/surveys/campaigns/" aria-current="page">Campaigns</a>' in menu
    assert 'href="/surveys/reviews/"' in menu
    assert 'href="/surveys/cooperations/preview/"' in menu


@pytest.mark.parametrize("who", [None, "herouville_editor", "outsider"])
def test_the_surveys_menus_are_hidden_from_others(world, campaign, who):
    client = signed_in(getattr(world, who) if who else None)
    for url in ("/", "/panorama/"):
        page = client.get(url).content.decode()
        assert MENU not in page
        assert 'href="/surveys/"' not in page
        assert 'href="/surveys/campaigns/"' not in page
        assert 'href="/surveys/reviews/"' not in page
