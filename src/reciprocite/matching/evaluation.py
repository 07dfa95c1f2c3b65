"""Relevance of the engine on labelled data (`reciprocite matching evaluate LABELS.jsonl`).

Labels: `{"qid", "direction": "need_to_expertise" | "interest_to_innovation", "lang",
"relevant": {"ref": 2 | 1}}`. The records are read from the collection's files beside the
labels (expertise.jsonl, needs.jsonl, innovations.jsonl, interests.jsonl) when they are
there, else from the database. Metrics: nDCG@10 (the knowledge search's: gains 2^g - 1,
log2 discount), precision@5 (grade ≥ 1) and MRR (first grade ≥ 1), per direction and per
language, for the full engine and the lexical-only and structure-only baselines.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from reciprocite.knowledge.search.evaluation import ndcg

from .engine import MODES, Engine
from .engine import features as feats
from .engine.embedding import unpack
from .engine.features import Profile
from .imports import KINDS, LineError, Row, parse

DIRECTIONS = {
    "need_to_expertise": ("needs", "expertise"),
    "interest_to_innovation": ("interests", "innovations"),
}
RECORD_KIND = {
    "expertise": "expertise",
    "needs": "need",
    "innovations": "innovation",
    "interests": "interest",
}


class LabelsError(ValueError):
    pass


def precision(ranked: list[str], relevant: dict[str, int], k: int = 5) -> float:
    return sum(1 for ref in ranked[:k] if relevant.get(ref, 0) > 0) / k


def reciprocal_rank(ranked: list[str], relevant: dict[str, int]) -> float:
    for i, ref in enumerate(ranked, start=1):
        if relevant.get(ref, 0) > 0:
            return 1.0 / i
    return 0.0


def read_labels(path: Path) -> list[dict[str, Any]]:
    labels = []
    with Path(path).open(encoding="utf-8") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise LabelsError(
                    _("line %(line)d: not JSON (%(error)s)") % {"line": number, "error": exc.msg}
                ) from None
            if not isinstance(obj, dict) or not isinstance(obj.get("qid"), str):
                raise LabelsError(_("line %d, field qid: missing") % number)
            if obj.get("direction") not in DIRECTIONS:
                raise LabelsError(
                    _("line %(line)d, field direction: one of %(known)s")
                    % {"line": number, "known": ", ".join(DIRECTIONS)}
                )
            relevant = obj.get("relevant")
            if not isinstance(relevant, dict) or not all(
                isinstance(v, int) for v in relevant.values()
            ):
                raise LabelsError(_("line %d, field relevant: expected {ref: grade}") % number)
            labels.append(obj)
    return labels


def _profile_of_row(row: Row, stored: feats.Stored) -> Profile:
    f = row.fields
    languages = {f["lang"], *f.get("staff_languages", [])}
    return Profile(
        kind=RECORD_KIND[row.kind],
        ref=row.ref,
        title=f["title"],
        lang=f["lang"],
        text=_text_of(row),
        themes=frozenset(f["themes"]),
        publics=frozenset(f["publics"]),
        service_kind=f.get("service_kind", ""),
        languages=frozenset(languages),
        country=f.get("country", "FR"),
        terms=tuple(stored.terms.split()),
        query_terms=tuple(stored.query_terms.split()),
        passages=list(stored.passages),
        vectors=unpack(stored.vectors),
    )


def _text_of(row: Row) -> str:
    from .services import MODELS

    return MODELS[row.kind](**row.fields).matching_text()


def _known_features(hashes: set[str]) -> dict[str, feats.Stored]:
    """Features already stored in the database for these text hashes (computed once)."""
    from .services import MODELS

    out: dict[str, feats.Stored] = {}
    for model in MODELS.values():
        for h, terms, asked, passages, vectors in model.all_objects.filter(
            text_hash__in=list(hashes)
        ).values_list("text_hash", "terms", "query_terms", "passages", "vectors"):
            out[h] = feats.Stored(h, terms, asked, passages, bytes(vectors or b""))
    return out


def profiles_from_files(
    folder: Path, progress: Callable[[int, int], None] | None = None
) -> dict[str, dict[str, Profile]]:
    rows: dict[str, list[Row]] = {}
    for kind in KINDS:
        path = folder / f"{kind}.jsonl"
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                try:
                    rows[kind] = parse(kind, fh)
                except LineError as exc:
                    raise LabelsError(f"{path.name}: {exc}") from None
    wanted = {
        (kind, row.ref): feats.text_hash(row.fields["title"], _text_of(row), row.fields["lang"])
        for kind, kind_rows in rows.items()
        for row in kind_rows
    }
    known = _known_features(set(wanted.values()))
    todo = [
        (k, r)
        for k, kind_rows in rows.items()
        for r in kind_rows
        if wanted[(k, r.ref)] not in known
    ]
    for done, (kind, row) in enumerate(todo, start=1):
        known[wanted[(kind, row.ref)]] = feats.compute(
            title=row.fields["title"], text=_text_of(row), lang=row.fields["lang"]
        )
        if progress:
            progress(done, len(todo))
    return {
        kind: {r.ref: _profile_of_row(r, known[wanted[(kind, r.ref)]]) for r in kind_rows}
        for kind, kind_rows in rows.items()
    }


def profiles_from_database() -> dict[str, dict[str, Profile]]:
    from .selectors import profile_of
    from .services import MODELS

    return {
        kind: {r.ref: profile_of(r) for r in model.objects.all()} for kind, model in MODELS.items()
    }


@dataclass
class Figures:
    n: int
    ndcg: float
    precision: float
    mrr: float


def evaluate(
    labels: list[dict[str, Any]], profiles: dict[str, dict[str, Profile]]
) -> dict[str, Any]:
    """{mode: {(direction, lang or "all"): Figures}} and the queries left out (unknown
    refs)."""
    engines: dict[str, Engine] = {}
    centers = feats.language_centers(p for kind in profiles.values() for p in kind.values())
    per: dict[str, dict[tuple[str, str], list[tuple[float, float, float]]]] = {m: {} for m in MODES}
    missing: list[str] = []
    for label in labels:
        query_kind, cand_kind = DIRECTIONS[label["direction"]]
        query = profiles.get(query_kind, {}).get(label["qid"])
        if query is None or cand_kind not in profiles:
            missing.append(label["qid"])
            continue
        if cand_kind not in engines:
            engines[cand_kind] = Engine(profiles[cand_kind].values(), centers=centers)
        lang = label.get("lang") or query.lang
        for mode in MODES:
            ranked = [m.ref for m in engines[cand_kind].rank(query, limit=10, mode=mode)]
            values = (
                ndcg(ranked, label["relevant"], 10),
                precision(ranked, label["relevant"], 5),
                reciprocal_rank(ranked, label["relevant"]),
            )
            for key in ((label["direction"], "all"), (label["direction"], lang)):
                per[mode].setdefault(key, []).append(values)
    out: dict[str, dict[tuple[str, str], Figures]] = {}
    for mode, groups in per.items():
        out[mode] = {
            key: Figures(
                len(vals),
                sum(v[0] for v in vals) / len(vals),
                sum(v[1] for v in vals) / len(vals),
                sum(v[2] for v in vals) / len(vals),
            )
            for key, vals in groups.items()
        }
    return {"figures": out, "missing": missing}
