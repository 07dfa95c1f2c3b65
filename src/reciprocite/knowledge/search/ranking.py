"""The search's text ranking over a collection held in memory, for other apps (matching).

The sheets' index lives in the database (FTS5 / tsvector); an app that ranks its own short
records against one another (needs against offers) uses the same steps here rather than a
second ranker: a text is analysed as a query is (`query.analyse`: fold, stop words, Snowball
stems, the domain lexicon's English/Arabic/Russian → French translations), a document is
reduced to the stems the SQLite index stores (`text.index_terms`), and the score is the
BM25 of an OR query with FTS5's constants and idf (`champions.tf_part`, `champions.idf`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Generic, TypeVar

from .champions import idf, tf_part
from .query import analyse
from .text import index_terms

K = TypeVar("K", bound=Hashable)

# A whole record's text, not a typed query: the analysis keeps more of it.
MAX_TEXT_CHARS = 20_000
MAX_TEXT_TERMS = 400


def document_terms(text: str) -> list[str]:
    """The stems of a document, as the SQLite index stores them (stop words out)."""
    return index_terms(text or "").split()


def query_stems(text: str, *, max_terms: int = MAX_TEXT_TERMS) -> tuple[str, ...]:
    """The stems a text asks for, with the lexicon's translations (an Arabic need brings the
    French words of its phrases)."""
    return analyse(text or "", max_chars=MAX_TEXT_CHARS, max_terms=max_terms).stems


class TextIndex(Generic[K]):
    """BM25 over documents given as lists of stems (`document_terms`), keyed by anything."""

    def __init__(self, documents: Mapping[K, Sequence[str]]):
        self.freqs: dict[K, Counter[str]] = {
            key: Counter(terms) for key, terms in documents.items()
        }
        self.lengths = {key: len(terms) for key, terms in documents.items()}
        self.rows = len(documents)
        self.avgdl = (sum(self.lengths.values()) / self.rows) if self.rows else 0.0
        self.postings: dict[str, list[K]] = {}
        for key, counter in self.freqs.items():
            for term in counter:
                self.postings.setdefault(term, []).append(key)

    def idf(self, term: str) -> float:
        return idf(self.rows, len(self.postings.get(term, ())))

    def scores(self, stems: Iterable[str], keys: Iterable[K] | None = None) -> dict[K, float]:
        """BM25 of the OR query of `stems` for every document containing one of them (or
        for `keys` only)."""
        wanted = set(keys) if keys is not None else None
        out: dict[K, float] = {}
        for term in dict.fromkeys(stems):
            postings = self.postings.get(term)
            if not postings:
                continue
            weight = self.idf(term)
            for key in postings:
                if wanted is not None and key not in wanted:
                    continue
                part = tf_part(self.freqs[key][term], self.lengths[key], self.avgdl)
                out[key] = out.get(key, 0.0) + weight * part
        return out

    def shared(self, key: K, stems: Iterable[str]) -> list[str]:
        """The query's stems this document contains, rarest first (for explanations)."""
        counter = self.freqs.get(key, Counter())
        found = [s for s in dict.fromkeys(stems) if s in counter]
        return sorted(found, key=lambda s: -self.idf(s))


__all__ = ["TextIndex", "document_terms", "query_stems"]
