"""Relevance measurement on a labelled corpus (used by bench/knowledge.py and the tests).

Corpus: JSON lines of sheets (`ref`, `lang`, `title`, authorities, `country`, `themes`,
`stage`, the narrative fields, `year_start`) and of queries (`qid`, `query`, `lang`,
`relevant`: {ref: 2 | 1}). Metrics: nDCG@k with gains 2/1/0 (exponential gain 2^g - 1,
log2 discount) and recall@k (share of the relevant sheets, grade ≥ 1, in the first k).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from pathlib import Path

NARRATIVE = (
    "summary",
    "context",
    "method",
    "results",
    "difficulties",
    "reciprocity",
    "replication",
)


def read_jsonl(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_corpus(rows: Iterable[dict], *, status: str = "published", index: bool = True) -> int:
    """Create one published Sheet per row (themes linked) and index it; returns the count."""
    from django.db import transaction

    from reciprocite.knowledge.models import Sheet
    from reciprocite.registry.models import Theme

    from . import index_sheet

    known = set(Theme.objects.values_list("code", flat=True))
    count = 0
    with transaction.atomic():
        for row in rows:
            sheet = Sheet.objects.create(
                ref=row["ref"],
                language=row.get("lang") or "fr",
                title=row["title"],
                french_authority=row.get("french_authority") or "",
                partner_authority=row.get("partner_authority") or "",
                country=(row.get("country") or "").upper(),
                stage=row.get("stage") or "",
                year_start=row.get("year_start"),
                status=status,
                **{f: row.get(f) or "" for f in NARRATIVE},
            )
            sheet.themes.set([t for t in row.get("themes") or [] if t in known])
            if index:
                index_sheet(sheet)
            count += 1
    return count


def ndcg(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    def gain(grade: int) -> float:
        return 2.0**grade - 1.0

    dcg = sum(gain(relevant.get(ref, 0)) / math.log2(i + 2) for i, ref in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum(gain(g) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    wanted = {ref for ref, grade in relevant.items() if grade > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def evaluate(
    ranker: Callable[[str], list[str]], queries: list[dict], k: int = 10
) -> dict[str, object]:
    """Mean nDCG@k and recall@k of `ranker` (query text → refs best first), and per query."""
    per_query = {}
    for q in queries:
        ranked = ranker(q["query"])
        per_query[q["qid"]] = (ndcg(ranked, q["relevant"], k), recall(ranked, q["relevant"], k))
    n = len(per_query) or 1
    return {
        "ndcg": sum(v[0] for v in per_query.values()) / n,
        "recall": sum(v[1] for v in per_query.values()) / n,
        "per_query": per_query,
    }


def search_ranker(query: str, k: int = 10) -> list[str]:
    from . import search

    return [hit.ref for hit in search(query, limit=k).hits]
