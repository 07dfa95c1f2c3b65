"""What the Kobo layout needs to know of a form: its questions, their groups and repeats.

The surveys app's questionnaire structure (``surveys.structure.Structure``) is such a form;
any object with these attributes is one too, so this package imports no app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

# What ``Question.kind`` says of a select_multiple question, whichever spelling its type has
SELECT_MULTIPLE = "select_multiple"


class Question(Protocol):
    """A question (or a metadata field, a note, a calculate) of the form."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str:
        """Its XLSForm type (``integer``, ``date``, ``select_multiple``…)."""
        ...

    @property
    def kind(self) -> str:
        """``select_multiple`` for a select_multiple question, whatever its type's spelling."""
        ...

    @property
    def path(self) -> tuple[str, ...]:
        """Names of the enclosing groups and repeats, outermost first."""
        ...

    @property
    def repeat(self) -> str:
        """The innermost repeat holding the question, or "" at the top level."""
        ...

    @property
    def full_path(self) -> str:
        """``group/…/name``."""
        ...


class Form(Protocol):
    """A form: its questions in form order, indexed by name, and its repeats."""

    @property
    def form_id(self) -> str: ...

    @property
    def questions(self) -> Sequence[Question]: ...

    @property
    def by_name(self) -> Mapping[str, Question]: ...

    @property
    def repeat_nodes(self) -> Mapping[str, object]:
        """The repeats of the form by name, in form order."""
        ...

    def repeat_parent(self, repeat: str) -> str:
        """The repeat enclosing ``repeat`` ("" when it sits in the main rows)."""
        ...
