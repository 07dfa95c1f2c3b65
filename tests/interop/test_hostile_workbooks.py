"""Hostile XLSX workbooks (issue #10): a part declaring XML entities (a DOCTYPE) is refused
with a translated message naming the file and the part — not openpyxl's raw English "Unable
to read workbook… invalid XML" — on every path that reads a workbook: the registry import
(CLI), the Kobo answers import (service, CLI, web job) and the XLSForm upload (CLI, page)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from typer.testing import CliRunner

from reciprocite import cli
from reciprocite.interop import tabular
from reciprocite.interop.errors import FileRefused
from reciprocite.interop.xlsform import XLSFormError, xlsform_read

DOCTYPE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>'
RAW = ("Unable to read workbook", "invalid XML", "EntitiesForbidden", "Please see")


def workbook(rows, *, title="Sheet") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_doctype(data: bytes, part: str, *, encoding: str = "utf-8") -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    assert part in source.namelist()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                content = DOCTYPE + content
                if encoding != "utf-8":
                    content = content.decode().replace('"1.0"', '"1.0" encoding="utf-16"')
                    content = content.encode(encoding)
            archive.writestr(info.filename, content)
    return out.getvalue()


REGISTRY_ROWS = [["partnership_title", "project_title"], ["Caen ↔ Thiès", "Crèche"]]
PARTS = ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"]


def message_of(data: bytes, name: str = "hostile.xlsx") -> str:
    with pytest.raises(FileRefused) as caught:
        tabular.read_table_bytes(data, source=name, extension=".xlsx")
    return str(caught.value)


@pytest.mark.parametrize("part", PARTS)
def test_the_shared_reader_names_the_file_and_the_part(part):
    message = message_of(with_doctype(workbook(REGISTRY_ROWS), part))
    assert message == (
        f"hostile.xlsx: the part {part} declares XML entities (a DOCTYPE): refused as unsafe; "
        "save the workbook again from a spreadsheet"
    )


def test_a_utf16_part_is_caught_too():
    data = with_doctype(workbook(REGISTRY_ROWS), "xl/workbook.xml", encoding="utf-16-le")
    assert "the part xl/workbook.xml declares XML entities" in message_of(data)


def test_the_message_is_translated():
    data = with_doctype(workbook(REGISTRY_ROWS), "xl/workbook.xml")
    with translation.override("fr"):
        message = message_of(data)
    assert message.startswith("hostile.xlsx: ")
    assert "xl/workbook.xml" in message
    assert "declares" not in message and not any(raw in message for raw in RAW)


def test_text_that_looks_like_a_doctype_in_a_cell_is_only_text():
    data = workbook([["partnership_title", "note"], ["Caen", "<!DOCTYPE html> <!ENTITY x>"]])
    table = tabular.read_table_bytes(data, source="fine.xlsx", extension=".xlsx")
    assert table.rows[0][1]["note"] == "<!DOCTYPE html> <!ENTITY x>"


def test_another_openpyxl_failure_is_a_translated_message_too():
    data = workbook(REGISTRY_ROWS)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                content = b"<workbook><not closed"
            archive.writestr(info.filename, content)
    message = message_of(out.getvalue())
    assert message == (
        "hostile.xlsx: not a valid XLSX workbook: a part of it cannot be read; "
        "save it again from a spreadsheet as .xlsx"
    )
    assert not any(raw in message for raw in RAW)


def test_huge_cells_are_refused_naming_the_row_and_the_column():
    data = workbook([["partnership_title", "note"], ["Caen", "x" * 32_767]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            archive.writestr(info.filename, content.replace(b"x" * 32_767, b"x" * 40_000))
    message = message_of(out.getvalue())
    assert message.startswith("hostile.xlsx: row 2")
    assert "note" in message


# --- the registry import (CLI) ----------------------------------------------------------------


@pytest.mark.django_db
def test_registry_import_refuses_it_in_one_line(world, tmp_path):
    path = tmp_path / "registry.xlsx"
    path.write_bytes(with_doctype(workbook(REGISTRY_ROWS), "xl/worksheets/sheet1.xml"))
    result = CliRunner().invoke(cli.app, ["import", "registry", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: registry.xlsx: the part xl/worksheets/sheet1.xml declares XML entities "
        "(a DOCTYPE): refused as unsafe; save the workbook again from a spreadsheet"
    ]


# --- the Kobo answers import (service, CLI, web job) ------------------------------------------


@pytest.fixture
def cooperations(db):
    from tests.surveys.kobo_support import load_study_form

    return load_study_form("cooperations")


def kobo_workbook() -> bytes:
    return with_doctype(
        workbook([["_uuid", "start"], ["a1", "2026-01-01"]], title="cooperations"),
        "xl/worksheets/sheet1.xml",
    )


@pytest.mark.django_db
def test_kobo_import_service_refuses_it(cooperations):
    from reciprocite.surveys.models import Submission
    from reciprocite.surveys.services.imports import submissions_import

    with pytest.raises(FileRefused) as caught:
        submissions_import(questionnaire=cooperations, files=[("answers.xlsx", kobo_workbook())])
    assert str(caught.value).startswith(
        "answers.xlsx: the part xl/worksheets/sheet1.xml declares XML entities"
    )
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_kobo_import_cli_refuses_it(cooperations, tmp_path):
    path = tmp_path / "answers.xlsx"
    path.write_bytes(kobo_workbook())
    result = CliRunner().invoke(cli.app, ["survey", "import", "cooperations", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: answers.xlsx: the part xl/worksheets/sheet1.xml declares XML entities"
    ), result.stderr


@pytest.mark.django_db
def test_kobo_import_page_fails_the_job_with_the_message(world, cooperations, settings, tmp_path):
    from reciprocite.core.models import Job

    settings.MEDIA_ROOT = tmp_path / "media"
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.analyst)
    response = client.post(
        "/surveys/questionnaires/cooperations/import/",
        {"files": [SimpleUploadedFile("answers.xlsx", kobo_workbook())]},
    )
    assert response.status_code == 302
    job = Job.objects.get(pk=response["Location"].strip("/").rsplit("/", 1)[-1])
    assert job.status == Job.Status.FAILED
    assert "answers.xlsx: the part xl/worksheets/sheet1.xml declares XML entities" in job.error
    assert not any(raw in job.error for raw in RAW)


# --- the XLSForm upload (reader, CLI, page) ---------------------------------------------------

XLSFORM_ROWS = [["type", "name", "label"], ["text", "q", "Question"]]


def xlsform_workbook() -> bytes:
    return with_doctype(workbook(XLSFORM_ROWS, title="survey"), "xl/worksheets/sheet1.xml")


def test_xlsform_reader_refuses_it():
    with pytest.raises(XLSFormError) as caught:
        xlsform_read(xlsform_workbook(), "form.xlsx")
    (line,) = caught.value.lines()
    assert "the part xl/worksheets/sheet1.xml declares XML entities" in line
    assert "form.xlsx" in line
    assert not any(raw in line for raw in RAW)


@pytest.mark.django_db
def test_xlsform_cli_refuses_it(world, tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(xlsform_workbook())
    result = CliRunner().invoke(cli.app, ["survey", "load-xlsform", str(path)])
    assert result.exit_code == 1
    assert "the part xl/worksheets/sheet1.xml declares XML entities" in result.stderr
    assert "form.xlsx" in result.stderr


@pytest.mark.django_db
def test_xlsform_page_refuses_it(client, world):
    from reciprocite.surveys.models import Questionnaire

    client.force_login(world.analyst)
    response = client.post(
        reverse("surveys:questionnaire_load"),
        {"file": SimpleUploadedFile("form.xlsx", xlsform_workbook())},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "xl/worksheets/sheet1.xml" in html
    assert not any(raw in html for raw in RAW)
    assert Questionnaire.objects.count() == 0
