"""Checking a submission's answers against its questionnaire, whatever their origin (web form,
API, offline client): the same rules as the form, evaluated on the server by surveys.xpath.

``data`` has the shape of Submission.data (see surveys/models.py): answers by question name,
repeats as lists of objects under the repeat's name.

- :func:`validate_submission` lists the errors: ``{"name", "path", "message"}``, the path
  naming a repeat entry from 1 (``cooperation[2]/annee_debut``). It checks, for every question
  whose ``relevant`` holds (and whose enclosing groups' and repeats' ``relevant`` hold):
  ``required``, the type of the value, the choices (after ``choice_filter``), ``range``
  bounds and step, and ``constraint`` with the form's ``constraint_message`` in the requested
  language; keys that are no question of the form are refused by name.
- Answers to questions that are not relevant are **dropped, not reported**: a respondent who
  answered, then changed an earlier answer, must not be blocked by the hidden answers (ODK
  does the same on submit). :func:`clean_submission` returns the answers without them beside
  the errors; :func:`validate_submission` checks those cleaned answers.
- :func:`fill_calculations` fills the metadata (start, end, today, deviceid, username) when
  absent and recomputes every ``calculation``; a calculation that cannot be evaluated (an
  unsupported function such as pulldata()) is left as it was.
- :func:`normalise` turns numbers sent as text into numbers (integer, decimal, range) and
  choice names sent as numbers into text, so that stored data keeps the contract's types.

Not checked: ``repeat_count`` (the number of entries is the respondent's), types the web form
cannot collect (media, geoshape…) beyond being text.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

from django.utils.translation import gettext as _

from .structure import METADATA, Question, Structure, label
from .xpath import Context, NodeSet, XPathError, evaluate, number_text, to_boolean

TRUE_WORDS = {"yes", "true", "true()", "1"}
FALSE_WORDS = {"", "no", "false", "false()", "0"}

_INTEGER = re.compile(r"^[-+]?\d+$")
_DECIMAL = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

DATETIME_TYPES = {"dateTime", "datetime", "start", "end"}
DATE_TYPES = {"date", "today"}
NO_VALUE_TYPES = {"note"}


def error(name: str, path: str, message: str) -> dict:
    return {"name": name, "path": path, "message": message}


# --- the structure's containers -------------------------------------------------------------------


def _containers(structure: Structure) -> dict[str, dict]:
    """Groups and repeats by name (cached on the structure)."""
    cached = getattr(structure, "_containers_cache", None)
    if cached is None:
        cached = {}
        stack = list(structure.survey.get("children", []))
        while stack:
            node = stack.pop()
            if node.get("type") in {"group", "repeat"}:
                cached[node.get("name", "")] = node
                stack.extend(node.get("children", []))
        structure._containers_cache = cached
    return cached


def _known_keys(structure: Structure) -> dict[str, set[str]]:
    """Names allowed as keys at each level: "" (the main object) or a repeat's name."""
    cached = getattr(structure, "_known_keys_cache", None)
    if cached is None:
        cached = {"": set()}
        for q in structure.questions:
            cached.setdefault(q.repeat, set()).add(q.name)
        for repeat in structure.repeat_nodes:
            cached.setdefault(repeat, set())
            cached.setdefault(structure.repeat_parent(repeat), set()).add(repeat)
        structure._known_keys_cache = cached
    return cached


def _form_text(value, language: str | None, structure: Structure) -> str:
    """A text of the form (constraint_message, required_message): str or {language: text}."""
    if not value:
        return ""
    return label({"label": value}, language, structure.default_language)


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- relevance ------------------------------------------------------------------------------------


def _holds(
    expression: str | None, ctx: Context, *, default: bool, errors=None, name="", path=""
) -> bool:
    if not expression or not str(expression).strip():
        return default
    try:
        return to_boolean(evaluate(str(expression), ctx))
    except XPathError as exc:
        if errors is not None:
            errors.append(
                error(
                    name, path, _("The form's rule cannot be checked: %(reason)s") % {"reason": exc}
                )
            )
        return default


def _required(bind: dict, ctx: Context, **kw) -> bool:
    value = bind.get("required")
    if value is None:
        return False
    text = str(value).strip()
    if text.lower() in TRUE_WORDS:
        return True
    if text.lower() in FALSE_WORDS:
        return False
    return _holds(text, ctx, default=False, **kw)


def is_relevant(structure: Structure, question, data: dict, repeat_position=None) -> bool:
    """Whether a question (a Question or its name) is relevant: its own ``relevant`` and that
    of every enclosing group and repeat hold. ``repeat_position`` locates the repeat entry:
    0-based indexes of the enclosing repeats, outermost first (an int for one level)."""
    if isinstance(question, str):
        question = structure.by_name[question]
    if isinstance(repeat_position, int):
        repeat_position = (repeat_position,)
    indexes = tuple(repeat_position or ())
    positions = tuple(zip(question.repeats, indexes, strict=False))
    ctx = Context(data=data, structure=structure, positions=positions)
    containers = _containers(structure)
    for name in question.path:
        node = containers.get(name, {})
        if not _holds((node.get("bind") or {}).get("relevant"), ctx, default=True):
            return False
    return _holds(question.bind.get("relevant"), ctx, default=True)


# --- normalising and calculating ------------------------------------------------------------------


def _objects(data: dict, repeats: tuple[str, ...], positions=()) -> Iterator[tuple[dict, tuple]]:
    """Every object holding the answers of a question nested in ``repeats``, with its
    positions ((repeat, index0), …)."""
    if not repeats:
        yield data, positions
        return
    first, rest = repeats[0], repeats[1:]
    entries = data.get(first)
    if not isinstance(entries, list):
        return
    for index, entry in enumerate(entries):
        if isinstance(entry, dict):
            yield from _objects(entry, rest, (*positions, (first, index)))


def normalise(structure: Structure, data: dict) -> dict:
    """A copy of ``data`` with numbers sent as text made numbers (integer, decimal, range)
    and choice names sent as numbers made text. Values that do not convert are left as
    they are (validation names them)."""
    data = copy.deepcopy(data)
    if not isinstance(data, dict):
        return data
    for q in structure.questions:
        for obj, _positions in _objects(data, q.repeats):
            if q.name not in obj:
                continue
            value = obj[q.name]
            if q.type == "integer":
                if isinstance(value, str) and _INTEGER.match(value.strip()):
                    obj[q.name] = int(value.strip())
                elif isinstance(value, float) and value.is_integer():
                    obj[q.name] = int(value)
            elif q.type in {"decimal", "range"}:
                if isinstance(value, str) and _DECIMAL.match(value.strip()):
                    number = float(value.strip())
                    obj[q.name] = (
                        int(number) if q.type == "range" and number.is_integer() else number
                    )
            elif q.kind in {"select_one", "select_multiple"}:
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    obj[q.name] = number_text(float(value))
    return data


def _calculated(value):
    """A calculation's result as stored: numbers as numbers, the rest as text."""
    if isinstance(value, NodeSet):
        return value[0] if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return number_text(value)
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    return value


_REFERENCE = re.compile(r"\$\{\s*([^}\s]+)\s*\}|([A-Za-z_][\w.-]*)")


def _forward_calculations(structure: Structure, calculated: list[Question]) -> list[Question]:
    """The calculations naming a calculation that comes after them (cached)."""
    cached = getattr(structure, "_forward_cache", None)
    if cached is None:
        position = {q.name: i for i, q in enumerate(calculated)}
        cached = []
        for i, q in enumerate(calculated):
            names = {a or b for a, b in _REFERENCE.findall(str(q.bind["calculate"]))}
            if any(position.get(name, -1) > i for name in names):
                cached.append(q)
        structure._forward_cache = cached
    return cached


def fill_calculations(
    structure: Structure,
    data: dict,
    *,
    now: datetime | None = None,
    username: str | None = None,
    deviceid: str | None = None,
    instance_id: str | None = None,
) -> dict:
    """A copy of ``data`` with the metadata filled where absent (start, end: ``now``; today:
    its date; username, deviceid: when given; the instanceID: ``uuid:<instance_id>`` when
    given) and every ``calculation`` recomputed, in form order, in every repeat entry."""
    data = copy.deepcopy(data) if isinstance(data, dict) else {}
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    for q in structure.questions:
        if q.repeats:
            continue
        if q.type in METADATA and _is_empty(data.get(q.name)):
            value = {
                "start": now.isoformat(timespec="milliseconds"),
                "end": now.isoformat(timespec="milliseconds"),
                "today": now.date().isoformat(),
                "username": username,
                "deviceid": deviceid,
            }.get(q.type)
            if value:
                data[q.name] = value
        elif (
            q.bind.get("jr:preload") == "uid"
            and instance_id
            and _is_empty(data.get(q.name))
            and not q.bind.get("calculate")
        ):
            data[q.name] = f"uuid:{instance_id}"
    calculated = [q for q in structure.questions if q.bind.get("calculate")]
    # a second pass for the calculations that use one coming later in the form
    for batch in (calculated, _forward_calculations(structure, calculated)):
        for q in batch:
            for obj, positions in list(_objects(data, q.repeats)):
                ctx = Context(
                    data=data,
                    structure=structure,
                    current=obj.get(q.name),
                    positions=positions,
                    now=now,
                )
                try:
                    result = evaluate(str(q.bind["calculate"]), ctx)
                except XPathError:
                    continue
                obj[q.name] = _calculated(result)
    return data


# --- checking -------------------------------------------------------------------------------------


MAX_NUMBER = 1e15  # larger answers are typing mistakes, and lose precision as floats
MAX_DEPTH = 32  # answers nested deeper than any form's repeats


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if abs(value) > MAX_NUMBER:
        return None
    return float(value)


def data_problem(data) -> str | None:
    """What makes ``data`` unstorable whatever the form says (nesting deeper than
    MAX_DEPTH, NUL characters, NaN or infinite numbers), or None. Iterative: hostile
    input cannot exhaust the stack."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return _("The answers are nested too deeply (more than %(n)s levels).") % {
                "n": MAX_DEPTH
            }
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str) or "\x00" in key:
                    return _("A question name contains a NUL character.")
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if "\x00" in value:
                return _("An answer contains a NUL character.")
        elif isinstance(value, float) and not math.isfinite(value):
            return _("An answer is not a finite number (NaN or Infinity).")
    return None


def _check_date(value) -> bool:
    if not isinstance(value, str) or not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_datetime(value) -> bool:
    if not isinstance(value, str) or not _DATETIME.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _geopoint_error(value) -> str | None:
    shape = _(
        "Expected a location as 'latitude longitude' with, optionally, altitude and accuracy."
    )
    if not isinstance(value, str):
        return shape
    parts = value.split()
    if not 2 <= len(parts) <= 4:
        return shape
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return shape
    if not all(math.isfinite(n) for n in numbers):
        return shape
    if not -90 <= numbers[0] <= 90:
        return _("The latitude must be between -90 and 90.")
    if not -180 <= numbers[1] <= 180:
        return _("The longitude must be between -180 and 180.")
    if len(numbers) == 4 and numbers[3] < 0:
        return _("The accuracy cannot be negative.")
    return None


def _range_bounds(q: Question) -> tuple[float, float, float]:
    params = q.node.get("parameters") or q.node.get("control") or {}

    def number(key, default):
        try:
            return float(params.get(key, default))
        except (TypeError, ValueError):
            return float(default)

    return number("start", 1), number("end", 10), number("step", 1)


def _choices(structure: Structure, q: Question, ctx: Context, errors, path) -> list[str] | None:
    """The choice names allowed here (after choice_filter), or None when the form's list
    cannot be known (choices from a file, or from the answers of a repeat)."""
    choices = structure.choices(q)
    if not choices:
        return None
    names = [str(c.get("name")) for c in choices]
    expression = q.node.get("choice_filter")
    if not expression:
        return names
    allowed = []
    for choice, name in zip(choices, names, strict=True):
        try:
            if to_boolean(evaluate(str(expression), ctx.at(item=choice))):
                allowed.append(name)
        except XPathError as exc:
            errors.append(
                error(
                    q.name,
                    path,
                    _("The form's rule cannot be checked: %(reason)s") % {"reason": exc},
                )
            )
            return None
    return allowed


def _type_error(structure: Structure, q: Question, value, ctx: Context, errors, path) -> str | None:
    t = q.type
    kind = q.kind
    if t == "integer":
        if isinstance(value, bool) or not (
            isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        ):
            return _("Expected a whole number.")
        if abs(value) > MAX_NUMBER:
            return _("This number is too large.")
        return None
    if t == "decimal":
        if _number(value) is None:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return _("This number is too large.")
            return _("Expected a number.")
        return None
    if t == "range":
        number = _number(value)
        start, end, step = _range_bounds(q)
        low, high = min(start, end), max(start, end)
        bad = number is None or not (low <= number <= high)
        if not bad and step:
            steps = (number - start) / step
            bad = abs(steps - round(steps)) > 1e-9
        if bad:
            return _("Expected a number from %(start)s to %(end)s in steps of %(step)s.") % {
                "start": number_text(start),
                "end": number_text(end),
                "step": number_text(step),
            }
        return None
    if t in DATE_TYPES:
        return None if _check_date(value) else _("Expected a date as YYYY-MM-DD.")
    if t in DATETIME_TYPES:
        if _check_datetime(value):
            return None
        return _("Expected a date and time as YYYY-MM-DDTHH:MM:SS.")
    if t == "time":
        if isinstance(value, str) and _TIME.match(value):
            return None
        return _("Expected a time as HH:MM or HH:MM:SS.")
    if t == "geopoint":
        return _geopoint_error(value)
    if kind in {"select_one", "select_multiple"}:
        if not isinstance(value, str):
            return _("Expected the name of a choice.")
        allowed = _choices(structure, q, ctx, errors, path)
        if allowed is None:
            return None
        picked = value.split() if kind == "select_multiple" else [value]
        if kind == "select_one" and len(value.split()) != 1:
            return _("Only one choice is allowed here.")
        wrong = [v for v in picked if v not in allowed]
        if wrong:
            return _("Not among the choices: %(values)s.") % {"values": ", ".join(wrong)}
        return None
    if t in {"text", "deviceid", "username", "email", "phonenumber", "simserial", "subscriberid"}:
        return None if isinstance(value, str) else _("Expected text.")
    # types the web form does not collect (media, geoshape, barcode…): kept as text or number
    if isinstance(value, (dict, list)):
        return _("Expected a single value.")
    return None


class _Checker:
    def __init__(self, structure: Structure, data: dict, language: str | None):
        self.structure = structure
        self.data = data
        self.language = language
        self.errors: list[dict] = []
        self.known = _known_keys(structure)

    def ctx(self, positions, current=None) -> Context:
        return Context(
            data=self.data,
            structure=self.structure,
            positions=positions,
            current=current,
            language=self.language,
        )

    def unknown(self, obj: dict, level: str, prefix: str) -> None:
        allowed = self.known.get(level, set())
        for key in list(obj):
            if key not in allowed:
                self.errors.append(
                    error(
                        key,
                        f"{prefix}{key}",
                        _("%(name)s is not a question of this form.") % {"name": key},
                    )
                )

    def drop(self, children, obj: dict) -> None:
        for node in children:
            if node.get("type") == "group":
                self.drop(node.get("children", []), obj)
            else:
                obj.pop(node.get("name", ""), None)

    def level(self, children, obj: dict, positions: tuple, prefix: str) -> None:
        for node in children:
            node_type = node.get("type", "")
            name = node.get("name", "")
            bind = node.get("bind") or {}
            path = f"{prefix}{name}"
            ctx = self.ctx(positions)
            if node_type == "group":
                relevant = _holds(
                    bind.get("relevant"),
                    ctx,
                    default=True,
                    errors=self.errors,
                    name=name,
                    path=path,
                )
                if relevant:
                    self.level(node.get("children", []), obj, positions, prefix)
                else:
                    self.drop(node.get("children", []), obj)
                continue
            if node_type == "repeat":
                self.repeat(node, obj, positions, prefix)
                continue
            self.question(node, obj, positions, prefix)

    def repeat(self, node: dict, obj: dict, positions: tuple, prefix: str) -> None:
        name = node.get("name", "")
        path = f"{prefix}{name}"
        entries = obj.get(name)
        if entries is None:
            return
        if not isinstance(entries, list):
            self.errors.append(error(name, path, _("Expected a list of entries.")))
            return
        kept = []
        for index, entry in enumerate(entries):
            entry_path = f"{path}[{index + 1}]"
            if not isinstance(entry, dict):
                self.errors.append(error(name, entry_path, _("Expected an entry (an object).")))
                continue
            entry_positions = (*positions, (name, index))
            relevant = _holds(
                (node.get("bind") or {}).get("relevant"),
                self.ctx(entry_positions),
                default=True,
                errors=self.errors,
                name=name,
                path=entry_path,
            )
            if not relevant:
                continue
            kept.append(entry)
            self.unknown(entry, name, f"{entry_path}/")
            self.level(node.get("children", []), entry, entry_positions, f"{entry_path}/")
        if kept:
            obj[name] = kept
        else:
            obj.pop(name, None)

    def question(self, node: dict, obj: dict, positions: tuple, prefix: str) -> None:
        name = node.get("name", "")
        path = f"{prefix}{name}"
        q = self.structure.by_name.get(name) or Question(
            name=name, type=node.get("type", ""), node=node
        )
        bind = q.bind
        value = obj.get(name)
        ctx = self.ctx(positions, current=value)
        kw = {"errors": self.errors, "name": name, "path": path}
        if not _holds(bind.get("relevant"), ctx, default=True, **kw):
            obj.pop(name, None)
            return
        if q.type in NO_VALUE_TYPES or bind.get("calculate"):
            return
        if _is_empty(value):
            if _required(bind, ctx, **kw):
                message = _form_text(bind.get("jr:requiredMsg"), self.language, self.structure)
                self.errors.append(error(name, path, message or _("This question is required.")))
            return
        problem = _type_error(self.structure, q, value, ctx, self.errors, path)
        if problem:
            self.errors.append(error(name, path, problem))
            return
        constraint = bind.get("constraint")
        if constraint and not _holds(constraint, ctx, default=True, **kw):
            message = _form_text(bind.get("jr:constraintMsg"), self.language, self.structure)
            self.errors.append(
                error(
                    name,
                    path,
                    message
                    or _("This answer does not meet the rule %(constraint)s.")
                    % {"constraint": constraint},
                )
            )


def clean_submission(
    structure: Structure, data, *, language: str | None = None
) -> tuple[dict, list[dict]]:
    """The answers without those to questions that are not relevant, and the errors."""
    if not isinstance(data, dict):
        return {}, [error("", "", _("The answers must be an object of question names."))]
    problem = data_problem(data)
    if problem:
        return {}, [error("", "", problem)]
    cleaned = copy.deepcopy(data)
    checker = _Checker(structure, cleaned, language)
    checker.unknown(cleaned, "", "")
    checker.level(structure.survey.get("children", []), cleaned, (), "")
    return cleaned, checker.errors


def validate_submission(structure: Structure, data, *, language: str | None = None) -> list[dict]:
    """The errors of a submission, [] when it is valid (see the module's docstring).

    Answers to questions that are not relevant are not reported: they are dropped when the
    submission is stored (:func:`clean_submission`)."""
    return clean_submission(structure, data, language=language)[1]
