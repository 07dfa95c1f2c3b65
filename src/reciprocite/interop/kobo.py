"""KoboToolbox's export layout, read and written as plain data (no database).

An export is a main table (one row per submission, keyed by ``_uuid``, else ``_index``) and
one table per repeat group whose rows point at their parent row by ``_parent_index`` (and at
the submission by ``_submission__uuid`` when present); a nested repeat's parent is a row of
the enclosing repeat's table. The tables come as the sheets of an XLSX workbook (main sheet
first, repeat sheets named after the repeat) or as CSV files (``,`` or ``;``, UTF-8 with or
without a byte-order mark; the main file, and one file per repeat named ``<repeat>.csv`` or
``<anything>-<repeat>.csv``), possibly zipped together.

Headers may carry group paths (``group/question`` or ``group.question``): the path is dropped,
the question name kept. Kobo's 0/1 columns for each choice of a select_multiple
(``question/choice``) repeat the space-separated column and are skipped. Columns whose name
starts with ``_`` are Kobo's metadata: kept aside (``_submission_time`` becomes the
submission time). Any other column that is not a question of the form is refused when
reading strictly, else reported as ignored.

Values follow ``Submission.data``'s contract: integers and decimals as numbers (Excel's
2007.0 is 2007), dates and times as ISO strings, select_multiple as one space-separated
string, geopoints as the text "lat lon alt acc", everything else as text. Empty cells are
left out.

Files nobody vouches for are read with the safeguards of ``tabular`` (size limit, zip-bomb
check, cell length); the limits on rows and columns are wider than the registry's, since
one Kobo table may hold hundreds of questions and a study hundreds of thousands of rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid as uuid_module
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import IO, Any

from django.utils.translation import gettext as _

from reciprocite.surveys.structure import SELECT_MULTIPLE, Question, Structure

from . import tabular
from .errors import FileRefused, InvalidRows, RowError

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_COLUMNS = 5_000
MAX_ERRORS = 200
CSV_ZIP_MAX_MEMBERS = 200
EXCEL_SHEET_NAME_MAX = 31

# Kobo's metadata columns we read (the others starting with "_" are kept aside unread).
UUID_COLUMNS = ("_uuid", "uuid")
INDEX_COLUMNS = ("_index", "index")
INSTANCE_ID_COLUMNS = ("meta/instanceID", "meta.instanceID", "instanceID")
SUBMISSION_UUID_COLUMNS = ("_submission__uuid",)
TIME_COLUMNS = ("_submission_time",)

# Namespace of the UUIDs given to rows whose ``_uuid`` is missing or not a UUID.
UUID_NAMESPACE = uuid_module.UUID("6f1c9a52-3b8e-4c1d-9a77-2c6b0f8e4d10")

INTEGER_TYPES = {"integer"}
DECIMAL_TYPES = {"decimal", "range"}
DATE_TYPES = {"date", "today"}
DATETIME_TYPES = {"datetime", "start", "end"}
TIME_TYPES = {"time"}

Progress = Callable[[str, int, int], None]


@dataclass
class Sheet:
    """One table of an export: its name (sheet or file stem), where it came from, its header
    and its rows as (row number, cell values) with the row number a spreadsheet shows."""

    name: str
    source: str
    columns: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


@dataclass
class KoboSubmission:
    uuid: uuid_module.UUID
    submitted_at: dt.datetime | None
    data: dict
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
    def __init__(self):
        self.items: list[RowError] = []
        self.total = 0

    def add(self, source: str, row: int | None, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append(RowError(source, row, column, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidRows(self.items, self.total)


# --- reading files ---------------------------------------------------------------------------


def read_sheets(files: Iterable[tuple[str, bytes]]) -> list[Sheet]:
    """The tables of the given files, in order (a workbook's sheets in workbook order)."""
    sheets: list[Sheet] = []
    for name, content in files:
        sheets.extend(_read_file(name, content))
    return sheets


def _read_file(name: str, content: bytes) -> list[Sheet]:
    if len(content) > MAX_FILE_BYTES:
        raise FileRefused(
            name,
            _("the file is %(size)s; the limit is %(max)s")
            % {"size": tabular._mb(len(content)), "max": tabular._mb(MAX_FILE_BYTES)},
        )
    if not content.strip():
        raise FileRefused(name, _("the file is empty"))
    if content.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if _is_workbook(content):
            return _read_xlsx(name, content)
        return _read_csv_zip(name, content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            name, _("old Excel (.xls) workbooks are not supported: save it as .xlsx or CSV")
        )
    if name.lower().endswith(".xlsx"):
        raise FileRefused(name, _("not an XLSX workbook (it is not a zip archive)"))
    return [_read_csv(name, content)]


def _is_workbook(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return True  # let the workbook reader say what is wrong


def _stem(name: str) -> str:
    stem = PurePosixPath(name.replace("\\", "/")).name
    return stem.rsplit(".", 1)[0] if "." in stem else stem


def _read_csv(name: str, content: bytes) -> Sheet:
    text = tabular._decode(content, name)
    delimiter = tabular.sniff_delimiter(text)
    sheet = Sheet(name=_stem(name), source=name, columns=[])
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(tabular.MAX_CELL_CHARS)
    row_number = 1
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for row_number, cells in enumerate(reader, start=1):
            if row_number == 1:
                sheet.columns = _header(cells, name)
                width = len(sheet.columns)
                continue
            if not any(cells):
                continue
            if len(sheet.rows) >= MAX_ROWS:
                raise FileRefused(name, _("more than %(max)s rows") % {"max": MAX_ROWS})
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                raise FileRefused(
                    name,
                    _("row %(row)s has %(n)s cells but the header names %(m)s columns")
                    % {"row": row_number, "n": len(cells), "m": width},
                )
            sheet.rows.append(
                (
                    row_number,
                    [tabular.unescape_formula(c) if c[:1] == "'" else c for c in cells[:width]],
                )
            )
    except csv.Error as exc:
        where = row_number + 1
        if "field larger than field limit" in str(exc):
            raise FileRefused(
                name,
                _("row %(row)s: a cell is longer than %(max)s characters")
                % {"row": where, "max": tabular.MAX_CELL_CHARS},
            ) from None
        raise FileRefused(
            name, _("row %(row)s is not valid CSV (%(reason)s)") % {"row": where, "reason": exc}
        ) from None
    finally:
        csv.field_size_limit(previous_limit)
    if not sheet.columns:
        raise FileRefused(name, _("the file is empty"))
    return sheet


def _read_csv_zip(name: str, content: bytes) -> list[Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise FileRefused(name, _("not a valid zip archive")) from None
    sheets = []
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > CSV_ZIP_MAX_MEMBERS:
            raise FileRefused(
                name,
                _("the archive holds %(n)s files; at most %(max)s are accepted")
                % {"n": len(members), "max": CSV_ZIP_MAX_MEMBERS},
            )
        total = sum(m.file_size for m in members)
        if total > MAX_FILE_BYTES:
            raise FileRefused(
                name,
                _("the archive would expand to %(size)s; the limit is %(max)s")
                % {"size": tabular._mb(total), "max": tabular._mb(MAX_FILE_BYTES)},
            )
        csv_members = [m for m in members if m.filename.lower().endswith(".csv")]
        if not csv_members:
            raise FileRefused(name, _("the archive holds no CSV file"))
        for member in csv_members:
            if member.flag_bits & 0x1:
                raise FileRefused(name, _("the archive is encrypted"))
            with archive.open(member) as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise FileRefused(name, _("the archive expands beyond its announced size"))
            sheets.append(_read_csv(f"{name}/{member.filename}", data))
            sheets[-1].name = _stem(member.filename)
    return sheets


def _read_xlsx(name: str, content: bytes) -> list[Sheet]:
    tabular._check_zip(content, name)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of a parser fed untrusted bytes
        raise tabular.workbook_failure(exc, name) from None
    sheets = []
    try:
        if not workbook.worksheets:
            raise FileRefused(name, _("the workbook has no worksheet"))
        for worksheet in workbook.worksheets:
            source = _("%(file)s, sheet %(sheet)s") % {"file": name, "sheet": worksheet.title}
            # The <dimension> a writer records may be wrong (R's openxlsx writes A1:A1): read
            # the header row bounded, then the rows exactly as wide as the header.
            worksheet.reset_dimensions()
            header_rows = worksheet.iter_rows(
                min_row=1, max_row=1, max_col=MAX_COLUMNS + 1, values_only=True
            )
            header = next(iter(header_rows), None)
            if header is None:
                continue
            cells = [tabular._cell_text(v).strip() for v in header]
            while cells and not cells[-1]:
                cells.pop()
            if not cells:
                continue
            sheet = Sheet(name=worksheet.title, source=source, columns=_header(cells, source))
            width = len(sheet.columns)
            rows = worksheet.iter_rows(min_row=2, max_col=width, values_only=True)
            for row_number, values in enumerate(rows, start=2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                if len(sheet.rows) >= MAX_ROWS:
                    raise FileRefused(source, _("more than %(max)s rows") % {"max": MAX_ROWS})
                sheet.rows.append((row_number, list(values)))
            sheets.append(sheet)
    except FileRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet fails in many ways
        raise tabular.workbook_failure(exc, name) from None
    finally:
        workbook.close()
    if not sheets:
        raise FileRefused(name, _("every worksheet is empty"))
    return sheets


def _header(cells: list, source: str) -> list[str]:
    columns = [str(c).strip() for c in cells]
    while columns and not columns[-1]:
        columns.pop()
    if not columns:
        raise FileRefused(source, _("the first row (the header) is empty"))
    if len(columns) > MAX_COLUMNS:
        raise FileRefused(
            source,
            _("%(n)s columns; at most %(max)s are read") % {"n": len(columns), "max": MAX_COLUMNS},
        )
    return columns


# --- columns → questions ---------------------------------------------------------------------


@dataclass
class _Column:
    position: int
    header: str
    kind: str  # "question", "choice" (a 0/1 column), "meta", "unknown", "blank"
    question: Question | None = None
    choice: str = ""  # the choice of a 0/1 column


class _Spellings:
    """Every way a header may name a question of the form."""

    def __init__(self, structure: Structure):
        self.structure = structure
        self.exact: dict[str, Question] = {}
        self.multiple: dict[str, Question] = {}
        for q in structure.questions:
            if not q.name:
                continue
            parts = (*q.path, q.name)
            for start in range(len(parts)):
                for separator in ("/", "."):
                    spelling = separator.join(parts[start:])
                    self.exact.setdefault(spelling, q)
                    if q.type in SELECT_MULTIPLE:
                        self.multiple.setdefault(spelling, q)

    def classify(self, position: int, header: str) -> _Column:
        if not header:
            return _Column(position, header, "blank")
        question = self.exact.get(header)
        last = re.split(r"[/.]", header)[-1]
        if last == "instanceID":
            # the submission's own id ("uuid:…"), which _uuid repeats: metadata, not an answer
            return _Column(position, header, "meta")
        if question is not None:
            return _Column(position, header, "question", question)
        if header.startswith(("_", "meta/", "meta.")) or last.startswith("_"):
            # Kobo's metadata, including meta/rootUuid, meta/deprecatedID of newer exports
            return _Column(position, header, "meta")
        for separator in ("/", "."):
            if separator in header:
                head, _sep, choice = header.rpartition(separator)
                multiple = self.multiple.get(head)
                if multiple is not None:
                    return _Column(position, header, "choice", multiple, choice)
        for separator in ("/", "."):
            question = self.structure.by_name.get(header.rsplit(separator, 1)[-1])
            if question is not None and separator in header:
                return _Column(position, header, "question", question)
        if header in UUID_COLUMNS or header in INDEX_COLUMNS:
            return _Column(position, header, "meta")
        return _Column(position, header, "unknown")


def _repeat_by_name(name: str, repeats: list[str]) -> str | None:
    """The repeat a sheet or file name stands for: the same name, Excel's 31-character cut
    of it, or a file stem ending in ``-<repeat>``; the longest such repeat."""
    found = None
    for repeat in repeats:
        if (
            name == repeat
            or (len(name) == EXCEL_SHEET_NAME_MAX and repeat.startswith(name))
            or name.endswith(f"-{repeat}")
        ):
            if found is None or len(repeat) > len(found):
                found = repeat
    return found


def _repeat_by_columns(columns: list[_Column]) -> str | None:
    """The innermost repeat most question columns belong to ("" for the main rows)."""
    tally: dict[str, int] = {}
    for column in columns:
        if column.kind in ("question", "choice") and column.question is not None:
            tally[column.question.repeat] = tally.get(column.question.repeat, 0) + 1
    if not tally:
        return None
    return max(tally, key=lambda r: tally[r])


# --- values ----------------------------------------------------------------------------------


class _BadValue(ValueError):
    pass


def _number_text(value: Any) -> str:
    if isinstance(value, bool):
        raise _BadValue(_("expected a number, found %(value)s") % {"value": value})
    if isinstance(value, (int, float, Decimal)):
        return repr(value) if isinstance(value, float) else str(value)
    return str(value).strip().replace(",", ".") if _looks_decimal_comma(value) else str(value)


def _looks_decimal_comma(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\s*-?\d+,\d+\s*", value) is not None


def _to_integer(value: Any) -> int:
    if type(value) is str:
        try:
            return int(value)
        except ValueError:
            pass
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _number_text(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _BadValue(_("expected a whole number, found %(value)s") % {"value": text}) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise _BadValue(_("expected a whole number, found %(value)s") % {"value": text})
    return int(number)


def _to_decimal(value: Any) -> int | float:
    if type(value) is str:
        try:
            return int(value)
        except ValueError:
            pass
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    text = _number_text(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _BadValue(_("expected a number, found %(value)s") % {"value": text}) from None
    if not number.is_finite():
        raise _BadValue(_("expected a number, found %(value)s") % {"value": text})
    if number == number.to_integral_value() and abs(number) < Decimal("1e15"):
        return int(number)
    return float(number)


def _iso_datetime(value: dt.datetime) -> str:
    return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")


def _to_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text(value)
    match = re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ]|$)", text)
    if match is None:
        raise _BadValue(_("expected a date (YYYY-MM-DD), found %(value)s") % {"value": text})
    return match.group(1)


def _to_datetime(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return _iso_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return _text(value)


def _to_time(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.time().isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return _text(value)


def _text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return _iso_datetime(value)
    return tabular._cell_text(value).strip()


def _to_multiple(value: Any) -> str:
    return " ".join(_text(value).split())


def converter(question: Question) -> Callable[[Any], Any]:
    """The function turning a cell into the value ``Submission.data`` holds."""
    if question.type in INTEGER_TYPES:
        return _to_integer
    if question.type in DECIMAL_TYPES:
        return _to_decimal
    if question.type in DATE_TYPES:
        return _to_date
    if question.type in DATETIME_TYPES:
        return _to_datetime
    if question.type in TIME_TYPES:
        return _to_time
    if question.type in SELECT_MULTIPLE:
        return _to_multiple
    return _text


def _is_empty(value: Any) -> bool:
    if value is None or value == "":
        return True
    return type(value) is str and not value.strip()


def _parse_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = _text(value)
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise _BadValue(
                _("expected a date and time, found %(value)s") % {"value": text}
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # Kobo writes _submission_time in UTC
    return moment


def row_uuid(raw: str, *, form_id: str, fallback: str) -> tuple[uuid_module.UUID, str | None]:
    """A row's UUID: its ``_uuid`` when it is one; else one derived from it (or from the row's
    ``_index``), the same on every import of the same file."""
    raw = raw.strip()
    if raw.lower().startswith("uuid:"):
        raw = raw[5:]
    if raw:
        try:
            return uuid_module.UUID(raw), None
        except ValueError:
            return uuid_module.uuid5(UUID_NAMESPACE, f"{form_id}:uuid:{raw}"), raw
    return uuid_module.uuid5(UUID_NAMESPACE, f"{form_id}:{fallback}"), None


# --- the whole export ------------------------------------------------------------------------


@dataclass
class _Table:
    sheet: Sheet
    repeat: str  # "" for the main rows
    columns: list[_Column]
    meta: dict[str, int]  # metadata header → position


def read_export(
    structure: Structure,
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
        sheets.extend(_read_file(name, content))
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
    submissions, main_rows = _main_rows(structure, main, errors, form_id, progress)
    repeats_count: dict[str, int] = {r: 0 for r in structure.repeat_nodes}
    # parents before children: a repeat's table is read after its parent's
    rows_of: dict[str, dict[str, dict]] = {"": main_rows}
    by_uuid = {str(s.uuid): s.data for s in submissions}
    by_original = {s.original_uuid: s.data for s in submissions if s.original_uuid}
    for table in sorted((t for t in tables if t.repeat), key=lambda t: _depth(structure, t)):
        parent = structure.repeat_parent(table.repeat)
        if parent not in rows_of:
            rows_of[parent] = {}
        rows_of[table.repeat] = _repeat_rows(
            structure, table, rows_of[parent], parent, by_uuid, by_original, errors, progress
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


def _depth(structure: Structure, table: _Table) -> int:
    depth, repeat = 0, table.repeat
    while repeat:
        depth, repeat = depth + 1, structure.repeat_parent(repeat)
    return depth


def _attribute(
    structure: Structure, sheets: list[Sheet], *, strict: bool, form_id: str
) -> tuple[list[_Table], list[str]]:
    """Which table is the main one and which repeat each other one holds."""
    spellings = _Spellings(structure)
    repeats = list(structure.repeat_nodes)
    tables: list[_Table] = []
    ignored_sheets: list[str] = []
    for sheet in sheets:
        columns = [spellings.classify(i, h) for i, h in enumerate(sheet.columns)]
        repeat = _repeat_by_name(sheet.name, repeats)
        if repeat is None:
            by_columns = _repeat_by_columns(columns)
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
            if column.kind in ("question", "choice") and column.question.repeat != repeat:
                # a question of another table: not a column of this one
                column.kind = "unknown"
        meta: dict[str, int] = {}
        for column in columns:
            if column.kind == "meta":
                meta.setdefault(column.header, column.position)
        seen: dict[str, str] = {}
        for column in columns:
            if column.kind == "question":
                if column.question.name in seen:
                    raise FileRefused(
                        sheet.source,
                        _("the columns %(first)s and %(second)s both hold the question %(name)s")
                        % {
                            "first": seen[column.question.name],
                            "second": column.header,
                            "name": column.question.name,
                        },
                    )
                seen[column.question.name] = column.header
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


def _meta_value(table: _Table, values: list, names: tuple[str, ...]) -> Any:
    for name in names:
        position = table.meta.get(name)
        if position is not None and position < len(values) and not _is_empty(values[position]):
            return values[position]
    return None


SELECTED = {"1", "1.0", "true", "True", "TRUE"}


def _answers(table: _Table, converters, values: list, row: int, errors: _Errors) -> dict:
    converters, rebuilt = converters
    data = {}
    for question, columns in rebuilt:
        # only 0/1 columns for this select_multiple: its answer is the choices marked 1
        chosen = [
            c.choice
            for c in columns
            if c.position < len(values)
            and (values[c.position] is True or _text(values[c.position]) in SELECTED)
        ]
        if chosen:
            data[question.name] = " ".join(chosen)
    for column, convert in converters:
        if column.position >= len(values):
            continue
        value = values[column.position]
        if _is_empty(value):
            continue
        try:
            data[column.question.name] = convert(value)
        except _BadValue as exc:
            errors.add(table.sheet.source, row, column.header, str(exc))
    return data


def _converters(table: _Table) -> tuple[list, list]:
    """How to read the answers of a row: (column, converter) for each question column, and
    the select_multiple questions given by their 0/1 columns alone."""
    converters = [(c, converter(c.question)) for c in table.columns if c.kind == "question"]
    answered = {c.question.name for c in table.columns if c.kind == "question"}
    rebuilt: dict[str, tuple[Question, list[_Column]]] = {}
    for column in table.columns:
        if column.kind == "choice" and column.question.name not in answered:
            rebuilt.setdefault(column.question.name, (column.question, []))[1].append(column)
    return converters, list(rebuilt.values())


def _index_key(value: Any) -> str | None:
    if _is_empty(value):
        return None
    try:
        return str(_to_integer(value))
    except _BadValue:
        return _text(value)


def _main_rows(structure, table: _Table, errors: _Errors, form_id: str, progress):
    converters = _converters(table)
    submissions: list[KoboSubmission] = []
    by_index: dict[str, dict] = {}
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
        uuid, original = row_uuid(_text(raw_uuid), form_id=form_id, fallback=f"index:{index}")
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
                submitted_at = _parse_time(raw_time)
            except _BadValue as exc:
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
    structure, table: _Table, parents: dict, parent: str, by_uuid, by_original, errors, progress
):
    converters = _converters(table)
    own: dict[str, dict] = {}
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
            text = _text(raw)
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


# --- writing ---------------------------------------------------------------------------------


@dataclass
class ExportRow:
    uuid: str
    submitted_at: dt.datetime | None
    data: dict


def export_columns(structure: Structure, repeat: str) -> list[Question]:
    """The questions written as columns of the table of ``repeat`` ("" for the main one)."""
    return [
        q
        for q in structure.questions
        if q.repeat == repeat and q.name and q.type != "note" and q.name != "instanceID"
    ]


def sheet_name(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "_", name) or "data"
    return cleaned[:EXCEL_SHEET_NAME_MAX]


def export_tables(
    structure: Structure, rows: Iterable[ExportRow], *, form_id: str
) -> list[tuple[str, list[str], list[list[Any]]]]:
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

    def add_repeats(data: dict, owner: str, owner_index: int, submission_uuid: str) -> None:
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
    tables = [(main_name, main_header, main_rows)]
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


def write_xlsx(tables, stream: IO[bytes]) -> None:
    """The tables as one workbook, a sheet each; text stays text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, header, rows in tables:
        sheet = workbook.create_sheet(sheet_name(name))
        sheet.freeze_panes = "A2"

        def cell(value, sheet=sheet):
            if isinstance(value, str):
                c = WriteOnlyCell(sheet, value=None)
                c.value = value
                c.data_type = "s"
                return c
            return WriteOnlyCell(sheet, value=value)

        head = []
        for title in header:
            c = cell(title)
            c.font = bold
            head.append(c)
        sheet.append(head)
        for values in rows:
            # plain values are written as they are; only text openpyxl would take for a
            # formula needs a cell marked as text
            sheet.append(
                [cell(v) if isinstance(v, str) and v.startswith("=") else v for v in values]
            )
    workbook.save(stream)


def csv_text(header: list[str], rows: list[list[Any]]) -> str:
    """One table as CSV: UTF-8 byte-order mark, ``,``, text a spreadsheet would run escaped."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow(
            [
                ""
                if v is None
                else tabular.escape_formula(v)
                if isinstance(v, str)
                else repr(v)
                if isinstance(v, float)
                else str(v)
                for v in values
            ]
        )
    return out.getvalue()


def write_csv_zip(tables, stream: IO[bytes], *, form_id: str) -> None:
    """The tables as CSV files in one zip: ``<form>.csv`` and ``<form>-<repeat>.csv``."""
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for position, (name, header, rows) in enumerate(tables):
            filename = f"{form_id}.csv" if position == 0 else f"{form_id}-{name}.csv"
            archive.writestr(filename, csv_text(header, rows).encode("utf-8"))
