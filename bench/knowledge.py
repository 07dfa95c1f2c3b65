"""Knowledge search benchmark: relevance on the labelled corpus, latency on 50k sheets.

In a throwaway database (SQLite file by default; PostgreSQL when BENCH_DATABASE_URL names one
— it is dropped and re-created), in one run:

(1) Relevance. The 90 sheets of /work/shared/data/knowledge/sheets.jsonl are loaded (one
    published Sheet each, themes linked, indexed by knowledge.search.index_sheet) and the 20
    labelled queries of queries.jsonl are run through three rankers; nDCG@10 (gains 2/1) and
    recall@10 are printed for each:
    - *icontains*: the plain baseline — sheets whose title or a narrative field contains one
      of the query's words of 3+ letters (Django `icontains`, OR), ordered by how many of
      the words they contain, then title;
    - *raw FTS*: the database's full-text search with the raw query words and nothing else
      (SQLite: FTS5 over the unprocessed text, default tokenizer with diacritics removed,
      implicit AND, bm25; PostgreSQL: plainto_tsquery('fr_unaccent') over the same weighted
      tsvectors, ts_rank);
    - *knowledge.search*: ours (`search(query, limit=10)`).
(2) Latency. 50,000 synthetic sheets (sentences of the corpus recombined, seeded) are added;
    each of the 20 queries plus 20 single-word queries is run ROUNDS times through
    `search()` with search's cache emptied first (hits, total, facets and snippets — what a
    page shows, for a query not searched since the last write: THE latency), through the
    raw FTS query (the database's own FTS on the raw words, ranked, LIMIT 10: the ten best
    ids only, AND-ed and OR-ed), and `search()` again (a cache hit, a secondary figure),
    interleaved; p50 / p95 of each in milliseconds.

    .venv/bin/python bench/knowledge.py [--sheets 50000] [--rounds 5]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54329/reciprocite_bench .venv/bin/python bench/knowledge.py

Targets (issue #4): nDCG@10 ≥ 0.75; p95 ≤ 30 ms and ≤ 1.5× the raw FTS query.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("KNOWLEDGE_DATA", "/work/shared/data/knowledge"))
SEED = 20261127
NARRATIVE = (
    "summary",
    "context",
    "method",
    "results",
    "difficulties",
    "reciprocity",
    "replication",
)
EXTRA_QUERIES = [
    "handicap", "enfants", "femmes", "santé", "logement", "jeunes", "emploi", "formation",
    "évaluation", "mutuelle", "crèche", "orphelinat", "violences", "microcrédit", "diaspora",
    "elderly", "disability", "housing", "children", "maroc",
]  # fmt: skip


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def icontains_ranker(query: str, k: int = 10) -> list[str]:
    from django.db.models import Q

    from reciprocite.knowledge.models import Sheet

    words = [w for w in re.findall(r"\w+", query) if len(w) >= 3]
    if not words:
        return []
    scores: dict[str, int] = {}
    titles: dict[str, str] = {}
    for word in words:
        cond = Q(title__icontains=word)
        for field in NARRATIVE:
            cond |= Q(**{f"{field}__icontains": word})
        for ref, title in Sheet.objects.filter(cond).values_list("ref", "title"):
            scores[ref] = scores.get(ref, 0) + 1
            titles[ref] = title
    return sorted(scores, key=lambda r: (-scores[r], titles[r]))[:k]


class RawFts:
    """The database's own full-text search with the raw query words."""

    def __init__(self, vendor: str):
        self.vendor = vendor

    def build(self) -> None:
        from django.db import connection

        if self.vendor != "sqlite":
            return  # PostgreSQL: the tsvectors of knowledge_sheet_search (fr_unaccent)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_raw_fts")
            cursor.execute(
                "CREATE VIRTUAL TABLE bench_raw_fts USING fts5(title, summary, learned, body, "
                "tokenize = 'unicode61 remove_diacritics 2')"
            )
            cursor.execute(
                "INSERT INTO bench_raw_fts (rowid, title, summary, learned, body) "
                "SELECT id, title, summary, reciprocity || ' ' || replication, "
                "context || ' ' || method || ' ' || results || ' ' || difficulties "
                "FROM knowledge_sheet"
            )

    def ids(self, query: str, k: int = 10, op: str = "AND") -> list[int]:
        from django.db import connection

        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                words = re.findall(r"[^\W_]+", query)
                if not words:
                    return []
                expression = f" {op} ".join(f'"{w}"' for w in words)
                cursor.execute(
                    "SELECT rowid FROM bench_raw_fts WHERE bench_raw_fts MATCH %s "
                    "ORDER BY bm25(bench_raw_fts, 6.0, 3.0, 1.5, 1.0) LIMIT %s",
                    [expression, k],
                )
            else:
                words = re.findall(r"[^\W_]+", query)
                if not words:
                    return []
                expression = (" & " if op == "AND" else " | ").join(f"'{w}'" for w in words)
                cursor.execute(
                    "SELECT sheet_id FROM knowledge_sheet_search, "
                    "to_tsquery('fr_unaccent', %s) AS q WHERE document @@ q "
                    "ORDER BY ts_rank(document, q) DESC LIMIT %s",
                    [expression, k],
                )
            return [row[0] for row in cursor.fetchall()]

    def ranker(self, query: str, k: int = 10) -> list[str]:
        from reciprocite.knowledge.models import Sheet

        ids = self.ids(query, k)
        refs = dict(Sheet.objects.filter(pk__in=ids).values_list("pk", "ref"))
        return [refs[i] for i in ids if i in refs]


def synthetic_sheets(rows: list[dict], count: int, start: int) -> list[dict]:
    """Sheets like the corpus's: each is a variant of one corpus sheet (most of its
    sentences, shuffled, its themes; its country seven times in ten) with a sentence of
    another sheet in two of its sections — so that, as in a real knowledge base, a topical
    word is in a few percent of the sheets and only the vocabulary of the field is
    everywhere."""
    rng = random.Random(SEED)

    def sentences(text: str) -> list[str]:
        return [x for x in re.split(r"(?<=[.!?])\s+", text or "") if x]

    out = []
    for i in range(count):
        src = rng.choice(rows)
        doc = {
            "ref": f"syn-{start + i:06d}",
            "lang": src["lang"],
            "title": src["title"],
            "french_authority": src.get("french_authority", ""),
            "partner_authority": src.get("partner_authority", ""),
            "country": src["country"] if rng.random() < 0.7 else rng.choice(rows)["country"],
            "themes": src["themes"],
            "stage": src["stage"] if rng.random() < 0.7 else rng.choice(rows)["stage"],
            "year_start": src.get("year_start"),
        }
        mixed = set(rng.sample(NARRATIVE, 2))
        for f in NARRATIVE:
            own = sentences(src.get(f))
            part = rng.sample(own, k=max(1, round(len(own) * 0.8))) if own else []
            if f in mixed:
                other = sentences(rng.choice(rows).get(f))
                if other:
                    part.insert(rng.randint(0, len(part)), rng.choice(other))
            doc[f] = " ".join(part)
        out.append(doc)
    return out


def bulk_load(docs: list[dict]) -> None:
    """Insert many sheets fast (bulk_create) and index them through the search backend."""
    from django.db import transaction

    from reciprocite.knowledge.models import Sheet
    from reciprocite.knowledge.search import backends

    Through = Sheet.themes.through
    batch = 2000
    for start in range(0, len(docs), batch):
        chunk = docs[start : start + batch]
        with transaction.atomic():
            sheets = Sheet.objects.bulk_create(
                [
                    Sheet(
                        ref=d["ref"],
                        language=d["lang"],
                        title=d["title"],
                        french_authority=d["french_authority"],
                        partner_authority=d["partner_authority"],
                        country=d["country"],
                        stage=d["stage"],
                        year_start=d["year_start"],
                        status="published",
                        **{f: d[f] for f in NARRATIVE},
                    )
                    for d in chunk
                ]
            )
            if sheets and sheets[0].pk is None:
                by_ref = dict(
                    Sheet.objects.filter(ref__in=[d["ref"] for d in chunk]).values_list("ref", "pk")
                )
                for s in sheets:
                    s.pk = s.id = by_ref[s.ref]
            Through.objects.bulk_create(
                [
                    Through(sheet_id=s.pk, theme_id=t)
                    for s, d in zip(sheets, chunk, strict=True)
                    for t in d["themes"]
                ]
            )
            for s in Sheet.objects.filter(pk__in=[s.pk for s in sheets]).prefetch_related("themes"):
                backends.write(s)
        print(f"  loaded {start + len(chunk)}/{len(docs)}", file=sys.stderr, end="\r")
    print(file=sys.stderr)


def write_costs(count: int = 100) -> str:
    """p50 / p95 of index_sheet (the index row, term counts, champion lists, version) on
    sheets picked at random, each edited (a sentence moved) in its own transaction — the
    write side of the lists."""
    from django.db import transaction

    from reciprocite.knowledge.models import Sheet
    from reciprocite.knowledge.search import index_sheet

    rng = random.Random(SEED + 1)
    ids = list(Sheet.objects.values_list("pk", flat=True))
    times = []
    for pk in rng.sample(ids, min(count, len(ids))):
        sheet = Sheet.objects.prefetch_related("themes").get(pk=pk)
        parts = re.split(r"(?<=[.!?])\s+", sheet.method or "")
        sheet.method = " ".join(parts[1:] + parts[:1])
        t0 = time.perf_counter()
        with transaction.atomic():
            Sheet.objects.filter(pk=pk).update(method=sheet.method)
            index_sheet(sheet)
        times.append((time.perf_counter() - t0) * 1000)
    return (
        f"index_sheet on {len(times)} edited sheets: p50 {percentile(times, 50):.1f} ms, "
        f"p95 {percentile(times, 95):.1f} ms, max {max(times):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sheets", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--relevance-only", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="per-query figures")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="reciprocite-bench-knowledge-"))
    url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="reciprocite.config.settings",
        RECIPROCITE_DATA_DIR=str(tmp),
        DATABASE_URL=url,
        DEBUG="0",
    )
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)

    from reciprocite.knowledge.search import search
    from reciprocite.knowledge.search.evaluation import (
        evaluate,
        load_corpus,
        read_jsonl,
        search_ranker,
    )

    version = (
        sqlite3.sqlite_version
        if connection.vendor == "sqlite"
        else connection.cursor().connection.info.server_version
    )
    print(f"# Knowledge search benchmark — {engine} {version}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    rows = read_jsonl(DATA / "sheets.jsonl")
    queries = read_jsonl(DATA / "queries.jsonl")
    load_corpus(rows)
    raw = RawFts(connection.vendor)
    raw.build()

    print(f"\n## Relevance: {len(rows)} sheets, {len(queries)} labelled queries\n")
    rankers = [
        ("icontains (baseline)", icontains_ranker),
        ("raw FTS query", raw.ranker),
        ("knowledge.search", search_ranker),
    ]
    results = {name: evaluate(fn, queries) for name, fn in rankers}
    print("| ranker | nDCG@10 | recall@10 |")
    print("|---|---|---|")
    for name, res in results.items():
        print(f"| {name} | {res['ndcg']:.3f} | {res['recall']:.3f} |")
    if args.verbose:
        print("\n| query | " + " | ".join(name for name, _f in rankers) + " |")
        print("|---|" + "---|" * len(rankers))
        for q in queries:
            cells = " | ".join(f"{results[n]['per_query'][q['qid']][0]:.2f}" for n, _f in rankers)
            print(f"| {q['qid']} {q['query']} | {cells} |")
    if args.relevance_only:
        return

    print(f"\n## Latency: {args.sheets} synthetic sheets added", flush=True)
    started = time.perf_counter()
    bulk_load(synthetic_sheets(rows, args.sheets, 0))
    loaded = time.perf_counter()
    # The champion lists of the terms that became frequent, as rebuild() and every so many
    # index_sheet() calls build them (bulk_load writes through backends.write directly).
    from django.db import transaction

    from reciprocite.knowledge.search import champions

    with transaction.atomic():
        lists = champions.promote()
    listed = time.perf_counter()
    raw.build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would: GIN pending lists merged
    print(
        f"loaded and indexed in {loaded - started:.0f} s; champion lists of {lists} terms "
        f"(in {champions.MIN_DOCS}+ sheets) built in {listed - loaded:.0f} s"
    )
    print(write_costs(), "\n")
    texts = [q["query"] for q in queries] + EXTRA_QUERIES
    from django.core.cache import cache

    from reciprocite.knowledge import search as search_module

    search_name = "**knowledge.search, uncached** (the latency)"
    raw_and = "raw FTS query, words AND-ed, ranked, LIMIT 10"
    raw_or = "raw FTS query, words OR-ed, ranked, LIMIT 10"
    cached_name = "knowledge.search, repeated (cache hit; secondary)"
    timings: dict[str, list[float]] = {search_name: [], raw_and: [], raw_or: [], cached_name: []}
    totals = []
    estimates = 0
    for _round in range(args.rounds):
        for text in texts:
            # Uncached: what a query not searched since the last write costs. Emptying the
            # cache is what an index write does to search's keys (they hold its version).
            cache.clear()
            t0 = time.perf_counter()
            res = search(text)
            t1 = time.perf_counter()
            raw.ids(text)
            t2 = time.perf_counter()
            raw.ids(text, op="OR")
            t3 = time.perf_counter()
            search(text)
            t4 = time.perf_counter()
            timings[search_name].append((t1 - t0) * 1000)
            timings[raw_and].append((t2 - t1) * 1000)
            timings[raw_or].append((t3 - t2) * 1000)
            timings[cached_name].append((t4 - t3) * 1000)
            totals.append(res.total)
            estimates += res.total_is_estimate
    base_p95 = percentile(timings[raw_and], 95)
    print(
        f"{len(texts)} queries × {args.rounds} rounds, each search run with the cache emptied "
        f"first; {estimates} of {len(totals)} searches matched more than the "
        f"{search_module.CANDIDATES} candidates the database ranks (total_is_estimate); "
        f"median total shown {statistics.median(totals):.0f}; "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| query path | calls | p50 ms | p95 ms | p95 / raw FTS (AND) |")
    print("|---|---|---|---|---|")
    for name, values in timings.items():
        p95 = percentile(values, 95)
        print(
            f"| {name} | {len(values)} | {percentile(values, 50):.1f} | {p95:.1f} | "
            f"{p95 / base_p95:.2f}× |"
        )
    print(
        "\nraw FTS query: "
        + (
            "SQLite FTS5 table over the unprocessed text (unicode61 remove_diacritics 2), "
            'MATCH \'"w1" AND "w2" …\' (or OR), ORDER BY bm25(6, 3, 1.5, 1) LIMIT 10'
            if connection.vendor == "sqlite"
            else "to_tsquery('fr_unaccent', 'w1 & w2 …') (or |) over knowledge_sheet_search's "
            "tsvectors (GIN), ORDER BY ts_rank DESC LIMIT 10"
        )
        + ". The repeated line reads search's cache and is not the latency."
    )


if __name__ == "__main__":
    main()
