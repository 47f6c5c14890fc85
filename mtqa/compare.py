"""`mtqa compare`: rank several translations of one source by their MQM estimate, with a paired bootstrap
over the source's paragraphs saying whether each difference is significant (as comet-compare does for
COMET scores). For choosing an MT engine or checking a revision."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from mtqa.errors import MtqaError
from mtqa.estimate import EstimateModel, columns, model_kind, ratios, segment_evidence, shipped_model
from mtqa.pipeline import Options, run
from mtqa.report import Report

DRAWS = 1000
ALPHA = 0.05


@dataclass
class Ranked:
    """One translation: its MQM estimate (value, 80% interval), score and verdict."""

    translation: str
    mqm: float
    low: float
    high: float
    score: float
    verdict: str


@dataclass
class PairTest:
    """Translation `better` against `worse`: the estimate's difference and its bootstrap p-value."""

    better: str
    worse: str
    delta: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA


def paragraph_columns(report: Report) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Per source paragraph, the summed words and feature columns of the segments that render it (added
    text goes with the paragraph before it), and the paragraph numbers."""
    ev = segment_evidence(report.segments, report.issues, report.source.lang, report.translation.lang)
    words, sums = columns(ev)
    paragraphs: list[int] = []
    last = 0
    for seg in report.segments:
        last = seg.source_paragraphs[0] if seg.source_paragraphs else last
        paragraphs.append(last)
    ids = sorted(set(paragraphs))
    index = {p: k for k, p in enumerate(ids)}
    pw = np.zeros(len(ids))
    ps = np.zeros((len(ids), sums.shape[1]))
    for k, p in enumerate(paragraphs):
        pw[index[p]] += words[k]
        ps[index[p]] += sums[k]
    return pw, ps, ids


def paired_bootstrap(reports: list[Report], model: EstimateModel, draws: int = DRAWS,
                     seed: int = 0) -> np.ndarray:
    """(draws, translations) estimates over the same resampled source paragraphs for every translation."""
    cols = [paragraph_columns(r) for r in reports]
    shared = sorted(set.intersection(*(set(ids) for _, _, ids in cols)))
    if not shared:
        raise MtqaError("the translations share no aligned source paragraph to compare on")
    counts = np.random.default_rng(seed).multinomial(len(shared), [1 / len(shared)] * len(shared), size=draws)
    out = np.zeros((draws, len(reports)))
    for t, (pw, ps, ids) in enumerate(cols):
        rows = [ids.index(p) for p in shared]
        out[:, t] = model.predict(ratios(counts @ pw[rows], counts @ ps[rows]))
    return out


def compare(source: str, translations: list[str], opts: Options, draws: int = DRAWS,
            seed: int = 0) -> tuple[list[Ranked], list[PairTest]]:
    """The translations ranked best first, and a test for each pair of them."""
    reports = [run(source, t, opts) for t in translations]
    ranked = [Ranked(t, r.mqm_estimate.value, r.mqm_estimate.low, r.mqm_estimate.high, r.score, r.verdict)
              for t, r in zip(translations, reports, strict=True)]
    kinds = {model_kind(r.segments) for r in reports}
    boot = paired_bootstrap(reports, shipped_model(kinds.pop() if len(kinds) == 1 else "fast"), draws, seed)
    tests = []
    for i, j in combinations(range(len(reports)), 2):
        if ranked[j].mqm < ranked[i].mqm:
            i, j = j, i
        diff = boot[:, j] - boot[:, i]  # positive where the better one stays better
        p = min(1.0, 2.0 * min(float(np.mean(diff <= 0)), float(np.mean(diff >= 0))))
        tests.append(PairTest(translations[i], translations[j], ranked[j].mqm - ranked[i].mqm, p))
    ranked.sort(key=lambda r: r.mqm)
    return ranked, tests
