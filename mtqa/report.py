"""The report model (dataclasses) and its JSON form, exactly per mtqa.report/1."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_ID = "mtqa.report/1"
SEVERITY_WEIGHTS = {"minor": 1.0, "major": 5.0, "critical": 10.0}
ISSUE_TYPES = (
    "entity-inconsistency", "untranslated", "number-mismatch", "omission", "addition",
    "mistranslation", "fluency", "glossary", "punctuation", "length-ratio",
    "entity-mismatch", "date-mismatch", "polarity",
)
ISSUE_ORIGINS = ("rule", "model")


@dataclass
class DocumentSummary:
    """One document of the pair as the report describes it."""

    path: str | None
    lang: str
    lang_detected: bool
    paragraphs: int
    sentences: int


@dataclass
class Segment:
    id: int
    source: str
    target: str
    source_paragraphs: list[int]
    target_paragraphs: list[int]
    alignment: str
    score: float | None
    scores: dict[str, float | None] = field(default_factory=dict)
    # not in JSON: sentence indices and offsets, used by checks and renderers
    source_sentences: list[int] = field(default_factory=list, repr=False)
    target_sentences: list[int] = field(default_factory=list, repr=False)
    source_start: int | None = field(default=None, repr=False)
    source_end: int | None = field(default=None, repr=False)
    target_start: int | None = field(default=None, repr=False)
    target_end: int | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "target": self.target,
            "source_paragraphs": self.source_paragraphs,
            "target_paragraphs": self.target_paragraphs,
            "alignment": self.alignment,
            "score": _round(self.score),
            "scores": {k: _round(v) for k, v in self.scores.items()},
        }


@dataclass
class Suggestion:
    """A deterministic fix: `text` replaces the characters [start, end) of the translation file's text."""

    text: str
    start: int
    end: int


@dataclass
class Issue:
    type: str
    severity: str
    message: str
    target_paragraph: int | None
    mqm: str = ""
    segment: int | None = None
    source_paragraph: int | None = None
    target_start: int | None = None
    target_end: int | None = None
    evidence: list[str] = field(default_factory=list)
    confidence: float = 1.0
    #: "rule" (a documented check) or "model" (a learned scorer's error span)
    origin: str = "rule"
    #: the check or scorer that raised it; filled in by the check runner
    check: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    #: stable identity of the finding (mtqa.fingerprint): check, type and evidence, never offsets
    fingerprint: str = ""
    #: a safe replacement for the flagged text (mtqa.suggest), offsets into the translation file
    suggestion: Suggestion | None = None
    #: set by the gate: the reason of the mtqa.toml waiver that covers the issue
    waived: str | None = None
    #: set by the gate under a baseline: "unchanged" (in the baseline) or "new"
    baseline: str | None = None
    #: set by the precision floor (mtqa.precision) when it reported a check's major as minor: why
    demoted: str | None = None
    #: a model span is shown in text and HTML only when its confidence earned it (mtqa.precision)
    shown: bool = True

    def __post_init__(self) -> None:
        if self.type not in ISSUE_TYPES:
            raise ValueError(f"unknown issue type {self.type}")
        if self.severity not in SEVERITY_WEIGHTS:
            raise ValueError(f"unknown severity {self.severity}")
        if self.origin not in ISSUE_ORIGINS:
            raise ValueError(f"unknown issue origin {self.origin}")

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("check", "suggestion", "waived", "baseline", "demoted"):
            if d[key] is None:
                del d[key]
        if not d["fingerprint"]:
            del d["fingerprint"]
        if self.origin == "rule":  # rule issues are always shown
            del d["shown"]
        d["confidence"] = round(min(1.0, max(0.0, self.confidence)), 4)
        return d


@dataclass(frozen=True)
class MqmEstimate:
    """Estimated MQM penalty per 100 source words and its bootstrap interval (mtqa.estimate)."""

    value: float
    low: float
    high: float


@dataclass
class ModelInfo:
    name: str
    revision: str = ""
    sha256: str = ""


@dataclass
class Report:
    source: DocumentSummary
    translation: DocumentSummary
    score: float
    verdict: str
    segments: list[Segment]
    issues: list[Issue]
    models: list[ModelInfo]
    mqm_penalty: float = 0.0
    #: the estimated MQM penalty per 100 source words and its 80% interval (mtqa.estimate)
    mqm_estimate: MqmEstimate | None = None
    reference_metrics: dict[str, float] | None = None
    entities: list[dict[str, Any]] | None = None
    timing: dict[str, float] = field(default_factory=dict)
    # not in JSON: the analysed documents (text, paragraphs, sentences, original text and offset map),
    # used by the HTML / SARIF / JUnit renderers
    source_doc: Any = field(default=None, repr=False, compare=False)
    target_doc: Any = field(default=None, repr=False, compare=False)
    #: not in JSON: the names of the checks that ran (a JUnit testcase each)
    checks: list[str] = field(default_factory=list, repr=False, compare=False)

    def to_json(self, *, timing: bool = True) -> dict[str, Any]:
        document: dict[str, Any] = {
            "score": round(self.score, 4),
            "verdict": self.verdict,
            "mqm_penalty": round(self.mqm_penalty, 4),
        }
        if self.mqm_estimate is not None:
            est = self.mqm_estimate
            document["mqm_estimate"] = {"value": round(est.value, 3), "low": round(est.low, 3),
                                        "high": round(est.high, 3)}
        if self.reference_metrics is not None:
            document["reference_metrics"] = {k: round(v, 4) for k, v in self.reference_metrics.items()}
        out: dict[str, Any] = {
            "schema": SCHEMA_ID,
            "source": asdict(self.source),
            "translation": asdict(self.translation),
            "document": document,
            "segments": [s.to_json() for s in self.segments],
            "issues": [i.to_json() for i in self.issues],
            "models": [asdict(m) for m in self.models],
        }
        if self.entities is not None:
            out["entities"] = self.entities
        if timing:
            out["timing"] = {k: round(v, 4) for k, v in self.timing.items()}
        return out

    def dumps(self, *, timing: bool = True) -> str:
        return json.dumps(self.to_json(timing=timing), ensure_ascii=False, indent=2) + "\n"


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)
