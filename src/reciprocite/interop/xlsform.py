"""XLSForm in and out: read a workbook safely with pyxform, write a structure back to .xlsx.

Reading (``xlsform_read``):

- only .xlsx (and .xlsm, the same zip format: macros are never run nor kept) and legacy .xls
  (pyxform reads it with xlrd); anything else is refused;
- at most ``MAX_BYTES`` (10 MB); an .xlsx/.xlsm is a zip whose directory is checked before
  anything is opened (entry count, total uncompressed size, compression ratio: no zip bomb);
  openpyxl parses its XML with defusedxml (installed with pyxform);
- pyxform 4.5 turns the workbook into its JSON (``workbook_to_json``), then builds the survey
  and its XForm in memory so that every error pyxform reports (references to unknown names,
  unmatched groups…) is found; pyxform's Java validator (ODK Validate) is never run;
- pyxform's errors become ``XLSFormError`` whose ``errors`` are
  ``[{"sheet", "row", "column", "message"}]`` read from pyxform's messages where it names them
  ("[row : 5]", "On the 'choices' sheet", "the 'label' value").

The result (``ParsedForm``) holds the pyxform JSON, the survey-sheet row of every name, the
languages, the questions the web form cannot collect and pyxform's warnings.

Writing (``xlsform_write``): a structure back to an .xlsx with survey, choices and settings
sheets that pyxform reads into the same structure.
"""

from __future__ import annotations

import copy
import io
import re
import warnings as pywarnings
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext as _

from . import tabular
from .errors import FileRefused

MAX_BYTES = 10 * 1024 * 1024
# zip directory limits for an .xlsx: a real XLSForm is a few hundred kB unpacked
MAX_ZIP_ENTRIES = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200

READABLE_SUFFIXES = {".xlsx", ".xlsm", ".xls"}

# Types the web form collects (pyxform keeps the type as written, aliases included).
SUPPORTED_TYPES = {
    "text",
    "string",
    "integer",
    "int",
    "decimal",
    "date",
    "time",
    "datetime",
    "dateTime",
    "select one",
    "select_one",
    "select all that apply",
    "select_multiple",
    "range",
    "geopoint",
    "note",
    "calculate",
    "start",
    "end",
    "today",
    "deviceid",
    "uri:deviceid",
    "username",
    "uri:username",
    "group",
    "repeat",
}
SELECT_TYPES = {
    "select one": "select_one",
    "select_one": "select_one",
    "select all that apply": "select_multiple",
    "select_multiple": "select_multiple",
    "select one external": "select_one_external",
    "rank": "rank",
}
# pyxform keeps some types under an older name; messages use the XLSForm spelling
TYPE_NAMES = {"photo": "image", "select one external": "select_one_external"}
FILE_ITEMSET = re.compile(r"\.(csv|xml|geojson)$", re.IGNORECASE)


class XLSFormError(Exception):
    """The workbook is not a usable XLSForm. ``errors``: [{"sheet", "row", "column",
    "message"}] (sheet/row/column None when pyxform does not name them)."""

    def __init__(self, filename: str, errors: list[dict]):
        self.filename = filename
        self.errors = errors
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _("%(file)s is not a valid XLSForm: %(errors)s") % {
            "file": self.filename,
            "errors": "; ".join(describe_error(e) for e in self.errors),
        }

    def lines(self) -> list[str]:
        """One line per problem: "FILE, sheet survey, row 12: message"."""
        return [
            f"{self.filename}{', ' if _located(e) else ': '}{describe_error(e)}"
            for e in self.errors
        ]


def _located(error: dict) -> bool:
    return bool(error.get("sheet") or error.get("row") or error.get("column"))


def describe_error(error: dict) -> str:
    where = []
    if error.get("sheet"):
        where.append(_("sheet %(sheet)s") % {"sheet": error["sheet"]})
    if error.get("row"):
        where.append(_("row %(row)s") % {"row": error["row"]})
    if error.get("column"):
        where.append(_("column %(column)s") % {"column": error["column"]})
    if where:
        return f"{', '.join(where)}: {error['message']}"
    return str(error["message"])


@dataclass
class ParsedForm:
    structure: dict
    rows: dict[str, int] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    unsupported: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def form_id(self) -> str:
        return self.structure.get("id_string") or ""

    @property
    def title(self) -> str:
        return self.structure.get("title") or self.form_id

    @property
    def version(self) -> str:
        return str(self.structure.get("version") or "")

    @property
    def default_language(self) -> str:
        return self.structure.get("default_language") or "default"


# --- reading ---------------------------------------------------------------------------------


def _refuse(filename: str, message: str, **where) -> XLSFormError:
    return XLSFormError(
        filename,
        [
            {
                "sheet": where.get("sheet"),
                "row": where.get("row"),
                "column": where.get("column"),
                "message": message,
            }
        ],
    )


def _check_zip(content: bytes, filename: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse(
            filename, _("the file is not a readable .xlsx workbook (not a zip archive)")
        ) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise _refuse(filename, _("the workbook holds too many parts to be an XLSForm"))
        total = sum(entry.file_size for entry in entries)
        packed = sum(entry.compress_size for entry in entries) or 1
        if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
            raise _refuse(
                filename,
                _("the workbook unpacks to %(size)s MB: refused as a possible zip bomb")
                % {"size": total // (1024 * 1024)},
            )
        try:
            tabular.check_xml_parts(archive, filename)  # DOCTYPE, entities: as every reader
        except FileRefused as exc:
            raise _refuse(filename, exc.message) from None


_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_SHEET = re.compile(r"(?:On the|in the|sheet:?|sheet named)\s*'([^']+)'(?:\s*sheet)?", re.I)
_COLUMN = re.compile(r"the '([^']+)' value|column header:\s*'?([\w:]+)'?|column '([^']+)'", re.I)


def pyxform_error_to_dict(message: str) -> dict:
    """Sheet, row and column from a pyxform message where it names them."""
    message = " ".join(str(message).split())
    row_match = _ROW.search(message)
    sheet_match = _SHEET.search(message)
    column_match = _COLUMN.search(message)
    row = int(row_match.group(1)) if row_match else None
    sheet = sheet_match.group(1).lower() if sheet_match else None
    if sheet is None and row is not None:
        sheet = "survey"  # pyxform's row numbers without a sheet are the survey sheet's
    column = next((g for g in column_match.groups() if g), None) if column_match else None
    text = _ROW.sub("", message).strip()
    return {"sheet": sheet, "row": row, "column": column, "message": text or message}


def check_size(size: int, filename: str) -> None:
    """Refuse a file over MAX_BYTES (callers may check before reading it)."""
    if size > MAX_BYTES:
        raise _refuse(
            filename,
            _("the file is %(size)s MB; an XLSForm may be %(max)s MB at most")
            % {"size": round(size / (1024 * 1024), 1), "max": MAX_BYTES // (1024 * 1024)},
        )


def xlsform_read(content: bytes, filename: str) -> ParsedForm:
    """Read an XLSForm workbook; raises XLSFormError (never another exception for bad input)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        raise _refuse(
            filename,
            _("only XLSForm workbooks (.xlsx, .xls) can be read, not “%(suffix)s”")
            % {"suffix": suffix or filename},
        )
    check_size(len(content), filename)
    if not content:
        raise _refuse(filename, _("the file is empty"))
    if suffix in {".xlsx", ".xlsm"}:
        _check_zip(content, filename)

    from pyxform.builder import create_survey_element_from_dict
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    found_warnings: list[str] = []
    stem = PurePath(filename).stem
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")  # openpyxl's "unknown extension" and the like
            workbook = get_xlsform(content, file_type=suffix)
            structure = workbook_to_json(
                workbook_dict=workbook, fallback_form_name=stem, warnings=found_warnings
            )
            # Building the XForm in memory finds the errors workbook_to_json leaves (unknown
            # ${references}, triggers…); validate=False: never the Java validator.
            survey = create_survey_element_from_dict(copy.deepcopy(structure))
            survey.to_xml(validate=False, warnings=found_warnings)
    except PyXFormError as exc:
        messages = [line for line in str(exc).splitlines() if line.strip()] or [str(exc)]
        raise XLSFormError(filename, [pyxform_error_to_dict(m) for m in messages]) from None
    except Exception as exc:  # noqa: BLE001 - pyxform and its readers raise many things
        # translated, never the reader's English text (tabular.workbook_failure logs it)
        raise _refuse(filename, tabular.workbook_failure(exc, filename).message) from None

    rows = survey_rows(content, suffix)
    return ParsedForm(
        structure=structure,
        rows=rows,
        languages=structure_languages(structure),
        unsupported=unsupported_questions(structure, rows),
        warnings=found_warnings,
    )


# pyxform stops reading a sheet after this many empty rows in a row; so do the rows below
MAX_ADJACENT_EMPTY_ROWS = 60


def _until_blank_run(rows):
    """Rows up to a run of empty ones (a sheet may claim a million rows)."""
    empty = 0
    for row in rows:
        if all(v in (None, "") for v in row):
            empty += 1
            if empty > MAX_ADJACENT_EMPTY_ROWS:
                return
        else:
            empty = 0
        yield row


def _survey_sheet_rows(content: bytes, suffix: str):
    """The survey sheet's rows as lists of values (header first)."""
    if suffix == ".xls":
        import xlrd

        xls_book = xlrd.open_workbook(file_contents=content, on_demand=True)
        names = xls_book.sheet_names()
        name = next((n for n in names if n.strip().lower() == "survey"), None)
        if name is None and len(names) == 1:
            name = names[0]
        if name is None:
            return []
        xls_sheet = xls_book.sheet_by_name(name)
        return list(_until_blank_run(xls_sheet.row_values(i) for i in range(xls_sheet.nrows)))
    import openpyxl

    with pywarnings.catch_warnings():
        pywarnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        names = book.sheetnames
        name = next((n for n in names if n.strip().lower() == "survey"), None)
        if name is None and len(names) == 1:
            name = names[0]
        if name is None:
            return []
        sheet = book[name]
        header = next(sheet.iter_rows(max_row=1, values_only=True), ())
        width = max((i + 1 for i, v in enumerate(header) if v not in (None, "")), default=0)
        if not width:
            return []
        rows = sheet.iter_rows(max_col=width, values_only=True)
        return [list(row) for row in _until_blank_run(rows)]
    finally:
        book.close()


def survey_rows(content: bytes, suffix: str) -> dict[str, int]:
    """name → row number of the survey sheet (the header is row 1); first occurrence wins."""
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            rows = _survey_sheet_rows(content, suffix)
    except Exception:  # noqa: BLE001 - pyxform read it already; rows are only for messages
        return {}
    if not rows:
        return {}
    header = [str(v).strip().lower() if v is not None else "" for v in rows[0]]
    if "name" not in header:
        return {}
    col = header.index("name")
    found: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if col < len(row) and row[col] not in (None, ""):
            name = str(row[col]).strip()
            if name and name not in found:
                found[name] = number
    return found


def structure_languages(structure: dict) -> list[str]:
    """The languages of the labels (label::Language columns), in order of appearance."""
    found: list[str] = []

    def add(value):
        if isinstance(value, dict):
            for lang in value:
                if lang not in found:
                    found.append(lang)

    def walk(nodes):
        for node in nodes:
            add(node.get("label"))
            walk(node.get("children", []))

    walk(structure.get("children", []))
    for choices in (structure.get("choices") or {}).values():
        for choice in choices:
            add(choice.get("label"))
    return found


def unsupported_questions(structure: dict, rows: dict[str, int]) -> list[dict]:
    """[{"name", "type", "row"}] of what the web form will not collect."""
    found: list[dict] = []

    def add(node, kind):
        found.append(
            {"name": node.get("name", ""), "type": kind, "row": rows.get(node.get("name"))}
        )

    def walk(nodes):
        for node in nodes:
            node_type = node.get("type", "")
            bind = node.get("bind") or {}
            if node_type == "entity":
                add(node, "entities")
                continue
            itemset = str(node.get("itemset") or "")
            if node_type not in SUPPORTED_TYPES:
                add(node, TYPE_NAMES.get(node_type, node_type))
            elif node_type in SELECT_TYPES and FILE_ITEMSET.search(itemset):
                kind = (
                    "select_one_from_file"
                    if SELECT_TYPES[node_type] == "select_one"
                    else ("select_multiple_from_file")
                )
                add(node, kind)
            elif "entities:saveto" in bind:
                add(node, "save_to")
            elif any("pulldata(" in str(v) for v in bind.values()):
                add(node, "pulldata")
            elif "search(" in str((node.get("control") or {}).get("appearance", "")):
                add(node, "search()")
            walk(node.get("children", []))

    walk(structure.get("children", []))
    return found


# --- writing ---------------------------------------------------------------------------------

# bind attribute → XLSForm column (the message columns take a language suffix)
BIND_COLUMNS = [
    ("relevant", "relevant"),
    ("constraint", "constraint"),
    ("jr:constraintMsg", "constraint_message"),
    ("required", "required"),
    ("jr:requiredMsg", "required_message"),
    ("calculate", "calculation"),
    ("readonly", "read_only"),
]
TRANSLATABLE = {"label", "hint", "constraint_message", "required_message", "guidance_hint"}
SETTINGS = [
    ("name", "name"),
    ("title", "form_title"),
    ("id_string", "form_id"),
    ("version", "version"),
    ("default_language", "default_language"),
    ("instance_name", "instance_name"),
    ("style", "style"),
    ("allow_choice_duplicates", "allow_choice_duplicates"),
    ("public_key", "public_key"),
    ("submission_url", "submission_url"),
    ("omit_instanceID", "omit_instanceID"),
    ("clean_text_values", "clean_text_values"),
    ("add_none_option", "add_none_option"),
    ("xml_root", "xml_root"),
]
# bind values pyxform writes for the metadata and for "yes"; XLSForm wants them written back
# as the type alone (pyxform adds the preload again) and as "yes"
PRELOAD_TYPES = {"start", "end", "today", "deviceid", "username", "uri:deviceid", "uri:username"}


GENERATED_META = {"instanceID", "instanceName", "entity"}
KNOWN_KEYS = {
    "type",
    "name",
    "label",
    "hint",
    "bind",
    "control",
    "itemset",
    "list_name",
    "choices",
    "children",
    "parameters",
    "default",
    "choice_filter",
    "media",
    "instance",
    "actions",
    "__row_number",
    "columns",
    "_dynamic_default",
    "query",
    "sms_field",
}


def _is_generated_meta(node: dict) -> bool:
    """pyxform's own ``meta`` group (instanceID…): the XLSForm never names it."""
    return (
        node.get("type") == "group"
        and node.get("name") == "meta"
        and bool((node.get("control") or {}).get("bodyless"))
    )


def _put_media(row: dict, media) -> None:
    for kind, value in (media or {}).items():
        if isinstance(value, dict):
            for lang, path in value.items():
                row[kind if lang == "default" else f"{kind}::{lang}"] = path
        else:
            row[kind] = value


def _parameter_name(key: str) -> str:
    if key.startswith("odk:"):
        return key[4:].replace("-", "_")
    return key


class _Sheet:
    """Rows of dicts with columns in order of first appearance."""

    def __init__(self, first: list[str]):
        self.columns: list[str] = list(first)
        self.rows: list[dict] = []

    def add(self, row: dict) -> None:
        for key in row:
            if key not in self.columns:
                self.columns.append(key)
        self.rows.append(row)


def _put_translatable(row: dict, column: str, value, default_language: str) -> None:
    if value in (None, ""):
        return
    if isinstance(value, dict):
        for lang, text in value.items():
            key = column if lang == "default" else f"{column}::{lang}"
            row[key] = text
    else:
        row[column] = value


def _question_type(node: dict) -> str:
    node_type = node.get("type", "")
    if node_type in SELECT_TYPES:
        xls_type = SELECT_TYPES[node_type]
        itemset = str(node.get("itemset") or node.get("list_name") or "")
        if FILE_ITEMSET.search(itemset):
            return f"{xls_type}_from_file {itemset}"
        return f"{xls_type} {node.get('list_name') or itemset}".strip()
    return node_type


def _survey_rows(nodes: list[dict], sheet: _Sheet, default_language: str) -> None:
    for node in nodes:
        node_type = node.get("type", "")
        if _is_generated_meta(node):
            # keep what the author put there (audit…), not what pyxform generates
            own = [c for c in node.get("children", []) if c.get("name") not in GENERATED_META]
            _survey_rows(own, sheet, default_language)
            continue
        row: dict = {}
        if node_type in ("group", "repeat"):
            row["type"] = f"begin_{node_type}"
        else:
            row["type"] = _question_type(node)
        row["name"] = node.get("name", "")
        _put_translatable(row, "label", node.get("label"), default_language)
        _put_translatable(row, "hint", node.get("hint"), default_language)
        bind = dict(node.get("bind") or {})
        if node_type in PRELOAD_TYPES:
            bind.pop("jr:preload", None)
            bind.pop("jr:preloadParams", None)
        for attribute, column in BIND_COLUMNS:
            if attribute in bind:
                value = bind.pop(attribute)
                _put_translatable(row, column, value, default_language)
        bind.pop("type", None)
        for attribute, value in bind.items():
            if not isinstance(value, dict | list):
                row[f"bind::{attribute}"] = value
        control = node.get("control") or {}
        if control.get("appearance"):
            row["appearance"] = control["appearance"]
        for key, value in control.items():
            if key not in ("appearance", "jr:count", "bodyless") and isinstance(value, str):
                row[f"body::{key}"] = value
        for key, value in (node.get("instance") or {}).items():
            if isinstance(value, str):
                row[f"instance::{key}"] = value
        _put_media(row, node.get("media"))
        for key, value in node.items():
            if key not in KNOWN_KEYS and isinstance(value, str) and key not in row:
                row[key] = value
        if node.get("choice_filter"):
            row["choice_filter"] = node["choice_filter"]
        if node.get("default") not in (None, ""):
            row["default"] = node["default"]
        parameters = node.get("parameters") or {}
        if isinstance(parameters, dict) and parameters:
            row["parameters"] = " ".join(f"{_parameter_name(k)}={v}" for k, v in parameters.items())
        elif isinstance(parameters, str) and parameters:
            row["parameters"] = parameters
        if node_type == "repeat" and node.get("control", {}).get("jr:count"):
            row["repeat_count"] = node["control"]["jr:count"]
        sheet.add(row)
        if node_type in ("group", "repeat"):
            _survey_rows(node.get("children", []), sheet, default_language)
            sheet.add({"type": f"end_{node_type}"})


def xlsform_write(structure: dict) -> bytes:
    """The structure as an XLSForm workbook (.xlsx bytes): survey, choices, settings."""
    import openpyxl

    default_language = structure.get("default_language") or "default"
    survey = _Sheet(["type", "name"])
    _survey_rows(structure.get("children", []), survey, default_language)

    choices = _Sheet(["list_name", "name"])
    for list_name, items in (structure.get("choices") or {}).items():
        for item in items:
            row = {"list_name": list_name, "name": item.get("name", "")}
            _put_translatable(row, "label", item.get("label"), default_language)
            _put_media(row, item.get("media"))
            for key, value in item.items():
                if key not in ("name", "label", "media") and not isinstance(value, dict | list):
                    row[key] = value
            choices.add(row)

    settings_row = {}
    for key, column in SETTINGS:
        value = structure.get(key)
        if value in (None, "") or (key, value) in (
            ("default_language", "default"),
            ("name", "data"),
        ):
            continue
        settings_row[column] = value

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])  # the default sheet
    for title, sheet in (("survey", survey), ("choices", choices)):
        if title == "choices" and not sheet.rows:
            continue
        ws = book.create_sheet(title)
        ws.append(sheet.columns)
        for row in sheet.rows:
            ws.append([_cell(row.get(c)) for c in sheet.columns])
    if settings_row:
        ws = book.create_sheet("settings")
        ws.append(list(settings_row))
        ws.append([_cell(v) for v in settings_row.values()])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
