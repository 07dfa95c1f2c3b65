"""The matching engine: one interface, three kinds of evidence, reasons from the same features.

    engine = Engine(candidates)               # Profiles of one kind (features.Profile)
    engine.rank(query, limit=10)              # [Match(ref, kind, title, score, reasons)]
    engine.rank(query, mode="lexical")        # baselines: "lexical", "structure"

For a query record and each candidate the engine computes:

- **text** — the knowledge base's own lexical ranking (knowledge.search.ranking: the same
  analysis, lexicon and BM25 as the sheets' search) of the query's text over the candidates;
- **meaning** — cross-lingual similarity of the two texts' passages (multilingual-e5-small):
  the mean vectors' cosine and, for each query passage, its best answer among the
  candidate's passages;
- **structure** — themes and publics shared (Jaccard), the candidate's kind of service
  covering the query's themes, languages in common, and the registry's ties between the two
  authorities (an existing partnership, a past cooperation in the same country).

Each component is standardised over the candidate pool (z-score: a cosine of 0.85 means
little by itself with this model, being above the others means a lot) and the weighted sum
is the score. A query in an unsupported language has neither text nor meaning: it is
ranked on structure only, and each match says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reciprocite.knowledge.search.ranking import TextIndex, query_stems
from reciprocite.knowledge.search.text import token_stem
from reciprocite.registry.taxonomy import TARGET_PUBLICS, THEMES

from .embedding import DIM
from .features import Profile, centred

# Weights of the standardised components (full mode). Chosen on the task's reading (meaning
# first, the lexical ranking next, structure as a tie-breaker that also carries the
# unsupported languages), not fitted per query.
WEIGHTS = {"meaning": 1.0, "passages": 1.0, "text": 0.6, "structure": 0.6}
# Ties between the two authorities, added after standardisation.
BONUS_PARTNERSHIP = 0.3
BONUS_COOPERATION = 0.15
BONUS_LANGUAGE = 0.1
MAX_LIMIT = 50
MODES = ("full", "lexical", "structure")


@dataclass(frozen=True)
class Ties:
    """What the registry says of the candidates' authorities and the query's: authority ids
    in an existing partnership with it, and authority id → themes of their past cooperation
    in the query's country."""

    partners: frozenset[int] = frozenset()
    cooperation: Mapping[int, frozenset[str]] = field(default_factory=dict)


@dataclass
class Match:
    ref: str
    kind: str
    title: str
    score: float
    reasons: list[dict[str, Any]]


def _mean_unit(vectors: np.ndarray) -> np.ndarray:
    """The normalised mean of some vectors (zeros for none)."""
    if not len(vectors):
        return np.zeros(DIM, dtype=np.float32)
    mean = vectors.mean(axis=0)
    out: np.ndarray = (mean / (float(np.linalg.norm(mean)) or 1.0)).astype(np.float32)
    return out


def _standardise(values: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return values
    spread = float(values.std())
    if spread < 1e-9:
        return np.zeros_like(values)
    return (values - float(values.mean())) / spread


# Themes and publics as bits of one integer, so that the whole pool's overlaps are a few
# array operations (13 themes and 12 publics: 16 bits each are enough).
_THEME_BITS = {code: 1 << i for i, code in enumerate(sorted(THEMES))}
_PUBLIC_BITS = {code: 1 << i for i, code in enumerate(sorted(TARGET_PUBLICS))}
_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << 16)], dtype=np.float64)


def _bits(codes: Iterable[str], table: Mapping[str, int]) -> int:
    value = 0
    for code in codes:
        value |= table.get(code, 0)
    return value


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den > 0)
    return out


# Query terms kept for the lexical ranking: the rarest in the pool (a long text's common
# words weigh next to nothing in BM25 and cost a walk over most of the pool each).
MAX_QUERY_TERMS = 64


class Engine:
    """Ranks candidates of one kind for query records of the opposite kind. Build it once
    per collection (its lexical index and vector matrices), then rank many queries."""

    def __init__(
        self,
        candidates: Iterable[Profile],
        *,
        centers: Mapping[str, np.ndarray] | None = None,
    ):
        self.candidates = list(candidates)
        # the languages' mean vectors (features.language_centers), taken off every vector
        self.centers = dict(centers or {})
        self.index: TextIndex[int] = TextIndex({i: c.terms for i, c in enumerate(self.candidates)})
        self.vectors = [centred(c.vectors, c.lang, self.centers) for c in self.candidates]
        self.centroids = (
            np.vstack([_mean_unit(v) for v in self.vectors])
            if self.candidates
            else np.zeros((0, DIM), dtype=np.float32)
        )
        self.has_vectors = np.array([c.supported for c in self.candidates], dtype=bool)
        self.theme_bits = np.array(
            [_bits(c.themes, _THEME_BITS) for c in self.candidates], dtype=np.int64
        )
        self.public_bits = np.array(
            [_bits(c.publics, _PUBLIC_BITS) for c in self.candidates], dtype=np.int64
        )
        self.kind_bits = np.array(
            [_bits(c.kind_themes, _THEME_BITS) for c in self.candidates], dtype=np.int64
        )
        self.by_authority: dict[int, list[int]] = {}
        self.by_language: dict[str, list[int]] = {}
        for i, c in enumerate(self.candidates):
            if c.authority_id is not None:
                self.by_authority.setdefault(c.authority_id, []).append(i)
            for lang in c.languages:
                self.by_language.setdefault(lang, []).append(i)
        # the passages of every candidate with vectors in one matrix, in candidate order
        self.with_vectors = np.flatnonzero(self.has_vectors)
        self.counts = np.array([len(v) for v in self.vectors], dtype=np.int64)
        self.matrix = (
            np.vstack([self.vectors[i] for i in self.with_vectors])
            if len(self.with_vectors)
            else np.zeros((0, DIM), dtype=np.float32)
        )

    def __len__(self) -> int:
        return len(self.candidates)

    # --- components --------------------------------------------------------------------

    def _text(self, query: Profile, stems: tuple[str, ...]) -> np.ndarray:
        return self.index.dense(stems)

    def _structure(self, query: Profile) -> np.ndarray:
        """Themes and publics shared (Jaccard), and the kind of service covering the other
        side's themes, for every candidate."""
        themes = _bits(query.themes, _THEME_BITS)
        publics = _bits(query.publics, _PUBLIC_BITS)
        kind = _bits(query.kind_themes, _THEME_BITS)
        pop = _POPCOUNT
        shared_themes = _ratio(pop[self.theme_bits & themes], pop[self.theme_bits | themes])
        shared_publics = _ratio(pop[self.public_bits & publics], pop[self.public_bits | publics])
        # the candidate's kind covers the query's themes, or the query's kind the candidate's
        covers = np.where(self.kind_bits > 0, pop[self.kind_bits & themes] / (pop[themes] or 1), 0)
        covered = (
            _ratio(pop[self.theme_bits & kind], pop[self.theme_bits])
            if kind
            else np.zeros(len(self.candidates))
        )
        out: np.ndarray = (
            0.55 * shared_themes + 0.3 * shared_publics + 0.15 * np.maximum(covers, covered)
        )
        return out

    def _terms(self, stems: tuple[str, ...]) -> tuple[str, ...]:
        present = [s for s in dict.fromkeys(stems) if s in self.index.postings]
        present.sort(key=lambda s: -self.index.idf(s))
        return tuple(present[:MAX_QUERY_TERMS])

    def _meaning(self, query: Profile) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(centroid cosines, mean best-answer cosines, the query passages × all candidate
        passages cosines), one matrix product for the whole pool."""
        n = len(self.candidates)
        q = centred(query.vectors, query.lang, self.centers)
        centroid = (self.centroids @ _mean_unit(q)).astype(np.float64)
        passages = np.zeros(n, dtype=np.float64)
        sims = q @ self.matrix.T  # query passages × every candidate passage
        if len(self.with_vectors) and len(q):
            # rows of `matrix` start at the cumulated counts of the candidates with vectors
            offsets = np.concatenate([[0], np.cumsum(self.counts[self.with_vectors])[:-1]])
            best = np.maximum.reduceat(sims, offsets, axis=1)  # query passage × candidate
            # the query's passages that find an answer: the best half on average
            keep = max(1, (len(q) + 1) // 2)
            top = -np.sort(-best, axis=0)[:keep]
            passages[self.with_vectors] = top.mean(axis=0)
        # candidates without vectors sit at the pool's mean, neither helped nor sunk
        if n and not self.has_vectors.all() and self.has_vectors.any():
            centroid[~self.has_vectors] = centroid[self.has_vectors].mean()
            passages[~self.has_vectors] = passages[self.has_vectors].mean()
        return centroid, passages, sims

    def _pair(self, sims: np.ndarray, i: int) -> tuple[int, int, float] | None:
        """(query passage, candidate passage, cosine) of the best pair of candidate i."""
        if not self.has_vectors[i] or not sims.size:
            return None
        row = int(np.searchsorted(self.with_vectors, i))
        start = int(np.concatenate([[0], np.cumsum(self.counts[self.with_vectors])])[row])
        block = sims[:, start : start + int(self.counts[i])]
        qi, ci = np.unravel_index(int(np.argmax(block)), block.shape)
        return int(qi), int(ci), float(block[qi, ci])

    # --- ranking -----------------------------------------------------------------------

    def rank(
        self,
        query: Profile,
        *,
        limit: int = 10,
        mode: str = "full",
        ties: Ties | None = None,
        exclude: Iterable[str] = (),
    ) -> list[Match]:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        limit = min(max(int(limit), 1), MAX_LIMIT)
        n = len(self.candidates)
        if not n:
            return []
        ties = ties or Ties()
        supported = query.supported
        stems = (
            self._terms(query.query_terms or query_stems(f"{query.title}\n{query.text}"))
            if supported or mode == "lexical"
            else ()
        )
        structure = self._structure(query)
        text = self._text(query, stems) if stems else np.zeros(n)
        total = np.zeros(n)
        sims: np.ndarray | None = None
        if mode == "lexical":
            total = text.copy()
        elif mode == "structure":
            total = structure.copy()
        else:
            total += WEIGHTS["structure"] * _standardise(structure)
            if supported:
                centroid, passages, sims = self._meaning(query)
                total += WEIGHTS["meaning"] * _standardise(centroid)
                total += WEIGHTS["passages"] * _standardise(passages)
                total += WEIGHTS["text"] * _standardise(text)
            for authority in ties.partners:
                total[self.by_authority.get(authority, [])] += BONUS_PARTNERSHIP
            for authority, themes in ties.cooperation.items():
                if themes & query.themes:
                    total[self.by_authority.get(authority, [])] += BONUS_COOPERATION
            if query.lang != "fr":
                total[self.by_language.get(query.lang, [])] += BONUS_LANGUAGE
        excluded = set(exclude) | {query.ref}
        # the best few by score (ties broken by ref), without sorting the whole pool
        wanted = min(n, limit + len(excluded))
        best = np.argpartition(-total, wanted - 1)[:wanted] if wanted < n else np.arange(n)
        floor = total[best].min()
        pool = np.flatnonzero(total >= floor)  # every candidate tied with the last one too
        order = sorted(
            (int(i) for i in pool if self.candidates[i].ref not in excluded),
            key=lambda i: (-total[i], self.candidates[i].ref),
        )[:limit]
        return [
            Match(
                ref=self.candidates[i].ref,
                kind=self.candidates[i].kind,
                title=self.candidates[i].title,
                score=round(float(total[i]), 4),
                reasons=_reasons(
                    query,
                    self.candidates[i],
                    self.index,
                    i,
                    stems,
                    self._pair(sims, i) if sims is not None else None,
                    ties,
                    mode,
                ),
            )
            for i in order
        ]


def _surface_words(text: str, stems: list[str], limit: int = 6) -> list[str]:
    """The words of `text` whose stems are among `stems` (first spelling met), in the order
    of `stems`."""
    wanted = {s: None for s in stems}
    found: dict[str, str] = {}
    for raw in text.split():
        token = raw.strip(".,;:!?()«»\"'“”’…-–—[]/")
        if not token:
            continue
        s = token_stem(token)
        if s in wanted and s not in found:
            found[s] = token.lower()
            if len(found) == len(wanted):
                break
    return [found[s] for s in stems if s in found][:limit]


def _reasons(
    query: Profile,
    cand: Profile,
    index: TextIndex[int],
    i: int,
    stems: tuple[str, ...],
    pair: tuple[int, int, float] | None,
    ties: Ties,
    mode: str,
) -> list[dict[str, Any]]:
    """Reasons from the features that ranked: codes with their values (labels are given
    by the caller's language: see selectors.describe)."""
    reasons: list[dict[str, Any]] = []
    if mode == "full" and not query.supported:
        reasons.append({"code": "structure_only", "lang": query.lang})
    themes = sorted(query.themes & cand.themes)
    if themes:
        reasons.append({"code": "themes", "values": themes})
    publics = sorted(query.publics & cand.publics)
    if publics:
        reasons.append({"code": "publics", "values": publics})
    covered = sorted(query.themes & cand.kind_themes - cand.themes)
    if covered and cand.service_kind:
        reasons.append({"code": "service_kind", "values": [cand.service_kind], "themes": covered})
    if pair is not None and mode == "full":
        qi, ci, cosine = pair
        reasons.append(
            {
                "code": "passages",
                "query_passage": query.passages[qi] if qi < len(query.passages) else "",
                "match_passage": cand.passages[ci] if ci < len(cand.passages) else "",
                "similarity": round(cosine, 3),
            }
        )
    if stems and mode in ("full", "lexical"):
        shared = index.shared(i, stems)[:12]
        words = _surface_words(f"{cand.title} {cand.text}", shared)
        if words:
            reasons.append({"code": "words", "values": words})
    common = sorted(({query.lang} | query.languages) & cand.languages)
    if common and mode == "full":
        reasons.append({"code": "languages", "values": common})
    if mode == "full" and cand.authority_id is not None:
        if cand.authority_id in ties.partners:
            reasons.append({"code": "partnership"})
        past = sorted(ties.cooperation.get(cand.authority_id, frozenset()) & query.themes)
        if past:
            reasons.append({"code": "cooperation", "values": past, "country": query.country})
    return reasons


__all__ = ["MODES", "Engine", "Match", "Profile", "Ties"]
