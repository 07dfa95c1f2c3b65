"""Champion lists: for each frequent term, the sheets that score best on that term alone.

An index structure (Manning, Raghavan & Schütze, *Introduction to Information Retrieval*,
§7.1.3), not a cache: every index write keeps it current in the same transaction. A query
whose ranked terms all have a list ranks over the union of those lists — a few hundred rows
— instead of every sheet holding the terms (half of 50k sheets for "enfants").

A list holds every sheet whose single-term key (score, then lower sheet id) is better than
its *floor*, the best key left out (no floor: it holds every sheet with the term), and at
least LIST_MIN entries unless the term has fewer sheets. Writes:

- a sheet written or removed first leaves every list it was in;
- a written sheet enters the list of each listed term it holds if its key beats the floor;
  a list past LIST_MAX entries drops its worst ones and raises its floor to the best of
  them;
- a list left with fewer than LIST_MIN entries while sheets were left out of it is
  refilled: the term ranked once over the whole index (an index write, in the writing
  transaction — never at query time).

Which terms have a list is a matter of speed only: `promote()` gives one to every term in
MIN_DOCS sheets or more (rebuild, and every PROMOTE_EVERY index writes or a tenth of the
sheets); a term over the threshold without a list yet is ranked the ordinary way.

Scores. PostgreSQL: ts_rank of the lexeme alone, which depends on the sheet only; an OR
query's ts_rank is the sum of its distinct lexemes' single-term ranks divided by their
number, so single-term queries are ranked exactly as the full ranking would, and for
several terms a sheet's score misses the terms whose list it is not in. SQLite: FTS5's BM25
is a sum over the terms of idf × a term-frequency part that depends on the average sheet
length; the list keeps that part computed with the average length at the list's last fill
(`avgdl`), and queries multiply it by the idf of the moment. Between fills the average
drifts with writes, so the boundary of a list may differ from the full ranking's by sheets
whose scores are within that drift; `promote()` refills the lists whose average moved by
more than AVGDL_DRIFT, `rebuild()` every list.
"""

# SQL here is assembled from this module's constant table names and placeholders only;
# every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import math
from collections import Counter, defaultdict

from django.db import connection

TABLE = "knowledge_search_champions"
TERMS = "knowledge_search_champion_terms"

# A term gets a list from MIN_DOCS sheets up. The engine scores every match of a term it
# ranks: about 0.7 µs each on SQLite, several µs on PostgreSQL (ts_rank reads the TOASTed
# document) — from 1,000 sheets, queries mixing listed terms with terms in 500–1,000
# sheets still cost PostgreSQL 10+ ms (measured; see docs/knowledge-search.md).
MIN_DOCS = 500
# CANDIDATES + 1 (search hands over 300 candidates and needs to know whether more match).
LIST_MIN = 301
# Room for sheets to leave a list without a refill.
LIST_MAX = 400
# promote() runs every PROMOTE_EVERY index writes, or PROMOTE_SHARE of the sheets if more.
PROMOTE_EVERY = 1000
PROMOTE_SHARE = 0.1
# The vendors where queries use the lists (the lists are kept on both).
VENDORS = ("sqlite", "postgresql")

# FTS5's bm25 constants.
K1 = 1.2
B = 0.75


def _vendor() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def _better(score: float, sheet_id: int, floor_score, floor_id) -> bool:
    """Whether (score, sheet_id) ranks before the floor (higher score, then lower id)."""
    if floor_score is None:
        return True
    return score > floor_score or (score == floor_score and sheet_id < floor_id)


# --- SQLite: BM25's parts ----------------------------------------------------------------


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    value = 0
    for k in range(8):
        byte = buf[i + k]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, i + k + 1
    return (value << 8) | buf[i + 8], i + 9


def sqlite_totals(cursor) -> tuple[int, float]:
    """(rows, average row length in tokens) of the FTS5 index, from its averages record —
    what bm25() reads."""
    from .backends import SQLITE_TABLE

    cursor.execute(f"SELECT block FROM {SQLITE_TABLE}_data WHERE id = 1")
    row = cursor.fetchone()
    if not row or not row[0]:
        return 0, 0.0
    buf = bytes(row[0])
    rows, i = _varint(buf, 0)
    tokens = 0
    while i < len(buf):
        size, i = _varint(buf, i)
        tokens += size
    return rows, (tokens / rows if rows else 0.0)


def sqlite_stats(columns: list[str]) -> tuple[int, dict[str, float]]:
    """(tokens in the row, {term: column-weighted frequency}) of a row of the FTS5 table
    (its five columns of space-separated stems)."""
    from .backends import SQLITE_WEIGHTS

    freqs: dict[str, float] = defaultdict(float)
    length = 0
    for weight, text in zip(SQLITE_WEIGHTS, columns, strict=True):
        tokens = text.split()
        length += len(tokens)
        for term, n in Counter(tokens).items():
            freqs[term] += weight * n
    return length, freqs


def tf_part(freq: float, length: int, avgdl: float) -> float:
    """BM25's term-frequency part, as FTS5 computes it."""
    return freq * (K1 + 1.0) / (freq + K1 * (1.0 - B + B * length / (avgdl or 1.0)))


def idf(rows: int, docs: int) -> float:
    """FTS5's idf (never below 1e-6: a term in more than half the rows weighs next to
    nothing)."""
    value = math.log((rows - docs + 0.5) / (docs + 0.5)) if rows else 0.0
    return value if value > 0 else 1e-6


# --- writes ------------------------------------------------------------------------------


def on_write(
    cursor,
    sheet_id: int,
    *,
    old_terms: set[str],
    new_terms: set[str],
    sqlite_columns: list[str] | None = None,
) -> None:
    """After a sheet's index row was written (it held `old_terms` before, `new_terms` now):
    its entries moved to where they now belong, the lists' sheet counts kept."""
    _count(cursor, old_terms, new_terms)
    removed = _leave(cursor, sheet_id)
    if _vendor() == "sqlite":
        length, freqs = sqlite_stats(sqlite_columns or [""] * 5)
        terms = sorted(freqs)
        lists = _lists(cursor, set(terms) | removed)
        scores = {t: tf_part(freqs[t], length, lists[t][3]) for t in terms if t in lists}
    else:
        from .backends import PG_TABLE, PG_WEIGHTS

        cursor.execute(
            f"SELECT c.term, ts_rank('{PG_WEIGHTS}', s.document, "
            "quote_literal(c.term)::tsquery, 1) "
            f"FROM {PG_TABLE} s, unnest(s.document) AS u(lexeme, positions, weights), "
            f"{TERMS} c WHERE s.sheet_id = %s AND c.term = u.lexeme",
            [sheet_id],
        )
        scores = {term: float(score) for term, score in cursor.fetchall()}
        lists = _lists(cursor, set(scores) | removed)
    entering = [
        (term, score)
        for term, score in sorted(scores.items())
        if _better(score, sheet_id, lists[term][1], lists[term][2])
    ]
    if entering:
        cursor.executemany(
            f"INSERT INTO {TABLE} (term, sheet_id, score) VALUES (%s, %s, %s) "
            "ON CONFLICT (term, sheet_id) DO UPDATE SET score = EXCLUDED.score",
            [(term, sheet_id, score) for term, score in entering],
        )
        cursor.execute(
            f"UPDATE {TERMS} SET entries = entries + 1 WHERE term IN ({_in(entering)})",
            [term for term, _score in entering],
        )
        for term, _score in entering:
            entries, floor_score, floor_id, avgdl = lists[term]
            lists[term] = (entries + 1, floor_score, floor_id, avgdl)
    _settle(cursor, lists)


def on_delete(cursor, sheet_id: int, *, old_terms: set[str]) -> None:
    """After a sheet's index row (which held `old_terms`) was deleted."""
    _count(cursor, old_terms, set())
    removed = _leave(cursor, sheet_id)
    _settle(cursor, _lists(cursor, removed))


def _count(cursor, old_terms: set[str], new_terms: set[str]) -> None:
    """The listed terms' sheet counts, as the sheet's terms changed."""
    for change, terms in (("+ 1", new_terms - old_terms), ("- 1", old_terms - new_terms)):
        ordered = sorted(terms)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            cursor.execute(
                f"UPDATE {TERMS} SET docs = docs {change} WHERE term IN ({_in(chunk)})", chunk
            )


def sqlite_terms(columns) -> set[str]:
    """The distinct terms of a row of the FTS5 table."""
    return {t for text in columns for t in (text or "").split()}


def docs(cursor, terms) -> dict[str, int]:
    """{term: sheets holding it} for those of the terms that have a list."""
    ordered = sorted(set(terms))
    if not ordered:
        return {}
    cursor.execute(f"SELECT term, docs FROM {TERMS} WHERE term IN ({_in(ordered)})", ordered)
    return dict(cursor.fetchall())


def _leave(cursor, sheet_id: int) -> set[str]:
    """The sheet out of every list; the terms of those lists."""
    cursor.execute(f"DELETE FROM {TABLE} WHERE sheet_id = %s RETURNING term", [sheet_id])
    removed = {row[0] for row in cursor.fetchall()}
    if removed:
        cursor.execute(
            f"UPDATE {TERMS} SET entries = entries - 1 WHERE term IN ({_in(removed)})",
            sorted(removed),
        )
    return removed


def _lists(cursor, terms: set[str]) -> dict[str, tuple[int, float | None, int | None, float]]:
    """{term: (entries, floor score, floor sheet id, avgdl)} of those terms that have a list."""
    if not terms:
        return {}
    ordered = sorted(terms)
    out = {}
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        cursor.execute(
            f"SELECT term, entries, floor_score, floor_id, avgdl FROM {TERMS} "
            f"WHERE term IN ({_in(chunk)})",
            chunk,
        )
        for term, entries, floor_score, floor_id, avgdl in cursor.fetchall():
            out[term] = (entries, floor_score, floor_id, avgdl)
    return out


def _settle(cursor, lists) -> None:
    """Trim the lists past LIST_MAX; refill those left short while sheets are out of them."""
    for term, (entries, floor_score, _floor_id, _avgdl) in sorted(lists.items()):
        if entries > LIST_MAX:
            _trim(cursor, term, entries)
        elif entries < LIST_MIN and floor_score is not None:
            refill(cursor, term)


def _trim(cursor, term: str, entries: int) -> None:
    cursor.execute(
        f"SELECT sheet_id, score FROM {TABLE} WHERE term = %s "
        "ORDER BY score ASC, sheet_id DESC LIMIT %s",
        [term, entries - LIST_MAX],
    )
    dropped = cursor.fetchall()
    if not dropped:
        return
    cursor.execute(
        f"DELETE FROM {TABLE} WHERE term = %s AND sheet_id IN ({_in(dropped)})",
        [term, *[sid for sid, _score in dropped]],
    )
    best_id, best_score = dropped[-1]
    cursor.execute(
        f"UPDATE {TERMS} SET entries = entries - %s, floor_score = %s, floor_id = %s "
        "WHERE term = %s",
        [len(dropped), best_score, best_id, term],
    )


def refill(cursor, term: str) -> int:
    """Rank the term over the whole index and keep its LIST_MAX best (creates the list if
    the term had none). Returns how many entries the list holds."""
    if _vendor() == "sqlite":
        from .backends import SQLITE_TABLE, SQLITE_WEIGHTS

        rows, avgdl = sqlite_totals(cursor)
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        cursor.execute(
            f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s "
            f"ORDER BY bm25({SQLITE_TABLE}, {weights}), rowid LIMIT %s",
            [f'"{term}"', LIST_MAX + 1],
        )
        ids = [row[0] for row in cursor.fetchall()]
        ranked = []
        if ids:
            cursor.execute(
                f"SELECT rowid, title, summary, learned, meta, body FROM {SQLITE_TABLE} "
                f"WHERE rowid IN ({_in(ids)})",
                ids,
            )
            for sid, *columns in cursor.fetchall():
                length, freqs = sqlite_stats([c or "" for c in columns])
                ranked.append((sid, tf_part(freqs.get(term, 0.0), length, avgdl)))
        ranked.sort(key=lambda item: (-item[1], item[0]))
        cursor.execute(f"SELECT doc FROM {SQLITE_TABLE}_vocab WHERE term = %s", [term])
        row = cursor.fetchone()
        count = row[0] if row else 0
    else:
        from .backends import PG_TABLE, PG_WEIGHTS, index_scans

        avgdl = 0.0
        with index_scans(cursor):
            cursor.execute(
                f"SELECT sheet_id, ts_rank('{PG_WEIGHTS}', document, q, 1) AS score "
                f"FROM {PG_TABLE}, (SELECT quote_literal(%s)::tsquery AS q) AS t "
                "WHERE document @@ q ORDER BY score DESC, sheet_id LIMIT %s",
                [term, LIST_MAX + 1],
            )
            ranked = [(sid, float(score)) for sid, score in cursor.fetchall()]
        cursor.execute("SELECT docs FROM knowledge_search_terms WHERE term = %s", [term])
        row = cursor.fetchone()
        count = row[0] if row else 0
    kept, left = ranked[:LIST_MAX], ranked[LIST_MAX:]
    floor = left[0] if left else (None, None)
    cursor.execute(f"DELETE FROM {TABLE} WHERE term = %s", [term])
    if kept:
        cursor.executemany(
            f"INSERT INTO {TABLE} (term, sheet_id, score) VALUES (%s, %s, %s) "
            "ON CONFLICT (term, sheet_id) DO UPDATE SET score = EXCLUDED.score",
            [(term, sid, score) for sid, score in kept],
        )
    # An upsert: two writers may refill the same list at once.
    cursor.execute(
        f"INSERT INTO {TERMS} (term, entries, floor_score, floor_id, avgdl, docs) "
        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (term) DO UPDATE SET "
        "entries = EXCLUDED.entries, floor_score = EXCLUDED.floor_score, "
        "floor_id = EXCLUDED.floor_id, avgdl = EXCLUDED.avgdl, docs = EXCLUDED.docs",
        [term, len(kept), floor[1], floor[0], avgdl, count],
    )
    return len(kept)


# SQLite: promote() also refills the lists whose scores used an average sheet length that
# has since moved by more than this share (their boundary may then differ from the full
# ranking's; see the module's docstring).
AVGDL_DRIFT = 0.05


def promote(min_docs: int | None = None) -> int:
    """A list for every term in `min_docs` (MIN_DOCS) sheets or more that has none, and on
    SQLite a fresh fill of the lists whose average length drifted past AVGDL_DRIFT; returns
    how many lists were built or refilled. Call inside a transaction."""
    threshold = MIN_DOCS if min_docs is None else min_docs
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            from .backends import SQLITE_TABLE

            cursor.execute(
                f"SELECT term FROM {SQLITE_TABLE}_vocab WHERE doc >= %s "
                f"AND term NOT IN (SELECT term FROM {TERMS}) ORDER BY term",
                [threshold],
            )
        else:
            cursor.execute(
                f"SELECT term FROM knowledge_search_terms WHERE docs >= %s "
                f"AND term NOT IN (SELECT term FROM {TERMS}) ORDER BY term",
                [threshold],
            )
        terms = [row[0] for row in cursor.fetchall()]
        if _vendor() == "sqlite":
            _rows, avgdl = sqlite_totals(cursor)
            cursor.execute(
                f"SELECT term FROM {TERMS} WHERE ABS(avgdl - %s) > %s * %s ORDER BY term",
                [avgdl, AVGDL_DRIFT, avgdl],
            )
            terms += [row[0] for row in cursor.fetchall()]
        for term in terms:
            refill(cursor, term)
        cursor.execute("UPDATE knowledge_search_state SET champion_writes = 0 WHERE id = 1")
    return len(terms)


def note_write() -> None:
    """Count an index write; every PROMOTE_EVERY writes (or PROMOTE_SHARE of the sheets),
    have lists given to the terms that became frequent — in the background
    (`knowledge.tasks.promote_champion_lists`, once the write commits): on SQLite a drifted
    average length refills every list, about a minute at 50k sheets, which a sheet's save
    must not wait for. Until it runs, such terms are ranked the ordinary way."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE knowledge_search_state SET champion_writes = champion_writes + 1 WHERE id = 1"
        )
        cursor.execute("SELECT champion_writes FROM knowledge_search_state WHERE id = 1")
        row = cursor.fetchone()
        writes = row[0] if row else 0
        if writes < PROMOTE_EVERY:
            return
        # How many sheets are indexed, without counting them (COUNT(*) reads the table):
        # SQLite's FTS5 totals record, PostgreSQL's planner estimate.
        if _vendor() == "sqlite":
            sheets = sqlite_totals(cursor)[0]
        else:
            from .backends import PG_TABLE

            cursor.execute(
                "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass",
                [PG_TABLE],
            )
            sheets = cursor.fetchone()[0]
    if writes >= max(PROMOTE_EVERY, PROMOTE_SHARE * sheets):
        from reciprocite.knowledge.tasks import schedule_promotion

        with connection.cursor() as cursor:
            # counted from zero again now: the writes until the task runs ask no second one
            cursor.execute("UPDATE knowledge_search_state SET champion_writes = 0 WHERE id = 1")
        schedule_promotion()


def clear(cursor) -> None:
    cursor.execute(f"DELETE FROM {TABLE}")
    cursor.execute(f"DELETE FROM {TERMS}")


# --- queries -----------------------------------------------------------------------------


def top(terms: tuple[str, ...], docs: dict[str, int], limit: int) -> list[tuple[int, float]] | None:
    """[(sheet id, score)] best first: the union of the lists of the terms that have one,
    and every sheet holding one of the others (ranked by the database: those are the rarer
    terms, a few hundred sheets each), each sheet scored as the sum over the terms of its
    score on each (index terms: SQLite stems, PostgreSQL lexemes; `docs`: how many sheets
    hold each, for SQLite's idf). None when no term has a list: the caller ranks the
    ordinary way."""
    if not terms or _vendor() not in VENDORS:
        return None
    terms = tuple(sorted(set(terms)))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term FROM {TERMS} WHERE term IN ({_in(terms)})", terms)
        listed = tuple(sorted(row[0] for row in cursor.fetchall()))
        if not listed:
            return None
        others = tuple(t for t in terms if t not in listed)
        cursor.execute(
            f"SELECT term, sheet_id, score FROM {TABLE} WHERE term IN ({_in(listed)})", listed
        )
        rows = cursor.fetchall()
        scores: dict[int, float] = defaultdict(float)
        if _vendor() == "sqlite":
            from .backends import SQLITE_TABLE, SQLITE_WEIGHTS

            count, _avgdl = sqlite_totals(cursor)
            weight = {t: idf(count, docs.get(t, 0)) for t in listed}
            if others:
                # bm25 of an OR query is a sum over its terms: these terms' part, exactly.
                weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
                cursor.execute(
                    f"SELECT rowid, -bm25({SQLITE_TABLE}, {weights}) FROM {SQLITE_TABLE} "
                    f"WHERE {SQLITE_TABLE} MATCH %s",
                    [" OR ".join(f'"{t}"' for t in others)],
                )
                for sheet_id, score in cursor.fetchall():
                    scores[sheet_id] += score
        else:
            from .backends import PG_TABLE, PG_WEIGHTS, index_scans

            # ts_rank of an OR query: the mean of its distinct lexemes' single ranks.
            weight = {t: 1.0 / len(terms) for t in listed}
            if others:
                quoted = ("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in others)
                with index_scans(cursor):
                    cursor.execute(
                        f"SELECT sheet_id, ts_rank('{PG_WEIGHTS}', document, q, 1) "
                        f"FROM {PG_TABLE}, (SELECT %s::tsquery AS q) AS t WHERE document @@ q",
                        [" | ".join(quoted)],
                    )
                    found = cursor.fetchall()
                share = len(others) / len(terms)
                for sheet_id, score in found:
                    scores[sheet_id] += share * float(score)
    for term, sheet_id, score in rows:
        scores[sheet_id] += weight[term] * score
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]
