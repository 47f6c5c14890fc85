"""Cross-lingual semantic similarity of a segment pair, calibrated to [0, 1]."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from mtqa.encoders import ModelSignature, get_encoder
from mtqa.scorers import Scorer, ScoringInput, register

CALIBRATION_FILE = Path(__file__).resolve().parent.parent / "data" / "use-cosine.calibration.json"


@lru_cache(maxsize=1)
def calibration() -> dict:
    """Logistic map cos -> quality; fitted offline (see the file's 'fitted_on')."""
    if CALIBRATION_FILE.exists():
        return json.loads(CALIBRATION_FILE.read_text())
    return {"center": 0.55, "scale": 0.08, "fitted_on": "default"}


@register
class CosineScorer(Scorer):
    """Cosine between multilingual USE v3 embeddings of source and target, mapped through a logistic."""

    name = "use-cosine"
    profiles = ("fast", "accurate")
    description = "cross-lingual similarity (multilingual USE v3), calibrated to [0, 1]"

    def __init__(self, encoder: str = "use-m3", **options) -> None:
        super().__init__(**options)
        self.encoder = get_encoder(encoder if encoder.startswith(("use", "st:")) else "use-m3")

    def similarities(self, items: list[ScoringInput]) -> np.ndarray:
        if not items:
            return np.zeros(0)
        src = self.encoder.encode([it.source for it in items])
        tgt = self.encoder.encode([it.target for it in items])
        return np.sum(src * tgt, axis=1)

    def score(self, items: list[ScoringInput]) -> list[float | None]:
        cal = calibration()
        out: list[float | None] = []
        for it, cos in zip(items, self.similarities(items), strict=True):
            if not it.source.strip() or not it.target.strip():
                out.append(None)
                continue
            out.append(1.0 / (1.0 + math.exp(-(float(cos) - cal["center"]) / cal["scale"])))
        return out

    def signature(self) -> ModelSignature:
        base = self.encoder.signature()
        cal = calibration()
        revision = f"{base.revision};calibration={cal.get('fitted_on', 'default')}"
        return ModelSignature(self.name, revision, base.sha256, base.licence)
