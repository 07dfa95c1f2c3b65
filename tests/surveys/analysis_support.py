"""Test support for the analysis tests: the study's two questionnaires and their dev answers,
loaded the way an analyst does — the shipped XLSForm files through ``questionnaire_load``, the
Kobo CSV export through ``submissions_import``."""

from __future__ import annotations

from pathlib import Path

from reciprocite.surveys.models import Questionnaire
from reciprocite.surveys.services.imports import submissions_import
from reciprocite.surveys.services.questionnaires import questionnaire_load

PACKAGE_FORMS = Path(__file__).resolve().parents[2] / "src" / "reciprocite" / "surveys" / "xlsforms"


def load_study_form(form_id: str) -> Questionnaire:
    """``perception`` or ``cooperations`` from the XLSForm shipped in the package."""
    shipped = PACKAGE_FORMS / f"{form_id}.xlsx"
    version = questionnaire_load(content=shipped.read_bytes(), filename=shipped.name)
    assert version.questionnaire.form_id == form_id
    return version.questionnaire


def study_campaign(questionnaire: Questionnaire, *, published: bool = True):
    """The closed campaign the study's dev answers are imported into (published unless
    ``published=False``), made once per questionnaire."""
    from reciprocite.surveys.models import Campaign
    from reciprocite.surveys.services.campaigns import campaign_publish

    campaign, _created = Campaign.objects.get_or_create(
        questionnaire=questionnaire, title="Étude 2026", defaults={"status": "closed"}
    )
    if published:
        campaign = campaign_publish(campaign=campaign)
    return campaign


def import_study_answers(
    questionnaire: Questionnaire, directory: Path, *, published: bool = True
) -> int:
    """The dev answers of ``questionnaire`` from ``directory`` (Kobo CSV layout), imported
    into the study's campaign (``study_campaign``), published unless ``published=False``:
    the public panorama counts the answers of published campaigns only."""
    files = sorted(directory.glob(f"{questionnaire.form_id}*.csv"))
    report = submissions_import(
        questionnaire=questionnaire,
        files=[(f.name, f.read_bytes()) for f in files],
        campaign=study_campaign(questionnaire, published=published),
    )
    assert report.conflicts == 0
    return report.created


def campaign_with_answer(questionnaire: Questionnaire, title: str = "Relance 2026"):
    """A campaign of ``questionnaire`` through which its first imported answer was given.

    Returns (campaign, that submission)."""
    from reciprocite.accounts.services import organisation_create
    from reciprocite.surveys.models import Campaign, Submission
    from reciprocite.surveys.services.invitations import invitation_create

    campaign = Campaign.objects.create(questionnaire=questionnaire, title=title)
    member = organisation_create(name="Ville de Vire", kind="member", contact_email="v@vire.test")
    invitation, _secret = invitation_create(
        campaign=campaign, organisation=member, email="v@vire.test"
    )
    answer = Submission.objects.filter(questionnaire=questionnaire).order_by("pk").first()
    Submission.objects.filter(pk=answer.pk).update(invitation=invitation, campaign=campaign)
    answer.refresh_from_db()
    return campaign, answer
