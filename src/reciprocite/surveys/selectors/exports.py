"""Answers out in KoboToolbox's export layout: an XLSX workbook (main sheet named after the
form id, one sheet per repeat) or a zip of CSV files (``<form>.csv``, ``<form>-<repeat>.csv``).

Headers carry the full group paths joined by ``/``; select_multiple is one space-separated
column; rows are linked by ``_index``, ``_parent_index``, ``_parent_table_name`` and
``_submission__uuid``. Importing the file back gives the same ``Submission.data``.
"""

from __future__ import annotations

import io

from reciprocite.interop import kobo

from ..models import Submission
from ..structure import Structure

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
}


def export_filename(questionnaire, format: str) -> str:
    return f"{questionnaire.form_id}.{'xlsx' if format == 'xlsx' else 'zip'}"


def submissions_export_tables(questionnaire) -> list[tuple[str, list[str], list[list]]]:
    """The questionnaire's answers as Kobo tables (main first), in submission order."""
    version = questionnaire.current_version
    survey = version.structure if version is not None else {"children": []}
    structure = Structure(survey, version.rows if version is not None else {})
    rows = (
        kobo.ExportRow(uuid=str(uuid), submitted_at=submitted_at, data=data)
        for uuid, submitted_at, data in Submission.objects.filter(questionnaire=questionnaire)
        .order_by("submitted_at", "pk")
        .values_list("uuid", "submitted_at", "data")
        .iterator(chunk_size=2000)
    )
    return kobo.export_tables(structure, rows, form_id=questionnaire.form_id)


def submissions_export(questionnaire, *, format: str = "xlsx") -> bytes:
    """The export file's bytes: an XLSX workbook, or a zip of CSV files for ``csv``."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}")
    tables = submissions_export_tables(questionnaire)
    out = io.BytesIO()
    if format == "xlsx":
        kobo.write_xlsx(tables, out)
    else:
        kobo.write_csv_zip(tables, out, form_id=questionnaire.form_id)
    return out.getvalue()
