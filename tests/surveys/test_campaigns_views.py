"""Campaign pages: who may see and act, creation, sending and reminders as background jobs
(batch after batch), closing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from reciprocite.core.models import Job
from reciprocite.surveys import permissions
from reciprocite.surveys.models import Campaign, InvitationStatus
from reciprocite.surveys.services import campaigns as svc
from reciprocite.surveys.services.invitations import invitation_mark

pytestmark = pytest.mark.django_db

ROLES = ["outsider", "herouville_editor", "tikhvine_editor", "analyst", "admin"]
ALLOWED = {"analyst", "admin"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def campaign(world, cooperations_form, members):
    return svc.campaign_create(
        questionnaire=cooperations_form,
        title="Étude 2026",
        max_reminders=1,
        recipients=[members["caen"], members["nantes"]],
        languages={members["nantes"].pk: "en"},
    )


def client_for(user=None, **kw):
    """A client that chose English with the language switcher (the cookie)."""
    from django.conf import settings

    client = Client(**kw)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def test_permission_matrix(world, campaign):
    assert permissions.can_run_surveys(None) is False
    assert permissions.can_view_campaign(None, campaign) is False
    assert permissions.can_review(None) is False
    for role in ROLES:
        user = getattr(world, role)
        expected = role in ALLOWED
        assert permissions.can_run_surveys(user) is expected, role
        assert permissions.can_view_campaign(user, campaign) is expected, role
        assert permissions.can_review(user) is expected, role


@pytest.mark.parametrize("role", [None, *ROLES])
def test_pages_are_for_analysts_and_admins_only(world, campaign, smtp_server, role):
    user = getattr(world, role) if role else None
    client = client_for(user)
    pages = ["/surveys/campaigns/", "/surveys/campaigns/new/", f"/surveys/campaigns/{campaign.pk}/"]
    actions = ["send", "remind", "close", "open"]
    for url in pages:
        response = client.get(url)
        if role is None:
            assert response.status_code == 302
            assert response["Location"] == f"/accounts/login/?next={url}"
        else:
            assert response.status_code == (200 if role in ALLOWED else 403), (role, url)
    if role in ALLOWED:
        return
    for action in actions:
        response = client.post(f"/surveys/campaigns/{campaign.pk}/{action}/")
        assert response.status_code == (302 if role is None else 403)
    assert smtp_server.messages == []
    assert not Job.objects.exists()
    campaign.refresh_from_db()
    assert campaign.status == "draft"
    assert client.post("/surveys/campaigns/new/", {"title": "x"}).status_code in (302, 403)
    assert Campaign.objects.count() == 1


def test_an_unknown_campaign_is_404(world):
    assert client_for(world.analyst).get("/surveys/campaigns/999999/").status_code == 404


def test_creating_a_campaign_with_chosen_recipients_and_languages(
    world, cooperations_form, members
):
    client = client_for(world.analyst)
    page = client.get("/surveys/campaigns/new/")
    html = page.content.decode()
    assert "Ville de Caen" in html and "Ville de Nantes" in html and "Ville de Rennes" in html
    assert "Ville de Vire" not in html  # no contact e-mail
    assert "Réseau" not in html.split("<fieldset")[2]  # not a member authority
    filtered = client.get("/surveys/campaigns/new/?q=ren").content.decode()
    assert "Ville de Rennes" in filtered and "Ville de Caen" not in filtered

    response = client.post(
        "/surveys/campaigns/new/",
        {
            "questionnaire": cooperations_form.pk,
            "title": "Étude des coopérations",
            "closes_at": "2099-06-30T18:00",
            "max_reminders": "3",
            "recipients": [members["caen"].pk, members["rennes"].pk],
            f"language_{members['rennes'].pk}": "en",
            f"language_{members['nantes'].pk}": "en",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/surveys/campaigns/{campaign.pk}/"
    assert (campaign.title, campaign.max_reminders, campaign.status) == (
        "Étude des coopérations",
        3,
        "draft",
    )
    assert campaign.created_by == world.analyst
    assert sorted(campaign.invitations.values_list("organisation__name", "email", "language")) == [
        ("Ville de Caen", "international@caen.test", "fr"),
        ("Ville de Rennes", "dri@rennes.test", "en"),
    ]


def test_creation_errors_are_shown_and_nothing_is_created(world, cooperations_form, members):
    client = client_for(world.analyst)
    response = client.post(
        "/surveys/campaigns/new/",
        {
            "questionnaire": cooperations_form.pk,
            "title": "Étude",
            "closes_at": "2001-01-01T00:00",
            "max_reminders": "2",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The closing date must be in the future." in html
    assert "Choose at least one recipient." in html
    response = client.post(
        "/surveys/campaigns/new/",
        {
            "questionnaire": cooperations_form.pk,
            "title": "Étude",
            "max_reminders": "2",
            "recipients": [members["silent"].pk],
        },
    )
    assert "One of the chosen recipients cannot be invited." in response.content.decode()
    assert Campaign.objects.count() == 0


def test_posting_without_the_csrf_token_is_refused(world, campaign, smtp_server):
    client = client_for(world.analyst, enforce_csrf_checks=True)
    assert client.post(f"/surveys/campaigns/{campaign.pk}/send/").status_code == 403
    assert client.get(f"/surveys/campaigns/{campaign.pk}/send/").status_code == 405
    assert smtp_server.messages == []


def job_of(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith("/jobs/")
    return Job.objects.get(pk=response["Location"].removeprefix("/jobs/").strip("/"))


def test_send_remind_close_from_the_campaign_page(world, campaign, smtp_server):
    client = client_for(world.analyst)
    url = f"/surveys/campaigns/{campaign.pk}/"
    page = client.get(url).content.decode()
    assert '<span id="sent-count">0</span> / 2' in page
    assert "Send the 2 invitations not sent yet" in page
    assert f'href="/surveys/reviews/?campaign={campaign.pk}"' in page
    assert "hx-post" not in page

    smtp_server.refuse.add("cooperation@nantes.test")
    job = job_of(client.post(f"{url}send/"))
    assert (job.kind, job.owner, job.status) == ("surveys.campaign_send", world.analyst, "done")
    assert job.title == "Invitations of the campaign “Étude 2026”"
    assert job.params == {"campaign": campaign.pk}
    assert job.result["summary"] == "1 invitation sent, 1 refused."
    (problem,) = job.result["problems"]
    assert problem.startswith("cooperation@nantes.test refused: cooperation@nantes.test: 550 5.1.1")
    assert (job.done, job.total) == (2, 2)
    assert job.result_url == url
    job_page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "1 invitation sent, 1 refused." in job_page
    assert f'href="{url}"' in job_page
    assert len(smtp_server.messages) == 1

    html = client.get(url).content.decode()
    assert '<span id="sent-count">2</span> / 2' in html
    assert '<dd data-status="bounced">1</dd>' in html
    assert '<dd id="response-rate">0.0 % (0 submitted of 1 reached)</dd>' in html
    assert "550 5.1.1" in html

    caen = campaign.invitations.get(organisation__name="Ville de Caen")
    job = job_of(client.post(f"{url}remind/"))
    assert (job.kind, job.status) == ("surveys.campaign_remind", "done")
    assert job.result["summary"] == "1 reminder sent, 0 refused."
    assert job.result["problems"] == []
    assert job.result_url == url
    assert [m["Subject"].strip() for m in smtp_server.to("international@caen.test")] == [
        "Enquête « Coopérations sociales » : votre invitation personnelle",
        "Rappel : enquête « Coopérations sociales »",
    ]
    # the cap (1) is reached: no more reminder button, and a further POST sends nothing
    page = client.get(url).content.decode()
    assert "Remind the" not in page
    job = job_of(client.post(f"{url}remind/"))
    assert job.result["summary"] == "0 reminders sent, 0 refused."
    assert len(smtp_server.messages) == 2

    invitation_mark(caen, InvitationStatus.SUBMITTED)
    page = client.get(url).content.decode()
    assert '<dd id="response-rate">100.0 % (1 submitted of 1 reached)</dd>' in page

    response = client.post(f"{url}close/", follow=True)
    assert "The campaign is closed" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    jobs_before = Job.objects.count()
    response = client.post(f"{url}send/")
    assert response.status_code == 302 and response["Location"] == url
    assert "This campaign is closed." in client.get(url).content.decode()
    response = client.post(f"{url}remind/", follow=True)
    assert "Reminders are sent only while the campaign is open." in response.content.decode()
    assert Job.objects.count() == jobs_before


def test_the_job_sends_batch_after_batch_with_progress(
    world, campaign, members, smtp_server, monkeypatch
):
    monkeypatch.setattr(svc, "SEND_BATCH", 1)
    batches = []
    send = svc.campaign_send

    def counted(campaign, **kwargs):
        report = send(campaign, **kwargs)
        batches.append((kwargs["limit"], report.sent, report.remaining))
        return report

    monkeypatch.setattr(svc, "campaign_send", counted)
    job = job_of(client_for(world.analyst).post(f"/surveys/campaigns/{campaign.pk}/send/"))
    assert job.status == "done"
    assert batches == [(1, 1, 1), (1, 1, 0)]
    assert (job.done, job.total) == (2, 2)
    assert job.result["summary"] == "2 invitations sent, 0 refused."
    assert len(smtp_server.messages) == 2


def test_another_analyst_does_not_see_the_sending_job(world, campaign, smtp_server):
    from django.contrib.auth import get_user_model

    from reciprocite.accounts.models import Role
    from reciprocite.accounts.services import membership_add, organisation_create

    job = job_of(client_for(world.analyst).post(f"/surveys/campaigns/{campaign.pk}/send/"))
    colleague = get_user_model().objects.create_user("colleague", password="pw-colleague-1")
    network = organisation_create(name="Réseau bis", kind="network")
    membership_add(user=colleague, organisation=network, role=Role.ANALYST)
    assert permissions.can_run_surveys(colleague)
    assert client_for(colleague).get(f"/jobs/{job.pk}/").status_code == 404


def test_an_unreachable_mail_server_is_said_plainly(world, campaign, settings):
    from tests.surveys.conftest import _free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    job = job_of(client_for(world.analyst).post(f"/surveys/campaigns/{campaign.pk}/send/"))
    assert job.status == "failed"
    assert job.error == (
        "The mail server cannot be reached; try later. "
        "0 e-mails were handled before; the others are sent by the next run."
    )
    assert campaign.invitations.filter(sent_at__isnull=False).count() == 0


def test_the_link_in_the_e_mail_opens_the_questionnaire_and_the_status_follows(
    world, members, smtp_server
):
    from tests.surveys import collect_support

    questionnaire = collect_support.cooperations()
    campaign = svc.campaign_create(
        questionnaire=questionnaire, title="Étude 2026", recipients=[members["caen"]]
    )
    svc.campaign_send(campaign)
    (message,) = smtp_server.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    (link,) = [w for w in text.split() if w.startswith("http://testserver/surveys/r/")]

    respondent = Client()  # not signed in: the link is the key
    response = respondent.get(link.removeprefix("http://testserver"))
    assert response.status_code == 200
    invitation = campaign.invitations.get()
    assert invitation.status == InvitationStatus.OPENED

    page = client_for(world.analyst).get(f"/surveys/campaigns/{campaign.pk}/").content.decode()
    assert '<dd data-status="opened">1</dd>' in page
    assert '<td data-status="opened">Opened</td>' in page
