"""Invitations and reminders in Arabic and Russian, received by a real SMTP server (aiosmtpd):
subject and body in the recipient's language, Arabic written right to left, a link that works
and opens the questionnaire in that language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import formats, translation

from reciprocite.core.models import Job
from reciprocite.surveys.models import InvitationStatus
from reciprocite.surveys.services import campaigns as svc
from tests.surveys import collect_support

pytestmark = pytest.mark.django_db

CLOSES = datetime(2099, 6, 30, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))


def date_in(language: str, fmt: str) -> str:
    with translation.override(language):
        return formats.date_format(CLOSES, fmt)


def parts(message) -> tuple[str, str, str]:
    subject = " ".join(str(message["Subject"]).split())
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return subject, text, html


def link_in(text: str) -> str:
    (link,) = [w for w in text.split() if w.startswith("http://testserver/surveys/r/")]
    return link.removeprefix("http://testserver")


@pytest.fixture
def campaign(members):
    questionnaire = collect_support.cooperations()
    return svc.campaign_create(
        questionnaire=questionnaire,
        title="Étude 2026",
        closes_at=CLOSES,
        max_reminders=1,
        recipients=[members["caen"], members["nantes"]],
        languages={members["caen"].pk: "ar", members["nantes"].pk: "ru"},
    )


def test_an_arabic_invitation_is_in_arabic_and_its_link_works(world, campaign, smtp_server):
    analyst = Client()
    analyst.force_login(world.analyst)
    response = analyst.post(f"/surveys/campaigns/{campaign.pk}/send/")
    job = Job.objects.get(kind="surveys.campaign_send")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "done" and job.result["sent"] == 2

    (message,) = smtp_server.to("international@caen.test")
    assert message["Content-Language"] == "ar"
    subject, text, html = parts(message)
    assert subject == "استبيان «Coopérations sociales»: دعوتكم الشخصية"
    assert text.startswith("تحية طيبة وبعد،")
    assert (
        "تتشرف الشبكة بدعوة Ville de Caen إلى الإجابة عن استبيان «Coopérations sociales» "
        "(Étude 2026)." in text
    )
    assert f"يمكنكم حفظ إجاباتكم والعودة إليها لاحقًا، حتى {date_in('ar', 'j F Y')}." in text
    assert "شكرًا جزيلًا على مشاركتكم." in text
    assert '<html lang="ar" dir="rtl">' in html
    assert '<body dir="rtl"' in html
    assert ">الإجابة عن الاستبيان</a>" in html
    # nothing of the French or English text
    assert "Bonjour" not in text and "Hello" not in text

    link = link_in(text)
    assert f'href="http://testserver{link}"' in html
    respondent = Client()  # not signed in: the link is the key
    response = respondent.get(link)
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    invitation = campaign.invitations.get(organisation__name="Ville de Caen")
    assert invitation.status == InvitationStatus.OPENED


def test_a_russian_invitation_and_the_reminders_in_both_languages(campaign, smtp_server):
    svc.campaign_send(campaign)
    (message,) = smtp_server.to("cooperation@nantes.test")
    assert message["Content-Language"] == "ru"
    subject, text, html = parts(message)
    assert subject == "Опрос «Coopérations sociales»: ваше персональное приглашение"
    assert text.startswith("Здравствуйте!")
    assert "Сеть приглашает Ville de Nantes принять участие в опросе" in text
    assert f"до {date_in('ru', 'j E Y')} г." in text
    assert '<html lang="ru">' in html
    assert Client().get(link_in(text)).status_code == 200

    svc.campaign_remind(campaign)
    reminder_ar = smtp_server.to("international@caen.test")[-1]
    subject, text, html = parts(reminder_ar)
    assert subject == "تذكير: استبيان «Coopérations sociales»"
    assert "لم نتلقَّ بعدُ إجابة Ville de Caen عن استبيان «Coopérations sociales»" in text
    assert f"يُغلق الاستبيان في {date_in('ar', 'j F Y')}." in text
    assert '<html lang="ar" dir="rtl">' in html
    reminder_ru = smtp_server.to("cooperation@nantes.test")[-1]
    subject, text, _html = parts(reminder_ru)
    assert subject == "Напоминание: опрос «Coopérations sociales»"
    assert f"Опрос закрывается {date_in('ru', 'j E Y')} г." in text
    # the reminder's fresh link works, the first one no longer does
    assert Client().get(link_in(text)).status_code == 200


def test_the_campaign_form_offers_the_four_languages(world, members):
    questionnaire = collect_support.cooperations()
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.analyst)
    page = client.get("/surveys/campaigns/new/").content.decode()
    select = page[page.index(f'id="language-{members["caen"].pk}"') :].split("</select>")[0]
    assert [
        code for code in ("fr", "en", "ar", "ru") if f'value="{code}" lang="{code}"' in select
    ] == [
        "fr",
        "en",
        "ar",
        "ru",
    ]
    assert ">العربية</option>" in select and ">Русский</option>" in select
    response = client.post(
        "/surveys/campaigns/new/",
        {
            "questionnaire": questionnaire.pk,
            "title": "Étude",
            "max_reminders": "1",
            "recipients": [members["caen"].pk, members["nantes"].pk, members["rennes"].pk],
            f"language_{members['caen'].pk}": "ar",
            f"language_{members['nantes'].pk}": "ru",
            f"language_{members['rennes'].pk}": "xx",
        },
    )
    assert response.status_code == 302
    from reciprocite.surveys.models import Campaign

    assert sorted(Campaign.objects.get().invitations.values_list("email", "language")) == [
        ("cooperation@nantes.test", "ru"),
        ("dri@rennes.test", "fr"),
        ("international@caen.test", "ar"),
    ]
