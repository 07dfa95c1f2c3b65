"""The two index backends: SQLite FTS5 and PostgreSQL text search, chosen by the vendor.

Both index, per sheet, five groups of text weighted differently: the title; the summary;
what the French side learned and what was taken up elsewhere (reciprocity, replication);
the descriptive metadata (authorities, country and zone names, theme and stage labels, in
French and English); the other narrative fields (context, method, results, difficulties).
"""

# SQL here is assembled only from this module's constant table/configuration names and the
# compiled SQL of a Django queryset; every value (query, ids, text) is a bound parameter.
# ruff: noqa: S608, S611

from __future__ import annotations

import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection, transaction
from django.utils import translation

from reciprocite.registry.taxonomy import theme_label
from reciprocite.territories.geography import country_name, zone_of

from .text import index_terms

SQLITE_TABLE = "knowledge_sheet_fts"
PG_TABLE = "knowledge_sheet_search"
PG_CONFIG = "fr_unaccent"

# bm25 column weights (SQLite): title, summary, learned, meta, body.
SQLITE_WEIGHTS = (6.0, 3.0, 1.5, 2.0, 1.0)
# ts_rank weights {D, C, B, A} (PostgreSQL): body, learned+meta, summary, title.
PG_WEIGHTS = "{0.2, 0.4, 0.6, 1.0}"


@lru_cache(maxsize=4096)
def _meta_labels(country: str, theme_codes: tuple[str, ...], stage: str) -> str:
    """Country and zone names, theme and stage labels, in French and English."""
    from reciprocite.knowledge.taxonomy import Stage

    meta: list[str] = []
    if country:
        meta += [country_name(country, "fr"), country_name(country, "en")]
        zone = zone_of(country)
        if zone:
            meta += [zone.name_fr, zone.key]
    for lang in ("fr", "en"):
        with translation.override(lang):
            meta += [theme_label(code) for code in theme_codes]
            if stage in Stage.values:
                meta.append(str(Stage(stage).label))
    return "\n".join(m for m in meta if m)


def sheet_groups(sheet) -> dict[str, str]:
    """The text of a sheet, grouped by weight (raw text: the backend normalises it)."""
    theme_codes = tuple(sorted(t.code for t in sheet.themes.all())) if sheet.pk else ()
    meta = "\n".join(
        [
            sheet.french_authority or "",
            sheet.partner_authority or "",
            _meta_labels(sheet.country or "", theme_codes, sheet.stage or ""),
        ]
    )
    return {
        "title": sheet.title or "",
        "summary": sheet.summary or "",
        "learned": "\n".join([sheet.reciprocity or "", sheet.replication or ""]),
        "meta": meta,
        "body": "\n".join(
            [sheet.context or "", sheet.method or "", sheet.results or "", sheet.difficulties or ""]
        ),
    }


@contextmanager
def index_scans(cursor):
    """PostgreSQL: inside, the planner reads through the indexes (`SET LOCAL enable_seqscan
    = off`, in a savepoint); set back after, since inside a caller's transaction (an index
    write in a service) the setting would otherwise last until that transaction ends. On an
    error the savepoint's rollback restores it."""
    with transaction.atomic():
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        cursor.execute("SET LOCAL enable_seqscan = on")


def vendor() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


# --- writing -----------------------------------------------------------------------------


def write(sheet) -> None:
    """The sheet's index row (and its entries in the champion lists), replaced."""
    from . import champions

    groups = sheet_groups(sheet)
    with connection.cursor() as cursor:
        if vendor() == "sqlite":
            columns = [index_terms(groups[k]) for k in SQLITE_COLUMNS]
            old = _sqlite_terms(cursor, sheet.pk)
            cursor.execute(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = %s", [sheet.pk])
            cursor.execute(
                f"INSERT INTO {SQLITE_TABLE} (rowid, title, summary, learned, meta, body) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [sheet.pk, *columns],
            )
            champions.on_write(
                cursor,
                sheet.pk,
                old_terms=old,
                new_terms=champions.sqlite_terms(columns),
                sqlite_columns=columns,
            )
        else:
            old = _pg_lexemes(cursor, sheet.pk)
            # `head`: the title, summary, learned and metadata lexemes (weights A–C) only,
            # which queries on very common words rank over (migration 0006).
            cursor.execute(
                f"INSERT INTO {PG_TABLE} (sheet_id, document, head) "
                f"SELECT %s, d, ts_filter(d, '{PG_HEAD_WEIGHTS}') FROM (SELECT {PG_DOCUMENT} AS d) s "
                "ON CONFLICT (sheet_id) DO UPDATE "
                "SET document = EXCLUDED.document, head = EXCLUDED.head "
                "RETURNING tsvector_to_array(document)",
                [sheet.pk] + [groups[k] for k in PG_COLUMNS],
            )
            new = set(cursor.fetchone()[0] or ())
            _pg_count_terms(cursor, added=new - old, removed=old - new)
            champions.on_write(cursor, sheet.pk, old_terms=old, new_terms=new)


def _sqlite_terms(cursor, sheet_id: int) -> set[str]:
    """The distinct stems of a sheet's FTS5 row (empty if it has none)."""
    from . import champions

    cursor.execute(
        f"SELECT title, summary, learned, meta, body FROM {SQLITE_TABLE} WHERE rowid = %s",
        [sheet_id],
    )
    row = cursor.fetchone()
    return champions.sqlite_terms(row) if row else set()


def _pg_lexemes(cursor, sheet_id: int) -> set[str]:
    cursor.execute(
        f"SELECT tsvector_to_array(document) FROM {PG_TABLE} WHERE sheet_id = %s", [sheet_id]
    )
    row = cursor.fetchone()
    return set(row[0] or ()) if row else set()


def _pg_count_terms(cursor, *, added: set[str], removed: set[str]) -> None:
    """Keep knowledge_search_terms (lexeme → sheets holding it); terms in sorted order so
    that concurrent writers lock rows in the same order."""
    if added:
        cursor.execute(
            "INSERT INTO knowledge_search_terms (term, docs) "
            "SELECT t, 1 FROM unnest(%s::text[]) AS t ORDER BY t "
            "ON CONFLICT (term) DO UPDATE SET docs = knowledge_search_terms.docs + 1",
            [sorted(added)],
        )
    if removed:
        cursor.execute(
            "UPDATE knowledge_search_terms SET docs = GREATEST(docs - 1, 0) "
            "WHERE term = ANY(%s::text[])",
            [sorted(removed)],
        )


SQLITE_COLUMNS = ("title", "summary", "learned", "meta", "body")
# The "head" of a sheet: every group but the body (SQLite: an FTS5 column filter;
# PostgreSQL: the `head` tsvector, weights A, B, C of the document).
SQLITE_HEAD_FILTER = "{title summary learned meta}"
PG_HEAD_WEIGHTS = "{a,b,c}"
PG_COLUMNS = ("title", "summary", "learned", "meta", "body")
PG_DOCUMENT = (
    f"setweight(to_tsvector('{PG_CONFIG}', %s), 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}', %s), 'B') || "
    f"setweight(to_tsvector('{PG_CONFIG}', %s), 'C') || "
    f"setweight(to_tsvector('{PG_CONFIG}', %s), 'C') || "
    f"setweight(to_tsvector('{PG_CONFIG}', %s), 'D')"
)


def bump_version() -> None:
    """A new random version of the index, in the writing transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE knowledge_search_state SET version = %s WHERE id = 1",
            [secrets.randbits(62)],
        )


def fingerprint() -> tuple:
    """What identifies the state of the index and of the sheets, cheaply (no table scan):
    the index version, the number of sheets, and the id and timestamps of the newest."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT version FROM knowledge_search_state WHERE id = 1), "
            "(SELECT COUNT(*) FROM knowledge_sheet)"
        )
        version, count = cursor.fetchone()
        cursor.execute(
            "SELECT id, created_at, updated_at FROM knowledge_sheet ORDER BY id DESC LIMIT 1"
        )
        newest = cursor.fetchone()
    return (version, count, tuple(str(v) for v in newest or ()))


def delete(sheet_id: int) -> None:
    from . import champions

    with connection.cursor() as cursor:
        if vendor() == "sqlite":
            old = _sqlite_terms(cursor, sheet_id)
            cursor.execute(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = %s", [sheet_id])
        else:
            old = _pg_lexemes(cursor, sheet_id)
            cursor.execute(f"DELETE FROM {PG_TABLE} WHERE sheet_id = %s", [sheet_id])
            _pg_count_terms(cursor, added=set(), removed=old)
        champions.on_delete(cursor, sheet_id, old_terms=old)


def clear() -> None:
    from . import champions

    with connection.cursor() as cursor:
        champions.clear(cursor)
        if vendor() == "sqlite":
            cursor.execute(f"DELETE FROM {SQLITE_TABLE}")
        else:
            cursor.execute(f"DELETE FROM {PG_TABLE}")
            cursor.execute("DELETE FROM knowledge_search_terms")


# --- reading -----------------------------------------------------------------------------


def match_expression(stems_or_words) -> str:
    """The backend's OR query over the analysed terms (words only: nothing to escape)."""
    if vendor() == "sqlite":
        return " OR ".join(f'"{t}"' for t in stems_or_words)
    return " | ".join(f"'{t}'" for t in stems_or_words)


def matching_ids(expression: str):
    """A RawSQL of the ids of the sheets matching the expression (for `pk__in=`)."""
    from django.db.models.expressions import RawSQL

    if vendor() == "sqlite":
        sql = f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"
    else:
        sql = f"SELECT sheet_id FROM {PG_TABLE} WHERE document @@ to_tsquery('{PG_CONFIG}', %s)"
    return RawSQL(sql, [expression])


# A term in more than this share of the sheets is left out of the text query (it still
# counts for coverage in the re-ranking), unless no rarer term is left: it would make the
# OR query match, and rank, nearly every sheet, for almost no change in the order.
COMMON_SHARE = 0.25
COMMON_MIN_DOCS = 200
RANK_BUDGET_SHARE = 0.5
RANK_BUDGET_MIN_DOCS = 1000


# When the terms left match more than HEAD_SHARE of the sheets (from HEAD_MIN_DOCS sheets
# up), they are ranked over the sheets' head first (title, summary, learned, metadata: a
# fraction of the text), and over the whole text only when the head gives fewer matches
# than asked for: ranking costs per match and per byte read.
# PostgreSQL only: there the head is a separate, small tsvector (ts_rank reads ~2.6 µs per
# match of the full, TOASTed document). On SQLite the same rule (an FTS5 column filter)
# measured no gain on the bench's p95: FTS5 still reads every doclist entry of the term.
HEAD_SHARE = 0.1
HEAD_MIN_DOCS = 1000
HEAD_VENDORS = ("postgresql",)


def prune_common(terms: tuple[str, ...]) -> tuple[str, ...]:
    """The query's terms (SQLite: our stems; PostgreSQL: words, which fr_unaccent stems)
    without those more than COMMON_SHARE of the indexed sheets contain — unless no rarer
    term that some sheet holds would remain."""
    return plan(terms)[0]


def plan(terms: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """(the terms to look for — see prune_common —, whether to rank over the head first)."""
    chosen = plan_query(terms)
    return chosen.terms, chosen.head


@dataclass(frozen=True)
class QueryPlan:
    terms: tuple[str, ...]  # what the text query looks for (SQLite stems, PostgreSQL words)
    head: bool  # rank over the sheets' head first
    # The index terms of `terms` (SQLite: the stems; PostgreSQL: their lexemes) that some
    # sheet holds, and how many sheets hold each: what the champion lists are keyed on.
    index_terms: tuple[str, ...] = ()
    docs: dict[str, int] = field(default_factory=dict)


def plan_query(terms: tuple[str, ...]) -> QueryPlan:
    """How to run a text query: which terms, over the head or not, and the index terms the
    champion lists would answer it from."""
    from . import champions

    if not terms:
        return QueryPlan(terms, False)
    lexemes: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        if vendor() == "sqlite":
            # The index's row count, from FTS5's own totals record: no table scan.
            total = champions.sqlite_totals(cursor)[0]
            # Listed terms: their count is kept with the list; the others (rarer, short
            # doclists) counted by fts5vocab.
            df = champions.docs(cursor, terms)
            rest = [t for t in terms if t not in df]
            if rest:
                placeholders = ", ".join(["%s"] * len(rest))
                cursor.execute(
                    f"SELECT term, doc FROM {SQLITE_TABLE}_vocab WHERE term IN ({placeholders})",
                    rest,
                )
                df.update(cursor.fetchall())
            term_docs = dict(df)
        else:
            # Planner's estimate of the row count: no table scan.
            cursor.execute(
                "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass",
                [PG_TABLE],
            )
            total = cursor.fetchone()[0]
            cursor.execute(
                "SELECT u.w, l.lexemes, (SELECT MAX(docs) FROM knowledge_search_terms "
                "WHERE term = ANY(l.lexemes)) "
                "FROM unnest(%s::text[]) AS u(w), "
                f"LATERAL (SELECT tsvector_to_array(to_tsvector('{PG_CONFIG}', u.w)) AS lexemes) l",
                [list(terms)],
            )
            df = {}
            for w, found, n in cursor.fetchall():
                df[w] = n or 0
                lexemes[w] = list(found or ())
            term_docs = {}
    chosen_terms = _prune(terms, df, total)
    head = (
        vendor() in HEAD_VENDORS
        and total >= HEAD_MIN_DOCS
        and sum(df.get(t, 0) for t in chosen_terms) > HEAD_SHARE * total
    )
    if vendor() == "sqlite":
        index = tuple(t for t in chosen_terms if df.get(t, 0) > 0)
    else:
        index = tuple(dict.fromkeys(lx for w in chosen_terms for lx in lexemes.get(w, ())))
    return QueryPlan(chosen_terms, head, index, term_docs)


def _prune(terms: tuple[str, ...], df: dict[str, int], total: int) -> tuple[str, ...]:
    if len(terms) < 2 or total < COMMON_MIN_DOCS:
        return terms
    limit = COMMON_SHARE * total
    present = [t for t in terms if df.get(t, 0) > 0]
    if not present:
        return terms
    kept = tuple(t for t in present if df[t] <= limit)
    if not kept:
        return tuple(sorted(present, key=lambda t: df[t])[:2])
    # The database ranks every match of the OR query (about 0.7 µs a match on SQLite, more
    # on PostgreSQL): past RANK_BUDGET_SHARE of the sheets in all, keep the rarest terms
    # whose matches fit in it (at least the rarest one) — the most telling ones; the others
    # still count in the re-ranking (coverage of the query's ideas, place, theme).
    budget = max(RANK_BUDGET_MIN_DOCS, RANK_BUDGET_SHARE * total)
    if sum(df[t] for t in kept) <= budget:
        return kept
    chosen: set[str] = set()
    spent = 0
    for t in sorted(kept, key=lambda t: (df[t], t)):
        if chosen and spent + df[t] > budget:
            break
        chosen.add(t)
        spent += df[t]
    return tuple(t for t in kept if t in chosen)


def top_ids(expression: str, limit: int, *, head: bool = False) -> list[tuple[int, float]]:
    """[(sheet id, score)] best first over the whole index, no other condition: the
    database ranks the matches and returns the first `limit` (SQLite: a condition on the
    sheets table, even `+rowid IN (…)`, costs a read of every sheet row; the caller keeps
    those of these ids that pass its filters)."""
    with connection.cursor() as cursor:
        if vendor() == "sqlite":
            weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
            cursor.execute(
                f"SELECT rowid, -bm25({SQLITE_TABLE}, {weights}) AS score FROM {SQLITE_TABLE} "
                f"WHERE {SQLITE_TABLE} MATCH %s ORDER BY score DESC, rowid LIMIT %s",
                [_sqlite_head(expression) if head else expression, limit],
            )
        else:
            # Through the GIN index even when the planner would scan the table: the index
            # answers `@@` for plain lexemes without reading the (TOASTed, compressed)
            # tsvectors, so only the matches are read, once, by ts_rank — 61 instead of
            # 137 ms for a word in half of 50k sheets.
            with index_scans(cursor):
                column = "head" if head else "document"
                cursor.execute(
                    f"SELECT sheet_id, ts_rank('{PG_WEIGHTS}', {column}, q, 1) AS score "
                    f"FROM {PG_TABLE}, to_tsquery('{PG_CONFIG}', %s) AS q "
                    f"WHERE {column} @@ q ORDER BY score DESC, sheet_id LIMIT %s",
                    [expression, limit],
                )
                return [(row[0], float(row[1])) for row in cursor.fetchall()]
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def _sqlite_head(expression: str) -> str:
    return f"{SQLITE_HEAD_FILTER} : ({expression})"


def ranked_ids(
    expression: str,
    base_sql: str,
    base_params,
    limit: int,
    offset: int,
    *,
    head: bool = False,
    filtered: bool = False,
):
    """[(sheet id, score)] best first among the ids of `base_sql`, higher score better
    (over the sheets' head only if `head`). `filtered`: the ids are a filtered part of the
    sheets — PostgreSQL reads them first, then the index rows of those (for `IN (…)` it
    planned a parallel scan of every match and a sort on disk: 112 against 45 ms for
    "enfants" within one country's 7,000 of 50k sheets)."""
    with connection.cursor() as cursor:
        if vendor() == "sqlite":
            weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
            cursor.execute(
                f"SELECT rowid, -bm25({SQLITE_TABLE}, {weights}) AS score FROM {SQLITE_TABLE} "
                f"WHERE {SQLITE_TABLE} MATCH %s AND +rowid IN ({base_sql}) "
                "ORDER BY score DESC, rowid LIMIT %s OFFSET %s",
                [_sqlite_head(expression) if head else expression, *base_params, limit, offset],
            )
        else:
            column = "head" if head else "document"
            within = f"= ANY(ARRAY({base_sql}))" if filtered else f"IN ({base_sql})"
            cursor.execute(
                f"SELECT sheet_id, ts_rank('{PG_WEIGHTS}', {column}, q, 1) AS score "
                f"FROM {PG_TABLE}, to_tsquery('{PG_CONFIG}', %s) AS q "
                f"WHERE {column} @@ q AND sheet_id {within} "
                "ORDER BY score DESC, sheet_id LIMIT %s OFFSET %s",
                [expression, *base_params, limit, offset],
            )
        return [(row[0], float(row[1])) for row in cursor.fetchall()]
