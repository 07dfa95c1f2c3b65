"""One safe evaluator of the XPath subset that XLSForms use (``relevant``, ``constraint``,
``calculation``, ``choice_filter``), with the ODK functions a form needs.

Never ``eval``: a tokenizer and a recursive-descent parser build a small tree (cached per
expression string), which is then evaluated against a :class:`Context`. Expressions are
bounded (length, nesting), so hostile input gives an :class:`XPathError`, never a crash.

Values follow XPath 1.0: strings, numbers (floats; ``1 div 0`` is Infinity, ``0 div 0``
NaN), booleans and node-sets (:class:`NodeSet`, the string values of the answers a reference
names; an unanswered question is one empty string). Comparisons follow XPath's rules: a
node-set compared with a number compares each node as a number, with a string as a string;
``<``/``>`` always compare numbers; a date string ("2024-05-01") is a number of days since
1970-01-01 when a number is needed, so ``${d} <= today()`` works as in ODK.

References: ``${name}``, absolute paths (``/data/group/name``), relative paths (``../name``,
``current()/../name``) all name a question by its last step (names are unique in a form).
Inside a repeat instance a reference to a question of the same repeat (or of an enclosing
repeat) is that instance's answer; a reference to a question inside a repeat from outside it
is the node-set of every instance's answer (for ``count()``/``sum()``). In a choice filter a
bare name (``pays``) is the column of the choice being filtered.
"""

from __future__ import annotations

import math
import re
import uuid as uuid_module
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

MAX_LENGTH = 20_000
# parentheses and function calls nested at most this deep (the parser recurses on them)
MAX_NESTING = 40
# the syntax tree at most this deep (the evaluator recurses on it: 1+1+1+… is deep too)
MAX_DEPTH = 120
MAX_REGEX_INPUT = 10_000


class XPathError(Exception):
    """An expression that cannot be parsed or evaluated; the message names the expression."""

    def __init__(self, message: str, expression: str = ""):
        self.expression = expression
        self.reason = message
        super().__init__(f"{message} (in: {expression[:200]})" if expression else message)


class NodeSet(list):
    """The string values of the answers a reference names (a list of str)."""


# --- tokenizer ----------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<string>"[^"]*"|'[^']*')
  | (?P<op>!=|<=|>=|//|\.\.|[-+*=<>()\[\],/|.@])
  | (?P<name>[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)
    """,
    re.VERBOSE,
)

_WORD_OPERATORS = {"and", "or", "div", "mod"}


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, ref, op, name, end
    value: str
    pos: int


def tokenize(expression: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    n = len(expression)
    while pos < n:
        m = _TOKEN.match(expression, pos)
        if m is None:
            if expression[pos] == "$":
                raise XPathError(
                    f"a reference must read ${{name}} (position {pos + 1})", expression
                )
            raise XPathError(
                f"unexpected character {expression[pos]!r} at position {pos + 1}", expression
            )
        kind = m.lastgroup
        if kind == "refname":  # pragma: no cover - inner group of ref
            kind = "ref"
        text = m.group(0)
        if m.group("ws"):
            pass
        elif m.group("ref") is not None:
            name = m.group("refname").strip()
            if not re.fullmatch(r"[A-Za-z_][\w.-]*", name):
                raise XPathError(f"invalid reference ${{{name}}}", expression)
            tokens.append(Token("ref", name, pos))
        elif m.group("number") is not None:
            tokens.append(Token("number", text, pos))
        elif m.group("string") is not None:
            tokens.append(Token("string", text[1:-1], pos))
        elif m.group("op") is not None:
            tokens.append(Token("op", text, pos))
        else:
            tokens.append(Token("name", text, pos))
        pos = m.end()
    tokens.append(Token("end", "", n))
    return tokens


# --- syntax tree ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Ref:
    """A reference to a question or repeat by name (``${x}``, ``../x``, ``/data/g/x``)."""

    name: str


@dataclass(frozen=True)
class Current:
    """``.``: the value of the question being checked (or the choice being filtered)."""


@dataclass(frozen=True)
class Parent:
    """A path of ``..`` steps only (``..``, ``../..``): used by ``position(..)``."""

    levels: int


@dataclass(frozen=True)
class ItemField:
    """A bare name in a choice filter: a column of the choice being filtered."""

    name: str


@dataclass(frozen=True)
class Unary:
    operand: Any


@dataclass(frozen=True)
class Binary:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple


class _Parser:
    def __init__(self, expression: str):
        self.expression = expression
        self.tokens = tokenize(expression)
        self.i = 0
        self.depth = 0

    # helpers
    def peek(self, offset: int = 0) -> Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, message: str) -> XPathError:
        return XPathError(message, self.expression)

    def expect(self, value: str) -> None:
        tok = self.next()
        if tok.kind != "op" or tok.value != value:
            found = tok.value or "the end"
            raise self.error(f"expected {value!r} at position {tok.pos + 1}, found {found!r}")

    def is_op(self, *values: str) -> bool:
        tok = self.peek()
        return tok.kind == "op" and tok.value in values

    def is_word(self, *values: str) -> bool:
        tok = self.peek()
        return tok.kind == "name" and tok.value in values

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"expression nested too deeply (more than {MAX_NESTING} levels)")

    def leave(self) -> None:
        self.depth -= 1

    def binary(self, op, left, right):
        return Binary(op, left, right)

    # grammar (XPath 1.0 precedence: or < and < equality < relational < additive < mult < unary)
    def parse(self):
        if not self.expression.strip():
            raise self.error("empty expression")
        node = self.or_expr()
        tok = self.peek()
        if tok.kind != "end":
            raise self.error(f"unexpected {tok.value!r} at position {tok.pos + 1}")
        return node

    def or_expr(self):
        self.enter()
        node = self.and_expr()
        while self.is_word("or"):
            self.next()
            node = self.binary("or", node, self.and_expr())
        self.leave()
        return node

    def and_expr(self):
        node = self.equality()
        while self.is_word("and"):
            self.next()
            node = self.binary("and", node, self.equality())
        return node

    def equality(self):
        node = self.relational()
        while self.is_op("=", "!="):
            op = self.next().value
            node = self.binary(op, node, self.relational())
        return node

    def relational(self):
        node = self.additive()
        while self.is_op("<", "<=", ">", ">="):
            op = self.next().value
            node = self.binary(op, node, self.additive())
        return node

    def additive(self):
        node = self.multiplicative()
        while self.is_op("+", "-"):
            op = self.next().value
            node = self.binary(op, node, self.multiplicative())
        return node

    def multiplicative(self):
        node = self.unary()
        while self.is_op("*") or self.is_word("div", "mod"):
            op = self.next().value
            node = self.binary(op, node, self.unary())
        return node

    def unary(self):
        if self.is_op("-"):
            self.next()
            self.enter()
            node = Unary(self.unary())
            self.leave()
            return node
        return self.union()

    def union(self):
        node = self.primary()
        while self.is_op("|"):
            self.next()
            node = Binary("|", node, self.primary())
        return node

    def primary(self):
        tok = self.peek()
        if tok.kind == "number":
            self.next()
            return Literal(float(tok.value))
        if tok.kind == "string":
            self.next()
            return Literal(tok.value)
        if tok.kind == "ref":
            self.next()
            return self.path_tail(Ref(tok.value))
        if tok.kind == "op" and tok.value == "(":
            self.next()
            node = self.or_expr()  # or_expr counts the nesting
            self.expect(")")
            return self.path_tail(node)
        if tok.kind == "op" and tok.value in {".", "..", "/", "//"}:
            return self.location_path()
        if tok.kind == "name":
            if tok.value in _WORD_OPERATORS and self.peek(1).value != "(":
                raise self.error(f"unexpected {tok.value!r} at position {tok.pos + 1}")
            if self.peek(1).kind == "op" and self.peek(1).value == "(":
                return self.call()
            return self.location_path()
        if tok.kind == "op" and tok.value == "[":
            raise self.error("predicates ([…]) are not supported")
        found = tok.value or "the end of the expression"
        raise self.error(f"unexpected {found!r} at position {tok.pos + 1}")

    def call(self):
        name = self.next().value
        self.expect("(")
        args = []
        if not self.is_op(")"):
            args.append(self.or_expr())
            while self.is_op(","):
                self.next()
                args.append(self.or_expr())
        self.expect(")")
        node = Call(name, tuple(args))
        if name == "current":
            if args:
                raise self.error("current() takes no argument")
            return self.path_tail(Current(), from_current=True)
        return self.path_tail(node)

    def path_tail(self, node, from_current: bool = False):
        """Steps after a reference or current(): ``current()/../x`` names x."""
        if self.is_op("["):
            raise self.error("predicates ([…]) are not supported")
        if not self.is_op("/"):
            return node
        steps = []
        while self.is_op("/"):
            self.next()
            steps.append(self.step())
        return self.resolve_steps(steps, absolute=False, base=node if not from_current else None)

    def step(self) -> str:
        tok = self.next()
        if tok.kind == "op" and tok.value in {".", ".."}:
            return tok.value
        if tok.kind == "name":
            if self.is_op("("):
                raise self.error(f"function {tok.value}() not supported inside a path")
            if self.is_op("["):
                raise self.error("predicates ([…]) are not supported")
            return tok.value
        if tok.kind == "op" and tok.value == "@":
            raise self.error("attributes (@…) are not supported")
        raise self.error(f"unexpected {tok.value or 'end'!r} in a path at position {tok.pos + 1}")

    def location_path(self):
        absolute = False
        steps: list[str] = []
        if self.is_op("//"):
            raise self.error("'//' paths are not supported")
        if self.is_op("/"):
            self.next()
            absolute = True
            if self.peek().kind == "end" or not (
                self.peek().kind == "name" or self.is_op(".", "..")
            ):
                raise self.error("the root path '/' alone is not supported")
        steps.append(self.step())
        while self.is_op("/", "//"):
            if self.next().value == "//":
                raise self.error("'//' paths are not supported")
            steps.append(self.step())
        return self.resolve_steps(steps, absolute=absolute, base=None, bare=not absolute)

    def resolve_steps(self, steps, *, absolute: bool, base, bare: bool = False):
        names = [s for s in steps if s not in {".", ".."}]
        if not names:
            if base is not None:
                raise self.error("'..' after a reference is not supported")
            ups = sum(1 for s in steps if s == "..")
            return Current() if ups == 0 else Parent(ups)
        last = steps[-1]
        if last in {".", ".."}:
            raise self.error("a path must end with a question name")
        if base is not None and not isinstance(base, Ref):
            raise self.error("a path may only follow a reference or current()")
        if bare and len(steps) == 1:
            # a bare name: a choice's column in a choice filter, else a question
            return ItemField(last)
        return Ref(last)


def _children(node) -> tuple:
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Call):
        return node.args
    return ()


def _depth(tree) -> int:
    """How deep the evaluator recurses on a tree, computed without recursion. The left operand
    of a binary operator costs nothing: a chain (1+1+1+…, a or b or c…) is folded in a loop."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, Binary):
            stack.append((node.left, depth))
            stack.append((node.right, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in _children(node))
    return deepest


@lru_cache(maxsize=4096)
def parse(expression: str):
    """The syntax tree of an expression (cached); XPathError when it cannot be parsed."""
    if not isinstance(expression, str):
        raise XPathError("an expression must be text")
    if len(expression) > MAX_LENGTH:
        raise XPathError(
            f"expression too long ({len(expression)} characters, at most {MAX_LENGTH})"
        )
    try:
        tree = _Parser(expression).parse()
    except RecursionError:  # pragma: no cover - bounded by MAX_NESTING
        raise XPathError("expression nested too deeply", expression) from None
    if _depth(tree) > MAX_DEPTH:
        raise XPathError(
            f"expression too complex (its tree is deeper than {MAX_DEPTH} levels)", expression
        )
    return tree


def check(expression: str) -> None:
    """Raise XPathError if the expression does not parse."""
    parse(expression)


# --- context --------------------------------------------------------------------------------------


@dataclass
class Context:
    """What an expression is evaluated against.

    ``structure`` (a surveys.structure.Structure) locates questions in ``data`` (a
    submission's answers, the shape of Submission.data); without it ``${x}`` reads
    ``data[x]``. ``positions`` is the repeat instance being evaluated: ((repeat, index0), …),
    outermost first. ``current`` is the value of ``.``; ``item`` the choice being filtered.
    """

    data: dict = field(default_factory=dict)
    structure: Any = None
    current: Any = None
    positions: tuple = ()
    item: dict | None = None
    now: datetime | None = None
    language: str | None = None

    def at(self, **changes) -> Context:
        return replace(self, **changes)


# --- conversions ----------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_NUMBER = re.compile(r"^\s*-?(\d+(\.\d*)?|\.\d+)\s*$")
_EPOCH = date(1970, 1, 1)


def value_text(value) -> str:
    """The XPath string value of a stored answer."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) >= 2**53:
        return str(value)
    if isinstance(value, (int, float)):
        return number_text(float(value))
    if isinstance(value, (list, dict)):
        return ""
    return str(value)


def number_text(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == int(x) and abs(x) < 1e18:
        return str(int(x))
    text = repr(x)
    if "e" in text or "E" in text:
        text = f"{x:.20f}".rstrip("0").rstrip(".")
    return text


def to_string(value) -> str:
    if isinstance(value, NodeSet):
        return value[0] if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, int):
        return number_text(float(value))
    if value is None:
        return ""
    return str(value)


def _parse_date(text: str) -> date | None:
    m = _DATE.match(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _parse_datetime(text: str) -> datetime | None:
    if not _DATETIME.match(text):
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt


def string_to_number(text: str) -> float:
    text = text.strip()
    if _NUMBER.match(text):
        return float(text)
    d = _parse_date(text)
    if d is not None:
        return float((d - _EPOCH).days)
    dt = _parse_datetime(text)
    if dt is not None:
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        return (dt - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() / 86400
    return math.nan


def to_number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int) and abs(value) >= 2**1000:
        return math.inf if value > 0 else -math.inf
    if isinstance(value, (int, float)):
        return float(value)
    return string_to_number(to_string(value))


def to_boolean(value) -> bool:
    if isinstance(value, NodeSet):
        return len(value) > 0
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return not (value == 0 or math.isnan(value))
    return bool(to_string(value))


# --- evaluation -----------------------------------------------------------------------------------


def evaluate(expression: str, context: Context | dict | None = None):
    """The value of an expression (str, float, bool or NodeSet); XPathError when it cannot be
    parsed or uses a function that is not supported."""
    tree = parse(expression)
    if context is None:
        context = Context()
    elif isinstance(context, dict):
        context = Context(data=context)
    try:
        return _eval(tree, context)
    except XPathError as exc:
        if not exc.expression:
            raise XPathError(exc.reason, expression) from None
        raise
    except RecursionError:  # pragma: no cover - bounded by MAX_DEPTH
        raise XPathError("expression too deep to evaluate", expression) from None


def evaluate_boolean(expression: str, context) -> bool:
    return to_boolean(evaluate(expression, context))


def _eval(node, ctx: Context):
    kind = type(node)
    if kind is Literal:
        return node.value
    if kind is Ref:
        return _resolve(node.name, ctx)
    if kind is Binary:
        return _binary(node, ctx)
    if kind is Call:
        return _call(node, ctx)
    if kind is Current:
        return _current(ctx)
    if kind is ItemField:
        if ctx.item is not None:
            return NodeSet([value_text(ctx.item.get(node.name))])
        return _resolve(node.name, ctx)
    if kind is Unary:
        return -to_number(_eval(node.operand, ctx))
    if kind is Parent:
        raise XPathError("a '..' path is only supported inside position()")
    raise XPathError("cannot evaluate this expression")  # pragma: no cover


def _current(ctx: Context):
    if ctx.item is not None:
        return NodeSet([value_text(ctx.item.get("name"))])
    if isinstance(ctx.current, NodeSet):
        return ctx.current
    return NodeSet([value_text(ctx.current)])


def _resolve(name: str, ctx: Context) -> NodeSet:
    structure = ctx.structure
    data = ctx.data if isinstance(ctx.data, dict) else {}
    if structure is None:
        value = data.get(name)
        if isinstance(value, list):
            return NodeSet([""] * len(value))
        return NodeSet([value_text(value)])
    repeat_node = structure.repeat_nodes.get(name)
    if repeat_node is not None:
        chain = _repeat_chain(structure, name)
        nodes, _single = _instances(data, chain[:-1], ctx)
        count = 0
        for node in nodes:
            instances = node.get(name)
            if isinstance(instances, list):
                count += len(instances)
        return NodeSet([""] * count)
    question = structure.by_name.get(name)
    if question is None:
        raise XPathError(f"no question named {name!r} in the form")
    nodes, single = _instances(data, question.repeats, ctx)
    values = [value_text(n.get(name)) for n in nodes]
    if single and not values:
        values = [""]
    return NodeSet(values)


def _repeat_chain(structure, repeat: str) -> tuple[str, ...]:
    chain = [repeat]
    parent = structure.repeat_parent(repeat)
    while parent:
        chain.insert(0, parent)
        parent = structure.repeat_parent(parent)
    return tuple(chain)


def _instances(data: dict, repeats, ctx: Context) -> tuple[list[dict], bool]:
    """The objects holding a question nested in ``repeats``: the current instance where the
    context is inside that repeat, every instance elsewhere. Also whether it is one object."""
    positions = dict(ctx.positions)
    nodes = [data]
    single = True
    for repeat in repeats:
        found = []
        for node in nodes:
            instances = node.get(repeat)
            if not isinstance(instances, list):
                continue
            if single and repeat in positions:
                index = positions[repeat]
                if 0 <= index < len(instances) and isinstance(instances[index], dict):
                    found.append(instances[index])
            else:
                found.extend(i for i in instances if isinstance(i, dict))
        if repeat not in positions:
            single = False
        nodes = found
    return nodes, single


def _compare(op: str, a, b) -> bool:
    if isinstance(a, NodeSet) or isinstance(b, NodeSet):
        if isinstance(a, NodeSet) and isinstance(b, NodeSet):
            return any(_compare(op, x, y) for x in a for y in b)
        if isinstance(a, NodeSet):
            if isinstance(b, bool):
                return _compare(op, to_boolean(a), b)
            return any(_compare(op, x, b) for x in a)
        if isinstance(a, bool):
            return _compare(op, a, to_boolean(b))
        return any(_compare(op, a, y) for y in b)
    if op in {"=", "!="}:
        if isinstance(a, bool) or isinstance(b, bool):
            equal = to_boolean(a) == to_boolean(b)
        elif isinstance(a, (int, float)) or isinstance(b, (int, float)):
            equal = to_number(a) == to_number(b)
        else:
            equal = to_string(a) == to_string(b)
        return equal if op == "=" else not equal
    x, y = to_number(a), to_number(b)
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    return x >= y


def _binary(node: Binary, ctx: Context):
    # fold the left spine in a loop: long chains do not recurse
    spine = [node]
    while isinstance(spine[-1].left, Binary):
        spine.append(spine[-1].left)
    value = _eval(spine[-1].left, ctx)
    for link in reversed(spine):
        value = _apply(link.op, value, link.right, ctx)
    return value


def _apply(op: str, left, right_node, ctx: Context):
    if op == "or":
        return to_boolean(left) or to_boolean(_eval(right_node, ctx))
    if op == "and":
        return to_boolean(left) and to_boolean(_eval(right_node, ctx))
    right = _eval(right_node, ctx)
    if op == "|":
        if not isinstance(left, NodeSet) or not isinstance(right, NodeSet):
            raise XPathError("'|' needs two references")
        return NodeSet([*left, *right])
    if op in {"=", "!=", "<", "<=", ">", ">="}:
        return _compare(op, left, right)
    x, y = to_number(left), to_number(right)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "div":
        if y == 0:
            if x == 0 or math.isnan(x):
                return math.nan
            return math.inf if (x > 0) == (math.copysign(1, y) > 0) else -math.inf
        return x / y
    if op == "mod":
        if y == 0 or math.isinf(x) or math.isnan(x) or math.isnan(y):
            return math.nan
        if math.isinf(y):
            return x
        return math.fmod(x, y)
    raise XPathError(f"unknown operator {op!r}")  # pragma: no cover


# --- functions ------------------------------------------------------------------------------------

UNSUPPORTED = {
    "pulldata",
    "instance",
    "search",
    "version",
    "property",
    "digest",
    "base64-decode",
    "area",
    "distance",
    "geofence",
    "randomize",
    "random",
    "encrypt-string",
    "checklist",
    "weighted-checklist",
    "id",
    "lang",
    "local-name",
    "namespace-uri",
    "name",
    "last",
    "sum-of",
}


def _arity(name: str, args, low: int, high: int | None = None) -> None:
    high = low if high is None else high
    if not (low <= len(args) <= high):
        if low == high:
            expected = f"{low} argument{'s' if low != 1 else ''}"
        elif high == 99:
            expected = f"at least {low} arguments"
        else:
            expected = f"{low} to {high} arguments"
        raise XPathError(f"{name}() takes {expected}, {len(args)} given")


def _now(ctx: Context) -> datetime:
    now = ctx.now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now


def _to_datetime(value) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isnan(value) or math.isinf(value) or abs(value) > 3_000_000:
            return None
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=float(value))
    text = to_string(value).strip()
    d = _parse_date(text)
    if d is not None:
        return datetime(d.year, d.month, d.day)  # noqa: DTZ001 (a calendar date)
    dt = _parse_datetime(text)
    if dt is not None:
        return dt
    m = re.fullmatch(r"(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?", text)
    if m:
        return datetime.combine(_EPOCH, time(int(m.group(1)) % 24, int(m.group(2)) % 60))
    if _NUMBER.match(text):
        return _to_datetime(float(text))
    return None


def _format_date(value, fmt: str) -> str:
    dt = _to_datetime(value)
    if dt is None:
        return ""
    out = []
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            code = fmt[i + 1]
            i += 2
            out.append(
                {
                    "Y": f"{dt.year:04d}",
                    "y": f"{dt.year % 100:02d}",
                    "m": f"{dt.month:02d}",
                    "n": str(dt.month),
                    "d": f"{dt.day:02d}",
                    "e": str(dt.day),
                    "H": f"{dt.hour:02d}",
                    "h": str(dt.hour),
                    "M": f"{dt.minute:02d}",
                    "S": f"{dt.second:02d}",
                    "3": f"{dt.microsecond // 1000:03d}",
                    "%": "%",
                }.get(code, "%" + code)
            )
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _round(x: float, digits: int = 0) -> float:
    if math.isnan(x) or math.isinf(x):
        return x
    factor = 10.0**digits
    return math.floor(x * factor + 0.5) / factor


def _numbers(values) -> list[float]:
    out = []
    for v in values:
        if isinstance(v, NodeSet):
            out.extend(string_to_number(x) for x in v)
        else:
            out.append(to_number(v))
    return out


def _regex(text: str, pattern: str) -> bool:
    if len(text) > MAX_REGEX_INPUT:
        raise XPathError(f"regex(): the text is longer than {MAX_REGEX_INPUT} characters")
    try:
        compiled = _compile_regex(pattern)
    except re.error as exc:
        raise XPathError(f"regex(): invalid pattern {pattern!r}: {exc}") from None
    return compiled.search(text) is not None


@lru_cache(maxsize=256)
def _compile_regex(pattern: str):
    return re.compile(pattern)


def _choice_name(value: str, question_path: str, ctx: Context) -> str:
    structure = ctx.structure
    if structure is None:
        return value
    name = re.sub(r"^\$\{|\}$", "", question_path.strip()).rsplit("/", 1)[-1]
    question = structure.by_name.get(name)
    if question is None:
        raise XPathError(f"jr:choice-name(): no question named {name!r}")
    from .structure import label

    for choice in structure.choices(question):
        if str(choice.get("name")) == value:
            return label(choice, ctx.language, structure.default_language)
    return ""


def _position(args, ctx: Context) -> float:
    if not ctx.positions:
        raise XPathError("position() outside a repeat")
    levels = 1
    if args:
        arg = args[0]
        if isinstance(arg, Parent):
            levels = arg.levels
        elif isinstance(arg, Ref) and ctx.structure is not None and arg.name in dict(ctx.positions):
            return float(dict(ctx.positions)[arg.name] + 1)
        else:
            raise XPathError("position() takes '..' or the name of an enclosing repeat")
    if levels > len(ctx.positions):
        raise XPathError("position(): no repeat that many levels up")
    return float(ctx.positions[-levels][1] + 1)


def _indexed_repeat(args, ctx: Context):
    if len(args) < 3 or len(args) % 2 == 0:
        raise XPathError("indexed-repeat() takes a question, then repeat and position pairs")
    target = args[0]
    if not isinstance(target, (Ref, ItemField)):
        raise XPathError("indexed-repeat(): the first argument must be a reference")
    positions = dict(ctx.positions)
    for repeat_arg, index_arg in zip(args[1::2], args[2::2], strict=True):
        if not isinstance(repeat_arg, (Ref, ItemField)):
            raise XPathError("indexed-repeat(): repeats must be references")
        index = to_number(_eval(index_arg, ctx))
        if math.isnan(index) or index < 1:
            return NodeSet([])
        positions[repeat_arg.name] = int(index) - 1
    ordered = tuple(positions.items())
    return _resolve(target.name, ctx.at(positions=ordered, item=None))


def _call(node: Call, ctx: Context):
    name = node.name
    bare = name.split(":", 1)[1] if name.startswith(("jr:", "fn:", "math:")) else name
    if bare in UNSUPPORTED or name in UNSUPPORTED:
        raise XPathError(f"{name}() is not supported")
    raw = node.args
    if bare == "position":
        _arity(name, raw, 0, 1)
        return _position(raw, ctx)
    if bare == "indexed-repeat":
        return _indexed_repeat(raw, ctx)
    if bare == "once":
        _arity(name, raw, 1)
        current = to_string(_current(ctx)) if ctx.item is None else ""
        if current:  # the value already there, as it is (a number stays a number)
            return ctx.current if isinstance(ctx.current, (int, float, str)) else current
        return _eval(raw[0], ctx)
    function = _FUNCTIONS.get(bare)
    if function is None:
        raise XPathError(f"unknown function {name}()")
    low, high, impl = function
    _arity(name, raw, low, high)
    args = [_eval(a, ctx) for a in raw]
    return impl(args, ctx)


def _s(args, i):
    return to_string(args[i])


def _n(args, i):
    return to_number(args[i])


def _substr(args, ctx):
    text = _s(args, 0)
    start = _n(args, 1)
    if math.isnan(start):
        return ""
    start_i = max(0, int(start))
    if len(args) > 2:
        end = _n(args, 2)
        if math.isnan(end):
            return ""
        return text[start_i : max(start_i, int(end))]
    return text[start_i:]


def _substring(args, ctx):
    # XPath 1.0: 1-based, with rounding
    text = _s(args, 0)
    start = _round(_n(args, 1))
    if math.isnan(start):
        return ""
    end = start + _round(_n(args, 2)) if len(args) > 2 else math.inf
    if math.isnan(end):
        return ""
    return "".join(ch for i, ch in enumerate(text, start=1) if start <= i < end)


def _translate(args, ctx):
    text, source, target = _s(args, 0), _s(args, 1), _s(args, 2)
    table: dict[str, str | None] = {}
    for i, ch in enumerate(source):
        if ch not in table:
            table[ch] = target[i] if i < len(target) else None
    return "".join(table.get(ch, ch) or "" for ch in text if table.get(ch, ch) is not None)


def _selected(args, ctx):
    return _s(args, 1).strip() in _s(args, 0).split()


def _selected_at(args, ctx):
    items = _s(args, 0).split()
    index = _n(args, 1)
    if math.isnan(index) or not (0 <= int(index) < len(items)):
        return ""
    return items[int(index)]


def _count(args, ctx):
    if not isinstance(args[0], NodeSet):
        raise XPathError("count() takes a reference")
    return float(len(args[0]))


def _sum(args, ctx):
    if not isinstance(args[0], NodeSet):
        raise XPathError("sum() takes a reference")
    return float(sum(string_to_number(v) for v in args[0]))


def _minmax(pick):
    def impl(args, ctx):
        values = _numbers(args)
        if not values or any(math.isnan(v) for v in values):
            return math.nan
        return pick(values)

    return impl


def _date(args, ctx):
    value = args[0]
    if isinstance(value, NodeSet):
        value = to_string(value)
    dt = _to_datetime(value)
    if dt is None:
        return ""
    return dt.date().isoformat()


def _decimal_date_time(args, ctx):
    value = args[0]
    if isinstance(value, NodeSet):
        value = to_string(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return string_to_number(to_string(value))


def _int(args, ctx):
    x = _n(args, 0)
    if math.isnan(x) or math.isinf(x):
        return x
    return float(math.trunc(x))


def _round_fn(args, ctx):
    x = _n(args, 0)
    digits = int(_n(args, 1)) if len(args) > 1 and not math.isnan(_n(args, 1)) else 0
    return _round(x, max(-15, min(15, digits)))


def _pow(args, ctx):
    try:
        return float(math.pow(_n(args, 0), _n(args, 1)))
    except (OverflowError, ValueError):
        return math.nan


def _math(fn):
    def impl(args, ctx):
        try:
            return float(fn(_n(args, 0)))
        except (OverflowError, ValueError):
            return math.nan

    return impl


def _join(args, ctx):
    sep = _s(args, 0)
    values: list[str] = []
    for a in args[1:]:
        values.extend(a if isinstance(a, NodeSet) else [to_string(a)])
    return sep.join(values)


def _concat(args, ctx):
    parts: list[str] = []
    for a in args:
        parts.extend(a if isinstance(a, NodeSet) else [to_string(a)])
    return "".join(parts)


def _coalesce(args, ctx):
    first = _s(args, 0)
    return first if first else _s(args, 1)


def _boolean_from_string(args, ctx):
    return _s(args, 0).strip() in {"true", "1"}


def _choice_name_fn(args, ctx):
    return _choice_name(_s(args, 0), _s(args, 1), ctx)


_FUNCTIONS: dict[str, tuple[int, int, Any]] = {
    "true": (0, 0, lambda a, c: True),
    "false": (0, 0, lambda a, c: False),
    "not": (1, 1, lambda a, c: not to_boolean(a[0])),
    "boolean": (1, 1, lambda a, c: to_boolean(a[0])),
    "boolean-from-string": (1, 1, _boolean_from_string),
    "number": (1, 1, lambda a, c: to_number(a[0])),
    "string": (1, 1, lambda a, c: to_string(a[0])),
    "int": (1, 1, _int),
    "round": (1, 2, _round_fn),
    "floor": (
        1,
        1,
        lambda a, c: float(math.floor(_n(a, 0))) if math.isfinite(_n(a, 0)) else _n(a, 0),
    ),
    "ceiling": (
        1,
        1,
        lambda a, c: float(math.ceil(_n(a, 0))) if math.isfinite(_n(a, 0)) else _n(a, 0),
    ),
    "abs": (1, 1, lambda a, c: abs(_n(a, 0))),
    "pow": (2, 2, _pow),
    "sqrt": (1, 1, _math(math.sqrt)),
    "exp": (1, 1, _math(math.exp)),
    "log": (1, 1, _math(math.log)),
    "log10": (1, 1, _math(math.log10)),
    "pi": (0, 0, lambda a, c: math.pi),
    "min": (1, 99, _minmax(min)),
    "max": (1, 99, _minmax(max)),
    "sum": (1, 1, _sum),
    "count": (1, 1, _count),
    "count-non-empty": (
        1,
        1,
        lambda a, c: (
            float(sum(1 for v in a[0] if v)) if isinstance(a[0], NodeSet) else _count(a, c)
        ),
    ),
    "selected": (2, 2, _selected),
    "count-selected": (1, 1, lambda a, c: float(len(_s(a, 0).split()))),
    "selected-at": (2, 2, _selected_at),
    "choice-name": (2, 2, _choice_name_fn),
    "string-length": (1, 1, lambda a, c: float(len(_s(a, 0)))),
    "concat": (0, 99, _concat),
    "join": (1, 99, _join),
    "contains": (2, 2, lambda a, c: _s(a, 1) in _s(a, 0)),
    "starts-with": (2, 2, lambda a, c: _s(a, 0).startswith(_s(a, 1))),
    "ends-with": (2, 2, lambda a, c: _s(a, 0).endswith(_s(a, 1))),
    "substr": (2, 3, _substr),
    "substring": (2, 3, _substring),
    "substring-before": (
        2,
        2,
        lambda a, c: _s(a, 0).split(_s(a, 1), 1)[0] if _s(a, 1) in _s(a, 0) else "",
    ),
    "substring-after": (
        2,
        2,
        lambda a, c: _s(a, 0).split(_s(a, 1), 1)[1] if _s(a, 1) in _s(a, 0) else "",
    ),
    "translate": (3, 3, _translate),
    "normalize-space": (1, 1, lambda a, c: " ".join(_s(a, 0).split())),
    "lower-case": (1, 1, lambda a, c: _s(a, 0).lower()),
    "upper-case": (1, 1, lambda a, c: _s(a, 0).upper()),
    "regex": (2, 2, lambda a, c: _regex(_s(a, 0), _s(a, 1))),
    "if": (3, 3, lambda a, c: a[1] if to_boolean(a[0]) else a[2]),
    "coalesce": (2, 2, _coalesce),
    "today": (0, 0, lambda a, c: _now(c).date().isoformat()),
    "now": (0, 0, lambda a, c: _now(c).isoformat(timespec="milliseconds")),
    "date": (1, 1, _date),
    "date-time": (1, 1, lambda a, c: _to_datetime(a[0]).isoformat() if _to_datetime(a[0]) else ""),
    "decimal-date-time": (1, 1, _decimal_date_time),
    "decimal-date": (1, 1, _decimal_date_time),
    "format-date": (
        2,
        2,
        lambda a, c: _format_date(
            a[0] if not isinstance(a[0], NodeSet) else to_string(a[0]), _s(a, 1)
        ),
    ),
    "format-date-time": (
        2,
        2,
        lambda a, c: _format_date(
            a[0] if not isinstance(a[0], NodeSet) else to_string(a[0]), _s(a, 1)
        ),
    ),
    "uuid": (0, 1, lambda a, c: str(uuid_module.uuid4())),
}
