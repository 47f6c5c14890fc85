"""Sentence encoders from local checkpoints (nothing is downloaded)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from mtqa.artefacts import ModelSignature, sha256_file
from mtqa.encoders.base import normalise


class SentenceTransformerEncoder:
    """A sentence-transformers checkpoint from a local directory (no download)."""

    def __init__(self, model_dir: str | Path) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer  # optional dependency

        self.model_dir = Path(model_dir)
        self.name = f"st:{self.model_dir.name}"
        self._model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        vecs = self._model.encode(texts, batch_size=64, convert_to_numpy=True, show_progress_bar=False)
        return normalise(np.asarray(vecs, dtype=np.float32))

    def signature(self) -> ModelSignature:
        weights = sorted(self.model_dir.glob("*.safetensors"))
        digest = sha256_file(weights[0]) if weights else ""
        return ModelSignature(self.name, "local", digest)
