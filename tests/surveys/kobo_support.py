"""Test support for the Kobo import/export tests: questionnaires from XLSForm files.

Through the XLSFORM helper's ``questionnaire_load`` when it exists; otherwise pyxform's
JSON stored in Questionnaire/QuestionnaireVersion rows directly (form id: the settings'
``form_id``, else the file name without extension, pyxform's rule).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion


def _loader():
    try:
        module = importlib.import_module("reciprocite.surveys.services.questionnaires")
    except ImportError:
        return None
    return getattr(module, "questionnaire_load", None)


def load_form(path: Path, *, form_id: str | None = None) -> Questionnaire:
    load = _loader()
    if load is not None:
        version = load(content=path.read_bytes(), filename=path.name, form_id=form_id)
        return version.questionnaire
    from pyxform.xls2json import parse_file_to_json

    structure = parse_file_to_json(str(path))
    form_id = form_id or structure.get("id_string") or path.stem
    questionnaire = Questionnaire.objects.create(
        form_id=form_id, title=structure.get("title") or form_id
    )
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        version=str(structure.get("version") or "1"),
        structure=structure,
        xlsform=path.read_bytes(),
        xlsform_name=path.name,
    )
    return questionnaire


PACKAGE_FORMS = Path(__file__).resolve().parents[2] / "src" / "reciprocite" / "surveys" / "xlsforms"


def load_study_form(form_id: str) -> Questionnaire:
    """``perception`` or ``cooperations`` from the XLSForm files shipped in the package."""
    return load_form(PACKAGE_FORMS / f"{form_id}.xlsx", form_id=form_id)


def files(*paths: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in paths]
