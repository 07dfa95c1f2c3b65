"""Tables in and out: CSV, XLSX and JSON, read safely from files nobody vouches for.

Reading detects the format from the content (then the extension): a zip archive is an XLSX
workbook, text starting with ``[`` or ``{`` is JSON, other UTF-8 text is CSV (``;``, ``,`` or
tab delimited, with or without a byte-order mark). Every value comes back as a string; the
layouts (e.g. ``registry_layout``) give them types.

Hostile files are refused with a clear message before they can hurt: a file over
``MAX_FILE_BYTES``, a workbook whose zip directory announces too much data or a suspicious
compression ratio (a zip bomb), a workbook part declaring a DOCTYPE or XML entities (an
"entity expansion" attack: no genuine workbook has one), a cell over ``MAX_CELL_CHARS``
characters, too many rows or columns, binary garbage. The messages are translated and name
the file (and the part or the cell); a parser's own English text never reaches the user.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from .errors import FileRefused

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CELL_CHARS = 32_767  # the most a spreadsheet cell holds
MAX_ROWS = 100_000
MAX_COLUMNS = 64
XLSX_MAX_MEMBERS = 2_000
XLSX_MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
XLSX_MAX_RATIO = 100
XLSX_RATIO_FLOOR_BYTES = 1024 * 1024  # smaller members are not ratio-checked

logger = logging.getLogger(__name__)

# What an XML part must not declare (in UTF-8 and in both UTF-16 byte orders)
XML_DECLARATIONS = tuple(
    word.encode(encoding)
    for word in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_SCAN_CHUNK = 1024 * 1024

# Text a spreadsheet would run as a formula; written with a leading apostrophe in CSV.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

FORMATS = ("csv", "xlsx", "json")


@dataclass
class Table:
    """Rows of a file: ``rows`` holds (row number, {column: text}); blank rows are left out."""

    source: str
    format: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_table(path: str | Path, *, source: str | None = None) -> Table:
    """Read a CSV, XLSX or JSON file; raise FileRefused with a clear reason otherwise."""
    path = Path(path)
    source = source or path.name
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FileRefused(source, _("not a regular file"))
        if size > MAX_FILE_BYTES:
            raise FileRefused(
                source,
                _("the file is %(size)s; the limit is %(max)s")
                % {"size": _mb(size), "max": _mb(MAX_FILE_BYTES)},
            )
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise FileRefused(source, _("no such file")) from None
    except PermissionError:
        raise FileRefused(source, _("permission denied")) from None
    except IsADirectoryError:
        raise FileRefused(source, _("not a regular file")) from None
    except OSError as exc:
        raise FileRefused(
            source, _("cannot be read (%(reason)s)") % {"reason": exc.strerror}
        ) from None
    return read_table_bytes(data, source=source, extension=path.suffix)


def read_table_bytes(data: bytes, *, source: str, extension: str = "") -> Table:
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(
            source, _("the file is over the limit of %(max)s") % {"max": _mb(MAX_FILE_BYTES)}
        )
    extension = extension.lower().lstrip(".")
    if not data.strip():
        raise FileRefused(source, _("the file is empty"))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _read_xlsx(data, source)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            source, _("old Excel (.xls) workbooks are not supported: save it as .xlsx or CSV")
        )
    if extension == "xlsx":
        raise FileRefused(source, _("not an XLSX workbook (it is not a zip archive)"))
    text = _decode(data, source)
    if text.lstrip().startswith(("[", "{")) or extension == "json":
        return _read_json(text, source)
    return _read_csv(text, source)


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data:
        raise FileRefused(source, _("binary data, not a CSV, XLSX or JSON file"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            source,
            _("not UTF-8 text (byte %(position)s): save the file as CSV UTF-8, XLSX or JSON")
            % {"position": exc.start + 1},
        ) from None


def _cell_text(value: Any) -> str:
    """A spreadsheet or JSON value as text (dates ISO, whole numbers without decimals)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return str(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _header(cells: list[str], source: str) -> list[str]:
    columns = [cell.strip().lower() for cell in cells]
    while columns and not columns[-1]:
        columns.pop()
    if not columns:
        raise FileRefused(source, _("the first row (the header) is empty"))
    if len(columns) > MAX_COLUMNS:
        raise FileRefused(
            source,
            _("%(n)s columns; at most %(max)s are read") % {"n": len(columns), "max": MAX_COLUMNS},
        )
    seen: set[str] = set()
    for position, name in enumerate(columns, start=1):
        if not name:
            raise FileRefused(source, _("column %(n)s of the header has no name") % {"n": position})
        if name in seen:
            raise FileRefused(source, _("the column %(name)s appears twice") % {"name": name})
        seen.add(name)
    return columns


def _check_cell(text: str, source: str, row: int, column: str) -> str:
    if len(text) > MAX_CELL_CHARS:
        raise FileRefused(
            source,
            _("row %(row)s, field %(field)s: the cell has %(n)s characters; the limit is %(max)s")
            % {"row": row, "field": column, "n": len(text), "max": MAX_CELL_CHARS},
        )
    return text


def _record(cells: list[str], columns: list[str], source: str, row: int) -> dict[str, str] | None:
    """A record as {column: text}, or None for a blank row."""
    if not any(cell.strip() for cell in cells):
        return None
    extra = cells[len(columns) :]
    if any(cell.strip() for cell in extra):
        raise FileRefused(
            source,
            _("row %(row)s has %(n)s cells but the header names %(m)s columns")
            % {"row": row, "n": len(cells), "m": len(columns)},
        )
    record = {}
    for position, column in enumerate(columns):
        text = cells[position] if position < len(cells) else ""
        record[column] = _check_cell(text, source, row, column)
    return record


def _too_many_rows(source: str) -> FileRefused:
    return FileRefused(source, _("more than %(max)s rows") % {"max": MAX_ROWS})


# --- CSV -------------------------------------------------------------------------------------


def sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def unescape_formula(text: str) -> str:
    """Drop the apostrophe ``escape_formula`` put before text a spreadsheet would run."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _read_csv(text: str, source: str) -> Table:
    delimiter = sniff_delimiter(text)
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARS)
    table = Table(source=source, format="csv", columns=[])
    row_number = 1
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for row_number, cells in enumerate(reader, start=1):
            if row_number == 1:
                table.columns = _header(cells, source)
                continue
            if len(table.rows) >= MAX_ROWS:
                raise _too_many_rows(source)
            record = _record(
                [unescape_formula(c) for c in cells], table.columns, source, row_number
            )
            if record is not None:
                table.rows.append((row_number, record))
    except csv.Error as exc:
        where = row_number + 1
        if "field larger than field limit" in str(exc):
            raise FileRefused(
                source,
                _("row %(row)s: a cell is longer than %(max)s characters")
                % {"row": where, "max": MAX_CELL_CHARS},
            ) from None
        raise FileRefused(
            source, _("row %(row)s is not valid CSV (%(reason)s)") % {"row": where, "reason": exc}
        ) from None
    finally:
        csv.field_size_limit(previous_limit)
    if not table.columns:
        raise FileRefused(source, _("the file is empty"))
    return table


# --- XLSX ------------------------------------------------------------------------------------


def _check_zip(data: bytes, source: str) -> None:
    """Refuse a workbook from its zip directory alone, before anything is decompressed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise FileRefused(source, _("not a valid XLSX workbook (damaged zip archive)")) from None
    with archive:
        members = archive.infolist()
        if len(members) > XLSX_MAX_MEMBERS:
            raise FileRefused(
                source,
                _("the workbook holds %(n)s files; at most %(max)s are accepted")
                % {"n": len(members), "max": XLSX_MAX_MEMBERS},
            )
        total = sum(member.file_size for member in members)
        if total > XLSX_MAX_UNCOMPRESSED_BYTES:
            raise FileRefused(
                source,
                _("the workbook would expand to %(size)s; the limit is %(max)s")
                % {"size": _mb(total), "max": _mb(XLSX_MAX_UNCOMPRESSED_BYTES)},
            )
        for member in members:
            if member.flag_bits & 0x1:
                raise FileRefused(source, _("the workbook is encrypted"))
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > XLSX_RATIO_FLOOR_BYTES and ratio > XLSX_MAX_RATIO:
                raise FileRefused(
                    source,
                    _(
                        "%(member)s expands %(ratio)s times (%(size)s): refused as a "
                        "possible zip bomb"
                    )
                    % {
                        "member": member.filename,
                        "ratio": int(ratio),
                        "size": _mb(member.file_size),
                    },
                )
        names = {member.filename for member in members}
        if "xl/workbook.xml" not in names:
            raise FileRefused(source, _("a zip archive, but not an XLSX workbook"))
        check_xml_parts(archive, source)


def check_xml_parts(archive: zipfile.ZipFile, source: str) -> None:
    """Refuse a workbook one part of which declares a DOCTYPE or XML entities, naming the
    part (read in chunks; the sizes were bounded by the zip directory checks first)."""
    overlap = max(len(word) for word in XML_DECLARATIONS) - 1
    for member in archive.infolist():
        if member.is_dir():
            continue
        tail = b""
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(_SCAN_CHUNK):
                    window = tail + chunk
                    if any(word in window for word in XML_DECLARATIONS):
                        raise FileRefused(
                            source,
                            _(
                                "the part %(part)s declares XML entities (a DOCTYPE): "
                                "refused as unsafe; save the workbook again from a spreadsheet"
                            )
                            % {"part": member.filename},
                        )
                    tail = window[-overlap:]
        except (
            zipfile.BadZipFile,
            OSError,
            RuntimeError,
            ValueError,
            EOFError,
            NotImplementedError,
        ):
            raise FileRefused(
                source,
                _("not a valid XLSX workbook: the part %(part)s is damaged")
                % {"part": member.filename},
            ) from None


def workbook_failure(exc: BaseException, source: str) -> FileRefused:
    """The refusal to show when openpyxl fails on a workbook: translated, naming the file, never
    openpyxl's own English text (logged for the administrators)."""
    logger.info("workbook %s refused by openpyxl: %r", source, exc)
    from defusedxml import DefusedXmlException

    if isinstance(exc, DefusedXmlException):
        return FileRefused(
            source,
            _("the workbook declares XML entities (a DOCTYPE): refused as unsafe"),
        )
    return FileRefused(
        source,
        _(
            "not a valid XLSX workbook: a part of it cannot be read; "
            "save it again from a spreadsheet as .xlsx"
        ),
    )


def _read_xlsx(data: bytes, source: str) -> Table:
    _check_zip(data, source)
    import openpyxl

    table = Table(source=source, format="xlsx", columns=[])
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of a parser fed untrusted bytes
        raise workbook_failure(exc, source) from None
    try:
        if not workbook.worksheets:
            raise FileRefused(source, _("the workbook has no worksheet"))
        sheet = workbook.worksheets[0]
        # Bounds given explicitly, so a forged <dimension> cannot make rows of 16,384 cells.
        rows = sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1, values_only=True)
        for row_number, values in enumerate(rows, start=1):
            cells = [_cell_text(value) for value in values]
            if row_number == 1:
                table.columns = _header(cells, source)
                continue
            if len(table.rows) >= MAX_ROWS:
                raise _too_many_rows(source)
            record = _record(cells, table.columns, source, row_number)
            if record is not None:
                table.rows.append((row_number, record))
    except FileRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet fails in many ways
        raise workbook_failure(exc, source) from None
    finally:
        workbook.close()
    if not table.columns:
        raise FileRefused(source, _("the first worksheet is empty"))
    return table


# --- JSON ------------------------------------------------------------------------------------


def _read_json(text: str, source: str) -> Table:
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise FileRefused(
            source,
            _("not valid JSON (line %(line)s, column %(column)s: %(reason)s)")
            % {"line": exc.lineno, "column": exc.colno, "reason": exc.msg},
        ) from None
    except (RecursionError, ValueError):
        raise FileRefused(
            source, _("not valid JSON (nested too deep or a number too long)")
        ) from None
    rows = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        raise FileRefused(source, _('expected a list of objects, or an object with a "rows" list'))
    if len(rows) > MAX_ROWS:
        raise _too_many_rows(source)
    columns: dict[str, None] = {}
    for position, item in enumerate(rows, start=1):
        if not isinstance(item, dict):
            raise FileRefused(source, _("row %(row)s is not an object") % {"row": position})
        for key in item:
            columns.setdefault(str(key).strip().lower(), None)
    table = Table(
        source=source, format="json", columns=_header(list(columns), source) if columns else []
    )
    for position, item in enumerate(rows, start=1):
        record = {}
        for key, value in item.items():
            column = str(key).strip().lower()
            if isinstance(value, (dict, list)):
                raise FileRefused(
                    source,
                    _("row %(row)s, field %(field)s: expected text, a number or a boolean")
                    % {"row": position, "field": column},
                )
            record[column] = _check_cell(_cell_text(value), source, position, column)
        if any(v.strip() for v in record.values()):
            table.rows.append((position, {c: record.get(c, "") for c in table.columns}))
    if not table.columns:
        raise FileRefused(source, _("the file holds no rows"))
    return table


# --- writing ---------------------------------------------------------------------------------


def escape_formula(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (read back as is)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_csv(
    columns: list[str],
    rows: Iterable[Mapping[str, str]],
    stream: IO[str],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> None:
    if bom:
        stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([escape_formula(row.get(c) or "") for c in columns])


def write_xlsx(
    columns: list[str],
    rows: Iterable[Mapping[str, Any]],
    stream: IO[bytes],
    *,
    sheet_title: str = "registry",
) -> None:
    """Text stays text (never a formula), dates are dates, amounts are numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value):
        if isinstance(value, str):
            c = WriteOnlyCell(sheet, value=None)
            c.value = value
            c.data_type = "s"  # never a formula, whatever the text starts with
            return c
        c = WriteOnlyCell(sheet, value=value)
        if isinstance(value, dt.date):
            c.number_format = "yyyy-mm-dd"
        return c

    header = []
    for name in columns:
        c = cell(name)
        c.font = bold
        header.append(c)
    sheet.append(header)
    for row in rows:
        sheet.append([cell(row.get(c)) for c in columns])
    workbook.save(stream)


def write_json(document: Any, stream: IO[str]) -> None:
    json.dump(document, stream, ensure_ascii=False, indent=1, default=_json_default)
    stream.write("\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
