"""interop/xlsform.py: reading XLSForms safely, errors with sheet and row, writing back."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.utils import translation

from reciprocite.interop.xlsform import (
    MAX_BYTES,
    XLSFormError,
    pyxform_error_to_dict,
    xlsform_read,
    xlsform_write,
)
from reciprocite.surveys.structure import Structure


def workbook(survey, choices=None, settings=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices:
        ws = book.create_sheet("choices")
        for row in choices:
            ws.append(row)
    if settings:
        ws = book.create_sheet("settings")
        for row in settings:
            ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


RICH = workbook(
    [
        [
            "type",
            "name",
            "label::Français (fr)",
            "label::English (en)",
            "required",
            "relevant",
            "constraint",
            "constraint_message::Français (fr)",
            "constraint_message::English (en)",
            "calculation",
            "choice_filter",
            "appearance",
            "parameters",
        ],
        ["start", "start"],
        ["text", "nom", "Nom", "Name", "yes"],
        ["select_one pays", "pays", "Pays", "Country", "yes"],
        [
            "select_one ville",
            "ville",
            "Ville",
            "City",
            None,
            None,
            None,
            None,
            None,
            None,
            "pays=${pays}",
        ],
        ["select_multiple couleurs or_other", "couleurs", "Couleurs", "Colours"],
        [
            "begin_group",
            "g",
            "Groupe",
            "Group",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "field-list",
        ],
        [
            "integer",
            "age",
            "Âge",
            "Age",
            None,
            "${nom} != ''",
            ". >= 0 and . < 130",
            "Entre 0 et 129",
            "Between 0 and 129",
        ],
        [
            "range",
            "note_sur_10",
            "Note",
            "Mark",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "start=0 end=10 step=1",
        ],
        ["end_group"],
        ["begin_repeat", "enfants", "Enfants", "Children"],
        ["text", "prenom", "Prénom", "First name"],
        ["begin_repeat", "jouets", "Jouets", "Toys"],
        ["decimal", "prix", "Prix", "Price"],
        ["end_repeat"],
        ["end_repeat"],
        ["calculate", "double_age", None, None, None, None, None, None, None, "${age} * 2"],
        ["geopoint", "lieu", "Lieu", "Place"],
        ["image", "photo", "Photo", "Photo"],
        ["geoshape", "zone", "Zone", "Area"],
    ],
    [
        ["list_name", "name", "label::Français (fr)", "label::English (en)", "pays"],
        ["pays", "fr", "France", "France"],
        ["pays", "sn", "Sénégal", "Senegal"],
        ["ville", "caen", "Caen", "Caen", "fr"],
        ["ville", "dakar", "Dakar", "Dakar", "sn"],
        ["couleurs", "rouge", "Rouge", "Red"],
        ["couleurs", "vert", "Vert", "Green"],
    ],
    [
        ["form_title", "form_id", "version", "default_language"],
        ["Formulaire riche", "riche", "3", "Français (fr)"],
    ],
)


def test_a_rich_form_is_read_with_rows_languages_and_what_the_web_cannot_collect():
    parsed = xlsform_read(RICH, "riche.xlsx")
    assert parsed.form_id == "riche"
    assert parsed.title == "Formulaire riche"
    assert parsed.version == "3"
    assert parsed.default_language == "Français (fr)"
    assert parsed.languages == ["Français (fr)", "English (en)"]
    assert parsed.rows == {
        "start": 2,
        "nom": 3,
        "pays": 4,
        "ville": 5,
        "couleurs": 6,
        "g": 7,
        "age": 8,
        "note_sur_10": 9,
        "enfants": 11,
        "prenom": 12,
        "jouets": 13,
        "prix": 14,
        "double_age": 17,
        "lieu": 18,
        "photo": 19,
        "zone": 20,
    }
    assert parsed.unsupported == [
        {"name": "photo", "type": "image", "row": 19},
        {"name": "zone", "type": "geoshape", "row": 20},
    ]
    structure = Structure(parsed.structure, parsed.rows)
    age = structure.by_name["age"]
    assert age.path == ("g",)
    assert age.bind["constraint"] == ". >= 0 and . < 130"
    assert age.bind["jr:constraintMsg"] == {
        "Français (fr)": "Entre 0 et 129",
        "English (en)": "Between 0 and 129",
    }
    assert structure.by_name["prix"].repeats == ("enfants", "jouets")
    assert structure.by_name["ville"].node["choice_filter"] == "pays=${pays}"
    assert [c["name"] for c in structure.choices(structure.by_name["couleurs"])] == [
        "rouge",
        "vert",
        "other",
    ]
    assert structure.by_name["couleurs_other"].type == "text"


def test_the_form_id_is_the_file_name_when_the_settings_have_none():
    content = workbook([["type", "name", "label"], ["text", "q1", "Q1"]])
    assert xlsform_read(content, "mon_formulaire.xlsx").form_id == "mon_formulaire"


def test_errors_name_the_sheet_the_row_and_the_column_in_english_and_french():
    content = workbook(
        [["type", "name", "label"], ["text", "q1", "Q1"], ["text", "q1", "Q1 again"]]
    )
    with pytest.raises(XLSFormError) as caught:
        xlsform_read(content, "doublon.xlsx")
    assert caught.value.errors == [
        {
            "sheet": "survey",
            "row": 3,
            "column": "name",
            "message": "On the 'survey' sheet, the 'name' value 'q1' is invalid. Questions, "
            "groups, and repeats must be unique within their nearest parent group or repeat, "
            "or the survey if not inside a group or repeat.",
        }
    ]
    with translation.override("en"):
        assert caught.value.lines() == [
            "doublon.xlsx, sheet survey, row 3, column name: On the 'survey' sheet, the 'name' "
            "value 'q1' is invalid. Questions, groups, and repeats must be unique within their "
            "nearest parent group or repeat, or the survey if not inside a group or repeat."
        ]
        assert caught.value.message.startswith("doublon.xlsx is not a valid XLSForm: sheet survey")


def test_a_missing_survey_sheet_is_an_xlsform_error():
    book = openpyxl.Workbook()
    book.active.title = "questions"
    book.create_sheet("autre")
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(XLSFormError) as caught:
        xlsform_read(buffer.getvalue(), "vide.xlsx")
    assert caught.value.errors[0]["message"].startswith("You must have a sheet named 'survey'.")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "[row : 34] Missing calculation.",
            {"sheet": "survey", "row": 34, "column": None, "message": "Missing calculation."},
        ),
        (
            "Duplicate column header: label",
            {
                "sheet": None,
                "row": None,
                "column": "label",
                "message": "Duplicate column header: label",
            },
        ),
        (
            "[row : 4] On the 'choices' sheet, the 'name' value is invalid.",
            {
                "sheet": "choices",
                "row": 4,
                "column": "name",
                "message": "On the 'choices' sheet, the 'name' value is invalid.",
            },
        ),
    ],
)
def test_pyxform_messages_are_read_for_sheet_row_and_column(message, expected):
    assert pyxform_error_to_dict(message) == expected


def test_other_file_types_are_refused():
    with pytest.raises(XLSFormError) as caught, translation.override("en"):
        xlsform_read(b"type,name\ntext,q1\n", "form.csv")
    assert caught.value.errors == [
        {
            "sheet": None,
            "row": None,
            "column": None,
            "message": "only XLSForm workbooks (.xlsx, .xls) can be read, not “.csv”",
        }
    ]


def test_garbage_named_xlsx_is_refused_without_a_crash():
    with pytest.raises(XLSFormError) as caught, translation.override("en"):
        xlsform_read(b"not a zip at all", "form.xlsx")
    assert caught.value.errors[0]["message"] == (
        "the file is not a readable .xlsx workbook (not a zip archive)"
    )


def test_a_file_over_the_limit_is_refused_before_reading():
    with pytest.raises(XLSFormError) as caught, translation.override("en"):
        xlsform_read(b"PK" + b"\0" * MAX_BYTES, "huge.xlsx")
    assert caught.value.errors[0]["message"] == (
        "the file is 10.0 MB; an XLSForm may be 10 MB at most"
    )


def test_a_zip_bomb_is_refused_from_its_directory():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    with pytest.raises(XLSFormError) as caught, translation.override("en"):
        xlsform_read(buffer.getvalue(), "bomb.xlsx")
    assert caught.value.errors[0]["message"] == (
        "the workbook unpacks to 30 MB: refused as a possible zip bomb"
    )


def _shape(structure: dict) -> list:
    """Questions with their path, type, binds, labels and choices."""
    parsed = Structure(structure)
    shape = []
    for q in parsed.questions:
        choices = None
        if q.kind in ("select_one", "select_multiple"):
            choices = [(c["name"], c.get("label")) for c in parsed.choices(q)]
        shape.append(
            (
                q.full_path,
                q.type,
                q.node.get("label"),
                q.bind,
                q.node.get("choice_filter"),
                q.node.get("parameters") or None,
                choices,
            )
        )
    return shape


def test_export_then_import_gives_the_same_structure():
    parsed = xlsform_read(RICH, "riche.xlsx")
    again = xlsform_read(xlsform_write(parsed.structure), "riche.xlsx")
    assert again.structure == parsed.structure
    assert _shape(again.structure) == _shape(parsed.structure)
    # the or_other question is written as its select and its "_other" text: one row more
    assert set(again.rows) == set(parsed.rows) | {"couleurs_other"}
    assert [(u["name"], u["type"]) for u in again.unsupported] == [
        ("photo", "image"),
        ("zone", "geoshape"),
    ]
