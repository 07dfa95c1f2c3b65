"""pyxform's own fixtures (shared/data/xlsform-conformance): every form pyxform 4.5 accepts is
loaded and stored; every form it refuses is an XLSFormError with a message, never another
exception. The markdown fixtures are read from their .xlsx twins in from-md/; the .md files
themselves are not workbooks and are refused the same clean way."""

from __future__ import annotations

import json

import pytest

from reciprocite.interop.xlsform import XLSFormError, xlsform_read, xlsform_write
from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion
from reciprocite.surveys.services.questionnaires import questionnaire_load
from reciprocite.surveys.structure import Structure

pytestmark = pytest.mark.django_db


def _manifest(shared_dir):
    folder = shared_dir / "data" / "xlsform-conformance"
    return folder, json.loads((folder / "manifest.json").read_text())


def _cases(shared_dir):
    """(path, expected "ok" or the start of pyxform's error) for every workbook."""
    folder, manifest = _manifest(shared_dir)
    for entry in manifest:
        name = entry["file"]
        path = folder / name
        if name.endswith(".md"):
            path = folder / "from-md" / (name[: -len(".md")] + ".xlsx")
        yield path, entry["pyxform_4_5_0"]


def test_the_manifest_covers_every_workbook(shared_dir):
    folder, manifest = _manifest(shared_dir)
    paths = {p for p, _ in _cases(shared_dir)}
    on_disk = {p for p in folder.iterdir() if p.suffix in (".xlsx", ".xls", ".xlsm")}
    on_disk |= set((folder / "from-md").glob("*.xlsx"))
    assert paths == on_disk
    assert len(manifest) == 36


def test_every_accepted_form_loads_and_every_refused_one_is_an_xlsform_error(shared_dir):
    loaded, refused = [], []
    for path, expected in _cases(shared_dir):
        content = path.read_bytes()
        if expected == "ok":
            version = questionnaire_load(content=content, filename=path.name)
            stored = QuestionnaireVersion.objects.get(pk=version.pk)
            assert stored.structure["type"] == "survey", path.name
            assert stored.structure["children"], path.name
            assert bytes(stored.xlsform) == content, path.name
            assert Structure(stored.structure, stored.rows).questions, path.name
            loaded.append(path.name)
        else:
            with pytest.raises(XLSFormError) as caught:
                questionnaire_load(content=content, filename=path.name)
            pyxform_message = expected.removeprefix("error: ")
            assert caught.value.errors, path.name
            text = " ".join(
                (f"[row : {e['row']}] " if e["row"] else "") + e["message"]
                for e in caught.value.errors
            )
            # the manifest keeps the first 100 characters of pyxform's message
            assert text.startswith(pyxform_message.split(" (")[0][:60]), (path.name, text)
            refused.append(path.name)
    assert len(loaded) == 28
    assert len(refused) == 8
    # xlsform_spec_test and attribute_columns_test both say form_id "Spec test": one
    # questionnaire "spec-test" with two versions
    assert QuestionnaireVersion.objects.count() == 28
    assert Questionnaire.objects.count() == 27
    assert Questionnaire.objects.get(form_id="spec-test").versions.count() == 2


def test_refused_forms_name_their_sheet_and_row(shared_dir):
    folder = shared_dir / "data" / "xlsform-conformance"
    with pytest.raises(XLSFormError) as caught:
        xlsform_read(
            (folder / "calculate_without_calculation.xls").read_bytes(),
            "calculate_without_calculation.xls",
        )
    assert caught.value.errors == [
        {"sheet": "survey", "row": 34, "column": None, "message": "Missing calculation."}
    ]
    name = "inline__test_choices_sheet__test_duplicate_choices_without_setting.xlsx"
    with pytest.raises(XLSFormError) as caught:
        xlsform_read((folder / "from-md" / name).read_bytes(), name)
    assert caught.value.errors[0]["sheet"] == "choices"
    assert caught.value.errors[0]["row"] == 4
    assert caught.value.errors[0]["column"] == "name"


def test_markdown_files_are_refused_cleanly(shared_dir):
    folder = shared_dir / "data" / "xlsform-conformance"
    for path in sorted(folder.glob("*.md")):
        if path.name == "FIXTURES.md":
            continue
        with pytest.raises(XLSFormError):
            xlsform_read(path.read_bytes(), path.name)


def test_unsupported_types_are_named_with_their_row(shared_dir):
    folder = shared_dir / "data" / "xlsform-conformance"
    parsed = xlsform_read((folder / "widgets.xls").read_bytes(), "widgets.xls")
    assert parsed.unsupported == [
        {"name": "my_trigger", "type": "trigger", "row": 9},
        {"name": "my_barcode", "type": "barcode", "row": 12},
        {"name": "my_image", "type": "image", "row": 13},
        {"name": "my_audio", "type": "audio", "row": 14},
        {"name": "my_video", "type": "video", "row": 15},
    ]
    name = "inline__test_entities__test_save_to__create__survey.xlsx"
    parsed = xlsform_read((folder / "from-md" / name).read_bytes(), name)
    assert parsed.unsupported == [
        {"name": "q1", "type": "save_to", "row": 2},
        {"name": "entity", "type": "entities", "row": None},
    ]
    name = (
        "inline__test_search_function__test_pulldata_same_file__multiple_search__translation.xlsx"
    )
    parsed = xlsform_read((folder / "from-md" / name).read_bytes(), name)
    assert [(u["name"], u["type"]) for u in parsed.unsupported] == [
        ("q1", "search()"),
        ("p1", "pulldata"),
        ("q2", "search()"),
    ]
    parsed = xlsform_read((folder / "UCL_Biomass_Plot_Form.xlsx").read_bytes(), "ucl.xlsx")
    assert {"name": "region_id", "type": "select_one_from_file", "row": 16} in parsed.unsupported
    name = "inline__test_rank__test_rank_translations.xlsx"
    parsed = xlsform_read((folder / "from-md" / name).read_bytes(), name)
    assert parsed.unsupported == [{"name": "order", "type": "rank", "row": 2}]


# forms made only of what the web form and the writer support: written back, read again,
# they give the same questions, types, labels, binds and choices
ROUND_TRIP = [
    "or_other.xlsx",
    "choice_filter_test.xlsx",
    "cascading_select_test_equivalent.xls",
    "repeat_date_test.xls",
    "table-list.xls",
    "tutorial.xls",
    "widgets.xls",
    "xml_escaping.xls",
    "UCL_Biomass_Plot_Form.xlsx",
    "from-md/inline__test_repeat__test_choice_from_previous_repeat_in_current_repeat_parents_out_to_repeat.xlsx",
    "from-md/inline__test_dynamic_default__test_dynamic_default_in_repeat.xlsx",
    "from-md/inline__test_randomize_itemsets__test_randomized_select_one_translated_filtered.xlsx",
]


def _shape(structure: dict) -> list:
    parsed = Structure(structure)
    shape = []
    for q in parsed.questions:
        choices = None
        if q.kind in ("select_one", "select_multiple"):
            choices = [(c["name"], c.get("label")) for c in parsed.choices(q)]
        shape.append((q.full_path, q.type, q.node.get("label"), q.bind, choices))
    return shape


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_written_back_forms_read_the_same(shared_dir, name):
    path = shared_dir / "data" / "xlsform-conformance" / name
    parsed = xlsform_read(path.read_bytes(), path.name)
    again = xlsform_read(xlsform_write(parsed.structure), path.stem + ".xlsx")
    assert _shape(again.structure) == _shape(parsed.structure)
    assert again.structure.get("choices") == parsed.structure.get("choices")
    assert again.form_id == parsed.form_id
