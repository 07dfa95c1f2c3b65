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


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


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


def structure_score(query: Profile, cand: Profile) -> float:
    themes = _jaccard(query.themes, cand.themes)
    publics = _jaccard(query.publics, cand.publics)
    kind = (
        len(query.themes & cand.kind_themes) / len(query.themes)
        if query.themes and cand.kind_themes
        else 0.0
    )
    kind = max(
        kind,
        len(cand.themes & query.kind_themes) / len(cand.themes)
        if cand.themes and query.kind_themes
        else 0.0,
    )
    return 0.55 * themes + 0.3 * publics + 0.15 * kind


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

    def __len__(self) -> int:
        return len(self.candidates)

    # --- components --------------------------------------------------------------------

    def _text(self, query: Profile, stems: tuple[str, ...]) -> np.ndarray:
        scores = self.index.scores(stems)
        out = np.zeros(len(self.candidates), dtype=np.float64)
        for i, value in scores.items():
            out[i] = value
        return out

    def _meaning(
        self, query: Profile
    ) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, float] | None]]:
        """(centroid cosines, mean best-answer cosines, per candidate the best passage pair
        (query passage index, candidate passage index, cosine))."""
        n = len(self.candidates)
        q = centred(query.vectors, query.lang, self.centers)
        centroid = self.centroids @ _mean_unit(q)
        passages = np.zeros(n, dtype=np.float64)
        pairs: list[tuple[int, int, float] | None] = [None] * n
        for i in range(n):
            if not self.has_vectors[i]:
                continue
            sims = q @ self.vectors[i].T  # query passages × candidate passages
            best = sims.max(axis=1)
            # the query's passages that find an answer: the best half on average
            top = np.sort(best)[::-1][: max(1, (len(best) + 1) // 2)]
            passages[i] = float(top.mean())
            qi, ci = np.unravel_index(int(np.argmax(sims)), sims.shape)
            pairs[i] = (int(qi), int(ci), float(sims[qi, ci]))
        # candidates without vectors sit at the pool's mean, neither helped nor sunk
        if n and not self.has_vectors.all() and self.has_vectors.any():
            centroid[~self.has_vectors] = centroid[self.has_vectors].mean()
            passages[~self.has_vectors] = passages[self.has_vectors].mean()
        return centroid.astype(np.float64), passages, pairs

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
            query_stems(f"{query.title}\n{query.text}") if supported or mode == "lexical" else ()
        )
        structure = np.array([structure_score(query, c) for c in self.candidates])
        text = self._text(query, stems) if stems else np.zeros(n)
        total = np.zeros(n)
        pairs: list[tuple[int, int, float] | None] = [None] * n
        if mode == "lexical":
            total = text.copy()
        elif mode == "structure":
            total = structure.copy()
        else:
            total += WEIGHTS["structure"] * _standardise(structure)
            if supported:
                centroid, passages, pairs = self._meaning(query)
                total += WEIGHTS["meaning"] * _standardise(centroid)
                total += WEIGHTS["passages"] * _standardise(passages)
                total += WEIGHTS["text"] * _standardise(text)
            for i, cand in enumerate(self.candidates):
                if cand.authority_id is None:
                    continue
                if cand.authority_id in ties.partners:
                    total[i] += BONUS_PARTNERSHIP
                if ties.cooperation.get(cand.authority_id, frozenset()) & query.themes:
                    total[i] += BONUS_COOPERATION
                if query.lang in cand.languages and query.lang != "fr":
                    total[i] += BONUS_LANGUAGE
        excluded = set(exclude) | {query.ref}
        order = sorted(
            (i for i in range(n) if self.candidates[i].ref not in excluded),
            key=lambda i: (-total[i], self.candidates[i].ref),
        )[:limit]
        return [
            Match(
                ref=self.candidates[i].ref,
                kind=self.candidates[i].kind,
                title=self.candidates[i].title,
                score=round(float(total[i]), 4),
                reasons=_reasons(
                    query, self.candidates[i], self.index, i, stems, pairs[i], ties, mode
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


__all__ = ["MODES", "Engine", "Match", "Profile", "Ties", "structure_score"]
