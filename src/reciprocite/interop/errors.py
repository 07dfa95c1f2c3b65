"""Errors of file reading and row validation, each naming the file, the row and the field."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

# How many row errors are listed before "… and N more".
MAX_LISTED_ERRORS = 50


@dataclass(frozen=True)
class RowError:
    """A problem with one cell (or one row, or the whole file when ``row`` is None).

    ``row`` is the row number a spreadsheet shows: the header is row 1, the first record row 2
    (for JSON, the position of the object in the list, from 1).
    """

    source: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.field:
            where.append(_("field %(field)s") % {"field": self.field})
        return f"{', '.join(where)}: {self.message}"


class FileRefused(Exception):
    """The file cannot be read safely or at all (too big, a zip bomb, binary garbage…)."""

    def __init__(self, source: str, message: str):
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


class InvalidRows(Exception):
    """Some rows are invalid: nothing was written. ``errors`` lists them all (capped)."""

    def __init__(self, errors: list[RowError], total: int | None = None):
        self.errors = errors[:MAX_LISTED_ERRORS]
        self.total = total if total is not None else len(errors)
        super().__init__(str(errors[0]) if errors else "invalid rows")

    def lines(self) -> list[str]:
        lines = [str(error) for error in self.errors]
        if self.total > len(self.errors):
            lines.append(_("… and %(n)s more errors") % {"n": self.total - len(self.errors)})
        return lines
