"""Relevance on the shared labelled corpus: a quality bar, measured as in bench/knowledge.py."""

from __future__ import annotations

import pytest

from reciprocite.knowledge.search.evaluation import (
    evaluate,
    load_corpus,
    ndcg,
    read_jsonl,
    recall,
    search_ranker,
)

pytestmark = pytest.mark.django_db


def test_ndcg_and_recall_arithmetic():
    relevant = {"a": 2, "b": 1}
    assert ndcg(["a", "b"], relevant) == pytest.approx(1.0)
    assert ndcg(["x", "y"], relevant) == 0.0
    assert 0.0 < ndcg(["b", "a"], relevant) < 1.0
    assert recall(["b", "x"], relevant) == 0.5


def test_ndcg_at_10_on_the_labelled_queries(shared_dir):
    data = shared_dir / "data" / "knowledge"
    sheets = read_jsonl(data / "sheets.jsonl")
    queries = read_jsonl(data / "queries.jsonl")
    assert load_corpus(sheets) == 90
    result = evaluate(search_ranker, queries)
    worst = sorted(result["per_query"].items(), key=lambda item: item[1][0])[:3]
    assert result["ndcg"] >= 0.75, (result["ndcg"], worst)
    assert result["recall"] >= 0.70, result["recall"]
