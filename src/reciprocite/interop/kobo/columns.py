"""An export's headers read as questions of the form: which column holds which question
(``group/question``, ``group.question`` or the name alone), which are the 0/1 columns of a
select_multiple's choices, which are Kobo's metadata, and which table a sheet or file holds
(the main rows or a repeat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import tabular
from .form import SELECT_MULTIPLE, Form, Question

# Kobo's metadata columns we read (the others starting with "_" are kept aside unread).
UUID_COLUMNS = ("_uuid", "uuid")
INDEX_COLUMNS = ("_index", "index")
INSTANCE_ID_COLUMNS = ("meta/instanceID", "meta.instanceID", "instanceID")
SUBMISSION_UUID_COLUMNS = ("_submission__uuid",)
TIME_COLUMNS = ("_submission_time",)


@dataclass
class Column:
    position: int
    header: str
    kind: str  # "question", "choice" (a 0/1 column), "meta", "unknown", "blank"
    question: Question | None = None
    choice: str = ""  # the choice of a 0/1 column

    @property
    def held(self) -> Question:
        """The question a "question" or "choice" column holds."""
        if self.question is None:
            raise LookupError(f"the column {self.header!r} holds no question")
        return self.question


class Spellings:
    """Every way a header may name a question of the form."""

    def __init__(self, structure: Form) -> None:
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
                    if q.kind == SELECT_MULTIPLE:
                        self.multiple.setdefault(spelling, q)

    def classify(self, position: int, header: str) -> Column:
        if not header:
            return Column(position, header, "blank")
        question = self.exact.get(header)
        last = re.split(r"[/.]", header)[-1]
        if last == "instanceID":
            # the submission's own id ("uuid:…"), which _uuid repeats: metadata, not an answer
            return Column(position, header, "meta")
        if question is not None:
            return Column(position, header, "question", question)
        if header.startswith(("_", "meta/", "meta.")) or last.startswith("_"):
            # Kobo's metadata, including meta/rootUuid, meta/deprecatedID of newer exports
            return Column(position, header, "meta")
        for separator in ("/", "."):
            if separator in header:
                head, _sep, choice = header.rpartition(separator)
                multiple = self.multiple.get(head)
                if multiple is not None:
                    return Column(position, header, "choice", multiple, choice)
        for separator in ("/", "."):
            question = self.structure.by_name.get(header.rsplit(separator, 1)[-1])
            if question is not None and separator in header:
                return Column(position, header, "question", question)
        if header in UUID_COLUMNS or header in INDEX_COLUMNS:
            return Column(position, header, "meta")
        return Column(position, header, "unknown")


def repeat_by_name(name: str, repeats: list[str]) -> str | None:
    """The repeat a sheet or file name stands for: the same name, Excel's 31-character cut
    of it, or a file stem ending in ``-<repeat>``; the longest such repeat."""
    found = None
    for repeat in repeats:
        if (
            name == repeat
            or (len(name) == tabular.EXCEL_SHEET_NAME_MAX and repeat.startswith(name))
            or name.endswith(f"-{repeat}")
        ):
            if found is None or len(repeat) > len(found):
                found = repeat
    return found


def repeat_by_columns(columns: list[Column]) -> str | None:
    """The innermost repeat most question columns belong to ("" for the main rows)."""
    tally: dict[str, int] = {}
    for column in columns:
        if column.kind in ("question", "choice") and column.question is not None:
            tally[column.question.repeat] = tally.get(column.question.repeat, 0) + 1
    if not tally:
        return None
    return max(tally, key=lambda r: tally[r])
