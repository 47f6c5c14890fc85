"""The document's MQM estimate: the predicted MQM penalty per 100 source words, the figure the verdict and
the document score rest on.

It is a small linear model over what mtqa already computes per segment (QE segment scores, the QE model's
error spans, rule issues, omitted and added text), fitted on MQM-rated news documents by
`tools/fit_document.py` and shipped as `mtqa/data/document-estimate.json`. Its 80% interval comes from a
bootstrap over the document's segments. Words are counted with each language's own segmentation (jieba
for Chinese), so a zh->en document and its en->zh mirror weigh their penalties alike."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from mtqa.lang.wordseg import word_count
from mtqa.report import Issue, MqmEstimate, Segment

MODEL_FILE = Path(__file__).resolve().parent / "data" / "document-estimate.json"
#: the features, each aggregated over the document (see `features`)
FEATURES = ("badness", "rule_major", "rule_minor", "model_spans", "unaligned")
#: the document score is 1 / (1 + estimate / SCORE_SCALE): 1 for no error, 0.5 at SCORE_SCALE MQM points
#: per 100 source words (one major error per 100 words), towards 0 as errors pile up
SCORE_SCALE = 5.0
BOOTSTRAP_DRAWS = 200
INTERVAL = 0.8


@dataclass(frozen=True)
class SegmentEvidence:
    """What one aligned segment contributes to the estimate."""

    words: int  # source words (target words for added text), in the language's own segmentation
    badness: float  # 1 - combined QE score; 1 for omitted or added text; 0 when no scorer judged it
    rule_major: int  # major and critical rule issues
    rule_minor: int
    model_spans: float  # the QE model's error spans, each counted by its confidence
    unaligned: bool  # omitted (source only) or added (translation only) text


def segment_evidence(segments: Sequence[Segment], issues: Iterable[Issue], src_lang: str,
                     tgt_lang: str) -> list[SegmentEvidence]:
    """Per segment, the evidence the estimate reads (issues without a segment are left out)."""
    major = [0] * len(segments)
    minor = [0] * len(segments)
    spans = [0.0] * len(segments)
    position = {seg.id: k for k, seg in enumerate(segments)}
    for issue in issues:
        k = position.get(issue.segment) if issue.segment is not None else None
        if k is None:
            continue
        if issue.origin == "model":
            spans[k] += issue.confidence
        elif issue.severity == "minor":
            minor[k] += 1
        else:
            major[k] += 1
    out = []
    for k, seg in enumerate(segments):
        unaligned = not (seg.source.strip() and seg.target.strip())
        words = word_count(seg.source, src_lang) if seg.source.strip() else word_count(seg.target, tgt_lang)
        badness = 1.0 if unaligned else (0.0 if seg.score is None else 1.0 - float(seg.score))
        out.append(SegmentEvidence(max(1, words), badness, major[k], minor[k], spans[k], unaligned))
    return out


def columns(evidence: Sequence[SegmentEvidence]) -> tuple[np.ndarray, np.ndarray]:
    """(source words per segment, the per-segment sums the features are ratios of), as arrays."""
    words = np.array([e.words for e in evidence], dtype=np.float64)
    sums = np.array([[e.words * e.badness, e.rule_major, e.rule_minor, e.model_spans,
                      e.words * e.unaligned] for e in evidence], dtype=np.float64).reshape(-1, len(FEATURES))
    return words, sums


def ratios(words: np.ndarray, sums: np.ndarray) -> np.ndarray:
    """Features from summed columns: the length-weighted badness, rule issues and model spans per 100
    source words, and the share of words in omitted or added text (in %)."""
    total = np.maximum(words, 1.0)[..., None]
    scale = np.array([1.0, 100.0, 100.0, 100.0, 100.0])
    return sums / total * scale


def features(evidence: Sequence[SegmentEvidence]) -> np.ndarray:
    """The document's feature vector (order: FEATURES)."""
    words, sums = columns(evidence)
    return ratios(words.sum(), sums.sum(axis=0))


@dataclass(frozen=True)
class EstimateModel:
    """A linear model of MQM per 100 source words; `log_target`: fitted on log(1 + MQM)."""

    intercept: float
    coef: tuple[float, ...]
    log_target: bool = False
    fitted_on: str = ""

    def predict(self, x: np.ndarray) -> np.ndarray:
        """MQM per 100 source words for feature rows `x` (never below 0)."""
        y = self.intercept + np.asarray(x, dtype=np.float64) @ np.asarray(self.coef)
        return np.maximum(0.0, np.expm1(y) if self.log_target else y)

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "intercept": self.intercept, "coef": list(self.coef),
                "log_target": self.log_target, "fitted_on": self.fitted_on}

    @classmethod
    def from_json(cls, data: dict) -> EstimateModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"document estimate model has features {data['features']}, expected {FEATURES}")
        return cls(float(data["intercept"]), tuple(float(c) for c in data["coef"]),
                   bool(data.get("log_target")), str(data.get("fitted_on", "")))


#: the shipped models: "accurate" reads the QE model's scores and error spans, "fast" the sentence cosine only
MODEL_KINDS = ("accurate", "fast")


@lru_cache(maxsize=2)
def shipped_model(kind: str = "accurate") -> EstimateModel:
    return EstimateModel.from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8"))[kind])


def model_kind(segments: Sequence[Segment], qe_model: str = "e5-qe") -> str:
    """"accurate" when the QE model scored the document (its spans are evidence), else "fast"."""
    return "accurate" if any(seg.scores.get(qe_model) is not None for seg in segments) else "fast"


def estimate(evidence: Sequence[SegmentEvidence], model: EstimateModel, draws: int = BOOTSTRAP_DRAWS,
             seed: int = 0) -> MqmEstimate:
    """The point estimate and its interval: the document's segments resampled with replacement `draws`
    times (a fixed seed: the same document always gets the same interval)."""
    if not evidence:
        return MqmEstimate(0.0, 0.0, 0.0)
    words, sums = columns(evidence)
    value = float(model.predict(ratios(words.sum(), sums.sum(axis=0))))
    idx = np.random.default_rng(seed).integers(0, len(evidence), size=(draws, len(evidence)))
    boot = model.predict(ratios(words[idx].sum(axis=1), sums[idx].sum(axis=1)))
    tail = (1.0 - INTERVAL) / 2.0 * 100.0
    low, high = np.percentile(boot, [tail, 100.0 - tail])
    return MqmEstimate(value, min(value, float(low)), max(value, float(high)))


def score_of(mqm: float) -> float:
    """The document score in [0, 1], a monotone map of the MQM estimate (see SCORE_SCALE)."""
    return 1.0 / (1.0 + max(0.0, mqm) / SCORE_SCALE)
