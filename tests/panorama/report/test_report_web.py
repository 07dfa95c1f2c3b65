"""The report from the panorama page: a background job for signed-in users, whose PDF only
its owner (and staff) download; anonymous visitors are sent to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reciprocite.core import jobs
from reciprocite.core.models import Job
from reciprocite.surveys.models import Campaign

from .support import pdf_text

pytestmark = pytest.mark.django_db

REPORT = "/panorama/report/"


def fr(text: str) -> str:
    """What a page shows for an interface text: pages are in French first."""
    with translation.override("fr"):
        return _(text)


def test_the_report_url():
    assert reverse("panorama:report") == REPORT


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_starts(client, world):
    for response in (client.get(REPORT), client.post(REPORT, {"language": "fr"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/panorama/report/")
    assert not Job.objects.exists()
    page = client.get("/panorama/").content.decode()
    assert fr("Sign in to download the report (PDF)") in page
    assert 'href="/accounts/login/?next=/panorama/report/"' in page
    assert 'action="/panorama/report/"' not in page


def test_the_panorama_page_offers_the_report_to_signed_in_users(client, world):
    client.force_login(world.outsider)
    page = client.get("/panorama/", headers={"Accept-Language": "en"}).content.decode()
    assert 'action="/panorama/report/"' in page
    assert fr("Download the report (PDF)") in page
    assert '<option value="fr" lang="fr"' in page and '<option value="en" lang="en"' in page
    form = client.get(REPORT).content.decode()
    assert 'action="/panorama/report/"' in form and 'name="language"' in form


def test_a_signed_in_user_gets_the_pdf_and_nobody_else_does(client, world, tmp_path):
    client.force_login(world.outsider)
    response = client.post(REPORT, {"language": "en"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.kind == "panorama.report" and job.owner == world.outsider
    assert job.params == {"language": "en", "campaign": None}
    assert job.status == Job.Status.DONE, job.error
    assert (job.done, job.total) == (6, 6)
    filename = f"panorama-en-{timezone.localdate().isoformat()}.pdf"
    assert job.result["filename"] == filename
    with translation.override("fr"):  # the page's language (French first)
        assert job.title == _("Panorama report (%(language)s)") % {"language": _("English")}

    page = client.get(response["Location"]).content.decode()
    download = reverse("core:job_download", args=[job.pk])
    assert download in page and filename in page
    response = client.get(download)
    assert response.status_code == 200
    assert f'attachment; filename="{filename}"' in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / filename
    path.write_bytes(pdf)
    text = pdf_text(path)
    assert "Panorama of decentralised cooperation in the social field" in text
    # the world's one published partnership: Hérouville-Saint-Clair ↔ Tikhvine (Russia)
    assert "1 partnership of 1 French authority with 1 partner territory in 1 country." in text
    assert "Russia" in text

    # someone else, signed in or not, cannot see or download it
    client.force_login(world.herouville_editor)
    assert client.get(download).status_code == 404
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    client.logout()
    response = client.get(download)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_bad_choices_are_refused_and_start_nothing(client, world):
    client.force_login(world.outsider)
    response = client.post(REPORT, {"language": "de"})
    assert response.status_code == 400
    assert fr("Choose French or English.") in response.content.decode()
    response = client.post(REPORT, {"language": "fr", "campaign": "999"})
    assert response.status_code == 400
    assert fr("no campaign of the survey has this id") in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("status", ["draft", "open", "closed"])
def test_an_unpublished_campaign_cannot_be_chosen(client, world, status):
    from tests.surveys.analysis_support import load_study_form

    questionnaire = load_study_form("cooperations")
    unpublished = Campaign.objects.create(
        questionnaire=questionnaire, title="Pas publiée", status=status
    )
    client.force_login(world.outsider)
    form = client.get(REPORT).content.decode()
    assert "Pas publiée" not in form
    response = client.post(REPORT, {"language": "fr", "campaign": str(unpublished.pk)})
    assert response.status_code == 400
    assert fr("This campaign's figures are not published.") in response.content.decode()
    assert not Job.objects.exists()


def test_a_campaign_vanished_before_the_job_ran_fails_the_job_with_its_reason(world):
    with translation.override("en"):  # the language of the page that started it
        job = jobs.start_job(
            "panorama.report",
            owner=world.outsider,
            title="Report",
            params={"language": "fr", "campaign": 424242},
        )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "There is no survey campaign with the id 424242."
    assert not job.result_file
