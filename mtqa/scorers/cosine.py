"""Cross-lingual semantic similarity of a segment pair, calibrated to [0, 1]."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from mtqa.encoders import ModelSignature, get_encoder
from mtqa.scorers import Scorer, ScoringInput, nonempty, register

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

    def covers(self, item: ScoringInput) -> bool:
        """Both languages are ones the encoder was trained on (any, for an encoder that does not say)."""
        langs = getattr(self.encoder, "languages", None)
        return langs is None or all(
            code.split("-")[0].lower() in langs for code in (item.src_lang, item.tgt_lang)
        )

    def score(self, items: list[ScoringInput]) -> list[float | None]:
        """None for empty sides and for languages outside the encoder's (its cosine means nothing there:
        WMT22 km-en Spearman -0.06, en-cs 0.03)."""
        cal = calibration()
        keep = [i for i in nonempty(items) if self.covers(items[i])]
        out: list[float | None] = [None] * len(items)
        for i, cos in zip(keep, self.similarities([items[i] for i in keep]), strict=True):
            out[i] = 1.0 / (1.0 + math.exp(-(float(cos) - cal["center"]) / cal["scale"]))
        return out

    def signature(self) -> ModelSignature:
        base = self.encoder.signature()
        cal = calibration()
        revision = f"{base.revision};calibration={cal.get('fitted_on', 'default')}"
        return ModelSignature(self.name, revision, base.sha256, base.licence)
