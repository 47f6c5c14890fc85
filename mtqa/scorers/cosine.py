"""Cross-lingual semantic similarity of a segment pair, calibrated to [0, 1]."""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from mtqa.artefacts import ModelSignature
from mtqa.encoders import get_encoder
from mtqa.lang.codes import primary
from mtqa.profiles import USE_M3
from mtqa.scorers import Scorer, ScoringInput, nonempty

DATA = Path(__file__).resolve().parent.parent / "data"
#: use-m3's calibration (its historical file name); other encoders have data/<encoder>-cosine.calibration.json
CALIBRATION_FILE = DATA / "use-cosine.calibration.json"
DEFAULT_CALIBRATION = {"center": 0.55, "scale": 0.08, "fitted_on": "default"}


def calibration_file(encoder: str = USE_M3) -> Path:
    """Where the calibration of `encoder`'s cosines lives (`python -m tools.qe calibrate-cosine`)."""
    if encoder == USE_M3:
        return CALIBRATION_FILE
    return DATA / f"{re.sub(r'[^A-Za-z0-9._+-]+', '_', encoder)}-cosine.calibration.json"


@lru_cache(maxsize=8)
def calibration(encoder: str = USE_M3) -> dict:
    """Logistic map cos -> quality for `encoder`, fitted offline (see the file's 'fitted_on'); an encoder
    without one of its own uses use-m3's."""
    for path in (calibration_file(encoder), CALIBRATION_FILE):
        if path.exists():
            return json.loads(path.read_text())
    return dict(DEFAULT_CALIBRATION)


class CosineScorer(Scorer):
    """Cosine between multilingual USE v3 embeddings of source and target, mapped through a logistic."""

    name = "use-cosine"
    min_words = 4  # headings: the cosine of two short texts ranks them badly (seed: "Truce violated")
    description = "cross-lingual similarity (multilingual USE v3), calibrated to [0, 1]"

    def __init__(self, encoder: str = USE_M3, **options) -> None:
        super().__init__(**options)
        self.encoder = get_encoder(encoder if encoder.startswith(("use", "st:")) else USE_M3)

    def similarities(self, items: list[ScoringInput]) -> np.ndarray:
        if not items:
            return np.zeros(0)
        vecs = self.encoder.encode([it.source for it in items] + [it.target for it in items])  # one call
        return np.sum(vecs[: len(items)] * vecs[len(items) :], axis=1)

    def covers(self, item: ScoringInput) -> bool:
        """Both languages are ones the encoder was trained on (any, for an encoder that does not say)."""
        langs = getattr(self.encoder, "languages", None)
        return langs is None or all(
            primary(code) in langs for code in (item.src_lang, item.tgt_lang)
        )

    def calibration(self) -> dict:
        return calibration(self.encoder.name)

    def score(self, items: list[ScoringInput]) -> list[float | None]:
        """None for empty sides and for languages outside the encoder's (its cosine means nothing there:
        WMT22 km-en Spearman -0.06, en-cs 0.03)."""
        cal = self.calibration()
        keep = [i for i in nonempty(items) if self.covers(items[i])]
        out: list[float | None] = [None] * len(items)
        for i, cos in zip(keep, self.similarities([items[i] for i in keep]), strict=True):
            out[i] = 1.0 / (1.0 + math.exp(-(float(cos) - cal["center"]) / cal["scale"]))
        return out

    def signature(self) -> ModelSignature:
        """Names the encoder (and its revision) and the calibration the figures come from."""
        base = self.encoder.signature()
        revision = f"{base.name}:{base.revision};calibration={self.calibration().get('fitted_on', 'default')}"
        return ModelSignature(self.name, revision, base.sha256, base.licence)
