"""Tables in and out: CSV, XLSX and JSON, read safely from files nobody vouches for.

Reading detects the format from the content (then the extension): a zip archive is an XLSX
workbook, text starting with ``[`` or ``{`` is JSON, other UTF-8 text is CSV (``;``, ``,`` or
tab delimited, with or without a byte-order mark). Two shapes come out of the same safe
readers: ``read_table`` gives the first table of a file as records of text, for the layouts
that give them types (e.g. ``registry.layout`` with ``interop.cells``); ``read_sheets`` gives
every table of a file (a workbook's sheets, a CSV file, or a zip archive of CSV files) as rows
of values as the file holds them, with limits given by the caller, for formats of several
tables (e.g. ``interop.kobo``).

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
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .errors import FileRefused

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CELL_CHARS = 32_767  # the most a spreadsheet cell holds
MAX_ROWS = 100_000
MAX_COLUMNS = 64
XLSX_MAX_MEMBERS = 2_000
XLSX_MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
XLSX_MAX_RATIO = 100
XLSX_RATIO_FLOOR_BYTES = 1024 * 1024  # smaller members are not ratio-checked
CSV_ZIP_MAX_MEMBERS = 200  # CSV files in one zip archive (read_sheets)
EXCEL_SHEET_NAME_MAX = 31  # Excel cuts a sheet name there

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


@dataclass(frozen=True)
class Limits:
    """How much ``read_sheets`` accepts of a file: its size (a zip archive's expanded size
    too), the rows of each table and the columns of each header."""

    file_bytes: int
    rows: int
    columns: int


@dataclass
class Sheet:
    """One table of a file: its name (sheet title or file stem), where it came from (named in
    messages), its header (stripped, trailing blanks dropped; blank or repeated names kept)
    and its rows as (row number, values) with the row number a spreadsheet shows. A
    workbook's values are as openpyxl reads them (numbers, dates, booleans, text); a CSV
    file's are text. Rows are at most as wide as the header; blank rows are left out."""

    name: str
    source: str
    columns: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


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
    if _is_zip(data, source, extension):
        return _read_xlsx(data, source)
    text = _decode(data, source)
    if text.lstrip().startswith(("[", "{")) or extension == "json":
        return _read_json(text, source)
    return _read_csv(text, source)


def _is_zip(data: bytes, source: str, extension: str) -> bool:
    """Whether the file is a zip archive (else text); an empty file, an old binary workbook
    or an ``.xlsx`` that is no zip archive is refused."""
    if not data.strip():
        raise FileRefused(source, _("the file is empty"))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return True
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            source, _("old Excel (.xls) workbooks are not supported: save it as .xlsx or CSV")
        )
    if extension == "xlsx":
        raise FileRefused(source, _("not an XLSX workbook (it is not a zip archive)"))
    return False


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


def cell_text(value: Any) -> str:
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


def _raw_header(cells: Iterable[Any], source: str, max_columns: int) -> list[str]:
    """A header as written (stripped, trailing blanks dropped): refused when empty or wider
    than ``max_columns``."""
    columns = [str(cell).strip() for cell in cells]
    while columns and not columns[-1]:
        columns.pop()
    if not columns:
        raise FileRefused(source, _("the first row (the header) is empty"))
    if len(columns) > max_columns:
        raise FileRefused(
            source,
            _("%(n)s columns; at most %(max)s are read") % {"n": len(columns), "max": max_columns},
        )
    return columns


def _header(cells: list[str], source: str) -> list[str]:
    """A table's header: names in lower case, none blank, none twice."""
    columns = [name.lower() for name in _raw_header(cells, source, MAX_COLUMNS)]
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


def _csv_records(text: str, source: str) -> Generator[tuple[int, list[str]], None, None]:
    """The records of CSV text numbered from 1 (the header); a record that is not valid CSV
    or a cell over ``MAX_CELL_CHARS`` is refused naming its row. Read it inside ``closing``:
    the CSV module's field limit is set until the reader is closed."""
    delimiter = sniff_delimiter(text)
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARS)
    row_number = 1
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for row_number, cells in enumerate(reader, start=1):
            yield row_number, cells
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


def _read_csv(text: str, source: str) -> Table:
    table = Table(source=source, format="csv", columns=[])
    with closing(_csv_records(text, source)) as records:
        for row_number, cells in records:
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
    if not table.columns:
        raise FileRefused(source, _("the file is empty"))
    return table


# --- XLSX ------------------------------------------------------------------------------------


def _open_zip(data: bytes, source: str, damaged: str) -> zipfile.ZipFile:
    """A zip archive opened on its directory; ``damaged`` is the refusal when it is none."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise FileRefused(source, damaged) from None


def _check_directory(
    members: list[zipfile.ZipInfo],
    source: str,
    *,
    max_members: int,
    max_bytes: int,
    too_many: str,
    too_large: str,
) -> None:
    """Refuse an archive whose directory lists too many files or announces too much data
    (``too_many`` and ``too_large`` are the messages, with their placeholders)."""
    if len(members) > max_members:
        raise FileRefused(source, too_many % {"n": len(members), "max": max_members})
    total = sum(member.file_size for member in members)
    if total > max_bytes:
        raise FileRefused(source, too_large % {"size": _mb(total), "max": _mb(max_bytes)})


def _check_zip(data: bytes, source: str) -> None:
    """Refuse a workbook from its zip directory alone, before anything is decompressed."""
    archive = _open_zip(data, source, _("not a valid XLSX workbook (damaged zip archive)"))
    with archive:
        members = archive.infolist()
        _check_directory(
            members,
            source,
            max_members=XLSX_MAX_MEMBERS,
            max_bytes=XLSX_MAX_UNCOMPRESSED_BYTES,
            too_many=_("the workbook holds %(n)s files; at most %(max)s are accepted"),
            too_large=_("the workbook would expand to %(size)s; the limit is %(max)s"),
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


@contextmanager
def _workbook(data: bytes, source: str) -> Iterator[Workbook]:
    """A workbook opened read-only once its zip directory and XML parts passed the checks;
    whatever fails inside the block, but a FileRefused, becomes ``workbook_failure``."""
    _check_zip(data, source)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of a parser fed untrusted bytes
        raise workbook_failure(exc, source) from None
    try:
        if not workbook.worksheets:
            raise FileRefused(source, _("the workbook has no worksheet"))
        yield workbook
    except FileRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet fails in many ways
        raise workbook_failure(exc, source) from None
    finally:
        workbook.close()


def _read_xlsx(data: bytes, source: str) -> Table:
    table = Table(source=source, format="xlsx", columns=[])
    with _workbook(data, source) as workbook:
        sheet = workbook.worksheets[0]
        # Bounds given explicitly, so a forged <dimension> cannot make rows of 16,384 cells.
        rows = sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1, values_only=True)
        for row_number, values in enumerate(rows, start=1):
            cells = [cell_text(value) for value in values]
            if row_number == 1:
                table.columns = _header(cells, source)
                continue
            if len(table.rows) >= MAX_ROWS:
                raise _too_many_rows(source)
            record = _record(cells, table.columns, source, row_number)
            if record is not None:
                table.rows.append((row_number, record))
    if not table.columns:
        raise FileRefused(source, _("the first worksheet is empty"))
    return table


# --- every table of a file, values as the file holds them ------------------------------------


def read_sheets(data: bytes, *, source: str, limits: Limits | None = None) -> list[Sheet]:
    """The tables of a file, in order: the worksheets of an XLSX workbook (empty ones left
    out), one CSV file, or the CSV files of a zip archive; raise FileRefused with a clear
    reason otherwise. ``limits`` defaults to this module's."""
    limits = limits or Limits(file_bytes=MAX_FILE_BYTES, rows=MAX_ROWS, columns=MAX_COLUMNS)
    if len(data) > limits.file_bytes:
        raise FileRefused(
            source,
            _("the file is %(size)s; the limit is %(max)s")
            % {"size": _mb(len(data)), "max": _mb(limits.file_bytes)},
        )
    extension = source.rsplit(".", 1)[-1].lower() if "." in source else ""
    if not _is_zip(data, source, extension):
        return [_csv_sheet(data, source, limits)]
    if _is_workbook(data):
        return _workbook_sheets(data, source, limits)
    return _csv_zip_sheets(data, source, limits)


def _is_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return True  # let the workbook reader say what is wrong


def _stem(name: str) -> str:
    stem = PurePosixPath(name.replace("\\", "/")).name
    return stem.rsplit(".", 1)[0] if "." in stem else stem


def _csv_sheet(data: bytes, source: str, limits: Limits) -> Sheet:
    text = _decode(data, source)
    sheet = Sheet(name=_stem(source), source=source, columns=[])
    width = 0
    with closing(_csv_records(text, source)) as records:
        for row_number, cells in records:
            if row_number == 1:
                sheet.columns = _raw_header(cells, source, limits.columns)
                width = len(sheet.columns)
                continue
            if not any(cells):
                continue
            if len(sheet.rows) >= limits.rows:
                raise FileRefused(source, _("more than %(max)s rows") % {"max": limits.rows})
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                raise FileRefused(
                    source,
                    _("row %(row)s has %(n)s cells but the header names %(m)s columns")
                    % {"row": row_number, "n": len(cells), "m": width},
                )
            sheet.rows.append((row_number, [unescape_formula(c) for c in cells[:width]]))
    if not sheet.columns:
        raise FileRefused(source, _("the file is empty"))
    return sheet


def _csv_zip_sheets(data: bytes, source: str, limits: Limits) -> list[Sheet]:
    archive = _open_zip(data, source, _("not a valid zip archive"))
    sheets = []
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        _check_directory(
            members,
            source,
            max_members=CSV_ZIP_MAX_MEMBERS,
            max_bytes=limits.file_bytes,
            too_many=_("the archive holds %(n)s files; at most %(max)s are accepted"),
            too_large=_("the archive would expand to %(size)s; the limit is %(max)s"),
        )
        csv_members = [m for m in members if m.filename.lower().endswith(".csv")]
        if not csv_members:
            raise FileRefused(source, _("the archive holds no CSV file"))
        for member in csv_members:
            if member.flag_bits & 0x1:
                raise FileRefused(source, _("the archive is encrypted"))
            with archive.open(member) as fh:
                content = fh.read(limits.file_bytes + 1)
            if len(content) > limits.file_bytes:
                raise FileRefused(source, _("the archive expands beyond its announced size"))
            sheet = _csv_sheet(content, f"{source}/{member.filename}", limits)
            sheet.name = _stem(member.filename)
            sheets.append(sheet)
    return sheets


def _workbook_sheets(data: bytes, source: str, limits: Limits) -> list[Sheet]:
    sheets = []
    with _workbook(data, source) as workbook:
        for worksheet in workbook.worksheets:
            where = _("%(file)s, sheet %(sheet)s") % {"file": source, "sheet": worksheet.title}
            # The <dimension> a writer records may be wrong (R's openxlsx writes A1:A1): read
            # the header row bounded, then the rows exactly as wide as the header.
            worksheet.reset_dimensions()
            header_rows = worksheet.iter_rows(
                min_row=1, max_row=1, max_col=limits.columns + 1, values_only=True
            )
            header = next(iter(header_rows), None)
            if header is None:
                continue
            cells = [cell_text(v).strip() for v in header]
            while cells and not cells[-1]:
                cells.pop()
            if not cells:
                continue
            sheet = Sheet(
                name=worksheet.title,
                source=where,
                columns=_raw_header(cells, where, limits.columns),
            )
            width = len(sheet.columns)
            rows = worksheet.iter_rows(min_row=2, max_col=width, values_only=True)
            for row_number, values in enumerate(rows, start=2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                if len(sheet.rows) >= limits.rows:
                    raise FileRefused(where, _("more than %(max)s rows") % {"max": limits.rows})
                sheet.rows.append((row_number, list(values)))
            sheets.append(sheet)
    if not sheets:
        raise FileRefused(source, _("every worksheet is empty"))
    return sheets


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
            record[column] = _check_cell(cell_text(value), source, position, column)
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


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """One table of values as CSV text: UTF-8 byte-order mark, ``,``, None empty, floats as
    Python writes them, text a spreadsheet would run escaped."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow(
            [
                ""
                if v is None
                else escape_formula(v)
                if isinstance(v, str)
                else repr(v)
                if isinstance(v, float)
                else str(v)
                for v in values
            ]
        )
    return out.getvalue()


def write_xlsx(
    columns: list[str],
    rows: Iterable[Mapping[str, Any]],
    stream: IO[bytes],
    *,
    sheet_title: str = "registry",
) -> None:
    """Text stays text (never a formula), dates are dates, amounts are numbers."""
    write_workbook(
        [(sheet_title, columns, ([row.get(c) for c in columns] for row in rows))], stream
    )


def write_workbook(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]], stream: IO[bytes]
) -> None:
    """Tables as the sheets of one workbook: (sheet title, header, rows of values), the header
    in bold and frozen. Text stays text (never a formula nor an error code, whatever it starts
    with), dates are dates, numbers are numbers, None is an empty cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"

        def cell(value: Any, sheet: WriteOnlyWorksheet = sheet) -> Cell:
            if isinstance(value, str):
                c = WriteOnlyCell(sheet, value=None)
                c.value = value
                c.data_type = "s"
                return c
            c = WriteOnlyCell(sheet, value=value)
            if isinstance(value, dt.date):
                c.number_format = "yyyy-mm-dd"
            return c

        head = []
        for name in header:
            c = cell(name)
            c.font = bold
            head.append(c)
        sheet.append(head)
        for values in rows:
            # plain values are written as they are (fast); only text openpyxl would take for
            # a formula or an error code, and dates, need a cell of their own
            sheet.append(
                [
                    cell(v)
                    if isinstance(v, dt.date)
                    or (isinstance(v, str) and (v.startswith("=") or v in ERROR_CODES))
                    else v
                    for v in values
                ]
            )
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
