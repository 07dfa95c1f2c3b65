"""GET /api/v1/matching/{needs,expertise,interests,innovations}/{ref}/matches."""

import pytest

from reciprocite.matching.models import Need

pytestmark = pytest.mark.django_db


def get(client, path):
    return client.get(f"/api/v1/matching/{path}", HTTP_ACCEPT_LANGUAGE="en")


def test_need_matches_best_first_with_reasons(client, collection):
    response = get(client, "needs/t-nd-fr/matches?limit=3")
    assert response.status_code == 200
    body = response.json()
    assert body["ref"] == "t-nd-fr" and body["kind"] == "need"
    assert body["supported_language"] is True
    results = body["results"]
    assert len(results) == 3
    assert results[0]["ref"] == "t-ex-pmi"
    assert results[0]["kind"] == "expertise"
    assert results[0]["title"] == "Visites à domicile des puéricultrices après la naissance"
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    codes = {r["code"] for r in results[0]["reasons"]}
    assert {"themes", "publics", "passages"} <= codes
    themes = next(r for r in results[0]["reasons"] if r["code"] == "themes")
    assert themes["values"] == ["petite_enfance", "sante"]
    assert themes["text"] == "Shared themes: Early childhood, Health"


def test_arabic_need_finds_the_french_offer(client, collection):
    results = get(client, "needs/t-nd-ar/matches").json()["results"]
    assert results[0]["ref"] == "t-ex-etatcivil"
    passages = next(r for r in results[0]["reasons"] if r["code"] == "passages")
    assert passages["similarity"] > 0
    assert passages["match_passage"]


def test_the_other_directions(client, collection):
    assert get(client, "expertise/t-ex-seniors/matches").json()["results"][0]["ref"] == ("t-nd-ru")
    assert get(client, "interests/t-li-epargne/matches").json()["results"][0]["ref"] == (
        "t-in-tontine"
    )
    # two interests only: both proposed, the shared theme said
    results = get(client, "innovations/t-in-marraines/matches").json()["results"]
    assert {r["ref"] for r in results} == {"t-li-relais", "t-li-epargne"}
    assert {r["kind"] for r in results} == {"interest"}
    relais = next(r for r in results if r["ref"] == "t-li-relais")
    assert {"code": "themes", "values": ["sante"]}.items() <= next(
        r for r in relais["reasons"] if r["code"] == "themes"
    ).items()


def test_unsupported_language_ranked_on_structure_and_said(client, collection):
    body = get(client, "needs/t-nd-es/matches").json()
    assert body["supported_language"] is False
    top = body["results"][0]
    assert top["ref"] == "t-ex-seniors"
    assert top["reasons"][0]["code"] == "structure_only"
    assert "(es) is not one the platform reads" in top["reasons"][0]["text"]
    assert not any(r["code"] == "passages" for r in top["reasons"])


def test_errors(client, collection):
    response = get(client, "needs/nope/matches")
    assert response.status_code == 404
    assert response.json() == {"detail": "No published record with the ref nope."}
    Need.objects.filter(ref="t-nd-fr").update(published=False)
    assert get(client, "needs/t-nd-fr/matches").status_code == 404
    response = get(client, "needs/t-nd-ar/matches?limit=0")
    assert response.status_code == 400
    assert response.json()["param"] == "limit"
    assert get(client, "needs/t-nd-ar/matches?limit=x").status_code == 400
    response = get(client, "needs/t-nd-ar/matches?page=2")
    assert response.status_code == 400 and response.json()["param"] == "page"
    # the kinds are not interchangeable
    assert get(client, "expertise/t-nd-ar/matches").status_code == 404


def test_unpublished_candidates_are_not_proposed(client, collection):
    from reciprocite.matching.models import Expertise

    Expertise.objects.filter(ref="t-ex-pmi").update(published=False)
    refs = [r["ref"] for r in get(client, "needs/t-nd-fr/matches").json()["results"]]
    assert "t-ex-pmi" not in refs and len(refs) == 3


def test_query_budget(client, collection, django_assert_max_num_queries):
    get(client, "needs/t-nd-fr/matches")  # engines built
    with django_assert_max_num_queries(10):
        assert get(client, "needs/t-nd-ru/matches").status_code == 200
