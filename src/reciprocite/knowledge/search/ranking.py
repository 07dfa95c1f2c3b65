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

import numpy as np

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
    """BM25 over documents given as lists of stems (`document_terms`), keyed by anything.

    Each term's postings are kept as arrays (document positions, their term-frequency
    parts), so that a query's scores over the whole collection are a few array additions."""

    def __init__(self, documents: Mapping[K, Sequence[str]]):
        self.keys: list[K] = list(documents)
        self.freqs: dict[K, Counter[str]] = {
            key: Counter(terms) for key, terms in documents.items()
        }
        lengths = [len(documents[key]) for key in self.keys]
        self.rows = len(self.keys)
        avgdl = (sum(lengths) / self.rows) if self.rows else 0.0
        positions: dict[str, list[int]] = {}
        parts: dict[str, list[float]] = {}
        for position, key in enumerate(self.keys):
            for term, freq in self.freqs[key].items():
                positions.setdefault(term, []).append(position)
                parts.setdefault(term, []).append(tf_part(freq, lengths[position], avgdl))
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {
            term: (np.asarray(positions[term], dtype=np.int64), np.asarray(parts[term]))
            for term in positions
        }

    def idf(self, term: str) -> float:
        posting = self.postings.get(term)
        return idf(self.rows, len(posting[0]) if posting else 0)

    def dense(self, stems: Iterable[str]) -> np.ndarray:
        """BM25 of the OR query of `stems` for every document, in the order of `keys`."""
        out = np.zeros(self.rows, dtype=np.float64)
        for term in dict.fromkeys(stems):
            posting = self.postings.get(term)
            if posting is not None:
                out[posting[0]] += self.idf(term) * posting[1]
        return out

    def scores(self, stems: Iterable[str]) -> dict[K, float]:
        """BM25 of the OR query of `stems` for every document containing one of them."""
        values = self.dense(stems)
        return {self.keys[int(i)]: float(values[i]) for i in np.flatnonzero(values)}

    def shared(self, key: K, stems: Iterable[str]) -> list[str]:
        """The query's stems this document contains, rarest first (for explanations)."""
        counter = self.freqs.get(key, Counter())
        found = [s for s in dict.fromkeys(stems) if s in counter]
        return sorted(found, key=lambda s: -self.idf(s))


__all__ = ["TextIndex", "document_terms", "query_stems"]
