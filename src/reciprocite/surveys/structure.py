"""Reading a questionnaire's structure (pyxform's JSON of an XLSForm).

One walker for every module (web form, validation, Kobo import/export, analysis): questions
with their group/repeat path, choices, labels in a language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

GROUP_TYPES = {"group", "repeat"}
# pyxform writes "select one" / "select all that apply"; XLSForm writes select_one/select_multiple
SELECT_ONE = {"select one", "select_one", "select one external"}
SELECT_MULTIPLE = {"select all that apply", "select_multiple"}
NUMERIC = {"integer", "decimal", "range"}
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "email",
    "phonenumber",
    "simserial",
    "subscriberid",
    "audit",
    "start-geopoint",
}


@dataclass(frozen=True)
class Question:
    """A question (or a metadata field, a note, a calculate) of a questionnaire."""

    name: str
    type: str
    node: dict
    # names of the enclosing groups and repeats, outermost first
    path: tuple[str, ...] = ()
    # names of the enclosing repeats only, outermost first ("" for the main rows)
    repeats: tuple[str, ...] = ()
    row: int | None = None

    @property
    def repeat(self) -> str:
        """The innermost repeat holding this question, or "" at the top level."""
        return self.repeats[-1] if self.repeats else ""

    @property
    def kind(self) -> str:
        """select_one, select_multiple, numeric, or the type itself."""
        if self.type in SELECT_ONE:
            return "select_one"
        if self.type in SELECT_MULTIPLE:
            return "select_multiple"
        return self.type

    @property
    def bind(self) -> dict:
        return self.node.get("bind", {}) or {}

    @property
    def list_name(self) -> str:
        return self.node.get("list_name") or self.node.get("itemset") or ""

    @property
    def full_path(self) -> str:
        return "/".join((*self.path, self.name))


@dataclass
class Structure:
    """A questionnaire's structure with indexes built once."""

    survey: dict
    rows: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.questions: list[Question] = list(
            _walk(self.survey.get("children", []), (), (), self.rows)
        )
        self.by_name: dict[str, Question] = {q.name: q for q in self.questions}
        self.repeat_nodes: dict[str, dict] = dict(_repeats(self.survey.get("children", [])))

    @property
    def form_id(self) -> str:
        return self.survey.get("id_string") or self.survey.get("name") or ""

    @property
    def title(self) -> str:
        return self.survey.get("title") or self.form_id

    @property
    def default_language(self) -> str:
        return self.survey.get("default_language") or "default"

    def choices(self, question: Question) -> list[dict]:
        """The choices of a select question: [{"name", "label", …}] in form order."""
        if "choices" in question.node:
            return question.node["choices"]
        return self.survey.get("choices", {}).get(question.list_name, [])

    def repeat_parent(self, repeat: str) -> str:
        """The repeat enclosing ``repeat`` ("" when it sits in the main rows)."""
        return _repeat_parents(self.survey.get("children", []), "").get(repeat, "")

    def languages(self) -> list[str]:
        found: list[str] = []
        for q in self.questions:
            label = q.node.get("label")
            if isinstance(label, dict):
                for lang in label:
                    if lang not in found:
                        found.append(lang)
        return found


def label(node: dict, language: str | None = None, default: str | None = None) -> str:
    """A node's label in a language: exact key, else a key like "Français (fr)" whose code
    matches, else the default language, else the first one, else the name."""
    value = node.get("label")
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value:
        if language:
            if language in value:
                return value[language]
            for key, text in value.items():
                if key.endswith(f"({language})") or key.lower() == language.lower():
                    return text
        if default and default in value:
            return value[default]
        return next(iter(value.values()))
    return node.get("name", "")


def _walk(children, path, repeats, rows) -> Iterator[Question]:
    for node in children:
        node_type = node.get("type", "")
        name = node.get("name", "")
        if node_type in GROUP_TYPES:
            inner_repeats = (*repeats, name) if node_type == "repeat" else repeats
            yield from _walk(node.get("children", []), (*path, name), inner_repeats, rows)
        else:
            yield Question(
                name=name, type=node_type, node=node, path=path, repeats=repeats, row=rows.get(name)
            )


def _repeats(children) -> Iterator[tuple[str, dict]]:
    for node in children:
        if node.get("type") == "repeat":
            yield node["name"], node
        if node.get("type") in GROUP_TYPES:
            yield from _repeats(node.get("children", []))


def _repeat_parents(children, parent: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in children:
        if node.get("type") == "repeat":
            found[node["name"]] = parent
            found.update(_repeat_parents(node.get("children", []), node["name"]))
        elif node.get("type") == "group":
            found.update(_repeat_parents(node.get("children", []), parent))
    return found
