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
