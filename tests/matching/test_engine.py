"""The engine on profiles: components, modes, reasons, ties; the stored features."""

import numpy as np
import pytest

from reciprocite.knowledge.search.ranking import TextIndex, document_terms, query_stems
from reciprocite.matching.engine import Engine, Ties
from reciprocite.matching.engine.embedding import DIM, pack, passages, unpack
from reciprocite.matching.engine.features import Profile, text_hash


def profile(ref, themes=(), publics=(), text="", kind="expertise", lang="fr", **kw):
    return Profile(
        kind=kind,
        ref=ref,
        title=ref,
        lang=lang,
        text=text,
        themes=frozenset(themes),
        publics=frozenset(publics),
        terms=tuple(document_terms(text)),
        **kw,
    )


def test_passages_cut_whole_sentences():
    text = " ".join(f"Phrase numéro {i} avec quelques mots de plus." for i in range(20))
    cut = passages("Titre", text)
    assert cut[0] == "Titre"
    assert all(len(p.split()) <= 45 for p in cut)
    assert all(p.endswith(".") for p in cut[1:])
    assert " ".join(cut[1:]) == text
    assert passages("", "mot " * 100)[0] == " ".join(["mot"] * 45)


def test_vectors_round_trip_as_float16():
    vectors = np.random.default_rng(1).normal(size=(3, DIM)).astype(np.float32)
    assert np.allclose(unpack(pack(vectors)), vectors, atol=1e-2)
    assert unpack(b"").shape == (0, DIM)


def test_text_hash_changes_with_text_title_language():
    base = text_hash("t", "x", "fr")
    assert base == text_hash("t", "x", "fr")
    assert (
        len({base, text_hash("t", "y", "fr"), text_hash("u", "x", "fr"), text_hash("t", "x", "ar")})
        == 4
    )


def test_lexical_ranking_is_the_search_analysis_with_its_lexicon():
    index = TextIndex(
        {
            "a": document_terms("Accueil des personnes âgées isolées"),
            "b": document_terms("Crèches et petite enfance"),
        }
    )
    # English words reach the French documents through the search's lexicon
    scores = index.scores(query_stems("elderly people living alone"))
    assert set(scores) == {"a"}
    shared = index.shared("a", query_stems("personnes âgées"))
    assert shared and all(s in index.freqs["a"] for s in shared)
    assert index.shared("b", query_stems("personnes âgées")) == []


def test_structure_mode_and_reasons():
    query = profile("q", themes=["handicap"], publics=["enfants"], kind="need", lang="xx")
    engine = Engine(
        [
            profile("a", themes=["handicap"], publics=["enfants"], text="Un service MDPH."),
            profile("b", themes=["logement"], text="Du logement."),
            profile("c", themes=["sante"], service_kind="mdph", text="Liaison."),
        ]
    )
    ranked = engine.rank(query, limit=3)
    assert [m.ref for m in ranked] == ["a", "c", "b"]
    assert ranked[0].reasons[0] == {"code": "structure_only", "lang": "xx"}
    assert {"code": "themes", "values": ["handicap"]} in ranked[0].reasons
    assert {"code": "publics", "values": ["enfants"]} in ranked[0].reasons
    assert {"code": "service_kind", "values": ["mdph"], "themes": ["handicap"]} in (
        ranked[1].reasons
    )
    assert engine.rank(query, mode="structure", limit=1)[0].ref == "a"
    with pytest.raises(ValueError, match="unknown mode"):
        engine.rank(query, mode="magic")


def test_ties_move_a_partner_up_and_say_so():
    query = profile("q", themes=["handicap"], kind="need", lang="xx", country="SN")
    engine = Engine(
        [
            profile("a", themes=["handicap"], authority_id=1),
            profile("b", themes=["handicap"], authority_id=2),
        ]
    )
    assert [m.ref for m in engine.rank(query)] == ["a", "b"]  # a tie: by ref
    ranked = engine.rank(
        query, ties=Ties(partners=frozenset({2}), cooperation={2: frozenset({"handicap"})})
    )
    assert ranked[0].ref == "b"
    assert {"code": "partnership"} in ranked[0].reasons
    assert {"code": "cooperation", "values": ["handicap"], "country": "SN"} in ranked[0].reasons


def test_empty_pool_and_limit_clamped():
    assert Engine([]).rank(profile("q", kind="need")) == []
    engine = Engine([profile(f"e{i}", themes=["sante"]) for i in range(60)])
    assert len(engine.rank(profile("q", themes=["sante"], kind="need"), limit=500)) == 50
