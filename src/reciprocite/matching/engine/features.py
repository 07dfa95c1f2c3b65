"""What the engine knows of one record (a Profile), and how it is computed from its text.

The stored part (`compute`: lexical terms, passages, their vectors) is kept on the record
with the hash of the text it came from, and recomputed only when that hash changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from reciprocite.knowledge.search.ranking import document_terms, query_stems

from . import embedding

SUPPORTED_LANGUAGES = frozenset({"fr", "en", "ar", "ru"})
FEATURES_VERSION = "1"

# The themes each kind of domestic service works on: an offer of a PMI answers an early
# childhood need even when its author ticked other themes.
KIND_THEMES: dict[str, frozenset[str]] = {
    "ccas": frozenset({"acces_droits", "personnes_agees", "logement", "insertion_emploi"}),
    "pmi": frozenset({"petite_enfance", "sante", "politique_familiale", "droits_femmes"}),
    "ase": frozenset({"protection_enfance", "politique_familiale", "jeunesse"}),
    "mdph": frozenset({"handicap", "acces_droits"}),
    "insertion": frozenset({"insertion_emploi", "acces_droits"}),
    "older_people": frozenset({"personnes_agees", "sante"}),
    "youth": frozenset({"jeunesse", "insertion_emploi"}),
    "social_centre": frozenset({"acces_droits", "politique_familiale", "jeunesse"}),
    "other": frozenset(),
}


def text_hash(title: str, text: str, lang: str) -> str:
    data = "\x00".join((FEATURES_VERSION, lang or "", title or "", text or ""))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Stored:
    """The features kept on the record."""

    text_hash: str
    terms: str  # space-separated stems
    query_terms: str  # the stems it asks for as a query, the lexicon's translations added
    passages: list[str]
    vectors: bytes  # float16, len(passages) × DIM


def compute(*, title: str, text: str, lang: str) -> Stored:
    """Features of a text: its stems and, in a supported language, its passages' vectors."""
    terms = " ".join(document_terms(f"{title}\n{text}"))
    asked = " ".join(query_stems(f"{title}\n{text}"))
    passages = embedding.passages(title, text)
    vectors = embedding.embed(passages) if lang in SUPPORTED_LANGUAGES else None
    return Stored(
        text_hash=text_hash(title, text, lang),
        terms=terms,
        query_terms=asked,
        passages=passages if vectors is not None else [],
        vectors=embedding.pack(vectors) if vectors is not None else b"",
    )


@dataclass
class Profile:
    kind: str
    ref: str
    title: str
    lang: str
    text: str = ""
    themes: frozenset[str] = frozenset()
    publics: frozenset[str] = frozenset()
    service_kind: str = ""
    languages: frozenset[str] = frozenset()  # the content's language and the staff's
    country: str = ""
    authority_id: int | None = None
    terms: tuple[str, ...] = ()
    query_terms: tuple[str, ...] = ()  # stored; computed from the text when empty
    passages: list[str] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, embedding.DIM), "float32"))

    @property
    def supported(self) -> bool:
        return self.lang in SUPPORTED_LANGUAGES and len(self.vectors) > 0

    @property
    def kind_themes(self) -> frozenset[str]:
        return KIND_THEMES.get(self.service_kind, frozenset())


# Below this many passages a language's mean is too noisy: the mean of all is used.
MIN_CENTER_PASSAGES = 10


def language_centers(profiles: Iterable[Profile]) -> dict[str, np.ndarray]:
    """The mean passage vector of each language (key "" : of all languages).

    The model puts two texts of one language closer than two of different languages on the
    same subject (a French need about mothers scored 0.91 against a French offer for older
    people, the Russian need about older people 0.88). Subtracting each language's mean
    before comparing removes most of that pull (dev labels, interests → innovations, the
    best answer often not in French: nDCG@10 0.84 → 0.93)."""
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    for p in profiles:
        if not len(p.vectors):
            continue
        if p.lang not in sums:
            sums[p.lang] = np.zeros(embedding.DIM, dtype=np.float64)
        sums[p.lang] += p.vectors.sum(axis=0)
        counts[p.lang] = counts.get(p.lang, 0) + len(p.vectors)
    total = sum(counts.values())
    if not total:
        return {}
    overall = np.sum(list(sums.values()), axis=0) / total
    centers = {"": overall.astype(np.float32)}
    for lang, n in counts.items():
        centers[lang] = (sums[lang] / n if n >= MIN_CENTER_PASSAGES else overall).astype(np.float32)
    return centers


def centred(vectors: np.ndarray, lang: str, centers: Mapping[str, np.ndarray]) -> np.ndarray:
    """Vectors less their language's mean, normalised again."""
    if not len(vectors) or not centers:
        return vectors
    center = centers.get(lang, centers.get(""))
    if center is None:
        return vectors
    shifted = vectors - center
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: np.ndarray = (shifted / norms).astype(np.float32)
    return out
