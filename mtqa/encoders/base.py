"""The Encoder protocol (texts in, L2-normalised vectors out) and the sentence overlaps the aligner embeds."""

from __future__ import annotations

import hashlib
from typing import Protocol

import numpy as np

from mtqa.artefacts import ModelSignature

#: the longest run of consecutive sentences the aligner joins into one block
MAX_OVERLAP = 3


class Encoder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def signature(self) -> ModelSignature: ...


def overlaps(sentences: list[str], k: int) -> list[str]:
    """The runs of `k` consecutive sentences, each joined by a space."""
    return [" ".join(sentences[i : i + k]) for i in range(max(0, len(sentences) - k + 1))]


def embed_overlaps(encoder, sentences: list[str], max_overlap: int = MAX_OVERLAP) -> list[np.ndarray]:
    """[E_1, E_2, ...]: E_k[i] embeds sentences i..i+k-1 joined (the encoder's own `encode_overlaps` when
    it has one, else one `encode` call for all)."""
    if hasattr(encoder, "encode_overlaps"):
        return encoder.encode_overlaps(sentences, max_overlap)
    texts: list[str] = []
    counts: list[int] = []
    for k in range(1, max_overlap + 1):
        block = overlaps(sentences, k)
        texts.extend(block)
        counts.append(len(block))
    vecs = encoder.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    out, pos = [], 0
    dim = vecs.shape[1] if vecs.ndim == 2 and len(vecs) else 1
    for c in counts:
        out.append(vecs[pos : pos + c] if c else np.zeros((0, dim), dtype=np.float32))
        pos += c
    return out


def normalise(vecs: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 norm (zero rows stay zero)."""
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vecs / norms


class ConcatEncoder:
    """Several encoders side by side: each part L2-normalised, concatenated, scaled by 1/sqrt(k), so the
    cosine of two outputs is the mean of the parts' cosines."""

    def __init__(self, parts: list) -> None:
        self.parts = parts
        self.name = "+".join(p.name for p in parts)

    def encode(self, texts: list[str]) -> np.ndarray:
        vecs = np.concatenate([p.encode(texts) for p in self.parts], axis=1)
        return normalise(vecs)

    def signature(self) -> ModelSignature:
        sigs = [p.signature() for p in self.parts]
        digest = hashlib.sha256("".join(s.sha256 for s in sigs).encode()).hexdigest()
        return ModelSignature(
            self.name, "+".join(s.revision for s in sigs), digest, "; ".join(s.licence for s in sigs)
        )


class WordMemo:
    """An encoder that remembers the vectors of the short texts (words, names) it encoded: the checks
    compare a name with the words of the other side again and again. Each call encodes its new texts in
    one batch; the memo is dropped when it reaches `max_items`."""

    def __init__(self, encoder: Encoder, max_items: int = 20_000) -> None:
        self.encoder = encoder
        self.name = encoder.name
        self.max_items = max_items
        self._memo: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        new = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if new and len(self._memo) + len(new) > self.max_items:
            self._memo.clear()  # full: start again, with every text of this call
            new = list(dict.fromkeys(texts))
        if new:
            self._memo.update(zip(new, self.encoder.encode(new), strict=True))
        if not texts:
            return self.encoder.encode([])
        return np.stack([self._memo[t] for t in texts])

    def signature(self) -> ModelSignature:
        return self.encoder.signature()
