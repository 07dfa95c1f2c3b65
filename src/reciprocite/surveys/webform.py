"""The web form: a questionnaire's structure as pages of widgets, and posted answers read back.

One page per top-level group or repeat, and one page for each run of top-level questions
outside groups, in form order. Metadata and ``calculate`` fields are never shown; they are
filled on the server when the answer is submitted.

Answers are kept in the shape of ``Submission.data`` (see surveys/models.py): by question
name, group paths dropped, repeats as lists of objects. In the HTML, a field is named by its
place in that data: ``collectivite_nom``, ``cooperation.0.annee_debut``,
``cooperation.1.action.0.nom``; a repeat's number of entries travels as
``cooperation.__count``. A geopoint is four fields (``name.lat``, ``.lon``, ``.alt``,
``.acc``).

Relevance, choice filters, constraints and requirements are the validation module's
(surveys/validation.py, surveys/xpath.py): the rules that check an answer from the API or an
import also decide what this form shows.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .structure import METADATA, SELECT_MULTIPLE, SELECT_ONE, Structure, label

HIDDEN_TYPES = METADATA | {"calculate", "hidden", "xml-external", "csv-external"}
WIDGETS = {
    "text": "text",
    "string": "text",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "time": "time",
    "datetime": "datetime",
    "dateTime": "datetime",
    "range": "range",
    "geopoint": "geopoint",
    "note": "note",
}
GEOPOINT_PARTS = ("lat", "lon", "alt", "acc")
# a select_one with more choices than this (every country…) is a drop-down list
LONG_LIST = 30
WEB_DEVICE_ID = "reciprocite-web"
_REPEAT_SEGMENT = re.compile(r"^(?P<name>[^\[\]/]+)(?:\[(?P<index>\d+)\])?$")


# --- pages -----------------------------------------------------------------------------------


@dataclass
class Page:
    index: int
    # the group or repeat this page shows, or None for a run of loose top-level questions
    node: dict | None
    nodes: list[dict] = field(default_factory=list)


TABLE_LABEL_ROW = "reserved_name_for_field_list_labels"
TABLE_TITLE_NOTE = "generated_table_list_label"


# Suffix of the "no answer" checkbox posted beside a range slider.
RANGE_NONE = ".__none"


def is_hidden(node: dict) -> bool:
    if node.get("type") in ("group", "repeat"):
        return bool((node.get("control") or {}).get("bodyless"))
    if (node.get("control") or {}).get("appearance") == "label":
        return True  # the header row pyxform adds to a table-list group
    return node.get("type") in HIDDEN_TYPES


def is_table(node: dict) -> bool:
    """A table-list group (as written in the XLSForm, or as pyxform rewrites it: a title
    note, a header row, then rows with the list-nolabel appearance)."""
    appearance = ((node.get("control") or {}).get("appearance") or "").split()
    return "table-list" in appearance or any(
        str(child.get("name", "")).startswith(TABLE_LABEL_ROW) for child in node.get("children", [])
    )


def group_title(node: dict, text) -> str:
    """A group's title: its label, or the title note pyxform moved a table-list's label to."""
    if node.get("label"):
        return text(node)
    for child in node.get("children", []):
        if str(child.get("name", "")).startswith(TABLE_TITLE_NOTE):
            return text(child)
    return ""


def build_pages(structure: Structure) -> list[Page]:
    pages: list[Page] = []
    loose: list[dict] = []

    def flush():
        if loose:
            pages.append(Page(index=len(pages), node=None, nodes=list(loose)))
            loose.clear()

    for node in structure.survey.get("children", []):
        if is_hidden(node):
            continue
        if node.get("type") in ("group", "repeat"):
            flush()
            pages.append(Page(index=len(pages), node=node, nodes=[node]))
        else:
            loose.append(node)
    flush()
    return pages


def question_names(nodes: list[dict]) -> set[str]:
    """Names of the questions (and repeats) a list of nodes holds, at any depth."""
    names: set[str] = set()
    for node in nodes:
        names.add(node.get("name", ""))
        if node.get("type") in ("group", "repeat"):
            names |= question_names(node.get("children", []))
    return names


# --- the rules (relevance, choice filters, validation) -------------------------------------


class Rules:
    """The rules of a form, evaluated by the one XPath evaluator (surveys/xpath.py).

    ``positions`` is the repeat instance being shown: ((repeat name, index from 0), …),
    outermost first, as xpath.Context takes it."""

    def __init__(self, structure: Structure):
        self.structure = structure

    def _context(self, data: dict, positions, **extra):
        from . import xpath

        return xpath.Context(data=data, structure=self.structure, positions=positions, **extra)

    def relevant(self, node: dict, data: dict, positions: tuple = ()) -> bool:
        from . import xpath

        question = self.structure.by_name.get(node.get("name", ""))
        if question is not None and question.node is node:
            from . import validation

            indexes = tuple(index for _repeat, index in positions)
            return validation.is_relevant(self.structure, question, data, indexes)
        expression = (node.get("bind") or {}).get("relevant")
        if not expression:
            return True
        try:
            return xpath.evaluate_boolean(expression, self._context(data, positions))
        except xpath.XPathError:
            return True  # a form whose rule cannot be read still shows its question

    def choices(self, question_node: dict, data: dict, positions: tuple = ()) -> list[dict]:
        from . import xpath

        question = self.structure.by_name.get(question_node.get("name", ""))
        if question is None:
            return []
        choices = self.structure.choices(question)
        expression = question_node.get("choice_filter")
        if not expression:
            return choices
        kept = []
        for choice in choices:
            try:
                if xpath.evaluate_boolean(expression, self._context(data, positions, item=choice)):
                    kept.append(choice)
            except xpath.XPathError:
                kept.append(choice)
        return kept

    def validate(self, data: dict, language: str | None) -> list[dict]:
        from . import validation

        return validation.validate_submission(self.structure, data, language=language)

    def clean(self, data: dict, language: str | None) -> tuple[dict, list[dict]]:
        """The answers as they would be stored (calculations filled, answers to questions
        that are not relevant dropped), and their errors."""
        from . import validation

        filled = validation.fill_calculations(
            self.structure, validation.normalise(self.structure, data)
        )
        return validation.clean_submission(self.structure, filled, language=language)


# --- the form state --------------------------------------------------------------------------


@dataclass
class FormState:
    """What one request works on: the answers so far and what to show with them."""

    structure: Structure
    data: dict
    language: str | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)  # html name → messages
    raw: dict[str, str] = field(default_factory=dict)  # html name → value that did not parse

    def __post_init__(self):
        self.rules = Rules(self.structure)
        self.default = self.structure.survey.get("default_language")

    def text(self, node: dict, key: str = "label") -> str:
        value = node.get(key)
        if not value:
            return "" if key != "label" else node.get("name", "")
        return label({"label": value, "name": node.get("name", "")}, self.language, self.default)


@dataclass
class Ctx:
    container: dict
    prefix: str = ""
    positions: tuple = ()


def html_id(name: str) -> str:
    return "q-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


# --- rendering -------------------------------------------------------------------------------


def render_page(state: FormState, page: Page) -> list[dict]:
    items = _render_nodes(state, page.nodes, Ctx(state.data))
    if page.node is not None and page.node.get("type") == "repeat":
        for item in items:
            item["is_page"] = True  # titled by the page's heading
    return items


def _render_nodes(state: FormState, nodes: list[dict], ctx: Ctx) -> list[dict]:
    items = []
    for node in nodes:
        if is_hidden(node) or not state.rules.relevant(node, state.data, ctx.positions):
            continue
        kind = node.get("type")
        if kind == "repeat":
            items.append(_render_repeat(state, node, ctx))
        elif kind == "group":
            inner_nodes = node.get("children", [])
            table = is_table(node)
            if table:
                inner_nodes = [
                    c
                    for c in inner_nodes
                    if not str(c.get("name", "")).startswith(TABLE_TITLE_NOTE)
                ]
            children = _render_nodes(state, inner_nodes, ctx)
            item = {
                "kind": "group",
                "label": group_title(node, state.text),
                "hint": state.text(node, "hint"),
                "items": children,
                "name": node.get("name"),
            }
            if table:
                item = _as_table(item, children)
            items.append(item)
        else:
            items.append(_render_question(state, node, ctx))
    return items


def _as_table(group: dict, children: list[dict]) -> dict:
    """A table-list group: select_one questions sharing their choices as columns."""
    questions = [c for c in children if c["kind"] == "question"]
    if not questions or any(q["widget"] not in ("radio", "checkboxes") for q in questions):
        return group
    columns = [c["label"] for c in questions[0]["choices"]]
    if any([c["label"] for c in q["choices"]] != columns for q in questions):
        return group
    return {**group, "kind": "table", "columns": columns, "rows": questions}


def _render_repeat(state: FormState, node: dict, ctx: Ctx) -> dict:
    name = node["name"]
    path = ctx.prefix + name
    entries = ctx.container.get(name)
    if not isinstance(entries, list):
        entries = []
    instances = []
    for i, entry in enumerate(entries):
        inner = Ctx(entry, f"{path}.{i}.", (*ctx.positions, (name, i)))
        instances.append(
            {
                "number": i + 1,
                "path": f"{path}.{i}",
                "id": html_id(f"{path}.{i}"),
                "items": _render_nodes(state, node.get("children", []), inner),
            }
        )
    return {
        "kind": "repeat",
        "name": name,
        "label": state.text(node),
        "hint": state.text(node, "hint"),
        "path": path,
        "id": html_id(path),
        "count_name": f"{path}.__count",
        "count": len(entries),
        "instances": instances,
    }


def _render_question(state: FormState, node: dict, ctx: Ctx) -> dict:
    name = ctx.prefix + node["name"]
    qtype = node.get("type", "")
    bind = node.get("bind") or {}
    appearance = ((node.get("control") or {}).get("appearance") or "").split()
    value = ctx.container.get(node["name"])
    item = {
        "kind": "question",
        "name": name,
        "id": html_id(name),
        "label": state.text(node),
        "hint": state.text(node, "hint"),
        "required": str(bind.get("required", "")).lower() in ("yes", "true", "true()", "1"),
        "errors": state.errors.get(name, []),
        "value": state.raw.get(name, "" if value is None else value),
    }
    if qtype in SELECT_ONE or qtype in SELECT_MULTIPLE:
        multiple = qtype in SELECT_MULTIPLE
        selected = set(str(value).split()) if multiple and value else {str(value)}
        choices = state.rules.choices(node, state.data, ctx.positions)
        long_list = len(choices) > LONG_LIST
        item["widget"] = (
            "checkboxes"
            if multiple
            else ("select" if "minimal" in appearance or long_list else "radio")
        )
        item["choices"] = [
            {
                "value": c["name"],
                "label": state.text(c),
                "checked": c["name"] in selected,
                "id": f"{item['id']}-{i}",
            }
            for i, c in enumerate(choices)
        ]
        return item
    widget = WIDGETS.get(qtype, "text")
    item["widget"] = widget
    if widget == "range":
        params = node.get("parameters") or node.get("control") or {}
        item["start"] = params.get("start", "1")
        item["end"] = params.get("end", "10")
        item["step"] = params.get("step", "1")
        # Unanswered until the respondent says so: the "no answer" box is ticked and wins
        # over the slider (which always has a position); collect.js unticks it when the
        # slider is moved. See docs/surveys.md, "Range questions".
        item["answered"] = item["value"] != ""
        try:  # XLSForm allows start > end (a descending scale); min/max must not be swapped
            low, high = sorted((float(item["start"]), float(item["end"])))
            item["min"], item["max"] = _plain(Decimal(str(low))), _plain(Decimal(str(high)))
        except (TypeError, ValueError, InvalidOperation):
            item["min"], item["max"] = item["start"], item["end"]
        item["none_name"] = f"{name}{RANGE_NONE}"
        item["none_id"] = f"{item['id']}-none"
    elif widget == "geopoint":
        parts = str(value).split() if value else []
        item["parts"] = [
            {
                "key": key,
                "name": f"{name}.{key}",
                "id": f"{item['id']}-{key}",
                "label": _geopoint_label(key),
                "value": state.raw.get(f"{name}.{key}", parts[i] if i < len(parts) else ""),
            }
            for i, key in enumerate(GEOPOINT_PARTS)
        ]
    elif widget == "datetime" and isinstance(item["value"], str):
        item["value"] = item["value"][:16]
    return item


def _geopoint_label(key: str) -> str:
    return {
        "lat": _("Latitude (decimal degrees)"),
        "lon": _("Longitude (decimal degrees)"),
        "alt": _("Altitude in metres (optional)"),
        "acc": _("Accuracy in metres (optional)"),
    }[key]


# --- reading posted answers ------------------------------------------------------------------


def read_page(state: FormState, page: Page, post) -> None:
    """Merge the posted answers of a page into ``state.data``; fields that do not parse go
    to ``state.errors`` and ``state.raw`` (shown back as typed)."""
    shown = set(post.getlist("__shown"))
    _read_nodes(state, page.nodes, Ctx(state.data), post, shown)


def _read_nodes(state: FormState, nodes, ctx: Ctx, post, shown: set[str]) -> None:
    for node in nodes:
        if is_hidden(node):
            continue
        kind = node.get("type")
        if kind == "repeat":
            name = node["name"]
            path = ctx.prefix + name
            entries = ctx.container.get(name)
            if not isinstance(entries, list):
                entries = []
            raw_count = post.get(f"{path}.__count")
            if raw_count is not None and raw_count.isdecimal():
                count = min(int(raw_count), 500)
                entries = entries[:count] + [{} for _ in range(count - len(entries))]
            ctx.container[name] = entries
            for i, entry in enumerate(entries):
                inner = Ctx(entry, f"{path}.{i}.", (*ctx.positions, (name, i)))
                _read_nodes(state, node.get("children", []), inner, post, shown)
        elif kind == "group":
            _read_nodes(state, node.get("children", []), ctx, post, shown)
        elif kind != "note":
            name = ctx.prefix + node["name"]
            if name in shown:
                _read_question(state, node, ctx, name, post)


def _read_question(state: FormState, node: dict, ctx: Ctx, name: str, post) -> None:
    qtype = node.get("type", "")
    key = node["name"]
    if qtype in SELECT_MULTIPLE:
        allowed = [c["name"] for c in state.structure.choices(state.structure.by_name[key])]
        picked = set(post.getlist(name))
        value = " ".join(c for c in allowed if c in picked)
        _set(ctx.container, key, value or None)
        return
    if qtype == "geopoint":
        _read_geopoint(state, ctx, key, name, post)
        return
    raw = (post.get(name) or "").strip()
    if qtype == "range" and post.get(f"{name}{RANGE_NONE}"):
        raw = ""  # "no answer" ticked: the slider's position is not an answer
    if not raw:
        _set(ctx.container, key, None)
        return
    value, error = _parse(qtype, raw, node, state)
    if error:
        state.errors.setdefault(name, []).append(error)
        state.raw[name] = raw
        _set(ctx.container, key, None)
    else:
        _set(ctx.container, key, value)


def _set(container: dict, key: str, value) -> None:
    if value is None or value == "":
        container.pop(key, None)
    else:
        container[key] = value


def _number(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.replace(" ", "").replace("\u202f", "").replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _parse(qtype: str, raw: str, node: dict, state: FormState):
    if qtype in ("integer", "int"):
        value = _number(raw)
        if value is None or value != value.to_integral_value():
            return None, _("Enter a whole number, for example 2015.")
        return int(value), None
    if qtype == "decimal":
        value = _number(raw)
        if value is None:
            return None, _("Enter a number, for example 1500 or 1500.50.")
        return (int(value) if value == value.to_integral_value() else float(value)), None
    if qtype == "range":
        value = _number(raw)
        if value is None:
            return None, _("Enter a number.")
        return (int(value) if value == value.to_integral_value() else float(value)), None
    if qtype == "date":
        try:
            return dt.date.fromisoformat(raw).isoformat(), None
        except ValueError:
            return None, _("Enter a date as YYYY-MM-DD.")
    if qtype == "time":
        try:
            return dt.time.fromisoformat(raw).isoformat(timespec="minutes"), None
        except ValueError:
            return None, _("Enter a time as HH:MM.")
    if qtype in ("datetime", "dateTime"):
        try:
            return dt.datetime.fromisoformat(raw).isoformat(timespec="minutes"), None
        except ValueError:
            return None, _("Enter a date and time as YYYY-MM-DDTHH:MM.")
    if qtype in SELECT_ONE:
        question = state.structure.by_name.get(node["name"])
        if question is None or raw not in {c["name"] for c in state.structure.choices(question)}:
            return None, _("Choose one of the options shown.")
        return raw, None
    return raw, None


def _read_geopoint(state: FormState, ctx: Ctx, key: str, name: str, post) -> None:
    raws = {part: (post.get(f"{name}.{part}") or "").strip() for part in GEOPOINT_PARTS}
    if not any(raws.values()):
        _set(ctx.container, key, None)
        return
    numbers = {part: _number(raw) if raw else Decimal(0) for part, raw in raws.items()}
    problems = []
    if not raws["lat"] or numbers["lat"] is None or not -90 <= numbers["lat"] <= 90:
        problems.append(_("Enter a latitude between -90 and 90."))
    if not raws["lon"] or numbers["lon"] is None or not -180 <= numbers["lon"] <= 180:
        problems.append(_("Enter a longitude between -180 and 180."))
    if numbers["alt"] is None or numbers["acc"] is None or (numbers["acc"] or 0) < 0:
        problems.append(_("Altitude and accuracy must be numbers (accuracy 0 or more)."))
    if problems:
        state.errors.setdefault(name, []).extend(problems)
        for part, raw in raws.items():
            state.raw[f"{name}.{part}"] = raw
        _set(ctx.container, key, None)
        return
    _set(ctx.container, key, " ".join(_plain(numbers[part]) for part in GEOPOINT_PARTS))


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def shown_names(items: list[dict]) -> list[str]:
    """HTML names of the questions rendered (posted back as ``__shown``)."""
    names = []
    for item in items:
        if item["kind"] == "question":
            if item["widget"] != "note":
                names.append(item["name"])
        elif item["kind"] == "repeat":
            for instance in item["instances"]:
                names += shown_names(instance["items"])
        elif item["kind"] == "table":
            names += [row["name"] for row in item["rows"]]
        else:
            names += shown_names(item["items"])
    return names


# --- repeat entries: add / remove -------------------------------------------------------------


def _locate_list(data: dict, path: str) -> list | None:
    """The list of a repeat at an HTML path such as ``cooperation.0.action``."""
    segments = path.split(".")
    container = data
    for i, segment in enumerate(segments):
        if i % 2 == 0:
            value = container.get(segment)
            if i == len(segments) - 1:
                if not isinstance(value, list):
                    value = container[segment] = []
                return value
            if not isinstance(value, list):
                return None
            container = value
        else:
            if not segment.isdecimal() or int(segment) >= len(container):
                return None
            container = container[int(segment)]
            if not isinstance(container, dict):
                return None
    return None


def repeat_add(structure: Structure, data: dict, path: str) -> bool:
    name = path.split(".")[-1]
    if name not in structure.repeat_nodes:
        return False
    entries = _locate_list(data, path)
    if entries is None or len(entries) >= 500:
        return False
    entries.append({})
    return True


def repeat_remove(structure: Structure, data: dict, path: str) -> bool:
    head, _sep, index = path.rpartition(".")
    if not index.isdecimal() or head.split(".")[-1] not in structure.repeat_nodes:
        return False
    entries = _locate_list(data, head)
    if entries is None or int(index) >= len(entries):
        return False
    del entries[int(index)]
    return True


# --- errors from validation ----------------------------------------------------------------


def error_html_name(path: str) -> str:
    """``cooperation[2]/annee_debut`` (XPath positions, from 1) → ``cooperation.1.annee_debut``."""
    parts = []
    for segment in path.strip("/").split("/"):
        match = _REPEAT_SEGMENT.match(segment)
        if not match:
            parts.append(segment)
            continue
        parts.append(match["name"])
        if match["index"]:
            parts.append(str(int(match["index"]) - 1))
    return ".".join(parts)


def errors_for(errors: list[dict], names: set[str]) -> dict[str, list[str]]:
    """Validation errors of the questions named in ``names``, by HTML name."""
    found: dict[str, list[str]] = {}
    for error in errors:
        if error.get("name") not in names:
            continue
        found.setdefault(error_html_name(error.get("path") or error["name"]), []).append(
            error["message"]
        )
    return found


def first_page_with_error(pages: list[Page], errors: list[dict]) -> int | None:
    names = {e.get("name") for e in errors}
    for page in pages:
        if question_names(page.nodes) & names:
            return page.index
    return None


# --- metadata ---------------------------------------------------------------------------------


def with_metadata(structure: Structure, data: dict, *, started: str, username: str) -> dict:
    """The answers with the metadata only the web form knows: when the respondent started
    (kept in the draft), who answered, and the web form as the device. ``end``, ``today`` and the calculations are filled
    when the answer is stored (validation.fill_calculations)."""
    data = copy.deepcopy(data)
    for question in structure.questions:
        if question.repeats:
            continue
        if question.type == "start":
            data[question.name] = started
        elif question.type == "username" and username:
            data[question.name] = username
        elif question.type == "deviceid":
            data[question.name] = WEB_DEVICE_ID
    return data
