"""`reciprocite survey load-xlsform` and `export-xlsform` through the CLI."""

from __future__ import annotations

import io

import openpyxl
import pytest
from typer.testing import CliRunner

from reciprocite import cli
from reciprocite.interop.xlsform import xlsform_read
from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion
from reciprocite.surveys.xlsforms import build

pytestmark = pytest.mark.django_db

SHIPPED = build.HERE / "cooperations.xlsx"


def run(*args: str):
    return CliRunner().invoke(cli.app, list(args))


def test_check_validates_without_storing():
    result = run("survey", "load-xlsform", str(SHIPPED), "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "form id:   cooperations",
        "title:     Les coopérations décentralisées dans le champ social",
        f"version:   {build.VERSION}",
        "languages: Français (fr), English (en), العربية (ar)",
        "questions: 15",
        "repeats:   1",
        "choices:   301 in 8 lists",
        "checked: nothing stored",
    ]
    assert Questionnaire.objects.count() == 0


def test_load_then_load_again_changes_nothing():
    result = run("survey", "load-xlsform", str(SHIPPED))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"loaded: cooperations version {build.VERSION}"
    result = run("survey", "load-xlsform", str(SHIPPED))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        f"version {build.VERSION} was already loaded: nothing changed"
    )
    assert QuestionnaireVersion.objects.count() == 1


def test_form_id_option(tmp_path):
    result = run("survey", "load-xlsform", str(SHIPPED), "--form-id", "cooperations-2027")
    assert result.exit_code == 0, result.output
    assert Questionnaire.objects.get().form_id == "cooperations-2027"


def test_errors_are_one_line_per_problem_with_sheet_and_row(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in [
        ["type", "name", "label"],
        ["text", "a", "A"],
        ["calculate", "c", ""],
    ]:
        sheet.append(row)
    path = tmp_path / "broken.xlsx"
    book.save(path)
    result = run("survey", "load-xlsform", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{path}, sheet survey, row 3: Missing calculation.\n"
    assert Questionnaire.objects.count() == 0


def test_unsupported_types_are_reported_on_stderr(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in [["type", "name", "label"], ["text", "a", "A"], ["geoshape", "zone", "Zone"]]:
        sheet.append(row)
    path = tmp_path / "zones.xlsx"
    book.save(path)
    result = run("survey", "load-xlsform", str(path))
    assert result.exit_code == 0, result.output
    assert result.stderr == "not collectable on the web: zone (geoshape, row 3)\n"
    assert Questionnaire.objects.get().form_id == "zones"


def test_a_missing_file_and_another_format_are_one_line_errors(tmp_path):
    result = run("survey", "load-xlsform", str(tmp_path / "none.xlsx"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'none.xlsx'}: No such file or directory\n"
    text = tmp_path / "form.ods"
    text.write_bytes(b"whatever")
    result = run("survey", "load-xlsform", str(text))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{text}: only XLSForm workbooks (.xlsx, .xls) can be read, not “.ods”\n"
    )


def test_export_writes_the_workbook_of_the_latest_version(tmp_path):
    run("survey", "load-xlsform", str(SHIPPED))
    output = tmp_path / "out.xlsx"
    result = run("survey", "export-xlsform", "cooperations", "--output", str(output))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{output}: cooperations version {build.VERSION}\n"
    assert output.read_bytes() == SHIPPED.read_bytes()
    parsed = xlsform_read(output.read_bytes(), output.name)
    assert parsed.form_id == "cooperations"
    book = openpyxl.load_workbook(io.BytesIO(output.read_bytes()), read_only=True)
    assert book.sheetnames == ["survey", "choices", "settings"]


def test_export_of_an_unknown_form_or_version_is_an_error():
    result = run("survey", "export-xlsform", "nothing")
    assert result.exit_code == 1
    assert result.stderr == "Error: no questionnaire with the form id 'nothing'\n"
    run("survey", "load-xlsform", str(SHIPPED))
    result = run("survey", "export-xlsform", "cooperations", "--version", "9")
    assert result.exit_code == 1
    assert result.stderr == "Error: cooperations: no version '9'\n"


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.xlsx"
    with big.open("wb") as fh:
        fh.truncate(11 * 1024 * 1024)
    result = run("survey", "load-xlsform", str(big))
    assert result.exit_code == 1
    assert result.stderr == f"{big}: the file is 11.0 MB; an XLSForm may be 10 MB at most\n"
    assert Questionnaire.objects.count() == 0


def test_only_analysts_may_load_as_themselves(world):
    result = run("survey", "load-xlsform", str(SHIPPED), "--as", "herouville_editor")
    assert result.exit_code == 1
    assert result.stderr == "Error: herouville_editor may not load questionnaires\n"
    assert Questionnaire.objects.count() == 0
    result = run("survey", "load-xlsform", str(SHIPPED), "--as", "analyst")
    assert result.exit_code == 0, result.output
    assert QuestionnaireVersion.objects.get().created_by == world.analyst
