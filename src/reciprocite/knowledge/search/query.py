"""Query analysis: from what a person typed to the words and stems the backends look for.

Generic steps, the same for every query: truncate, fold, drop stop words and question words,
translate/expand through the domain lexicon (English, Arabic, Russian → French; French
synonyms), add the un-inflected variant of each word. The result is an OR query ranked by
the backend (BM25 on SQLite, ts_rank on PostgreSQL): a sheet needs not contain every word.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import expand_groups
from .text import fold, is_stop, stem, words

MAX_QUERY_CHARS = 500
MAX_TERMS = 40


@dataclass(frozen=True)
class Analysed:
    text: str  # the query as searched (truncated)
    words: tuple[str, ...]  # folded words for PostgreSQL's to_tsquery (fr_unaccent stems them)
    stems: tuple[str, ...]  # our stems, for the SQLite index and for highlighting
    # What the query asks for, one set of interchangeable stems per idea: a lexicon phrase
    # with its translations, or a word of the query on its own. Used to favour the sheets
    # whose title and summary cover all the ideas, not one idea many times.
    concepts: tuple[frozenset[str], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.stems


def _variants(word: str) -> list[str]:
    """The word and its forms without a trailing mute e / plural s, so PostgreSQL's stemmer
    (which keeps "handicape" from "handicapee") meets "handicap" too."""
    out = [word]
    for suffix in ("ees", "es", "ee", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            out.append(word[: -len(suffix)])
            break
    return out


def analyse(
    query: str, *, max_chars: int = MAX_QUERY_CHARS, max_terms: int = MAX_TERMS
) -> Analysed:
    """`max_chars` / `max_terms`: how much of a long text counts (a whole record's text when
    another app ranks with this analysis: see ranking.py)."""
    text = (query or "")[:max_chars].strip()
    folded = " ".join(words(text))
    base = [w for w in folded.split() if not is_stop(w)]
    groups = expand_groups(folded)
    expanded: list[str] = []
    for _key, values in groups:
        expanded.extend(v for v in values if v not in expanded)
    concepts: list[frozenset[str]] = []
    covered: set[str] = set()
    for key_stems, values in groups:
        concept = frozenset(key_stems | {stem(v) for v in values if not is_stop(v)})
        if concept and not any(concept <= c for c in concepts):
            concepts = [c for c in concepts if not c <= concept] + [concept]
        covered |= key_stems
    for w in base:
        s = stem(w)
        if s not in covered:
            concepts.append(frozenset({s}))
            covered.add(s)
    seen_words: list[str] = []
    for w in base + expanded:
        for v in _variants(w):
            if v not in seen_words and not is_stop(v):
                seen_words.append(v)
    seen_words = seen_words[: max_terms * 2]
    # Our stems already drop the mute e and plural s: the variants are for PostgreSQL only.
    stems: list[str] = []
    for w in base + expanded:
        s = stem(w)
        if s not in stems and not is_stop(w):
            stems.append(s)
    return Analysed(
        text=text,
        words=tuple(seen_words),
        stems=tuple(stems[:max_terms]),
        concepts=tuple(concepts[:max_terms]),
    )


__all__ = ["Analysed", "analyse", "fold"]
