"""Matching benchmark: the engine's latency at 20,000 offers and 10,000 needs, the cost of
refreshing one edited record, and of building a collection's vectors.

In one run, in memory (the engine ranks profiles; the database only stores them):

(1) Latency. OFFERS synthetic offers and NEEDS synthetic needs: themes, publics and kinds
    drawn at random (seeded), texts recombined from the sentences of the shared collection
    (/work/shared/data/matching, or MATCHING_DATA) and reduced to stems as the records store
    them; passage vectors random unit vectors (the cost of ranking does not depend on their
    values; computing 150,000 real ones would take hours on these machines). QUERIES needs
    are ranked against the offers and QUERIES offers against the needs, each ROUNDS times,
    interleaved with the baseline — the knowledge search's lexical ranking alone (BM25 of
    the same query terms over the same records, `TextIndex.scores`, and the ten best) —
    p50 / p95 in milliseconds. Nothing is cached between two rankings.
(2) Refresh. One record of the collection edited (one sentence changed): its features
    recomputed (`features.compute`: stems, passages, vectors; the passages met before come
    from the process's cache, as in `record_features_refresh`), and cold (cache emptied).
(3) Build. The vectors of BUILD records of the collection, with a progress bar; the cost
    per record and per passage.

    .venv/bin/python bench/matching.py [--offers 20000] [--needs 10000] [--queries 20]
                                       [--rounds 3] [--build 40]

Targets (issue #13): matches for one record p95 ≤ 100 ms and ≤ 3× the plain search query;
refreshing one edited record ≤ 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DATA = Path(os.environ.get("MATCHING_DATA", "/work/shared/data/matching"))
SEED = 20261208


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocite.config.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import django

    django.setup()


def _rows(kind: str) -> list[dict]:
    path = DATA / f"{kind}.jsonl"
    if not path.exists():
        sys.exit(f"no collection at {DATA} (set MATCHING_DATA)")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _synthetic(kind: str, n: int, sentences: list[str], rng: random.Random):
    import numpy as np

    from reciprocite.knowledge.search.ranking import document_terms, query_stems
    from reciprocite.matching.engine.embedding import DIM
    from reciprocite.matching.engine.features import KIND_THEMES, Profile
    from reciprocite.registry.taxonomy import TARGET_PUBLICS, THEMES

    themes, publics, kinds = list(THEMES), list(TARGET_PUBLICS), list(KIND_THEMES)
    vector_rng = np.random.default_rng(rng.randrange(1 << 30))
    asked_by_text: dict[str, tuple[str, ...]] = {}
    out = []
    for i in range(n):
        text = " ".join(rng.sample(sentences, 8))
        vectors = vector_rng.standard_normal((6, DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        out.append(
            Profile(
                kind=kind,
                ref=f"{kind}-{i}",
                title=text[:60],
                lang="fr",
                text=text,
                themes=frozenset(rng.sample(themes, 2)),
                publics=frozenset(rng.sample(publics, 2)),
                service_kind=rng.choice(kinds) if kind == "expertise" else "",
                languages=frozenset({"fr"}),
                authority_id=i % 500,
                terms=tuple(document_terms(text)),
                # what records store (features.compute), asked for a sample of the texts
                query_terms=asked_by_text.setdefault(text, tuple(query_stems(text)))
                if i < 200
                else (),
                vectors=vectors,
            )
        )
    return out


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=20_000)
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--build", type=int, default=40)
    args = parser.parse_args()
    _setup()

    from rich.progress import Progress

    from reciprocite.matching.engine import Engine, embedding
    from reciprocite.matching.engine import features as feats

    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; model {embedding.MODEL_NAME}"
    )
    rng = random.Random(SEED)
    collection = {k: _rows(k) for k in ("expertise", "needs")}
    sentences = [
        s.strip() + "."
        for rows in collection.values()
        for r in rows
        for s in r["text"].split(".")
        if len(s.split()) > 4
    ]
    started = time.perf_counter()
    offers = _synthetic("expertise", args.offers, sentences, rng)
    needs = _synthetic("need", args.needs, sentences, rng)
    print(
        f"profiles: {args.offers} offers, {args.needs} needs in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    offer_engine, need_engine = Engine(offers), Engine(needs)
    print(f"engines built in {time.perf_counter() - started:.1f} s")

    timings: dict[str, list[float]] = {"matches": [], "lexical baseline": []}
    # queries among the records whose query terms were computed, as stored records have them
    queries = [(q, offer_engine) for q in rng.sample(needs[:200], args.queries)] + [
        (q, need_engine) for q in rng.sample(offers[:200], args.queries)
    ]
    for _round in range(args.rounds):
        for query, engine in queries:
            t = time.perf_counter()
            engine.rank(query, limit=10)
            timings["matches"].append(1000 * (time.perf_counter() - t))
            t = time.perf_counter()
            scores = engine.index.scores(engine._terms(query.query_terms))
            sorted(scores.items(), key=lambda kv: -kv[1])[:10]
            timings["lexical baseline"].append(1000 * (time.perf_counter() - t))
    print(f"\n(1) latency over {len(queries)} queries × {args.rounds} rounds (ms)")
    for name, values in timings.items():
        print(f"  {name:<18} p50 {statistics.median(values):7.1f}   p95 {_pct(values, 0.95):7.1f}")
    ratio = _pct(timings["matches"], 0.95) / (_pct(timings["lexical baseline"], 0.95) or 1)
    print(f"  p95 ratio matches / baseline: {ratio:.1f}×")

    row = collection["expertise"][0]
    edited = row["text"].replace(".", ". Une phrase ajoutée pour la mesure.", 1)
    feats.compute(title=row["title"], text=row["text"], lang="fr")  # model loaded, cache warm
    t = time.perf_counter()
    feats.compute(title=row["title"], text=edited, lang="fr")
    warm = time.perf_counter() - t
    embedding._cache.clear()
    t = time.perf_counter()
    feats.compute(title=row["title"], text=edited + " Encore.", lang="fr")
    cold = time.perf_counter() - t
    print("\n(2) refresh one edited record (features.compute)")
    print(
        f"  one sentence changed: {1000 * warm:.0f} ms; every passage recomputed: {1000 * cold:.0f} ms"
    )

    rows = (collection["expertise"] + collection["needs"])[: args.build]
    embedding._cache.clear()
    passages = 0
    t = time.perf_counter()
    with Progress() as progress:
        task = progress.add_task("vectors", total=len(rows))
        for r in rows:
            stored = feats.compute(title=r["title"], text=r["text"], lang=r["lang"])
            passages += len(stored.passages)
            progress.advance(task)
    spent = time.perf_counter() - t
    print(
        f"\n(3) build: {len(rows)} records, {passages} passages in {spent:.1f} s — "
        f"{1000 * spent / len(rows):.0f} ms a record, {1000 * spent / max(passages, 1):.0f} ms a passage"
    )


if __name__ == "__main__":
    main()
