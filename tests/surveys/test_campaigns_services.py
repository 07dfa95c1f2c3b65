"""Campaigns through a real SMTP server on localhost (aiosmtpd)."""

from __future__ import annotations

import re
from datetime import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from reciprocite.surveys.models import CampaignStatus, InvitationStatus
from reciprocite.surveys.selectors.campaigns import campaign_members, campaign_progress
from reciprocite.surveys.services import campaigns as svc
from reciprocite.surveys.services.invitations import invitation_for_token, invitation_mark

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, whatever the French catalogue says."""
    from django.utils import translation

    with translation.override("en"):
        yield


LINK = re.compile(r"http://testserver/surveys/r/([A-Za-z0-9_-]+)/")
CLOSES = datetime(2099, 3, 31, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))


def _campaign(form, members, *names, max_reminders=2, languages=None):
    return svc.campaign_create(
        questionnaire=form,
        title="Étude 2026",
        closes_at=CLOSES,
        max_reminders=max_reminders,
        recipients=[members[n] for n in names],
        languages={members[n].pk: lang for n, lang in (languages or {}).items()},
    )


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def _secret(message) -> str:
    text = _text(message)
    links = LINK.findall(text)
    assert len(links) == 1
    return links[0]


def test_invitations_arrive_in_each_language_with_a_link_that_opens_them(
    smtp_server, cooperations_form, members
):
    campaign = _campaign(cooperations_form, members, "caen", "nantes", languages={"nantes": "en"})
    assert campaign.status == CampaignStatus.DRAFT

    report = svc.campaign_send(campaign)

    assert (report.sent, report.bounced, report.remaining) == (2, [], 0)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    assert len(smtp_server.messages) == 2
    fr = smtp_server.to("international@caen.test")[0]
    en = smtp_server.to("cooperation@nantes.test")[0]
    assert (
        fr["Subject"].strip() == "Enquête « Coopérations sociales » : votre invitation personnelle"
    )
    assert en["Subject"].strip() == "Survey “Coopérations sociales”: your personal invitation"
    assert fr["From"].strip() == "Réciprocité <enquetes@reseau.test>"
    assert fr["Content-Language"] == "fr"
    fr_text = _text(fr)
    en_text = _text(en)
    assert fr_text.startswith(
        "Bonjour,\n\nLe réseau invite Ville de Caen à répondre à l'enquête "
        "« Coopérations sociales » (Étude 2026).\n\nVotre lien personnel :\nhttp://testserver/surveys/r/"
    )
    assert "jusqu'au 31 mars 2099." in fr_text
    assert en_text.startswith(
        "Hello,\n\nThe network invites Ville de Nantes to answer the survey "
        "“Coopérations sociales” (Étude 2026).\n\nYour personal link:\nhttp://testserver/surveys/r/"
    )
    assert "until 31 March 2099." in en_text
    html = en.get_body(preferencelist=("html",)).get_content()
    assert f'<a href="http://testserver/surveys/r/{_secret(en)}/">Answer the survey</a>' in html

    for message, org in ((fr, "caen"), (en, "nantes")):
        invitation = invitation_for_token(_secret(message))
        assert invitation is not None
        assert invitation.organisation == members[org]
        assert invitation.campaign == campaign
        assert invitation.sent_at is not None
        assert invitation.status == InvitationStatus.INVITED

    # a second send has nothing left to send
    again = svc.campaign_send(campaign)
    assert (again.sent, again.remaining) == (0, 0)
    assert len(smtp_server.messages) == 2


def test_a_refused_recipient_is_bounced_and_the_others_are_still_sent(
    smtp_server, cooperations_form, members
):
    smtp_server.refuse.add("cooperation@nantes.test")
    campaign = _campaign(cooperations_form, members, "caen", "nantes", "rennes")

    report = svc.campaign_send(campaign)

    assert report.sent == 2
    assert report.bounced == [
        (
            "cooperation@nantes.test",
            "cooperation@nantes.test: 550 5.1.1 <cooperation@nantes.test>: "
            "Recipient address rejected: User unknown",
        )
    ]
    assert sorted(to for _sender, tos in smtp_server.envelopes for to in tos) == [
        "dri@rennes.test",
        "international@caen.test",
    ]
    statuses = {
        i.organisation.name: (i.status, i.bounce_reason) for i in campaign_members(campaign)
    }
    assert statuses == {
        "Ville de Caen": ("invited", ""),
        "Ville de Nantes": (
            "bounced",
            "cooperation@nantes.test: 550 5.1.1 <cooperation@nantes.test>: "
            "Recipient address rejected: User unknown",
        ),
        "Ville de Rennes": ("invited", ""),
    }
    progress = campaign_progress(campaign)
    assert progress.counts == {
        "invited": 2,
        "opened": 0,
        "in_progress": 0,
        "submitted": 0,
        "bounced": 1,
    }
    assert (progress.total, progress.reachable, progress.rate) == (3, 2, Fraction(0))
    # a bounced invitation is not sent again
    assert svc.campaign_send(campaign).sent == 0


def test_a_temporary_refusal_leaves_the_invitation_to_send_later(
    smtp_server, cooperations_form, members
):
    smtp_server.refuse.add("dri@rennes.test")
    smtp_server.refuse_code = "450 4.2.0 <{address}>: Recipient address rejected: Greylisted"
    campaign = _campaign(cooperations_form, members, "rennes")

    report = svc.campaign_send(campaign)

    assert (report.sent, report.bounced, report.remaining) == (0, [], 1)
    assert [email for email, _reason in report.deferred] == ["dri@rennes.test"]
    smtp_server.refuse.clear()
    assert svc.campaign_send(campaign).sent == 1
    assert len(smtp_server.to("dri@rennes.test")) == 1


def test_sending_in_batches_reports_what_is_left(smtp_server, cooperations_form, members):
    campaign = _campaign(cooperations_form, members, "caen", "nantes", "rennes")
    first = svc.campaign_send(campaign, limit=2)
    assert (first.sent, first.remaining) == (2, 1)
    assert campaign_progress(campaign).sent == 2
    assert campaign_progress(campaign).not_sent == 1
    second = svc.campaign_send(campaign, limit=2)
    assert (second.sent, second.remaining) == (1, 0)
    assert len(smtp_server.messages) == 3


def test_reminders_go_only_to_those_who_have_not_submitted_and_are_capped(
    smtp_server, cooperations_form, members
):
    campaign = _campaign(
        cooperations_form,
        members,
        "caen",
        "nantes",
        "rennes",
        max_reminders=2,
        languages={"rennes": "en"},
    )
    svc.campaign_send(campaign)
    first_links = {m["To"]: _secret(m) for m in smtp_server.messages}
    caen = invitation_for_token(first_links["international@caen.test"])
    nantes = invitation_for_token(first_links["cooperation@nantes.test"])
    assert invitation_mark(caen, InvitationStatus.SUBMITTED) is True
    assert invitation_mark(nantes, InvitationStatus.IN_PROGRESS) is True

    reports = [svc.campaign_remind(campaign) for _ in range(3)]

    assert [r.sent for r in reports] == [2, 2, 0]
    assert smtp_server.to("international@caen.test")[1:] == []
    nantes_mails = smtp_server.to("cooperation@nantes.test")[1:]
    rennes_mails = smtp_server.to("dri@rennes.test")[1:]
    assert [m["Subject"].strip() for m in nantes_mails] == [
        "Rappel : enquête « Coopérations sociales »"
    ] * 2
    assert [m["Subject"].strip() for m in rennes_mails] == [
        "Reminder: survey “Coopérations sociales”"
    ] * 2
    # every reminder carries the same personal link as the invitation (links are stable:
    # one copied from the campaign page or its CSV keeps working)
    links = [_secret(m) for m in nantes_mails]
    assert set(links) == {first_links["cooperation@nantes.test"]}
    reopened = invitation_for_token(links[1])
    assert reopened.pk == nantes.pk
    assert reopened.status == InvitationStatus.IN_PROGRESS
    assert reopened.reminders_sent == 2
    progress = campaign_progress(campaign)
    assert progress.rate == Fraction(1, 3)
    assert progress.rate_percent == 33.3
    assert progress.remindable == 0


def test_a_reminder_round_in_batches_reminds_nobody_twice(smtp_server, cooperations_form, members):
    campaign = _campaign(cooperations_form, members, "caen", "nantes", "rennes", max_reminders=5)
    svc.campaign_send(campaign)
    first = svc.campaign_remind(campaign, limit=2)
    assert (first.sent, first.remaining) == (2, 1)
    second = svc.campaign_remind(campaign, limit=2, round_started=first.round_started)
    assert (second.sent, second.remaining) == (1, 0)
    assert sorted(i.reminders_sent for i in campaign.invitations.all()) == [1, 1, 1]


def test_status_only_moves_forward(cooperations_form, members):
    campaign = _campaign(cooperations_form, members, "caen")
    invitation = campaign.invitations.get()
    assert invitation_mark(invitation, InvitationStatus.OPENED) is True
    assert invitation.opened_at is not None
    assert invitation_mark(invitation, InvitationStatus.IN_PROGRESS) is True
    assert invitation_mark(invitation, InvitationStatus.OPENED) is False
    assert invitation.status == InvitationStatus.IN_PROGRESS
    assert invitation_mark(invitation, InvitationStatus.SUBMITTED) is True
    assert invitation.submitted_at is not None
    assert invitation_mark(invitation, InvitationStatus.IN_PROGRESS) is False
    assert invitation_mark(invitation, InvitationStatus.SUBMITTED) is False
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SUBMITTED
    with pytest.raises(ValueError, match="cannot mark an invitation 'bounced'"):
        invitation_mark(invitation, InvitationStatus.BOUNCED)


def test_only_member_organisations_with_an_e_mail_can_be_invited(world, cooperations_form, members):
    network = world.analyst.memberships.get().organisation
    for organisation in (members["silent"], network):
        with pytest.raises(ValidationError) as err:
            svc.campaign_create(
                questionnaire=cooperations_form, title="Étude", recipients=[organisation]
            )
        assert err.value.message_dict == {
            "recipients": [
                f"{organisation.name} cannot be invited: only member organisations with a "
                "contact e-mail can."
            ]
        }
    assert cooperations_form.campaigns.count() == 0
    assert [o.name for o in svc.recipient_candidates()] == [
        "Ville de Caen",
        "Ville de Nantes",
        "Ville de Rennes",
    ]
    assert [o.name for o in svc.recipient_candidates(search="nan")] == ["Ville de Nantes"]


def test_a_closed_campaign_sends_nothing(smtp_server, cooperations_form, members):
    campaign = _campaign(cooperations_form, members, "caen")
    svc.campaign_close(campaign=campaign)
    with pytest.raises(ValidationError, match="This campaign is closed."):
        svc.campaign_send(campaign)
    with pytest.raises(ValidationError, match="only while the campaign is open"):
        svc.campaign_remind(campaign)
    assert smtp_server.messages == []
    assert campaign.invitations.get().sent_at is None


def test_an_unreachable_mail_server_marks_nothing(settings, cooperations_form, members):
    from tests.surveys.conftest import _free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    campaign = _campaign(cooperations_form, members, "caen")
    with pytest.raises(svc.MailServerUnavailable):
        svc.campaign_send(campaign)
    invitation = campaign.invitations.get()
    assert (invitation.status, invitation.sent_at) == ("invited", None)


def test_a_reminder_that_fails_leaves_the_delivered_link_working(
    smtp_server, cooperations_form, members
):
    campaign = _campaign(cooperations_form, members, "caen", "nantes")
    svc.campaign_send(campaign)
    links = {m["To"]: _secret(m) for m in smtp_server.messages}
    nantes = invitation_for_token(links["cooperation@nantes.test"])
    invitation_mark(nantes, InvitationStatus.IN_PROGRESS)

    smtp_server.refuse.add("international@caen.test")
    smtp_server.refuse_code = "451 4.3.0 <{address}>: Try again later"
    deferred = svc.campaign_remind(campaign)
    assert (deferred.sent, [e for e, _r in deferred.deferred]) == (1, ["international@caen.test"])
    caen = invitation_for_token(links["international@caen.test"])
    assert caen is not None
    assert (caen.reminders_sent, caen.status) == (0, "invited")

    # a permanent refusal to someone who is answering keeps their status and their link
    smtp_server.refuse = {"cooperation@nantes.test"}
    smtp_server.refuse_code = "550 5.2.1 <{address}>: Mailbox disabled"
    report = svc.campaign_remind(campaign)
    assert [e for e, _r in report.bounced] == ["cooperation@nantes.test"]
    nantes.refresh_from_db()
    assert nantes.status == "in_progress"
    assert nantes.bounce_reason == (
        "cooperation@nantes.test: 550 5.2.1 <cooperation@nantes.test>: Mailbox disabled"
    )
    reminded_link = _secret(smtp_server.to("cooperation@nantes.test")[-1])
    assert invitation_for_token(reminded_link).pk == nantes.pk
