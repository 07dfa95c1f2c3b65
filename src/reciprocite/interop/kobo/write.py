"""Submissions written in Kobo's export layout: the main table and one per repeat, as the
sheets of one workbook or the CSV files of one zip archive, read back by ``read_export``.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from .. import tabular
from ..tabular import csv_text
from .form import Form, Question

# A table of the export: its name, its header, its rows of values
Table = tuple[str, list[str], list[list[Any]]]


@dataclass
class ExportRow:
    uuid: str
    submitted_at: dt.datetime | None
    data: dict[str, Any]


def export_columns(structure: Form, repeat: str) -> list[Question]:
    """The questions written as columns of the table of ``repeat`` ("" for the main one)."""
    return [
        q
        for q in structure.questions
        if q.repeat == repeat and q.name and q.type != "note" and q.name != "instanceID"
    ]


def sheet_name(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "_", name) or "data"
    return cleaned[: tabular.EXCEL_SHEET_NAME_MAX]


def export_tables(structure: Form, rows: Iterable[ExportRow], *, form_id: str) -> list[Table]:
    """The export as tables: [(name, header, rows of values)], the main table first (named
    after the form id), then one per repeat in form order (empty ones too), named after it
    (an XLSX sheet name is cut at Excel's 31 characters)."""
    main_questions = export_columns(structure, "")
    main_header = [q.full_path for q in main_questions] + ["_uuid", "_submission_time", "_index"]
    main_rows: list[list[Any]] = []
    repeat_names = list(structure.repeat_nodes)
    repeat_questions = {r: export_columns(structure, r) for r in repeat_names}
    repeat_rows: dict[str, list[list[Any]]] = {r: [] for r in repeat_names}
    children = {
        r: [c for c in repeat_names if structure.repeat_parent(c) == r] for r in [""] + repeat_names
    }
    main_name = form_id

    def add_repeats(
        data: dict[str, Any], owner: str, owner_index: int, submission_uuid: str
    ) -> None:
        for child in children[owner]:
            entries = data.get(child) or []
            if not isinstance(entries, list):
                continue
            for entry in entries:
                if not isinstance(entry, dict):
                    continue
                index = len(repeat_rows[child]) + 1
                repeat_rows[child].append(
                    [_cell_value(q, entry.get(q.name)) for q in repeat_questions[child]]
                    + [
                        index,
                        owner or main_name,
                        owner_index,
                        submission_uuid,
                    ]
                )
                add_repeats(entry, child, index, submission_uuid)

    for position, row in enumerate(rows, start=1):
        moment = row.submitted_at
        if moment is not None and moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        main_rows.append(
            [_cell_value(q, row.data.get(q.name)) for q in main_questions]
            + [row.uuid, moment.isoformat() if moment else None, position]
        )
        add_repeats(row.data, "", position, row.uuid)
    tables: list[Table] = [(main_name, main_header, main_rows)]
    for repeat in repeat_names:
        header = [q.full_path for q in repeat_questions[repeat]] + [
            "_index",
            "_parent_table_name",
            "_parent_index",
            "_submission__uuid",
        ]
        tables.append((repeat, header, repeat_rows[repeat]))
    return tables


def _cell_value(question: Question, value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_xlsx(tables: Iterable[Table], stream: IO[bytes]) -> None:
    """The tables as one workbook, a sheet each; text stays text (never a formula)."""
    tabular.write_workbook(
        ((sheet_name(name), header, rows) for name, header, rows in tables), stream
    )


def write_csv_zip(tables: Iterable[Table], stream: IO[bytes], *, form_id: str) -> None:
    """The tables as CSV files in one zip: ``<form>.csv`` and ``<form>-<repeat>.csv``."""
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for position, (name, header, rows) in enumerate(tables):
            filename = f"{form_id}.csv" if position == 0 else f"{form_id}-{name}.csv"
            archive.writestr(filename, csv_text(header, rows).encode("utf-8"))
