"""Champion lists (knowledge.search.champions): kept current by every index write, and a
query answered from them ranks as the full ranking does in the cases claimed exact.

The lists act from 1,000 sheets up in production; here the thresholds are lowered so that
they act on a dozen sheets: lists of 3 to 4 entries, search handing over 2 candidates.

The sheets holding "enfants" all have the same length (the word repeated k times, a filler
word for the rest), so their single-term order is the same whatever the average sheet
length: the cases claimed exact on SQLite, where a list's scores are computed with the
average length at its last fill (see champions.py)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from reciprocite.knowledge import search
from reciprocite.knowledge.models import Sheet
from reciprocite.knowledge.search import champions

pytestmark = pytest.mark.django_db

WIDTH = 6  # words in each summary


@pytest.fixture
def small_lists(monkeypatch):
    monkeypatch.setattr(champions, "MIN_DOCS", 1)
    monkeypatch.setattr(champions, "LIST_MIN", 3)
    monkeypatch.setattr(champions, "LIST_MAX", 4)
    monkeypatch.setattr(search, "CANDIDATES", 2)


def summary(k: int, word: str = "enfants", filler: str = "dakar") -> str:
    return " ".join([word] * k + [filler] * (WIDTH - k))


def make(ref: str, k: int, **fields) -> Sheet:
    sheet = Sheet.objects.create(
        ref=ref, title="Centre social", summary=summary(k), status="published", **fields
    )
    search.index_sheet(sheet)
    return sheet


def edit(sheet: Sheet, **fields) -> None:
    for name, value in fields.items():
        setattr(sheet, name, value)
    sheet.save()
    search.index_sheet(sheet)


def promote() -> None:
    with transaction.atomic():
        champions.promote(min_docs=1)


def listed(term: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sheet_id FROM knowledge_search_champions WHERE term = %s "
            "ORDER BY score DESC, sheet_id",
            [term],
        )
        return [row[0] for row in cursor.fetchall()]


def list_state(term: str) -> tuple[int, int | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT entries, floor_id FROM knowledge_search_champion_terms WHERE term = %s",
            [term],
        )
        return cursor.fetchone()


def fresh(term: str) -> list[int]:
    """The term's list as a fill from scratch gives it (rolled back)."""
    sid = transaction.savepoint()
    with connection.cursor() as cursor:
        champions.refill(cursor, term)
    ids = listed(term)
    transaction.savepoint_rollback(sid)
    return ids


def enfant_term() -> str:
    """The index term of "enfants" (SQLite: our stem; PostgreSQL: fr_unaccent's lexeme)."""
    if connection.vendor == "sqlite":
        return "enfant"
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(to_tsvector('fr_unaccent', 'enfants'))")
        return cursor.fetchone()[0][0]


def both_ways(
    query: str, *, from_lists: bool = True, **kwargs
) -> tuple[list[str], list[str], object]:
    """(refs from the lists, refs from the full ranking, the lists' results); checks that
    the first search was (or, `from_lists=False`, was not) answered from the lists."""
    answered = []
    top = champions.top

    def spy(*args, **kw):
        result = top(*args, **kw)
        answered.append(result is not None)
        return result

    champions.top = spy
    try:
        with_lists = search.search(query, **kwargs)
    finally:
        champions.top = top
    assert any(answered) is from_lists, answered
    full = _full(query, **kwargs)
    return [h.ref for h in with_lists.hits], [h.ref for h in full.hits], with_lists


def _full(query: str, **kwargs):
    saved = champions.VENDORS
    champions.VENDORS = ()
    try:
        return search.search(query, **kwargs)
    finally:
        champions.VENDORS = saved


@pytest.fixture
def ten(small_lists):
    """Ten sheets with "enfants" 1..5 times (two of each), two without; lists built."""
    sheets = {f"s{i}": make(f"s{i}", 1 + i % 5) for i in range(10)}
    sheets["other-1"] = make("other-1", 0)
    sheets["other-2"] = make("other-2", 0)
    promote()
    return sheets


def test_promote_gives_frequent_terms_a_list_of_their_best_sheets(ten):
    term = enfant_term()
    # k = 5 for s4 and s9, then k = 4 for s3 and s8: the four best, better key first.
    assert listed(term) == [ten["s4"].pk, ten["s9"].pk, ten["s3"].pk, ten["s8"].pk]
    assert list_state(term) == (4, ten["s2"].pk)  # the floor: the best sheet left out
    assert listed(term) == fresh(term)


def test_a_query_on_a_listed_term_ranks_as_the_full_ranking(ten):
    from_lists, full, results = both_ways("enfants", limit=2)
    assert from_lists == full == ["s4", "s9"]
    assert results.total == 2 and results.total_is_estimate is True


def test_an_edited_sheet_enters_the_list_and_the_worst_leaves(ten):
    term = enfant_term()
    edit(ten["s0"], summary=summary(6))  # from k = 1 to the best of all
    assert listed(term) == [ten["s0"].pk, ten["s4"].pk, ten["s9"].pk, ten["s3"].pk]
    assert list_state(term) == (4, ten["s8"].pk)
    assert listed(term) == fresh(term)
    from_lists, full, _results = both_ways("enfants", limit=2)
    assert from_lists == full == ["s0", "s4"]


def test_a_listed_sheet_edited_down_leaves_it_and_a_short_list_is_refilled(ten):
    term = enfant_term()
    edit(ten["s4"], summary=summary(1))  # 4 -> 3 entries: still at LIST_MIN
    assert listed(term) == [ten["s9"].pk, ten["s3"].pk, ten["s8"].pk]
    edit(ten["s9"], summary=summary(0, filler="thies"))  # 2 entries: refilled from the index
    assert listed(term) == [ten["s3"].pk, ten["s8"].pk, ten["s2"].pk, ten["s7"].pk]
    assert list_state(term) == (4, ten["s1"].pk)
    assert listed(term) == fresh(term)
    from_lists, full, _results = both_ways("enfants", limit=2)
    assert from_lists == full == ["s3", "s8"]


def test_removed_sheets_leave_the_lists_and_the_query_follows(ten):
    term = enfant_term()
    ten["s4"].delete()  # post_delete -> remove_sheet
    search.remove_sheet(ten["s9"].pk)
    Sheet.objects.filter(pk=ten["s9"].pk).delete()
    assert ten["s4"].pk not in listed(term) and ten["s9"].pk not in listed(term)
    assert listed(term) == fresh(term)
    from_lists, full, _results = both_ways("enfants", limit=2)
    assert from_lists == full == ["s3", "s8"]


def test_a_new_sheet_enters_the_list(ten):
    term = enfant_term()
    new = make("new", 6)
    assert listed(term)[0] == new.pk
    assert listed(term) == fresh(term)
    from_lists, full, _results = both_ways("enfants", limit=2)
    assert from_lists == full == ["new", "s4"]


def test_a_new_sheet_below_the_floor_stays_out(ten):
    term = enfant_term()
    before = listed(term)
    make("weak", 1)
    assert listed(term) == before == fresh(term)


def test_unpublished_and_filtered_sheets_are_checked_after_the_lists(ten):
    edit(ten["s4"], status="draft")
    from_lists, full, _results = both_ways("enfants", limit=2)
    assert from_lists == full == ["s9", "s3"]
    # A filter leaves too few of the lists' sheets: ranked within the filtered sheets.
    edit(ten["s1"], country="SN")
    edit(ten["s2"], country="SN")
    from_lists, full, results = both_ways("enfants", limit=2, filters={"country": ["SN"]})
    assert from_lists == full == ["s2", "s1"]
    assert results.total == 2 and results.total_is_estimate is False


def test_a_term_without_a_list_is_ranked_the_ordinary_way(ten):
    assert champions.top(("nonexistent",), {}, 3) is None
    make("x1", 0, context="Ziguinchor")
    make("x2", 0, context="Ziguinchor Ziguinchor")
    from_lists, full, _results = both_ways("Ziguinchor", limit=2, from_lists=False)
    assert from_lists == full == ["x2", "x1"]


def test_a_query_mixing_listed_and_other_terms_sums_their_scores(small_lists):
    # Lists large enough to hold every sheet with their term: the union is every match,
    # and the sums must give the full ranking's order.
    champions.LIST_MIN, champions.LIST_MAX = 20, 30
    search.CANDIDATES = 19
    for i in range(8):
        words = ["enfants"] * (1 + i % 4) + ["ecole"] * (i % 3) + ["dakar"] * 3
        sheet = Sheet.objects.create(
            ref=f"m{i}", title="Centre social", summary=" ".join(words), status="published"
        )
        search.index_sheet(sheet)
    promote()
    with connection.cursor() as cursor:
        cursor.execute("SELECT term FROM knowledge_search_champion_terms")
        terms = {row[0] for row in cursor.fetchall()}
        # "école" loses its list: a term ranked by the database, "enfants" from its list.
        cursor.execute(
            "DELETE FROM knowledge_search_champion_terms WHERE term NOT IN (%s)", [enfant_term()]
        )
        cursor.execute(
            "DELETE FROM knowledge_search_champions WHERE term NOT IN (%s)", [enfant_term()]
        )
    assert enfant_term() in terms
    from_lists, full, results = both_ways("enfants école", limit=8)
    assert from_lists == full
    assert len(from_lists) == 8
    assert results.total == 8 and results.total_is_estimate is False


def test_deep_pages_follow_the_lists(ten, monkeypatch):
    monkeypatch.setattr(search, "RERANK_DEPTH", 1)
    search.CANDIDATES = 3
    from_lists, full, _results = both_ways("enfants", limit=1, offset=1)
    assert from_lists == full == ["s9"]


def test_rebuild_builds_the_lists_and_index_writes_promote_new_frequent_terms(small_lists):
    make("a", 2)
    make("b", 1)
    assert search.rebuild() == 2
    assert listed(enfant_term()) == [
        Sheet.objects.get(ref="a").pk,
        Sheet.objects.get(ref="b").pk,
    ]
    assert list_state(enfant_term()) == (2, None)  # every sheet with the term
    # "kaolack" appears; every PROMOTE_EVERY writes, frequent terms get their list.
    champions.PROMOTE_EVERY = 2
    try:
        make("c", 0, context="Kaolack")
        kaolack = "kaolack"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM knowledge_search_champion_terms WHERE term LIKE 'kaolack%%'"
            )
            assert cursor.fetchone()[0] == 0
        make("d", 0, context="Kaolack")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, entries FROM knowledge_search_champion_terms "
                "WHERE term LIKE 'kaolack%%'"
            )
            assert [(t[:7], n) for t, n in cursor.fetchall()] == [(kaolack, 2)]
    finally:
        champions.PROMOTE_EVERY = 1000


def test_the_promotion_is_left_to_a_background_task_not_done_by_the_save(small_lists, monkeypatch):
    from reciprocite.knowledge import tasks

    make("a", 2)
    search.rebuild()
    asked = []
    monkeypatch.setattr(tasks, "schedule_promotion", lambda: asked.append(1))
    monkeypatch.setattr(champions, "PROMOTE_EVERY", 2)
    make("c", 0, context="Kaolack")
    make("d", 0, context="Kaolack")
    make("e", 0, context="Kaolack")

    def kaolack_lists():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM knowledge_search_champion_terms WHERE term LIKE 'kaolack%%'"
            )
            return cursor.fetchone()[0]

    assert asked == [1]  # asked once at the second write; the counter starts again
    assert kaolack_lists() == 0  # the saves did not build the list themselves
    assert tasks.promote_champion_lists.call() >= 1
    assert kaolack_lists() == 1


def test_the_lists_count_the_sheets_holding_their_term(ten):
    term = enfant_term()
    assert champions.docs(connection.cursor(), [term]) == {term: 10}
    edit(ten["s0"], summary=summary(0))
    make("new", 2)
    ten["s1"].delete()
    assert champions.docs(connection.cursor(), [term]) == {term: 9}


def test_a_refill_inside_a_write_leaves_the_planner_settings_as_they_were(ten):
    if connection.vendor != "postgresql":
        pytest.skip("enable_seqscan is PostgreSQL's")
    term = enfant_term()
    with transaction.atomic():
        edit(ten["s4"], summary=summary(1))
        edit(ten["s9"], summary=summary(0, filler="thies"))  # 2 entries left: refilled
        assert listed(term) == [ten["s3"].pk, ten["s8"].pk, ten["s2"].pk, ten["s7"].pk]
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"


def test_a_filtered_search_the_lists_cannot_answer_follows_the_head_rule(ten, monkeypatch):
    # PostgreSQL ranks very common words over the sheets' head first (migration 0006): the
    # filtered fallback must keep doing so when the lists answered the unfiltered ranking.
    from reciprocite.knowledge.search import backends

    if connection.vendor != "postgresql":
        pytest.skip("the head rule is PostgreSQL's")
    monkeypatch.setattr(backends, "HEAD_MIN_DOCS", 0)
    monkeypatch.setattr(backends, "HEAD_SHARE", 0.0)
    edit(ten["s1"], country="SN")
    edit(ten["s2"], country="SN")
    calls = []
    ranked_ids = backends.ranked_ids

    def spy(*args, head=False, **kwargs):
        calls.append(head)
        return ranked_ids(*args, head=head, **kwargs)

    monkeypatch.setattr(backends, "ranked_ids", spy)
    from_lists, full, _results = both_ways("enfants", limit=2, filters={"country": ["SN"]})
    assert from_lists == full == ["s2", "s1"]
    assert calls[0] is True


@pytest.mark.parametrize("slack", [0, 50])
def test_a_filtered_fallback_checks_statuses_after_ranking_or_ranks_again(ten, slack):
    # SQLite ranks within the filtered sheets with the filters only in SQL and checks the
    # statuses after; a draft among the best leaves too few (slack 0): ranked again with
    # the statuses in SQL. Either way the same best published sheets.
    search.STATUS_SLACK = slack
    try:
        for ref in ("s0", "s1", "s2", "s3", "s4"):
            edit(ten[ref], country="SN")
        edit(ten["s3"], status="draft")
        from_lists, full, results = both_ways("enfants", limit=2, filters={"country": ["SN"]})
    finally:
        search.STATUS_SLACK = 50
    assert from_lists == full == ["s4", "s2"]
    assert results.total == 2 and results.total_is_estimate is True


def test_promote_refills_the_lists_whose_average_length_drifted(ten):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's single-term scores do not depend on other sheets")
    term = enfant_term()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE knowledge_search_champion_terms SET avgdl = avgdl * 2, entries = 99 "
            "WHERE term = %s",
            [term],
        )
    promote()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT entries, avgdl FROM knowledge_search_champion_terms WHERE term = %s", [term]
        )
        entries, avgdl = cursor.fetchone()
        assert entries == 4
        assert avgdl == pytest.approx(champions.sqlite_totals(cursor)[1])
    assert listed(term) == [ten["s4"].pk, ten["s9"].pk, ten["s3"].pk, ten["s8"].pk]
