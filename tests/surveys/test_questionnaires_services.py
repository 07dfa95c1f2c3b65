"""questionnaire_load / questionnaire_check: form ids, versions, idempotence, nothing half-stored."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import translation

from reciprocite.interop.xlsform import XLSFormError
from reciprocite.surveys.digest import content_digest
from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion, Submission
from reciprocite.surveys.services.questionnaires import (
    questionnaire_check,
    questionnaire_export,
    questionnaire_load,
)

pytestmark = pytest.mark.django_db


def workbook(survey, settings=None, choices=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows:
            ws = book.create_sheet(title)
            for row in rows:
                ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


V1 = workbook(
    [["type", "name", "label"], ["text", "nom", "Nom"], ["integer", "age", "Âge"]],
    [["form_title", "form_id", "version"], ["Enquête", "enquete", "1"]],
)
V2 = workbook(
    [["type", "name", "label"], ["text", "nom", "Nom"], ["decimal", "taille", "Taille"]],
    [["form_title", "form_id", "version"], ["Enquête, version 2", "enquete", "2"]],
)


def test_loading_creates_the_questionnaire_and_its_first_version(world):
    version = questionnaire_load(content=V1, filename="enquete.xlsx", actor=world.analyst)
    questionnaire = Questionnaire.objects.get()
    assert (questionnaire.form_id, questionnaire.title, questionnaire.default_language) == (
        "enquete",
        "Enquête",
        "default",
    )
    assert version.questionnaire == questionnaire
    assert version.version == "1"
    assert version.rows == {"nom": 2, "age": 3}
    assert version.unsupported == []
    assert version.languages == []
    assert bytes(version.xlsform) == V1
    assert version.xlsform_name == "enquete.xlsx"
    assert version.created_by == world.analyst
    assert [c["name"] for c in version.structure["children"]] == ["nom", "age", "meta"]


def test_loading_the_same_version_again_is_a_no_op():
    first = questionnaire_load(content=V1, filename="enquete.xlsx")
    again = questionnaire_load(content=V1, filename="other-name.xlsx")
    assert again.pk == first.pk
    assert QuestionnaireVersion.objects.count() == 1


def test_the_same_version_with_other_questions_is_refused_and_nothing_changes():
    questionnaire_load(content=V1, filename="enquete.xlsx")
    changed = workbook(
        [["type", "name", "label"], ["text", "nom", "Nom"]],
        [["form_title", "form_id", "version"], ["Enquête", "enquete", "1"]],
    )
    with pytest.raises(XLSFormError) as caught, translation.override("en"):
        questionnaire_load(content=changed, filename="enquete.xlsx")
    assert caught.value.errors == [
        {
            "sheet": "settings",
            "row": None,
            "column": "version",
            "message": "version 1 of enquete is already loaded with other questions: give this "
            "file a new version in the settings sheet",
        }
    ]
    assert QuestionnaireVersion.objects.count() == 1


def test_a_new_version_keeps_the_answers_of_the_old_one():
    v1 = questionnaire_load(content=V1, filename="enquete.xlsx")
    data = {"nom": "Caen", "age": 3}
    Submission.objects.create(
        questionnaire=v1.questionnaire,
        version=v1,
        data=data,
        content_digest=content_digest(data),
        source="api",
    )
    v2 = questionnaire_load(content=V2, filename="enquete.xlsx")
    assert v2.pk != v1.pk
    assert v2.version == "2"
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.title == "Enquête, version 2"
    assert questionnaire.current_version == v2
    submission = Submission.objects.get()
    assert submission.version == v1
    assert submission.data == {"nom": "Caen", "age": 3}


def test_without_settings_the_id_is_the_file_name_and_the_version_a_digest():
    content = workbook([["type", "name", "label"], ["text", "q1", "Q1"]])
    version = questionnaire_load(content=content, filename="Mon questionnaire.xlsx")
    assert version.questionnaire.form_id == "mon-questionnaire"
    assert version.structure["id_string"] == "mon-questionnaire"
    assert len(version.version) == 16
    assert version.version == content_digest(version.structure)[:16]
    assert questionnaire_load(content=content, filename="Mon questionnaire.xlsx").pk == version.pk


def test_the_caller_may_name_the_form_id():
    version = questionnaire_load(content=V1, filename="enquete.xlsx", form_id="autre")
    assert version.questionnaire.form_id == "autre"
    assert version.structure["id_string"] == "autre"


def test_a_bad_workbook_stores_nothing():
    broken = workbook([["type", "name", "label"], ["begin_group", "g", "G"], ["text", "a", "A"]])
    with pytest.raises(XLSFormError) as caught:
        questionnaire_load(content=broken, filename="broken.xlsx")
    assert caught.value.errors == [
        {
            "sheet": "survey",
            "row": 2,
            "column": None,
            "message": "Unmatched 'begin_group'. No matching 'end_group' was found for the "
            "name 'g'.",
        }
    ]
    assert Questionnaire.objects.count() == 0
    assert QuestionnaireVersion.objects.count() == 0


def test_check_reports_without_storing():
    content = workbook(
        [
            ["type", "name", "label::Français (fr)", "label::English (en)"],
            ["text", "nom", "Nom", "Name"],
            ["select_one oui_non", "ok", "D'accord ?", "Agreed?"],
            ["begin_repeat", "r", "R", "R"],
            ["audio", "voix", "Voix", "Voice"],
            ["end_repeat"],
        ],
        [["form_id", "version", "default_language"], ["verif", "7", "Français (fr)"]],
        [
            ["list_name", "name", "label::Français (fr)", "label::English (en)"],
            ["oui_non", "oui", "Oui", "Yes"],
            ["oui_non", "non", "Non", "No"],
        ],
    )
    report = questionnaire_check(content, "verif.xlsx")
    assert report == {
        "form_id": "verif",
        "title": "verif",
        "version": "7",
        "default_language": "Français (fr)",
        "languages": ["Français (fr)", "English (en)"],
        "counts": {"questions": 3, "repeats": 1, "choice_lists": 1, "choices": 2},
        "unsupported": [{"name": "voix", "type": "audio", "row": 5}],
        "warnings": [],
        "exists": False,
        "version_exists": False,
    }
    assert Questionnaire.objects.count() == 0
    questionnaire_load(content=content, filename="verif.xlsx")
    report = questionnaire_check(content, "verif.xlsx")
    assert (report["exists"], report["version_exists"]) == (True, True)


def test_export_gives_back_the_loaded_file():
    version = questionnaire_load(content=V1, filename="enquete.xlsx")
    assert questionnaire_export(version) == ("enquete.xlsx", V1)
    version.xlsform = b""
    version.save()
    name, content = questionnaire_export(version)
    assert name == "enquete.xlsx"
    reread = questionnaire_check(content, name)
    assert (reread["form_id"], reread["version"], reread["counts"]["questions"]) == (
        "enquete",
        "1",
        2,
    )
