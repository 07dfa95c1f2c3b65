"""Search of the knowledge base: one interface over SQLite FTS5 and PostgreSQL text search.

The rest of the app calls only what this module exports: `search`, `similar`, and the index
upkeep `index_sheet` / `remove_sheet` / `rebuild`. See docs/knowledge-search.md.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _

from reciprocite.core.filters import FilterError

from . import backends, champions
from .intent import recognise
from .query import analyse
from .text import snippet, stem, words

MAX_LIMIT = 100
FACET_KEYS = ("theme", "country", "zone", "stage", "language")


@dataclass(frozen=True)
class SearchHit:
    sheet_id: int
    ref: str
    title: str
    language: str
    score: float
    snippet: str  # safe HTML: escaped text with <mark>…</mark> around matched words


@dataclass(frozen=True)
class FacetValue:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetValue]]  # keys: "theme", "country", "zone", "stage", "language"
    # True when more sheets match than the CANDIDATES best: `total` and the facets then
    # count those best candidates only (a lower bound: "more than N").
    total_is_estimate: bool = False


# --- filters and facets ------------------------------------------------------------------


def _validate_filters(filters: dict[str, list[str]] | None) -> dict[str, list[str]]:
    from reciprocite.knowledge.taxonomy import Stage
    from reciprocite.registry.models import LANGUAGE_CHOICES
    from reciprocite.registry.taxonomy import THEMES
    from reciprocite.territories.geography import is_country, zone_by_key

    clean: dict[str, list[str]] = {}
    for key, values in (filters or {}).items():
        if key not in FACET_KEYS:
            raise FilterError(
                key, _("unknown filter; allowed filters are %s") % ", ".join(sorted(FACET_KEYS))
            )
        if isinstance(values, str):
            values = [values]
        values = [str(v).strip() for v in values or [] if str(v).strip()]
        if not values:
            continue
        for value in values:
            ok = {
                "theme": lambda v: v in THEMES,
                "country": is_country,
                "zone": lambda v: zone_by_key(v) is not None,
                "stage": lambda v: v in Stage.values,
                "language": lambda v: v in dict(LANGUAGE_CHOICES),
            }[key](value)
            if not ok:
                raise FilterError(key, _("unknown value %r") % value[:100])
        if key == "country":
            values = [v.upper() for v in values]
        clean[key] = values
    return clean


def _base_queryset(filters: dict[str, list[str]], statuses):
    from reciprocite.knowledge.models import Sheet
    from reciprocite.territories.geography import countries_in_zone

    qs = (
        Sheet.objects.all() if statuses is None else Sheet.objects.filter(status__in=list(statuses))
    )
    if "theme" in filters:
        qs = qs.filter(
            pk__in=Sheet.themes.through.objects.filter(theme_id__in=filters["theme"]).values(
                "sheet_id"
            )
        )
    if "country" in filters:
        qs = qs.filter(country__in=filters["country"])
    if "zone" in filters:
        codes = [c for key in filters["zone"] for c in countries_in_zone(key)]
        qs = qs.filter(country__in=codes)
    if "stage" in filters:
        qs = qs.filter(stage__in=filters["stage"])
    if "language" in filters:
        qs = qs.filter(language__in=filters["language"])
    return qs


def _filter_check(filters: dict[str, list[str]], ids):
    """A predicate (sheet id, country, stage, language) -> bool telling whether a sheet
    among `ids` passes the filters — what _base_queryset selects, checked in Python on a
    few hundred ranked ids (in SQL, a theme filter's subquery read every link of the
    theme for each check)."""
    if not filters:
        return lambda pk, country, stage, language: True
    from reciprocite.territories.geography import countries_in_zone

    themed: set[int] | None = None
    if "theme" in filters:
        wanted = set(filters["theme"])
        themed = {sid for sid, code in _theme_rows("sheet_id, theme_id", ids) if code in wanted}
    countries = set(filters.get("country", ()))
    zone_countries = {c for key in filters.get("zone", ()) for c in countries_in_zone(key)}
    stages = set(filters.get("stage", ()))
    languages = set(filters.get("language", ()))

    def passes(pk, country, stage, language) -> bool:
        return (
            (themed is None or pk in themed)
            and ("country" not in filters or country in countries)
            and ("zone" not in filters or country in zone_countries)
            and ("stage" not in filters or stage in stages)
            and ("language" not in filters or language in languages)
        )

    return passes


def _facets(qs) -> tuple[int, dict[str, list[FacetValue]]]:
    """(total, facets) of a queryset: one grouped query for the sheet's own columns (the
    total is its sum), one for the themes."""
    from reciprocite.knowledge.models import Sheet

    groups = qs.order_by().values_list("country", "stage", "language").annotate(n=Count("pk"))
    return _facets_of(
        groups,
        lambda: Sheet.themes.through.objects.filter(sheet_id__in=qs.values("pk")),
    )


def _facets_of(groups, theme_links) -> tuple[int, dict[str, list[FacetValue]]]:
    """(total, facets) from (country, stage, language, n) groups and a function giving the
    sheets' theme links."""
    from reciprocite.knowledge.taxonomy import Stage
    from reciprocite.registry.models import LANGUAGE_CHOICES
    from reciprocite.registry.taxonomy import theme_label
    from reciprocite.territories.geography import country_name, zone_of

    def ordered(counter: Counter, label) -> list[FacetValue]:
        items = [FacetValue(code, label(code), n) for code, n in counter.items() if code]
        return sorted(items, key=lambda f: (-f.count, f.label.casefold(), f.code))

    countries: Counter = Counter()
    stages: Counter = Counter()
    languages: Counter = Counter()
    zones: Counter = Counter()
    zone_labels: dict[str, str] = {}
    total = 0
    for country, stage, language, n in groups:
        total += n
        countries[country] += n
        stages[stage] += n
        languages[language] += n
        zone = zone_of(country) if country else None
        if zone:
            zones[zone.key] += n
            zone_labels[zone.key] = zone.label()
    if not total:
        return 0, {key: [] for key in FACET_KEYS}
    links = theme_links()
    if not isinstance(links, list):
        links = (
            links.values("theme_id")
            .annotate(n=Count("sheet_id"))
            .values_list("theme_id", "n")
            .order_by()
        )
    themes = Counter(dict(links))
    stage_labels = dict(Stage.choices)
    language_labels = dict(LANGUAGE_CHOICES)
    return total, {
        "theme": ordered(themes, theme_label),
        "country": ordered(countries, country_name),
        "zone": ordered(zones, lambda key: zone_labels[key]),
        "stage": ordered(stages, lambda code: str(stage_labels.get(code, code))),
        "language": ordered(languages, lambda code: language_labels.get(code, code)),
    }


def _id_condition(column: str, ids) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _sheet_rows(columns: str, ids) -> list[tuple]:
    """Columns of the sheets with these ids, in SQL: for a few hundred ids, Django's
    `pk__in=` prepares each value in Python (0.8 ms against 0.25 ms for 300 ids)."""
    from reciprocite.knowledge.models import Sheet

    if not ids:
        return []
    condition, params = _id_condition("id", ids)
    with connection.cursor() as cursor:
        # Column and table names are this module's constants; the ids are parameters.
        sql = f"SELECT {columns} FROM {Sheet._meta.db_table} WHERE {condition}"  # noqa: S608
        cursor.execute(sql, params)
        return cursor.fetchall()


def _theme_rows(columns: str, ids, *, group: bool = False) -> list[tuple]:
    """Columns of the theme links of these sheets (`group`: grouped by theme)."""
    from reciprocite.knowledge.models import Sheet

    if not ids:
        return []
    condition, params = _id_condition("sheet_id", ids)
    table = Sheet.themes.through._meta.db_table
    tail = " GROUP BY theme_id" if group else ""
    with connection.cursor() as cursor:
        sql = f"SELECT {columns} FROM {table} WHERE {condition}{tail}"  # noqa: S608
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- hits --------------------------------------------------------------------------------


def _hits(ranked: list[tuple[int, float]], stems: set[str]) -> list[SearchHit]:
    from reciprocite.knowledge.models import Sheet
    from reciprocite.knowledge.taxonomy import NARRATIVE_FIELDS

    fields = [name for name, _label in NARRATIVE_FIELDS]
    sheets = Sheet.objects.only("id", "ref", "title", "language", *fields).in_bulk(
        [pk for pk, _score in ranked]
    )
    hits = []
    for pk, score in ranked:
        sheet = sheets.get(pk)
        if sheet is None:
            continue
        hits.append(
            SearchHit(
                sheet_id=sheet.pk,
                ref=sheet.ref,
                title=sheet.title,
                language=sheet.language,
                score=round(score, 6),
                snippet=snippet([getattr(sheet, f) for f in fields], stems),
            )
        )
    return hits


def search(
    query: str,
    *,
    filters: dict[str, list[str]] | None = None,
    limit: int = 10,
    offset: int = 0,
    statuses: tuple[str, ...] = ("published",),
) -> SearchResults:
    """Sheets matching `query` (any words, best first) among those of the given statuses
    that pass `filters`; facets counted over all the matching sheets.

    The total, the facets and the first RERANK_DEPTH hits are cached (Django's cache) under
    the query, the filters and the fingerprint of the index (backends.fingerprint), so a
    repeated search costs a cache read, and any index write gives new keys."""
    clean = _validate_filters(filters)
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        limit = 10
    limit = min(max(limit, 1), MAX_LIMIT)
    try:
        offset = max(int(offset), 0)
    except (TypeError, ValueError):
        offset = 0
    analysed = analyse(query or "")
    if analysed.empty and analysed.text and words(analysed.text):
        # Only stop words: nothing to look for.
        return SearchResults(analysed.text, [], 0, {key: [] for key in FACET_KEYS})
    statuses = tuple(sorted({str(s) for s in statuses}))
    key = _cache_key(analysed.text if not analysed.empty else "", clean, statuses)
    cached = cache.get(key)
    if cached is None:
        cached = _compute(analysed, clean, statuses)
        cache.set(key, cached, CACHE_SECONDS)
    total, estimate, facets, ranked = cached
    if offset + limit <= len(ranked) or total <= len(ranked):
        page = ranked[offset : offset + limit]
    elif offset >= total:
        page = []
    else:
        page = _deep_page(analysed, clean, statuses, min(limit, total - offset), offset)
    stems = set(analysed.stems)
    return SearchResults(analysed.text, _hits(page, stems), total, facets, estimate)


CACHE_SECONDS = 600


def _cache_key(text: str, clean: dict[str, list[str]], statuses: tuple[str, ...]) -> str:
    from django.utils.translation import get_language

    parts = (
        backends.vendor(),
        backends.fingerprint(),
        get_language(),
        text,
        sorted((k, sorted(v)) for k, v in clean.items()),
        statuses,
    )
    return "knowledge-search:v2:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _compute(analysed, clean, statuses):
    """(total, whether the total is a lower bound, facets, the first RERANK_DEPTH hits as
    (sheet id, score)) of a search.

    The database ranks the matches and hands over the CANDIDATES best; the facets are
    counted over those. When no more match, total and facets are exact; otherwise the total
    is the number of candidates, flagged as an estimate (counting every match of an OR
    query and its five facets cost ten times the rest of the search on 50k sheets — see
    docs/knowledge-search.md)."""
    base = _base_queryset(clean, statuses)
    if analysed.empty:
        total, facets = _facets(base)
        ids = base.order_by("title", "id").values_list("pk", flat=True)[:RERANK_DEPTH]
        return total, False, facets, [(pk, 0.0) for pk in ids]
    expression, head, query_plan = _expression(analysed)

    def columns(ranked) -> dict[int, tuple[str, str, str]]:
        """country, stage, language of those of the ranked sheets that pass the filters.
        The status is checked here, not in SQL: given `status IN (…) AND id IN (…)`, SQLite
        scans the status index over every published sheet (4 ms at 50k) instead of looking
        up the few hundred ids (0.2 ms)."""
        ids = [pk for pk, _score in ranked]
        rows = _sheet_rows("id, country, stage, language, status", ids)
        passes = _filter_check(clean, ids)
        return {
            pk: (country, stage, language)
            for pk, country, stage, language, status in rows
            if status in statuses and passes(pk, country, stage, language)
        }

    # Terms with a champion list: rank over their lists' union (a few hundred rows) and the
    # other terms' matches. (A list holds at least CANDIDATES + 1 sheets, or every sheet
    # with its term.) The head rule then applies only if filters leave too few of them.
    top = champions.top(query_plan.index_terms, query_plan.docs, CANDIDATES + 1)
    if top is None:
        top = backends.top_ids(expression, CANDIDATES + 1, head=head) if head else []
        if len(top) <= CANDIDATES:
            # Not planned over the head, or the head has too few matches: the whole text.
            head = False
            top = backends.top_ids(expression, CANDIDATES + 1)
    info = columns(top)
    candidates = [(pk, score) for pk, score in top if pk in info]
    if len(top) > CANDIDATES and len(candidates) <= CANDIDATES:
        # Filters (or statuses) left out some of the best matches and more exist: rank
        # within the filtered sheets.
        filtered = bool(clean)
        loose = None
        if filtered and backends.vendor() == "sqlite":
            loose, info = _loosely_filtered(expression, clean, columns)
        if loose is not None:
            candidates = loose
        else:
            base_sql, base_params = base.order_by().values("pk").query.sql_with_params()
            candidates = backends.ranked_ids(
                expression, base_sql, base_params, CANDIDATES + 1, 0, head=head, filtered=filtered
            )
            if head and len(candidates) <= CANDIDATES:
                candidates = backends.ranked_ids(
                    expression, base_sql, base_params, CANDIDATES + 1, 0, filtered=filtered
                )
            info = columns(candidates)
    estimate = len(candidates) > CANDIDATES
    candidates = candidates[:CANDIDATES]
    ids = [pk for pk, _score in candidates]
    groups = Counter(info[pk] for pk in ids)
    total, facets = _facets_of(
        [(*key, n) for key, n in groups.items()],
        lambda: _theme_rows("theme_id, COUNT(*)", ids, group=True),
    )
    ranked = _rerank(
        candidates[:RERANK_DEPTH], recognise(analysed.text), analysed.concepts, analysed.text
    )
    return total, estimate, facets, ranked


# Extra sheets ranked when statuses are checked after the ranking (drafts among the best).
STATUS_SLACK = 50


def _loosely_filtered(expression, clean, columns):
    """SQLite: rank within the filtered sheets with the filters alone in SQL — an index of
    the filter's column answers them, where with `status IN (…)` too SQLite walks the
    status index over every published sheet (62 against 12 ms for a zone of 17,000 of
    50k sheets) — and check the statuses on the ranked ids. (candidates, their columns),
    or (None, None) when the statuses left too few to be sure of the best CANDIDATES + 1."""
    loose = _base_queryset(clean, None).order_by().values("pk")
    sql, params = loose.query.sql_with_params()
    wanted = CANDIDATES + 1 + STATUS_SLACK
    ranked = backends.ranked_ids(expression, sql, params, wanted, 0)
    info = columns(ranked)
    kept = [(pk, score) for pk, score in ranked if pk in info][: CANDIDATES + 1]
    if len(kept) > CANDIDATES or len(ranked) < wanted:
        # The best CANDIDATES + 1 that pass are all there, or every match was ranked.
        return kept, info
    return None, None


def _expression(analysed) -> tuple[str, bool, backends.QueryPlan]:
    """(the backend's text query, whether to rank it over the sheets' head first, the plan)."""
    query_plan = backends.plan_query(
        analysed.stems if backends.vendor() == "sqlite" else analysed.words
    )
    return backends.match_expression(query_plan.terms), query_plan.head, query_plan


def _deep_page(analysed, clean, statuses, limit: int, offset: int) -> list[tuple[int, float]]:
    """Pages beyond the re-ranked ones: text score (or title) order, straight from the
    database."""
    base = _base_queryset(clean, statuses)
    if analysed.empty:
        ids = base.order_by("title", "id").values_list("pk", flat=True)[offset : offset + limit]
        return [(pk, 0.0) for pk in ids]
    expression, head, query_plan = _expression(analysed)
    top = champions.top(query_plan.index_terms, query_plan.docs, CANDIDATES + 1)
    if top is not None:
        # The first pages came from the champion lists: so do these, unless the filters
        # leave too few of them (then _compute ranked within the filtered sheets too).
        kept = set(base.filter(pk__in=[pk for pk, _score in top]).values_list("pk", flat=True))
        filtered = [(pk, score) for pk, score in top if pk in kept]
        if len(filtered) > CANDIDATES or len(top) <= CANDIDATES:
            return filtered[offset : offset + limit]
    base_sql, base_params = base.order_by().values("pk").query.sql_with_params()
    if head:
        # The first pages came from the head when it held more than CANDIDATES matches.
        page = backends.ranked_ids(
            expression, base_sql, base_params, limit, offset, head=True, filtered=bool(clean)
        )
        if len(page) == limit:
            return page
    return backends.ranked_ids(
        expression, base_sql, base_params, limit, offset, filtered=bool(clean)
    )


# How many of the best text matches the database hands over: the facets are counted over
# them, and the total is exact only when no more match.
CANDIDATES = 300
# Boosts added to the normalised text score (the best candidate scores 1).
RERANK_DEPTH = 100
BOOST_COVERAGE = 0.5
OTHER_SCRIPTS = ("ar", "ru")
CROSS_SCRIPT_CAP = 0.5
BOOST_COUNTRY = 0.5
BOOST_ZONE = 0.3
BOOST_THEME = 0.4
BOOST_STAGE = 0.4
BOOST_RECIPROCITY = 0.8
BOOST_REPLICATION = 0.5


def _rerank(
    ranked: list[tuple[int, float]], intent, concepts=(), query_text: str = ""
) -> list[tuple[int, float]]:
    """Re-rank the best candidates of the text query: how many of the query's ideas their
    title and summary cover, and what the query names — the place (country, zone), the
    theme, the stage, the reciprocity / replication questions."""
    from reciprocite.territories.geography import zone_of

    if not ranked:
        return ranked
    top = max(score for _pk, score in ranked) or 1.0
    query_script_other = any("\u0400" <= ch <= "\u06ff" for ch in query_text)
    ids = [pk for pk, _score in ranked]
    columns = ["pk", "country", "stage", "title", "summary", "language"]
    if intent.reciprocity:
        columns.append("reciprocity")
    if intent.replication:
        columns.append("replication")
    info = {
        row[0]: dict(zip(columns, row, strict=True))
        for row in _sheet_rows(", ".join("id" if c == "pk" else c for c in columns), ids)
    }
    themes: dict[int, set[str]] = {}
    if intent.themes:
        for sid, code in _theme_rows("sheet_id, theme_id", ids):
            themes.setdefault(sid, set()).add(code)
    out = []
    for pk, score in ranked:
        row = info.get(pk, {})
        value = score / top
        if row.get("language") in OTHER_SCRIPTS and not query_script_other:
            # Reached through the lexicon's translations only: rare words abroad, whose
            # BM25 weight overstates the match.
            value = min(value, CROSS_SCRIPT_CAP)
        if len(concepts) > 1:
            present = {stem(w) for w in words(f"{row.get('title', '')} {row.get('summary', '')}")}
            value += BOOST_COVERAGE * sum(1 for c in concepts if c & present) / len(concepts)
        country = row.get("country") or ""
        if intent.countries and country in intent.countries:
            value += BOOST_COUNTRY
        if intent.zones and country:
            zone = zone_of(country)
            if zone and zone.key in intent.zones:
                value += BOOST_ZONE
        if intent.themes and intent.themes & themes.get(pk, set()):
            value += BOOST_THEME
        if intent.stages and row.get("stage") in intent.stages:
            value += BOOST_STAGE
        if intent.reciprocity and row.get("reciprocity"):
            found = {stem(w) for w in words(row["reciprocity"])} & intent.evidence
            value += BOOST_RECIPROCITY * min(1.0, len(found) / 2)
        if intent.replication and (row.get("replication") or "").strip():
            value += BOOST_REPLICATION
        out.append((pk, value))
    out.sort(key=lambda item: (-item[1], item[0]))
    return out


# similar(): the text ranking's best candidates re-scored by themes and country, and the
# extra ids asked for so that the sheet itself, its translations and unpublished sheets
# can be dropped without ranking again.
SIMILAR_CANDIDATES = 50
SIMILAR_SLACK = 30


def similar(
    sheet, *, limit: int = 5, statuses: tuple[str, ...] = ("published",)
) -> list[SearchHit]:
    """Sheets close to `sheet`: its title and summary words as an OR query (BM25 / ts_rank),
    then candidates sharing its themes and its country moved up. Excludes the sheet itself
    and its translations."""
    from reciprocite.knowledge.models import Sheet

    limit = min(max(int(limit or 5), 1), MAX_LIMIT)
    source = " ".join([sheet.title or "", sheet.summary or ""])
    seen: list[str] = []
    for w in words(source):
        s = stem(w)
        if len(w) > 2 and s not in seen and not analyse(w).empty:
            seen.append(w if backends.vendor() == "postgresql" else s)
    seen = seen[:40]
    excluded = {sheet.pk}
    # its translations, its original and the original's other translations: one indexed
    # lookup each (as one OR with `id IS NULL`, SQLite scanned every sheet: 38 ms at 50k)
    excluded.update(Sheet.objects.filter(translation_of_id=sheet.pk).values_list("pk", flat=True))
    if sheet.translation_of_id:
        excluded.add(sheet.translation_of_id)
        excluded.update(
            Sheet.objects.filter(translation_of_id=sheet.translation_of_id).values_list(
                "pk", flat=True
            )
        )
    if not seen:
        return []
    # As a search does (see _compute): the terms the ranking budget keeps, ranked from the
    # champion lists or over the whole index with no condition on the sheets, the statuses
    # and exclusions checked on the ids — within `IN (allowed sheets)` an OR of 40 words
    # ranked every match: 135-260 ms a sheet page at 50k sheets.
    query_plan = backends.plan_query(tuple(seen))
    expression = backends.match_expression(query_plan.terms)
    pool = SIMILAR_CANDIDATES + SIMILAR_SLACK
    top = champions.top(query_plan.index_terms, query_plan.docs, pool)
    if top is None:
        top = backends.top_ids(expression, pool, head=True) if query_plan.head else []
        if len(top) < pool:  # not planned over the head, or too few matches there
            top = backends.top_ids(expression, pool)
    info = {
        pk: (status, country)
        for pk, status, country in _sheet_rows("id, status, country", [pk for pk, _ in top])
    }
    ranked = [
        (pk, score)
        for pk, score in top
        if pk not in excluded and pk in info and info[pk][0] in statuses
    ][:SIMILAR_CANDIDATES]
    countries = {pk: country for pk, (_status, country) in info.items()}
    if len(ranked) < SIMILAR_CANDIDATES and len(top) >= pool:
        # drafts or the sheet's own family filled the pool: rank within the allowed sheets
        base = Sheet.objects.filter(status__in=list(statuses)).exclude(pk__in=excluded)
        base_sql, base_params = base.order_by().values("pk").query.sql_with_params()
        ranked = backends.ranked_ids(expression, base_sql, base_params, SIMILAR_CANDIDATES, 0)
        countries = dict(_sheet_rows("id, country", [pk for pk, _s in ranked]) if ranked else [])
    if not ranked:
        return []
    top_score = ranked[0][1] or 1.0
    themes = set(sheet.themes.values_list("code", flat=True))
    cand_themes: dict[int, set[str]] = {}
    for sid, code in _theme_rows("sheet_id, theme_id", [pk for pk, _s in ranked]):
        cand_themes.setdefault(sid, set()).add(code)
    rescored = []
    for pk, score in ranked:
        shared = len(themes & cand_themes.get(pk, set()))
        value = (
            score / top_score
            + 0.25 * shared
            + (0.2 if sheet.country and countries.get(pk) == sheet.country else 0)
        )
        rescored.append((pk, value))
    rescored.sort(key=lambda item: (-item[1], item[0]))
    stems_set = {stem(w) for w in seen} if backends.vendor() == "postgresql" else set(seen)
    return _hits(rescored[:limit], stems_set)


def index_sheet(sheet) -> None:
    """(Re)index one sheet; call after each save (inside the saving transaction)."""
    backends.write(sheet)
    backends.bump_version()
    champions.note_write()


def remove_sheet(sheet_id: int) -> None:
    backends.delete(sheet_id)
    backends.bump_version()


def rebuild(progress=None) -> int:
    """Reindex every sheet (any status); returns how many. ``progress(step, done, total)``,
    when given, hears of each 500 sheets indexed and of the champion lists' build."""
    from django.db import transaction
    from django.utils.translation import gettext as _

    from reciprocite.knowledge.models import Sheet

    total = Sheet.objects.count()
    indexing = _("Indexing the sheets")
    count = 0
    with transaction.atomic():
        backends.clear()
        for sheet in Sheet.objects.prefetch_related("themes").iterator(chunk_size=500):
            backends.write(sheet)
            count += 1
            if progress and (count % 500 == 0 or count == total):
                progress(indexing, count, total)
        if progress:
            progress(_("Building the lists of frequent terms"), 0, 1)
        champions.promote()
        backends.bump_version()
        if progress:
            progress(_("Building the lists of frequent terms"), 1, 1)
    return count


__all__ = [
    "FacetValue",
    "FilterError",
    "SearchHit",
    "SearchResults",
    "index_sheet",
    "rebuild",
    "remove_sheet",
    "search",
    "similar",
]
