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


def import_study_answers(questionnaire: Questionnaire, directory: Path) -> int:
    """The dev answers of ``questionnaire`` from ``directory`` (Kobo CSV layout)."""
    files = sorted(directory.glob(f"{questionnaire.form_id}*.csv"))
    report = submissions_import(
        questionnaire=questionnaire, files=[(f.name, f.read_bytes()) for f in files]
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
    Submission.objects.filter(pk=answer.pk).update(invitation=invitation)
    answer.refresh_from_db()
    return campaign, answer
