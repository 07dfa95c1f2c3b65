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

Files nobody vouches for are read by ``tabular.read_sheets``, the safeguards of every
format (size limit, zip-bomb and XML entity checks, cell length), with limits on rows and
columns wider than the registry's, since one Kobo table may hold hundreds of questions and a
study hundreds of thousands of rows. The form is any object with the attributes of
``form.Form`` (the surveys app passes its questionnaire structure): nothing here imports an
app.

Modules: ``form`` (what a form must offer), ``columns`` (headers → questions and tables),
``values`` (cells → answers), ``read`` (files → submissions), ``write`` (submissions →
tables, workbook, zip of CSV files).
"""

from ..tabular import csv_text
from .form import SELECT_MULTIPLE, Form, Question
from .read import LIMITS, MAX_FILE_BYTES, KoboData, KoboSubmission, Progress, read_export
from .values import UUID_NAMESPACE, converter, row_uuid
from .write import (
    ExportRow,
    export_columns,
    export_tables,
    sheet_name,
    write_csv_zip,
    write_xlsx,
)

__all__ = [
    "LIMITS",
    "MAX_FILE_BYTES",
    "SELECT_MULTIPLE",
    "UUID_NAMESPACE",
    "ExportRow",
    "Form",
    "KoboData",
    "KoboSubmission",
    "Progress",
    "Question",
    "converter",
    "csv_text",
    "export_columns",
    "export_tables",
    "read_export",
    "row_uuid",
    "sheet_name",
    "write_csv_zip",
    "write_xlsx",
]
