"""knowledge.search through the real database (SQLite FTS5 or PostgreSQL text search)."""

from __future__ import annotations

import pytest

from reciprocite.core.filters import FilterError
from reciprocite.knowledge import search
from reciprocite.knowledge.models import Sheet

pytestmark = pytest.mark.django_db


def make(ref, title, *, status="published", themes=(), index=True, **fields):
    sheet = Sheet.objects.create(ref=ref, title=title, status=status, **fields)
    if themes:
        sheet.themes.set(list(themes))
    if index:
        search.index_sheet(sheet)
    return sheet


def refs(results) -> list[str]:
    return [hit.ref for hit in results.hits]


@pytest.fixture
def corpus(db):
    make(
        "older",
        "Aide à domicile pour les personnes âgées isolées",
        summary="Des auxiliaires de vie rendent visite aux aînés qui vivent seuls.",
        reciprocity="Le CCAS de Lille a retenu le rôle des voisins relais.",
        country="SN",
        stage="mettre_en_oeuvre",
        themes=["personnes_agees"],
    )
    make(
        "disability",
        "Inclusion scolaire des enfants handicapés",
        summary="Des classes ouvertes aux enfants en situation de handicap à Taroudant.",
        country="MA",
        stage="evaluer",
        themes=["handicap", "protection_enfance"],
    )
    make(
        "housing",
        "Logements sociaux en auto-construction",
        summary="Les familles construisent leurs logements avec un accompagnement technique.",
        country="SN",
        stage="concevoir",
        language="fr",
        themes=["logement"],
    )
    make(
        "youth-en",
        "Youth centres in rural communities",
        summary="Designing youth centres with young people in Tavush province.",
        country="AM",
        stage="concevoir",
        language="en",
        themes=["jeunesse"],
    )
    make(
        "draft",
        "Brouillon sur les personnes âgées",
        summary="Un texte pas encore relu sur les aînés.",
        status="draft",
        country="SN",
        themes=["personnes_agees"],
    )


# --- words: accents, case, stemming, languages --------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "personnes âgées",
        "PERSONNES AGEES",
        "personne agee",  # singular, no accents
        "Personnes Âgées",
        "aîné",
        "aines",
    ],
)
def test_accents_case_and_inflection_are_ignored(corpus, query):
    assert refs(search.search(query))[0] == "older"


@pytest.mark.parametrize("query", ["handicap", "handicapé", "handicapee", "HANDICAPÉS", "enfant"])
def test_french_stemming_matches_inflected_forms(corpus, query):
    assert refs(search.search(query))[0] == "disability"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("elderly people", "older"),
        ("home care for the elderly", "older"),
        ("disabled children", "disability"),
        ("social housing", "housing"),
    ],
)
def test_english_query_finds_french_sheets(corpus, query, expected):
    assert refs(search.search(query))[0] == expected


def test_question_with_stop_words(corpus):
    results = search.search("comment construire des logements avec les familles ?")
    assert refs(results)[0] == "housing"


def test_synonyms_of_the_lexicon(corpus):
    # "seniors" is not in any sheet: the lexicon brings "personnes âgées" / "aînés".
    assert refs(search.search("seniors"))[0] == "older"


def test_country_named_in_the_query_is_a_boost_not_a_filter(corpus):
    results = search.search("logement sénégal")
    assert refs(results)[0] == "housing"
    # The other Senegalese published sheet comes too, but after the one about housing.
    assert "older" in refs(results)


# --- statuses, filters, facets -----------------------------------------------------------


def test_default_statuses_hide_drafts(corpus):
    assert "draft" not in refs(search.search("personnes âgées"))
    assert "draft" not in refs(search.search(""))
    results = search.search("brouillon", statuses=("published", "draft"))
    assert refs(results) == ["draft"]
    assert search.search("brouillon").total == 0


def test_empty_query_lists_all_by_title_with_facets(corpus):
    results = search.search("")
    assert results.total == 4
    assert refs(results) == ["older", "disability", "housing", "youth-en"]
    assert all(hit.score == 0.0 for hit in results.hits)
    facets = {key: {f.code: f.count for f in values} for key, values in results.facets.items()}
    assert facets == {
        "theme": {
            "personnes_agees": 1,
            "handicap": 1,
            "protection_enfance": 1,
            "logement": 1,
            "jeunesse": 1,
        },
        "country": {"SN": 2, "MA": 1, "AM": 1},
        "zone": {"Western Africa": 2, "Maghreb": 1, "Western Asia": 1},
        "stage": {"concevoir": 2, "mettre_en_oeuvre": 1, "evaluer": 1},
        "language": {"fr": 3, "en": 1},
    }
    assert [f.code for f in results.facets["country"]][0] == "SN"  # largest count first


def test_facets_count_the_matching_sheets_only(corpus):
    results = search.search("logements familles")
    facets = {key: {f.code: f.count for f in values} for key, values in results.facets.items()}
    assert results.total == len(results.hits)
    assert facets["theme"].get("logement") == 1
    assert sum(facets["language"].values()) == results.total


def test_filters_restrict_hits_and_facets(corpus):
    results = search.search("", filters={"country": ["sn"]})
    assert sorted(refs(results)) == ["housing", "older"]
    assert {f.code: f.count for f in results.facets["country"]} == {"SN": 2}
    assert refs(search.search("", filters={"zone": ["Maghreb"]})) == ["disability"]
    assert refs(search.search("", filters={"theme": ["jeunesse"]})) == ["youth-en"]
    assert refs(search.search("", filters={"stage": ["evaluer"]})) == ["disability"]
    assert refs(search.search("", filters={"language": ["en"]})) == ["youth-en"]
    assert refs(search.search("personnes âgées", filters={"country": ["MA"]})) == []
    both = search.search("", filters={"theme": ["logement", "jeunesse"], "country": ["SN"]})
    assert refs(both) == ["housing"]


def test_total_is_exact_when_no_more_than_the_candidates_match(corpus, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    results = search.search("enfants handicap")
    assert refs(results) == ["disability"]
    assert (results.total, results.total_is_estimate) == (1, False)


def test_beyond_the_candidates_total_and_facets_count_the_best_only(db, monkeypatch):
    country = {"m0": "SN", "m1": "SN", "m2": "MA", "m3": "MA", "m4": "AM"}
    for ref, code in country.items():
        make(ref, f"Microcrédit {ref}", summary="Un fonds local.", country=code)
    monkeypatch.setattr(search, "CANDIDATES", 3)
    results = search.search("microcrédit", limit=10)
    assert (results.total, results.total_is_estimate) == (3, True)
    best = refs(results)
    assert len(best) == 3 and set(best) < set(country)
    expected: dict[str, int] = {}
    for ref in best:
        expected[country[ref]] = expected.get(country[ref], 0) + 1
    assert {f.code: f.count for f in results.facets["country"]} == expected
    # Pages stop at the candidates.
    assert refs(search.search("microcrédit", limit=2, offset=2)) == best[2:]
    # Filters rank within the filtered sheets: all three are found, exact total.
    filtered = search.search("microcrédit", filters={"country": ["AM", "MA"]})
    assert sorted(refs(filtered)) == ["m2", "m3", "m4"]
    assert (filtered.total, filtered.total_is_estimate) == (3, False)
    assert {f.code: f.count for f in filtered.facets["country"]} == {"MA": 2, "AM": 1}


@pytest.mark.parametrize(
    ("filters", "param"),
    [
        ({"colour": ["red"]}, "colour"),
        ({"theme": ["not_a_theme"]}, "theme"),
        ({"country": ["ZZ"]}, "country"),
        ({"country": ["France"]}, "country"),
        ({"zone": ["Atlantis"]}, "zone"),
        ({"stage": ["done"]}, "stage"),
        ({"language": ["de"]}, "language"),
    ],
)
def test_unknown_filters_raise_filter_error(corpus, filters, param):
    with pytest.raises(FilterError) as err:
        search.search("enfants", filters=filters)
    assert err.value.param == param


def test_limit_is_clamped_and_offset_pages(corpus):
    assert len(search.search("", limit=0).hits) == 1
    assert len(search.search("", limit=1000).hits) == 4
    page1 = refs(search.search("", limit=2))
    page2 = refs(search.search("", limit=2, offset=2))
    assert page1 == ["older", "disability"] and page2 == ["housing", "youth-en"]
    assert refs(search.search("", limit=2, offset=10)) == []


# --- snippets ----------------------------------------------------------------------------


def test_snippet_marks_matched_words_and_escapes_the_rest(db):
    make(
        "xss",
        "Une fiche piégée",
        summary='Les <script>alert("x")</script> familles & les enfants < 5 ans.',
    )
    hit = search.search("familles").hits[0]
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet or "alert" in hit.snippet
    assert "<mark>familles</mark>" in hit.snippet
    assert "&amp;" in hit.snippet and "&lt; 5" in hit.snippet
    # Only <mark> tags in the output.
    assert hit.snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_snippet_of_the_field_that_matches(corpus):
    hit = search.search("voisins relais").hits[0]
    assert hit.ref == "older"
    assert "<mark>voisins</mark> <mark>relais</mark>" in hit.snippet


# --- index upkeep ------------------------------------------------------------------------


def test_index_sheet_and_remove_sheet(db):
    sheet = make("w", "Assainissement des eaux", summary="Des latrines.")
    assert refs(search.search("latrines")) == ["w"]
    sheet.summary = "Des puits."
    sheet.save()
    search.index_sheet(sheet)
    assert refs(search.search("latrines")) == []
    assert refs(search.search("puits")) == ["w"]
    search.remove_sheet(sheet.pk)
    assert refs(search.search("puits")) == []
    # The sheet itself is still listed by an empty query (which reads the table, not the index).
    assert refs(search.search("")) == ["w"]


def test_rebuild_reports_its_progress(corpus):
    from django.utils import translation

    heard = []
    with translation.override("en"):
        assert search.rebuild(progress=lambda *step: heard.append(step)) == 5
    assert heard == [
        ("Indexing the sheets", 5, 5),
        ("Building the lists of frequent terms", 0, 1),
        ("Building the lists of frequent terms", 1, 1),
    ]


def test_unindexed_sheet_is_not_found_until_rebuild(db):
    make("a", "Crèche municipale", index=False)
    make("b", "Crèche associative", status="draft", index=False)
    assert search.search("crèche").total == 0
    assert search.rebuild() == 2
    assert refs(search.search("crèche")) == ["a"]
    assert search.search("creche", statuses=("published", "draft")).total == 2


def test_deleted_sheet_leaves_no_hit(db):
    sheet = make("gone", "Cantine scolaire")
    search.remove_sheet(sheet.pk)
    sheet.delete()
    assert search.search("cantine").total == 0


# --- similar -----------------------------------------------------------------------------


def test_similar_sheets(corpus):
    make(
        "older-2",
        "Accueil de jour pour personnes âgées",
        summary="Un accueil de jour pour les aînés atteints de troubles de la mémoire.",
        country="MA",
        themes=["personnes_agees"],
    )
    older = Sheet.objects.get(ref="older")
    similar = search.similar(older)
    assert [h.ref for h in similar][0] == "older-2"
    assert "older" not in [h.ref for h in similar]
    assert "draft" not in [h.ref for h in similar]
    assert len(search.similar(older, limit=1)) == 1


def test_similar_excludes_translations(corpus):
    older = Sheet.objects.get(ref="older")
    make(
        "older-en",
        "Home care for isolated older people",
        summary="Home helpers visit older people (personnes âgées, aînés) living alone.",
        language="en",
        translation_of=older,
        themes=["personnes_agees"],
    )
    assert "older-en" not in [h.ref for h in search.similar(older)]


def test_similar_from_a_translation_excludes_its_original_and_its_siblings(corpus):
    older = Sheet.objects.get(ref="older")
    english = make(
        "older-en",
        "Home care for isolated older people (personnes âgées isolées)",
        summary="Aide à domicile: home helpers visit personnes âgées living alone.",
        language="en",
        translation_of=older,
        themes=["personnes_agees"],
    )
    make(
        "older-ar",
        "Aide à domicile pour personnes âgées (traduction)",
        summary="Aide à domicile pour les personnes âgées isolées.",
        language="ar",
        translation_of=older,
        themes=["personnes_agees"],
    )
    found = [h.ref for h in search.similar(english)]
    assert found and not {"older", "older-en", "older-ar"} & set(found)


def test_similar_ranks_again_when_unpublished_sheets_fill_the_candidates(corpus, monkeypatch):
    older = Sheet.objects.get(ref="older")
    # the closest sheet is a draft; with room for one candidate only, it takes the place
    make(
        "older-draft",
        older.title,
        summary=older.summary,
        status="draft",
        themes=["personnes_agees"],
    )
    make(
        "older-2",
        "Accueil de jour pour personnes âgées",
        summary="Un accueil de jour pour les aînés.",
        themes=["personnes_agees"],
    )
    monkeypatch.setattr(search, "SIMILAR_CANDIDATES", 1)
    monkeypatch.setattr(search, "SIMILAR_SLACK", 0)
    assert [h.ref for h in search.similar(older)] == ["older-2"]


# --- hostile input -----------------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    "*",
    "enfant*",
    "NEAR",
    "NEAR(a b)",
    "title:handicap",
    ":",
    "(",
    ")",
    "-",
    "-handicap",
    "^",
    "^handicap",
    "a AND OR NOT b",
    "' OR 1=1 --",
    "'; DROP TABLE knowledge_sheet; --",
    "%",
    "_",
    "\\",
    "\x00",
    "&|!<>",
    "🙂",
    "   ",
    "é" * 600,
    "handicap " * 700,  # 5,600 characters
    "x" * 5000,
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_fail(corpus, query):
    results = search.search(query)
    assert len(results.query) <= 500
    assert results.total >= len(results.hits)
    for hit in results.hits:
        assert hit.snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert Sheet.objects.count() == 5


def test_fts_syntax_characters_are_words_not_operators(corpus):
    # "-handicap" is not a NOT query, "handicap*" not a prefix query: the word is looked for.
    assert refs(search.search("-handicap"))[0] == "disability"
    assert refs(search.search("title:handicap"))[0] == "disability"
    assert refs(search.search('"handicap'))[0] == "disability"


def test_long_query_is_truncated_to_500_characters(corpus):
    results = search.search("logement " + "z" * 5000)
    assert len(results.query) == 500
    assert refs(results)[0] == "housing"


def test_only_stop_words_finds_nothing(corpus):
    results = search.search("le la les de des")
    assert results.total == 0 and results.hits == []
    assert all(values == [] for values in results.facets.values())


# --- terms nearly every sheet contains ---------------------------------------------------


def test_terms_in_most_sheets_are_left_out_of_the_text_query(db, monkeypatch):
    from reciprocite.knowledge.search import backends

    for i in range(4):
        make(f"c{i}", f"Commune numéro {i}", summary="Une commune rurale.")
    make("k", "Crèche de la commune", summary="Une crèche.")
    assert search.search("commune crèche").total == 5
    monkeypatch.setattr(backends, "COMMON_MIN_DOCS", 0)
    monkeypatch.setattr(backends, "COMMON_SHARE", 0.5)
    search.rebuild()  # a new index version: the first search's cached counts are not reused
    results = search.search("commune crèche")
    # "commune" is in all five sheets: only "crèche" is looked for.
    assert results.total == 1 and refs(results) == ["k"]
    # A query of common terms only keeps the rarest of them: the four rural communes.
    assert {"c0", "c1", "c2", "c3"} <= set(refs(search.search("commune rurale")))


def test_past_the_rank_budget_only_the_rarest_terms_are_looked_for(db, monkeypatch):
    from reciprocite.knowledge.search import backends

    for i in range(3):
        make(f"r{i}", f"Microcrédit rural {i}", summary="Un fonds.")
    make("l", "Microcrédit logement", summary="Un fonds.")
    make("h", "Logement des familles", summary="Un accompagnement.")
    monkeypatch.setattr(backends, "COMMON_MIN_DOCS", 0)
    monkeypatch.setattr(backends, "COMMON_SHARE", 1.0)
    monkeypatch.setattr(backends, "RANK_BUDGET_MIN_DOCS", 0)
    monkeypatch.setattr(backends, "RANK_BUDGET_SHARE", 0.5)
    search.rebuild()
    if backends.vendor() == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:  # PostgreSQL counts the sheets by its statistics
            cursor.execute(f"ANALYZE {backends.PG_TABLE}")
    # microcrédit: 4 sheets, logement: 2; 6 > 0.5 × 5: only "logement" is ranked.
    assert sorted(refs(search.search("microcrédit logement"))) == ["h", "l"]
    monkeypatch.setattr(backends, "RANK_BUDGET_SHARE", 2.0)
    search.rebuild()
    assert sorted(refs(search.search("microcrédit logement"))) == ["h", "l", "r0", "r1", "r2"]


def test_postgresql_keeps_term_counts(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the term counts table is PostgreSQL's (SQLite reads fts5vocab)")

    def docs(term):
        with connection.cursor() as cursor:
            cursor.execute("SELECT docs FROM knowledge_search_terms WHERE term = %s", [term])
            row = cursor.fetchone()
            return row[0] if row else 0

    a = make("a", "Crèche municipale")
    make("b", "Crèche associative")
    assert docs("crech") == 2
    a.title = "Halte-garderie municipale"
    a.save()
    search.index_sheet(a)
    assert docs("crech") == 1
    search.remove_sheet(a.pk)
    assert docs("municipal") == 0
    assert search.rebuild() == 2
    assert docs("crech") == 1 and docs("municipal") == 1


# --- very common terms: the sheets' head first -------------------------------------------


def _terms(text):
    from reciprocite.knowledge.search import backends
    from reciprocite.knowledge.search.query import analyse

    analysed = analyse(text)
    return tuple(analysed.stems if backends.vendor() == "sqlite" else analysed.words)


def _head_setup(monkeypatch, candidates):
    from reciprocite.knowledge import search as search_module
    from reciprocite.knowledge.search import backends

    for i in range(3):
        make(f"t{i}", f"Jardin potager {i}", summary="Un jardin partagé.")
    for i in range(2):
        make(f"b{i}", f"Atelier {i}", summary="Un atelier.", context="Près du jardin potager.")
    make("x", "Crèche", summary="Une crèche.")
    monkeypatch.setattr(backends, "HEAD_MIN_DOCS", 0)
    monkeypatch.setattr(backends, "HEAD_SHARE", 0.0)
    # The rule acts on PostgreSQL only (measured); SQLite's column filter is tested too.
    monkeypatch.setattr(backends, "HEAD_VENDORS", ("postgresql", "sqlite"))
    monkeypatch.setattr(search_module, "CANDIDATES", candidates)
    calls = []
    top_ids = backends.top_ids

    def spy(expression, limit, *, head=False):
        found = top_ids(expression, limit, head=head)
        calls.append((head, len(found)))
        return found

    monkeypatch.setattr(backends, "top_ids", spy)
    search.rebuild()
    if backends.vendor() == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:  # PostgreSQL counts the sheets by its statistics
            cursor.execute(f"ANALYZE {backends.PG_TABLE}")
    return calls


def test_common_terms_are_ranked_over_the_head_when_it_holds_enough_matches(db, monkeypatch):
    from reciprocite.knowledge.search import backends

    calls = _head_setup(monkeypatch, candidates=2)
    assert backends.plan(_terms("potager"))[1] is True
    results = search.search("potager", limit=10)
    # Ranked over the head only: its 3 matches fill the 2 + 1 asked for.
    assert calls == [(True, 3)]
    # Three sheets hold "potager" in their title: more than the 2 candidates, so the body-only
    # matches are not ranked; the total is the candidates', flagged as an estimate.
    assert results.total == 2 and results.total_is_estimate is True
    assert set(refs(results)) <= {"t0", "t1", "t2"} and len(refs(results)) == 2
    # Deep pages come from the head as well.
    assert set(refs(search.search("potager", limit=1, offset=1))) <= {"t0", "t1", "t2"}


def test_the_whole_text_is_ranked_when_the_head_holds_too_few_matches(db, monkeypatch):
    calls = _head_setup(monkeypatch, candidates=300)
    results = search.search("potager", limit=10)
    assert calls == [(True, 3), (False, 5)]
    # Three head matches, fewer than the candidates asked for: the body's two count too.
    assert results.total == 5 and results.total_is_estimate is False
    assert set(refs(results)) == {"t0", "t1", "t2", "b0", "b1"}
    assert set(refs(results)[:3]) == {"t0", "t1", "t2"}


def test_without_the_head_rule_the_body_matches_are_ranked(db, monkeypatch):
    from reciprocite.knowledge.search import backends

    calls = _head_setup(monkeypatch, candidates=2)
    monkeypatch.setattr(backends, "HEAD_MIN_DOCS", 10**9)
    assert backends.plan(_terms("potager"))[1] is False
    results = search.search("potager", limit=10)
    assert calls == [(False, 3)]
    assert results.total == 2 and results.total_is_estimate is True


def test_the_head_rule_acts_on_postgresql_only_by_default(db, monkeypatch):
    from reciprocite.knowledge.search import backends

    _head_setup(monkeypatch, candidates=2)
    monkeypatch.setattr(backends, "HEAD_VENDORS", ("postgresql",))
    assert backends.plan(_terms("potager"))[1] is (backends.vendor() == "postgresql")
