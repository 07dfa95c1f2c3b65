"""Figures from a questionnaire's answers: counts, number summaries, zones, cross-tabs.

``analyse(questionnaire)`` returns the document of the issue (the API and ``reciprocite
survey analysis --json`` print it as it is)::

    {"form": "cooperations", "submissions": 44, "repeats": {"cooperation": 61},
     "questions": {
        "themes": {"type": "select_multiple", "counts": {"acces_droits": 18, …}, "answered": 61},
        "annee_debut": {"type": "integer", "n": 61, "min": 1978.0, "median": 2007.0,
                        "mean": 2004.61, "max": 2012.0, "sum": 122281.0}, …},
     "zones": {"pays_partenaire": {"Western Africa": 30, "Maghreb": 19, …}},
     # the study's indicators, when the form has the questions they need:
     "cooperations_by_respondent_type": {"commune": 40, …},
     "share_only_international_relations_service": 0.6885,
     "share_with_associations": 0.7541}

Rules (docs/surveys.md, "Analysis"):

- A question is counted once per *unit*: a submission for a question at the top level, an
  entry of its repeat for a question inside a repeat (nested repeats likewise).
- ``counts`` holds the choices chosen at least once (a choice nobody chose is left out),
  most chosen first; ``answered`` is the number of units with a non-empty answer. A
  select_multiple answer counts each of its choices once.
- Numbers (integer, decimal, range): n, min, median (the mean of the two middle values for
  an even n), mean rounded to 2 decimals, max, sum; all floats, ``None`` when n is 0.
- ``zones``: every select question whose choices are countries (ISO 3166-1 alpha-2 codes),
  units counted per zone of ``territories.geography.zone_of`` (English key); a unit naming
  two countries of one zone counts once for that zone.
- Filters ``{question: value | [values]}``: a top-level question keeps the submissions whose
  answer matches (any of the values); a question inside a repeat keeps the matching entries,
  and the submissions with at least one matching entry.

The figures are computed in one pass over the answers (read as JSON text, decoded with
orjson) with plain dicts and Counters, and kept in the cache under a stamp of the answers
(count, last id) and of the questionnaire's version.
"""

from __future__ import annotations

import gc
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat

import orjson
from django.core.cache import cache
from django.db.models import Count, Max, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from reciprocite.territories.geography import is_country, zone_of

from .models import Campaign, Questionnaire, Submission
from .structure import NUMERIC, Question, Structure

CACHE_SECONDS = 600
CHUNK = 2000
SELECT_KINDS = ("select_one", "select_multiple")

# The study's indicators on the ``cooperation`` repeat (computed when the form has them).
STUDY_REPEAT = "cooperation"
RESPONDENT_TYPE = "collectivite_type"
SERVICES = "services_internes"
INTERNATIONAL_SERVICE = "relations_internationales"
NO_SERVICE = "aucun"
EXTERNAL_PARTNERS = "partenaires_externes"
ASSOCIATIONS = "associations"


class AnalysisError(ValueError):
    """A question, filter or cross-tab the form cannot answer; ``param`` names the input."""

    def __init__(self, param: str, message: str):
        self.param = param
        self.message = message
        super().__init__(f"{param}: {message}")


# --- the plan: what to count, read once from the structure -----------------------------------


@dataclass
class _Plan:
    structure: Structure
    questions: list[Question] = field(default_factory=list)
    # repeat name → its enclosing repeats, outermost first (itself last)
    repeat_paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    countries: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, structure: Structure) -> _Plan:
        plan = cls(structure)
        for name in structure.repeat_nodes:
            path = [name]
            parent = structure.repeat_parent(name)
            while parent:
                path.insert(0, parent)
                parent = structure.repeat_parent(parent)
            plan.repeat_paths[name] = tuple(path)
        for q in structure.questions:
            if q.kind in SELECT_KINDS or q.type in NUMERIC:
                plan.questions.append(q)
                if q.kind in SELECT_KINDS and is_country_list(structure.choices(q)):
                    plan.countries.add(q.name)
        return plan

    def question(self, name: str, param: str) -> Question:
        q = self.structure.by_name.get(name)
        if q is None or (q.kind not in SELECT_KINDS and q.type not in NUMERIC):
            if q is None:
                raise AnalysisError(
                    param, _("the form has no question named %(name)s.") % {"name": name}
                )
            raise AnalysisError(
                param,
                _("%(name)s is not a select or number question (it is %(type)s).")
                % {"name": name, "type": q.type},
            )
        return q

    def levels(self) -> list[tuple[str, ...]]:
        """Every level of units: () for submissions, then each repeat's path."""
        return [(), *sorted(self.repeat_paths.values(), key=len)]


def is_country_list(choices: list[dict]) -> bool:
    names = [c.get("name", "") for c in choices]
    return len(names) >= 2 and all(isinstance(n, str) and is_country(n) for n in names)


def _kind(q: Question) -> str:
    return q.kind if q.kind in SELECT_KINDS else q.type


def plan_of(questionnaire: Questionnaire) -> _Plan:
    version = questionnaire.current_version
    if version is None:
        raise AnalysisError(
            "form",
            _("the questionnaire %(form)s has no version loaded.")
            % {"form": questionnaire.form_id},
        )
    return _Plan.of(Structure(version.structure, version.rows or {}))


# --- filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Filter:
    question: Question
    values: frozenset[str]

    def matches(self, value) -> bool:
        if value is None or value == "":
            return False
        kind = self.question.kind
        if kind == "select_multiple":
            chosen = value.split() if isinstance(value, str) else value
            return isinstance(chosen, list) and any(str(v) in self.values for v in chosen)
        if self.question.type in NUMERIC:
            number = _number(value)
            return number is not None and any(_number(v) == number for v in self.values)
        return str(value) in self.values


def parse_filters(plan: _Plan, filters: Mapping | None) -> list[_Filter]:
    """``{question: value | [values]}`` checked against the form (choices included)."""
    parsed: list[_Filter] = []
    for name, raw in (filters or {}).items():
        q = plan.question(str(name), "filter")
        values = [raw] if isinstance(raw, str | int | float) else list(raw or [])
        values = [str(v).strip() for v in values if str(v).strip()]
        if not values:
            raise AnalysisError("filter", _("%(name)s: no value given.") % {"name": name})
        if q.kind in SELECT_KINDS:
            known = {str(c.get("name")) for c in plan.structure.choices(q)}
            unknown = [v for v in values if known and v not in known]
            if unknown:
                raise AnalysisError(
                    "filter",
                    _("%(value)s is not a choice of %(name)s.")
                    % {"value": unknown[0], "name": q.name},
                )
        elif q.type in NUMERIC and any(_number(v) is None for v in values):
            raise AnalysisError("filter", _("%(name)s: a number is expected.") % {"name": q.name})
        parsed.append(_Filter(q, frozenset(values)))
    return parsed


def filters_from_params(values: Iterable[str]) -> dict[str, list[str]]:
    """``["question:value", …]`` (the API's and the page's ``filter`` parameters) as a dict."""
    found: dict[str, list[str]] = {}
    for item in values:
        name, sep, value = (item or "").partition(":")
        if not sep or not name.strip() or not value.strip():
            raise AnalysisError("filter", _("%(item)s: expected question:value.") % {"item": item})
        found.setdefault(name.strip(), []).append(value.strip())
    return found


class _Pruner:
    """Applies filters to one submission: drops non-matching entries, or the submission."""

    def __init__(self, plan: _Plan, filters: list[_Filter]):
        self.by_level: dict[str, list[_Filter]] = {}
        for f in filters:
            self.by_level.setdefault(f.question.repeat, []).append(f)
        # repeats directly under each level, and whether a filter sits at or below them
        self.children: dict[str, list[str]] = {}
        for name, path in plan.repeat_paths.items():
            self.children.setdefault(path[-2] if len(path) > 1 else "", []).append(name)
        self.filtered_below: dict[str, bool] = {
            name: any(f.question.repeat and name in f.question.repeats for f in filters)
            for name in plan.repeat_paths
        }

    def prune(self, node: dict, level: str = "") -> dict | None:
        for f in self.by_level.get(level, ()):
            if not f.matches(node.get(f.question.name)):
                return None
        out = node
        for child in self.children.get(level, ()):
            if not self.filtered_below[child]:
                continue
            entries = node.get(child)
            kept = [
                k
                for e in (entries if isinstance(entries, list) else ())
                if isinstance(e, dict) and (k := self.prune(e, child)) is not None
            ]
            if not kept:
                return None
            out = {**out, child: kept}
        return out


# --- reading the answers ---------------------------------------------------------------------


def answers_of(questionnaire: Questionnaire, campaign=None, *, published_only: bool = False):
    """The submissions counted: all of them (the analyst's view), those of ``campaign``, and
    with ``published_only`` (every public figure) only those of published campaigns."""
    answers = Submission.objects.filter(questionnaire=questionnaire)
    if campaign is not None:
        answers = answers.filter(campaign=campaign)
    if published_only:
        answers = answers.filter(campaign__published_at__isnull=False)
    return answers


def _documents(
    questionnaire: Questionnaire, campaign=None, published_only: bool = False
) -> Iterator[list[dict]]:
    """The answers in chunks, decoded from the JSON text the database holds (see
    ``answers_of`` for which)."""
    answers = answers_of(questionnaire, campaign, published_only=published_only)
    rows = (
        answers.order_by()
        .annotate(raw=Cast("data", TextField()))
        .values_list("raw", flat=True)
        .iterator(chunk_size=CHUNK)
    )
    chunk: list[dict] = []
    loads = orjson.loads
    for raw in rows:
        doc = loads(raw) if raw else None
        if isinstance(doc, dict):
            chunk.append(doc)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


@contextmanager
def _no_cyclic_gc():
    """Decoded answers hold no reference cycles: the cyclic collector, triggered again and
    again by the million objects they make, would only slow the pass (by half)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _children(units: list[dict], name: str) -> list[dict]:
    """The entries of repeat ``name`` in ``units`` (objects only: odd data is skipped)."""
    out: list[dict] = []
    extend = out.extend
    for entries in map(dict.get, units, repeat(name)):
        if entries.__class__ is list:
            extend(entries)
    if out and set(map(type, out)) != {dict}:
        out = [e for e in out if e.__class__ is dict]
    return out


def _number(value) -> float | None:
    cls = value.__class__
    if cls is int or cls is float:
        return float(value) if math.isfinite(value) else None
    if cls is str:
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


# --- the analysis ----------------------------------------------------------------------------


def _count_into(counter: Counter, units: list[dict], name: str, counted: int) -> None:
    """Add the raw values of ``name`` in ``units`` to ``counter`` (in C: no Python loop).

    ``counted`` is how many values ``counter`` held before. A list or an object where a
    value was expected (odd data) stops the C loop; the rest is then counted in Python, lists
    as space-joined text, objects as no answer."""
    try:
        counter.update(map(dict.get, units, repeat(name)))
    except TypeError:
        done = sum(counter.values()) - counted
        for unit in units[done:]:
            value = unit.get(name)
            if value.__class__ is list:
                value = " ".join(_key(x) for x in value if x.__class__ is not dict)
            elif value.__class__ is dict:
                value = None
            counter[value] += 1


class _Tally:
    """Everything analyse() counts, fed chunk by chunk.

    Answers repeat a lot (a choice, a combination of choices, a year): the raw values of each
    question are counted as they are over all the chunks, in C; at the end each *distinct*
    value is split, converted or mapped to its zone once.
    """

    def __init__(self, plan: _Plan):
        self.plan = plan
        self.submissions = 0
        self.repeats = Counter({name: 0 for name in plan.repeat_paths})
        self.raw = {q.name: Counter() for q in plan.questions}
        self.seen = Counter()
        self.study = _study_ready(plan)
        self.by_type = Counter()

    def feed(self, docs: list[dict]) -> None:
        plan = self.plan
        self.submissions += len(docs)
        units: dict[str, list[dict]] = {"": docs}
        for path in plan.levels()[1:]:
            name = path[-1]
            units[name] = _children(units[path[-2] if len(path) > 1 else ""], name)
            self.repeats[name] += len(units[name])
        for q in plan.questions:
            level = units[q.repeat]
            _count_into(self.raw[q.name], level, q.name, self.seen[q.name])
            self.seen[q.name] += len(level)
        if self.study:
            self.by_type.update(_entries_by_kind(docs, len(units.get(STUDY_REPEAT, ()))))

    def document(self, form_id: str) -> dict:
        splits: dict = {}

        def split(value) -> tuple[str, ...]:
            found = splits.get(value)
            if found is None:
                if value.__class__ is str:
                    found = tuple(dict.fromkeys(value.split()))
                elif value is None or value == "":
                    found = ()
                else:
                    found = (_key(value),)
                splits[value] = found
            return found

        raw = {}
        for name, counter in self.raw.items():
            counter.pop(None, None)
            counter.pop("", None)
            raw[name] = counter
        questions: dict[str, dict] = {}
        for q in self.plan.questions:
            values = raw[q.name]
            if q.kind == "select_one":
                counts = Counter()
                for value, n in values.items():
                    counts[value if value.__class__ is str else _key(value)] += n
                questions[q.name] = {
                    "type": q.kind,
                    "counts": _ordered(counts),
                    "answered": sum(values.values()),
                }
            elif q.kind == "select_multiple":
                counts = Counter()
                answered = 0
                for value, n in values.items():
                    chosen = split(value)
                    if chosen:
                        answered += n
                        for choice in chosen:
                            counts[choice] += n
                questions[q.name] = {
                    "type": q.kind,
                    "counts": _ordered(counts),
                    "answered": answered,
                }
            else:
                numbers = Counter()
                for value, n in values.items():
                    number = _number(value)
                    if number is not None:
                        numbers[number] += n
                questions[q.name] = {"type": q.type, **summary_of_counts(numbers)}
        zones = {}
        for name in self.plan.countries:
            counts = Counter()
            for value, n in raw[name].items():
                for zone in {z for code in split(value) if (z := _zone_key(code))}:
                    counts[zone] += n
            zones[name] = _ordered(counts)
        doc = {
            "form": form_id,
            "submissions": self.submissions,
            "repeats": dict(self.repeats),
            "questions": questions,
            "zones": zones,
        }
        if self.study:
            entries = self.repeats[STUDY_REPEAT]
            alone = {INTERNATIONAL_SERVICE, NO_SERVICE}
            only_international = sum(
                n for v, n in raw[SERVICES].items() if (c := split(v)) and alone.issuperset(c)
            )
            with_associations = sum(
                n for v, n in raw[EXTERNAL_PARTNERS].items() if ASSOCIATIONS in split(v)
            )
            doc["cooperations_by_respondent_type"] = _ordered(self.by_type)
            doc["share_only_international_relations_service"] = _share(only_international, entries)
            doc["share_with_associations"] = _share(with_associations, entries)
        return doc


def _entries_by_kind(docs: list[dict], entries: int) -> Counter:
    """Entries of the study's repeat by the kind of authority of their submission;
    ``entries`` is how many objects the repeat holds in ``docs``."""

    def pairs():
        return zip(
            map(dict.get, docs, repeat(RESPONDENT_TYPE)),
            map(dict.get, docs, repeat(STUDY_REPEAT)),
            strict=True,
        )

    by_kind = Counter()
    listed = 0
    for kind, found in pairs():
        if found.__class__ is list and found:
            listed += len(found)
            if kind.__class__ is str and kind:
                by_kind[kind] += len(found)
            elif kind.__class__ in (int, float):
                by_kind[_key(kind)] += len(found)
    if listed != entries:
        # odd data (something other than objects in the repeat): count the objects only
        by_kind.clear()
        for kind, found in pairs():
            if found.__class__ is list and kind.__class__ in (str, int, float) and kind != "":
                by_kind[_key(kind)] += sum(1 for e in found if e.__class__ is dict)
    return by_kind


@lru_cache(maxsize=1024)
def _zone_key(code: str) -> str | None:
    zone = zone_of(code)
    return zone.key if zone else None


def _key(value) -> str:
    if value.__class__ is float and value.is_integer():
        return str(int(value))
    return str(value)


def _chosen(value) -> set[str]:
    if value.__class__ is str:
        return set(value.split())
    if value.__class__ is list:
        return {_key(v) for v in value}
    return set()


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _ordered(counter: Counter) -> dict[str, int]:
    """Most frequent first, ties by name (a stable order for people; JSON readers ignore it)."""
    return {k: n for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])) if n}


def _study_ready(plan: _Plan) -> bool:
    by_name = plan.structure.by_name
    respondent = by_name.get(RESPONDENT_TYPE)
    return (
        STUDY_REPEAT in plan.repeat_paths
        and respondent is not None
        and not respondent.repeats
        and all(
            by_name.get(n) is not None and by_name[n].repeat == STUDY_REPEAT
            for n in (SERVICES, EXTERNAL_PARTNERS)
        )
    )


def summary(numbers: list[float]) -> dict:
    """n, min, median, mean (2 decimals), max and sum of numbers, as floats."""
    n = len(numbers)
    if not n:
        return {"n": 0, "min": None, "median": None, "mean": None, "max": None, "sum": None}
    ordered = sorted(numbers)
    middle = n // 2
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    total = math.fsum(ordered)
    return {
        "n": n,
        "min": float(ordered[0]),
        "median": float(median),
        "mean": round(total / n, 2),
        "max": float(ordered[-1]),
        "sum": float(total),
    }


def summary_of_counts(counts: Mapping[float, int]) -> dict:
    """``summary`` of numbers given as {value: how many times}."""
    n = sum(counts.values())
    if not n:
        return summary([])
    ordered = sorted(counts.items())

    def nth(k: int) -> float:  # the k-th smallest value, from 0
        seen = 0
        for value, times in ordered:
            seen += times
            if k < seen:
                return value
        return ordered[-1][0]

    middle = n // 2
    median = nth(middle) if n % 2 else (nth(middle - 1) + nth(middle)) / 2
    total = math.fsum(value * times for value, times in ordered)
    return {
        "n": n,
        "min": float(ordered[0][0]),
        "median": float(median),
        "mean": round(total / n, 2),
        "max": float(ordered[-1][0]),
        "sum": float(total),
    }


# Bumped whenever the analysis document changes shape or meaning: cached documents of an
# older release are then never served.
DOCUMENT_FORMAT = 1


def version_stamp(questionnaire: Questionnaire) -> str:
    """Changes whenever an answer is added or removed, or a new version of the form loaded.

    Answers are never changed in place (the same UUID with another content is refused, an
    import leaves stored answers as they are): their count and last id tell every change,
    from the index alone. The creation times of the questionnaire and of its version tell
    a database recreated with the same ids (tests, a restored backup) from the old one."""
    figures = Submission.objects.filter(questionnaire=questionnaire).aggregate(
        n=Count("pk"), last=Max("pk")
    )
    version = questionnaire.current_version
    # publishing or withdrawing a campaign changes what the public figures count
    published = list(
        Campaign.objects.filter(questionnaire=questionnaire, published_at__isnull=False)
        .order_by("pk")
        .values_list("pk", "published_at")
    )
    return repr(
        (
            DOCUMENT_FORMAT,
            figures["n"],
            figures["last"],
            [(pk, at.isoformat()) for pk, at in published],
            questionnaire.created_at.isoformat(),
            version and version.pk,
            version and version.created_at.isoformat(),
        )
    )


def _cache_key(kind: str, questionnaire: Questionnaire, payload) -> str:
    raw = orjson.dumps(
        [kind, questionnaire.pk, version_stamp(questionnaire), payload],
        option=orjson.OPT_SORT_KEYS,
        default=str,
    )
    return f"surveys:{kind}:{hashlib.sha256(raw).hexdigest()}"


def _canonical_filters(filters: Mapping | None) -> list:
    out = []
    for name, raw in (filters or {}).items():
        values = [raw] if isinstance(raw, str | int | float) else list(raw or [])
        out.append([str(name), sorted(str(v) for v in values)])
    return sorted(out)


def analyse(
    questionnaire: Questionnaire,
    *,
    filters: Mapping | None = None,
    campaign=None,
    published_only: bool = False,
    cached=True,
) -> dict:
    """The analysis document of a questionnaire's answers (see the module's docstring);
    with ``campaign``, of that campaign's answers only; with ``published_only`` (the public
    panorama, its API, exports and report), of the answers of published campaigns only."""
    plan = plan_of(questionnaire)
    parsed = parse_filters(plan, filters)
    key = None
    if cached:
        payload = [
            _canonical_filters(filters),
            campaign.pk if campaign is not None else None,
            published_only,
        ]
        key = _cache_key("analysis", questionnaire, payload)
        found = cache.get(key)
        if found is not None:
            return orjson.loads(found)
    tally = _Tally(plan)
    pruner = _Pruner(plan, parsed) if parsed else None
    with _no_cyclic_gc():
        for docs in _documents(questionnaire, campaign, published_only):
            if pruner is not None:
                docs = [k for d in docs if (k := pruner.prune(d)) is not None]
            tally.feed(docs)
    document = tally.document(questionnaire.form_id)
    if key is not None:
        cache.set(key, orjson.dumps(document), CACHE_SECONDS)
    return document


# --- cross-tabs ------------------------------------------------------------------------------


def _chains(doc: dict, path: tuple[str, ...]) -> Iterator[tuple[dict, ...]]:
    """(submission, entry, nested entry, …) for every entry at the end of ``path``."""
    chains: list[tuple[dict, ...]] = [(doc,)]
    for name in path:
        chains = [
            (*c, e)
            for c in chains
            for e in (c[-1].get(name) if c[-1].get(name).__class__ is list else ())
            if e.__class__ is dict
        ]
    return iter(chains)


def _values(q: Question, value) -> list[str]:
    if value is None or value == "":
        return []
    if q.kind == "select_multiple":
        return sorted(_chosen(value))
    return [_key(value)]


def crosstab(
    questionnaire: Questionnaire,
    row_question: str,
    column_question: str,
    *,
    filters: Mapping | None = None,
    campaign=None,
    cached=True,
) -> dict:
    """Counts of units by (row answer, column answer) for two select questions.

    The unit is the deeper of the two questions' levels: a respondent-level question against
    a repeat-level one counts each repeat entry with its submission's answer. A unit with a
    select_multiple answer counts under each of its choices. Units missing either answer are
    left out; ``units`` is the number counted.
    """
    plan = plan_of(questionnaire)
    row = plan.question(row_question, "crosstab")
    column = plan.question(column_question, "crosstab")
    for q in (row, column):
        if q.kind not in SELECT_KINDS:
            raise AnalysisError(
                "crosstab",
                _("%(name)s is not a select question; cross-tabs take two select questions.")
                % {"name": q.name},
            )
    deep, shallow = (row, column) if len(row.repeats) >= len(column.repeats) else (column, row)
    if deep.repeats[: len(shallow.repeats)] != shallow.repeats:
        raise AnalysisError(
            "crosstab",
            _("%(a)s and %(b)s are in separate repeats: no entry answers both.")
            % {"a": row.name, "b": column.name},
        )
    parsed = parse_filters(plan, filters)
    key = None
    if cached:
        payload = [
            row.name,
            column.name,
            _canonical_filters(filters),
            campaign.pk if campaign is not None else None,
        ]
        key = _cache_key("crosstab", questionnaire, payload)
        found = cache.get(key)
        if found is not None:
            return orjson.loads(found)
    path = plan.repeat_paths[deep.repeat] if deep.repeat else ()
    pruner = _Pruner(plan, parsed) if parsed else None
    counts: dict[str, Counter] = {}
    units = 0
    row_depth, column_depth = len(row.repeats), len(column.repeats)
    for docs in _documents(questionnaire, campaign):
        for doc in docs:
            if pruner is not None and (doc := pruner.prune(doc)) is None:
                continue
            for c in _chains(doc, path):
                rows = _values(row, c[row_depth].get(row.name))
                columns = _values(column, c[column_depth].get(column.name))
                if not rows or not columns:
                    continue
                units += 1
                for r in rows:
                    counts.setdefault(r, Counter()).update(columns)
    document = {
        "row": row.name,
        "column": column.name,
        "unit": deep.repeat or "submission",
        "units": units,
        "counts": {r: _ordered(counts[r]) for r in sorted(counts)},
    }
    if key is not None:
        cache.set(key, orjson.dumps(document), CACHE_SECONDS)
    return document
