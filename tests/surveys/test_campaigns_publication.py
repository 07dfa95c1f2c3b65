"""The publish step: a campaign's answers count on the public panorama, its API, its
downloads and the report only once one of its analysts publishes them; withdrawing them takes
them out again. Imported answers were public at once before (issue #18)."""

from __future__ import annotations

import pytest
from django.test import Client
from typer.testing import CliRunner

from reciprocite import cli
from reciprocite.accounts import services as accounts
from reciprocite.accounts.models import Role
from reciprocite.surveys.models import Campaign, CampaignPublication, Submission
from reciprocite.surveys.services import campaigns as svc

from .analysis_support import load_study_form

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(cli.app, list(args))


def public_submissions(client: Client) -> int:
    response = client.get("/api/v1/panorama")
    assert response.status_code == 200
    return response.json()["survey"]["submissions"]


def csv_rows(client: Client, key: str) -> list[str]:
    response = client.get(f"/panorama/charts/{key}.csv")
    assert response.status_code == 200
    return response.content.decode("utf-8-sig").strip().splitlines()[1:]


def test_imported_answers_are_public_only_while_their_campaign_is_published(world, shared_dir):
    questionnaire = load_study_form("cooperations")
    campaign = svc.campaign_create(
        questionnaire=questionnaire, title="Étude 2026", actor=world.analyst
    )
    files = sorted((shared_dir / "data" / "study-dev").glob("cooperations*.csv"))
    imported = run(
        "survey", "import", "cooperations", *map(str, files), "--campaign", str(campaign.pk)
    )
    assert imported.exit_code == 0, imported.output
    assert f"The answers belong to campaign {campaign.pk} (not published yet)." in imported.output
    assert Submission.objects.filter(campaign=campaign).count() == 44
    public = Client()

    # imported, not published: the public figures count nothing, the analyst sees everything
    assert public_submissions(public) == 0
    assert csv_rows(public, "survey_themes") == []
    analyst = Client()
    analyst.force_login(world.analyst)
    page = analyst.get("/surveys/cooperations/analysis/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200

    published = run("survey", "publish", str(campaign.pk))
    assert published.exit_code == 0, published.output
    assert published.output.strip() == (
        f"Campaign {campaign.pk} “Étude 2026” is published: its 44 answers count on the public "
        "panorama, its API, exports and report."
    )
    assert public_submissions(public) == 44
    assert len(csv_rows(public, "survey_themes")) > 0
    again = run("survey", "publish", str(campaign.pk))
    assert "was already published" in again.output

    withdrawn = run("survey", "unpublish", str(campaign.pk))
    assert withdrawn.exit_code == 0, withdrawn.output
    assert "is withdrawn: its 44 answers count on no public figure." in withdrawn.output
    assert public_submissions(public) == 0
    assert csv_rows(public, "survey_themes") == []
    assert [p.action for p in CampaignPublication.objects.filter(campaign=campaign)] == [
        "publish",
        "unpublish",
    ]
    # the panorama and the report refuse the withdrawn campaign
    response = public.get("/api/v1/panorama", {"campaign": campaign.pk})
    assert response.status_code == 400
    report = run("report", "panorama", "--campaign", str(campaign.pk), "--output", "/dev/null")
    assert report.exit_code != 0
    assert f"The figures of the campaign {campaign.pk} are not published" in report.output


def test_answers_of_no_campaign_never_count_publicly(world, shared_dir):
    from reciprocite.panorama.selectors import compute_panorama
    from reciprocite.surveys.services.imports import submissions_import

    questionnaire = load_study_form("cooperations")
    files = sorted((shared_dir / "data" / "study-dev").glob("cooperations*.csv"))
    report = submissions_import(
        questionnaire=questionnaire, files=[(f.name, f.read_bytes()) for f in files]
    )
    assert report.created == 44
    assert Submission.objects.filter(campaign__isnull=True).count() == 44
    assert compute_panorama().survey["submissions"] == 0


@pytest.fixture
def campaign(world, cooperations_form, members):
    return svc.campaign_create(
        questionnaire=cooperations_form,
        title="Étude 2026",
        actor=world.analyst,
        recipients=[members["caen"]],
    )


@pytest.fixture
def other_analyst(world):
    user = accounts.user_create(username="other_analyst", password="x-x-x-x-x-1")
    organisation = accounts.organisation_create(name="Autre réseau", kind="network")
    accounts.membership_add(user=user, organisation=organisation, role=Role.ANALYST)
    return user


def test_the_campaign_is_run_by_its_analysts_organisation(world, campaign):
    assert campaign.organisation.name == "Réseau"


def test_publish_and_unpublish_services(world, campaign, other_analyst):
    with pytest.raises(PermissionError):
        svc.campaign_publish(campaign=campaign, actor=other_analyst)
    with pytest.raises(PermissionError):
        svc.campaign_publish(campaign=campaign, actor=world.herouville_editor)
    assert Campaign.objects.get(pk=campaign.pk).published_at is None

    done = svc.campaign_publish(campaign=campaign, actor=world.analyst)
    assert done.published_at is not None
    assert done.published_by == world.analyst
    svc.campaign_publish(campaign=campaign, actor=world.analyst)  # nothing more recorded
    with pytest.raises(PermissionError):
        svc.campaign_unpublish(campaign=campaign, actor=other_analyst)
    svc.campaign_unpublish(campaign=campaign, actor=world.admin)
    stored = Campaign.objects.get(pk=campaign.pk)
    assert (stored.published_at, stored.published_by) == (None, None)
    steps = list(CampaignPublication.objects.filter(campaign=campaign).values_list("action", "by"))
    assert steps == [("publish", world.analyst.pk), ("unpublish", world.admin.pk)]


def test_the_page_asks_before_publishing(world, campaign):
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(world.analyst)
    page = client.get(f"/surveys/campaigns/{campaign.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert f'href="/surveys/campaigns/{campaign.pk}/publish/"' in page.content.decode()
    confirm = client.get(f"/surveys/campaigns/{campaign.pk}/publish/", HTTP_ACCEPT_LANGUAGE="en")
    assert confirm.status_code == 200
    assert "Publish the figures of this campaign?" in confirm.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).published_at is None  # asking changes nothing

    response = client.post(f"/surveys/campaigns/{campaign.pk}/publish/")
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).published_at is not None
    page = client.get(f"/surveys/campaigns/{campaign.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert f'href="/surveys/campaigns/{campaign.pk}/unpublish/"' in page.content.decode()
    client.post(f"/surveys/campaigns/{campaign.pk}/unpublish/")
    assert Campaign.objects.get(pk=campaign.pk).published_at is None


@pytest.mark.parametrize("who", [None, "herouville_editor", "other_analyst"])
def test_only_the_campaigns_analysts_may_publish(world, campaign, other_analyst, who):
    client = Client()
    user = other_analyst if who == "other_analyst" else getattr(world, who) if who else None
    if user is not None:
        client.force_login(user)
    for action in ("publish", "unpublish"):
        url = f"/surveys/campaigns/{campaign.pk}/{action}/"
        for response in (client.get(url), client.post(url)):
            if user is None:
                assert response.status_code == 302
                assert response["Location"].startswith("/accounts/login/")
            else:
                assert response.status_code == 403
    assert Campaign.objects.get(pk=campaign.pk).published_at is None
    assert not CampaignPublication.objects.exists()


def test_cli_publish_refusals(world, campaign, other_analyst):
    unknown = run("survey", "publish", "999999")
    assert unknown.exit_code != 0
    assert unknown.output.strip() == "Error: there is no survey campaign with the id 999999"
    bad = run("survey", "unpublish", "x")
    assert bad.exit_code != 0
    assert "'x' is not a campaign id" in bad.output
    denied = run("survey", "publish", str(campaign.pk), "--as", "other_analyst")
    assert denied.exit_code != 0
    assert "other_analyst may not publish or withdraw the figures" in denied.output
    assert Campaign.objects.get(pk=campaign.pk).published_at is None
    allowed = run("survey", "publish", str(campaign.pk), "--as", "analyst")
    assert allowed.exit_code == 0, allowed.output
    assert Campaign.objects.get(pk=campaign.pk).published_by == world.analyst


def test_import_into_a_campaign_of_another_form_is_refused(world, campaign, tmp_path):
    from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion

    other = Questionnaire.objects.create(form_id="perception", title="Perception")
    QuestionnaireVersion.objects.create(
        questionnaire=other, version="1", structure={"type": "survey", "name": "p", "children": []}
    )
    data = tmp_path / "perception.csv"
    data.write_text("_uuid\r\n", encoding="utf-8")
    result = run("survey", "import", "perception", str(data), "--campaign", str(campaign.pk))
    assert result.exit_code != 0
    assert result.output.strip() == (
        f"Error: campaign {campaign.pk} is a campaign of cooperations, not of perception"
    )
