"""An export read into submissions: the main table and one table per repeat (see the
package's docstring), each file read by ``tabular.read_sheets`` with Kobo's wider limits.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .. import tabular
from ..errors import FileRefused, InvalidRows, RowError
from ..tabular import Sheet
from .columns import (
    INDEX_COLUMNS,
    INSTANCE_ID_COLUMNS,
    SUBMISSION_UUID_COLUMNS,
    TIME_COLUMNS,
    UUID_COLUMNS,
    Column,
    Spellings,
    repeat_by_columns,
    repeat_by_name,
)
from .form import Form, Question
from .values import BadValue, as_text, converter, is_empty, parse_time, row_uuid, to_integer

# One Kobo table may hold hundreds of questions and a study hundreds of thousands of rows:
# wider than the registry's limits.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_COLUMNS = 5_000
MAX_ERRORS = 200
LIMITS = tabular.Limits(file_bytes=MAX_FILE_BYTES, rows=MAX_ROWS, columns=MAX_COLUMNS)

Progress = Callable[[str, int, int], None]


@dataclass
class KoboSubmission:
    uuid: uuid_module.UUID
    submitted_at: dt.datetime | None
    data: dict[str, Any]
    source: str
    row: int
    # the ``_uuid`` as written in the file, when it was not a UUID we could keep
    original_uuid: str | None = None


@dataclass
class KoboData:
    """What an export holds, in the ``Submission.data`` contract."""

    submissions: list[KoboSubmission]
    repeats: dict[str, int]
    # source → columns that are not questions of the form (non-strict reading only)
    ignored_columns: dict[str, list[str]]
    ignored_sheets: list[str]
    sheets: dict[str, int]  # source → rows read


class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.total = 0

    def add(self, source: str, row: int | None, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append(RowError(source, row, column, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidRows(self.items, self.total)


@dataclass
class _Table:
    sheet: Sheet
    repeat: str  # "" for the main rows
    columns: list[Column]
    meta: dict[str, int]  # metadata header → position


def read_export(
    structure: Form,
    files: Iterable[tuple[str, bytes]],
    *,
    strict: bool = False,
    form_id: str | None = None,
    progress: Progress | None = None,
) -> KoboData:
    """Read an export of the form ``structure``; raise FileRefused or InvalidRows naming the
    file, row and column of what is wrong."""
    form_id = form_id or structure.form_id
    files = list(files)
    sheets: list[Sheet] = []
    for position, (name, content) in enumerate(files, start=1):
        if progress:
            progress(_("Reading files"), position - 1, len(files))
        sheets.extend(tabular.read_sheets(content, source=name, limits=LIMITS))
    if progress:
        progress(_("Reading files"), len(files), len(files))
    tables, ignored_sheets = _attribute(structure, sheets, strict=strict, form_id=form_id)
    errors = _Errors()
    ignored: dict[str, list[str]] = {}
    for table in tables:
        unknown = [c.header for c in table.columns if c.kind == "unknown"]
        known = sum(1 for c in table.columns if c.kind in ("question", "choice"))
        if len(unknown) > known:
            # more foreign columns than questions: the export of another form
            listed = ", ".join(unknown[:10]) + (", …" if len(unknown) > 10 else "")
            raise FileRefused(
                table.sheet.source,
                _(
                    "%(n)s columns are not questions of the form %(form)s (%(columns)s): "
                    "is it the export of another form, or headed with labels instead of "
                    "names (Kobo: export with XML values and headers)?"
                )
                % {"n": len(unknown), "form": form_id, "columns": listed},
            )
        if unknown and strict:
            for header in unknown:
                errors.add(
                    table.sheet.source,
                    None,
                    header,
                    _("this column is not a question of the form %(form)s") % {"form": form_id},
                )
        elif unknown:
            ignored[table.sheet.source] = unknown
    errors.raise_if_any()

    main = next(t for t in tables if t.repeat == "")
    submissions, main_rows = _main_rows(main, errors, form_id, progress)
    repeats_count: dict[str, int] = {r: 0 for r in structure.repeat_nodes}
    # parents before children: a repeat's table is read after its parent's
    rows_of: dict[str, Rows] = {"": main_rows}
    by_uuid = {str(s.uuid): s.data for s in submissions}
    by_original = {s.original_uuid: s.data for s in submissions if s.original_uuid}
    for table in sorted((t for t in tables if t.repeat), key=lambda t: _depth(structure, t)):
        parent = structure.repeat_parent(table.repeat)
        if parent not in rows_of:
            rows_of[parent] = {}
        rows_of[table.repeat] = _repeat_rows(
            table, rows_of[parent], parent, by_uuid, by_original, errors, progress
        )
        repeats_count[table.repeat] = len(table.sheet.rows)
    errors.raise_if_any()
    return KoboData(
        submissions=submissions,
        repeats=repeats_count,
        ignored_columns=ignored,
        ignored_sheets=ignored_sheets,
        sheets={t.sheet.source: len(t.sheet.rows) for t in tables},
    )


def _depth(structure: Form, table: _Table) -> int:
    depth, repeat = 0, table.repeat
    while repeat:
        depth, repeat = depth + 1, structure.repeat_parent(repeat)
    return depth


def _attribute(
    structure: Form, sheets: list[Sheet], *, strict: bool, form_id: str
) -> tuple[list[_Table], list[str]]:
    """Which table is the main one and which repeat each other one holds."""
    spellings = Spellings(structure)
    repeats = list(structure.repeat_nodes)
    tables: list[_Table] = []
    ignored_sheets: list[str] = []
    for sheet in sheets:
        columns = [spellings.classify(i, h) for i, h in enumerate(sheet.columns)]
        repeat = repeat_by_name(sheet.name, repeats)
        if repeat is None:
            by_columns = repeat_by_columns(columns)
            if by_columns is None:
                if strict:
                    raise FileRefused(
                        sheet.source,
                        _("none of its columns is a question of the form %(form)s")
                        % {"form": form_id},
                    )
                ignored_sheets.append(sheet.source)
                continue
            repeat = by_columns
        for column in columns:
            if column.kind in ("question", "choice") and column.held.repeat != repeat:
                # a question of another table: not a column of this one
                column.kind = "unknown"
        meta: dict[str, int] = {}
        for column in columns:
            if column.kind == "meta":
                meta.setdefault(column.header, column.position)
        seen: dict[str, str] = {}
        for column in columns:
            if column.kind == "question":
                if column.held.name in seen:
                    raise FileRefused(
                        sheet.source,
                        _("the columns %(first)s and %(second)s both hold the question %(name)s")
                        % {
                            "first": seen[column.held.name],
                            "second": column.header,
                            "name": column.held.name,
                        },
                    )
                seen[column.held.name] = column.header
        tables.append(_Table(sheet, repeat, columns, meta))
    mains = [t for t in tables if t.repeat == ""]
    if not mains:
        source = sheets[0].source if sheets else _("the files")
        raise FileRefused(
            source,
            _(
                "no main table: no sheet or file holds the questions outside repeats of "
                "%(form)s (headers are the questions' names: in Kobo, export with XML values "
                "and headers)"
            )
            % {"form": form_id},
        )
    if len(mains) > 1:
        raise FileRefused(
            mains[1].sheet.source,
            _("a second main table (the first is %(first)s): give one export at a time")
            % {"first": mains[0].sheet.source},
        )
    seen_repeats: dict[str, str] = {}
    for table in tables:
        if table.repeat and table.repeat in seen_repeats:
            raise FileRefused(
                table.sheet.source,
                _("a second table for the repeat %(repeat)s (the first is %(first)s)")
                % {"repeat": table.repeat, "first": seen_repeats[table.repeat]},
            )
        seen_repeats[table.repeat] = table.sheet.source
    return tables, ignored_sheets


Converters = tuple[list[tuple[Column, Callable[[Any], Any]]], list[tuple[Question, list[Column]]]]
Rows = dict[str, dict[str, Any]]  # _index → answers of the row


def _meta_value(table: _Table, values: list[Any], names: tuple[str, ...]) -> Any:
    for name in names:
        position = table.meta.get(name)
        if position is not None and position < len(values) and not is_empty(values[position]):
            return values[position]
    return None


SELECTED = {"1", "1.0", "true", "True", "TRUE"}


def _answers(
    table: _Table, how: Converters, values: list[Any], row: int, errors: _Errors
) -> dict[str, Any]:
    converters, rebuilt = how
    data: dict[str, Any] = {}
    for question, columns in rebuilt:
        # only 0/1 columns for this select_multiple: its answer is the choices marked 1
        chosen = [
            c.choice
            for c in columns
            if c.position < len(values)
            and (values[c.position] is True or as_text(values[c.position]) in SELECTED)
        ]
        if chosen:
            data[question.name] = " ".join(chosen)
    for column, convert in converters:
        if column.position >= len(values):
            continue
        value = values[column.position]
        if is_empty(value):
            continue
        try:
            data[column.held.name] = convert(value)
        except BadValue as exc:
            errors.add(table.sheet.source, row, column.header, str(exc))
    return data


def _converters(table: _Table) -> Converters:
    """How to read the answers of a row: (column, converter) for each question column, and
    the select_multiple questions given by their 0/1 columns alone."""
    converters = [(c, converter(c.held)) for c in table.columns if c.kind == "question"]
    answered = {c.held.name for c in table.columns if c.kind == "question"}
    rebuilt: dict[str, tuple[Question, list[Column]]] = {}
    for column in table.columns:
        if column.kind == "choice" and column.held.name not in answered:
            rebuilt.setdefault(column.held.name, (column.held, []))[1].append(column)
    return converters, list(rebuilt.values())


def _index_key(value: Any) -> str | None:
    if is_empty(value):
        return None
    try:
        return str(to_integer(value))
    except BadValue:
        return as_text(value)


def _main_rows(
    table: _Table, errors: _Errors, form_id: str, progress: Progress | None
) -> tuple[list[KoboSubmission], Rows]:
    converters = _converters(table)
    submissions: list[KoboSubmission] = []
    by_index: Rows = {}
    seen_uuids: dict[uuid_module.UUID, int] = {}
    total = len(table.sheet.rows)
    label = _("Reading %(source)s") % {"source": table.sheet.source}
    for position, (row, values) in enumerate(table.sheet.rows, start=1):
        if progress and position % 5000 == 0:
            progress(label, position, total)
        data = _answers(table, converters, values, row, errors)
        index = _index_key(_meta_value(table, values, INDEX_COLUMNS)) or str(position)
        raw_uuid = _meta_value(table, values, UUID_COLUMNS + INSTANCE_ID_COLUMNS)
        if raw_uuid is None:
            raw_uuid = ""
        uuid, original = row_uuid(as_text(raw_uuid), form_id=form_id, fallback=f"index:{index}")
        if uuid in seen_uuids:
            errors.add(
                table.sheet.source,
                row,
                "_uuid",
                _("the same submission as row %(row)s (same _uuid)") % {"row": seen_uuids[uuid]},
            )
            continue
        seen_uuids[uuid] = row
        submitted_at = None
        raw_time = _meta_value(table, values, TIME_COLUMNS)
        if raw_time is not None:
            try:
                submitted_at = parse_time(raw_time)
            except BadValue as exc:
                errors.add(table.sheet.source, row, "_submission_time", str(exc))
        if index in by_index:
            errors.add(
                table.sheet.source,
                row,
                "_index",
                _("the _index %(index)s is given twice") % {"index": index},
            )
        by_index[index] = data
        submissions.append(
            KoboSubmission(
                uuid=uuid,
                submitted_at=submitted_at,
                data=data,
                source=table.sheet.source,
                row=row,
                original_uuid=original,
            )
        )
    if progress:
        progress(label, total, total)
    return submissions, by_index


def _repeat_rows(
    table: _Table,
    parents: Rows,
    parent: str,
    by_uuid: dict[str, dict[str, Any]],
    by_original: dict[str, dict[str, Any]],
    errors: _Errors,
    progress: Progress | None,
) -> Rows:
    converters = _converters(table)
    own: Rows = {}
    total = len(table.sheet.rows)
    label = _("Reading %(source)s") % {"source": table.sheet.source}
    has_parent_index = "_parent_index" in table.meta
    submission_columns = SUBMISSION_UUID_COLUMNS + UUID_COLUMNS
    for position, (row, values) in enumerate(table.sheet.rows, start=1):
        if progress and position % 5000 == 0:
            progress(label, position, total)
        data = _answers(table, converters, values, row, errors)
        index = _index_key(_meta_value(table, values, INDEX_COLUMNS)) or str(position)
        own[index] = data
        parent_index = _index_key(_meta_value(table, values, ("_parent_index",)))
        target = None
        if parent_index is not None:
            target = parents.get(parent_index)
            if target is None:
                errors.add(
                    table.sheet.source,
                    row,
                    "_parent_index",
                    _("%(index)s is the _index of no row of the %(parent)s table")
                    % {"index": parent_index, "parent": parent or _("main")},
                )
                continue
        raw = _meta_value(table, values, submission_columns)
        if raw is not None and parent == "":
            text = as_text(raw)
            by_submission = by_uuid.get(text.lower()) or by_original.get(text)
            if by_submission is None:
                try:
                    by_submission = by_uuid.get(str(uuid_module.UUID(text)))
                except ValueError:
                    by_submission = None
            if target is None:
                target = by_submission
            elif by_submission is not None and by_submission is not target:
                errors.add(
                    table.sheet.source,
                    row,
                    "_submission__uuid",
                    _("this row's _parent_index and _submission__uuid name different submissions"),
                )
                continue
        if target is None:
            errors.add(
                table.sheet.source,
                row,
                "_parent_index" if has_parent_index or parent else "_submission__uuid",
                _("no parent row: give _parent_index (or _submission__uuid)"),
            )
            continue
        target.setdefault(table.repeat, []).append(data)
    if progress:
        progress(label, total, total)
    return own
