"""The document MQM estimate: features from segments and issues, the language's own word counts, the
bootstrap interval, the score map and the cut-scores of the verdict and the gate."""

from __future__ import annotations

import numpy as np
import pytest

from mtqa.config import parse_config
from mtqa.errors import MtqaError
from mtqa.estimate import (
    FEATURES,
    EstimateModel,
    estimate,
    features,
    model_kind,
    score_of,
    segment_evidence,
    shipped_model,
)
from mtqa.gate import evaluate
from mtqa.report import DocumentSummary, Issue, MqmEstimate, Report, Segment

ZH = ["中国国家统计局周一公布的数据显示，今年前三个季度国内生产总值同比增长百分之五。",
      "分析人士认为，消费和投资的回升是经济企稳的主要原因。"]
EN = ["Data released by China's National Bureau of Statistics on Monday showed that gross domestic product "
      "grew five percent year on year in the first three quarters.",
      "Analysts believe that the recovery of consumption and investment is the main reason for the "
      "stabilisation of the economy."]


def segments(sources: list[str], targets: list[str], scores: list[float | None]) -> list[Segment]:
    return [Segment(k, s, t, [k + 1], [k + 1], "1-1", q) for k, (s, t, q) in
            enumerate(zip(sources, targets, scores, strict=True))]


def test_chinese_words_are_counted_as_words_not_sentences() -> None:
    major = [Issue("number-mismatch", "major", "x", 1, segment=0)]
    zh_en = features(segment_evidence(segments(ZH, EN, [0.5, 0.5]), major, "zh", "en"))
    en_zh = features(segment_evidence(segments(EN, ZH, [0.5, 0.5]), major, "en", "zh"))
    rule_major = FEATURES.index("rule_major")
    # one major issue per 100 source words: a mirror pair weighs it within a factor 1.6, not ~20x as when
    # each Chinese sentence counted as one word
    assert 1 / 1.6 < zh_en[rule_major] / en_zh[rule_major] < 1.6


def test_features_weigh_by_length_and_count_omissions() -> None:
    segs = segments(["one two three four", "five six"], ["a b c d", ""], [0.8, None])
    model_span = Issue("mistranslation", "minor", "m", 1, segment=0, origin="model", confidence=0.5)
    ev = segment_evidence(segs, [model_span], "en", "de")
    assert [e.words for e in ev] == [4, 2] and ev[1].unaligned and ev[1].badness == 1.0
    x = dict(zip(FEATURES, features(ev), strict=True))
    assert x["badness"] == pytest.approx((4 * 0.2 + 2 * 1.0) / 6)
    assert x["model_spans"] == pytest.approx(100 * 0.5 / 6)
    assert x["unaligned"] == pytest.approx(100 * 2 / 6)
    assert x["rule_major"] == x["rule_minor"] == 0


def test_estimate_interval_is_reproducible_and_brackets_the_value() -> None:
    model = EstimateModel(0.5, (10.0, 1.0, 0.3, 0.1, 0.05))
    segs = segments([f"word {k} " * (k + 2) for k in range(12)], [f"Wort {k}" for k in range(12)],
                    [0.2 + 0.06 * k for k in range(12)])
    ev = segment_evidence(segs, [Issue("omission", "major", "x", 1, segment=3)], "en", "de")
    first, again = estimate(ev, model), estimate(ev, model)
    assert first == again
    assert first.low <= first.value <= first.high and first.high > first.low
    assert first.value == pytest.approx(float(model.predict(features(ev))))


def test_more_evidence_of_error_never_lowers_the_shipped_estimate() -> None:
    model = shipped_model("accurate")
    assert all(c >= 0 for c in model.coef) and model.fitted_on and shipped_model("fast").fitted_on
    segs = segments(EN, ZH, [0.7, 0.7])
    clean = estimate(segment_evidence(segs, [], "en", "zh"), model).value
    polarity = [Issue("polarity", "major", "x", 1, segment=1)]
    worse = estimate(segment_evidence(segments(EN, ZH, [0.3, 0.3]), polarity, "en", "zh"), model).value
    assert worse >= clean


def test_score_is_a_monotone_map_into_the_unit_interval() -> None:
    values = [score_of(m) for m in np.linspace(0, 60, 50)]
    assert values[0] == 1.0 and all(0 < v <= 1 for v in values)
    assert all(a > b for a, b in zip(values, values[1:], strict=False))


def test_model_file_must_name_the_features() -> None:
    with pytest.raises(ValueError, match="features"):
        EstimateModel.from_json({"features": ["badness"], "intercept": 0, "coef": [1]})


def test_cut_scores_in_the_configuration(tmp_path) -> None:
    table = {"source": "a/*", "translation": "b/{stem}", "thresholds": {"max_mqm": 7, "pass_mqm": 2.5}}
    cfg = parse_config(table, tmp_path / "mtqa.toml", tmp_path)
    assert cfg.thresholds.max_mqm == 7 and cfg.thresholds.pass_mqm == 2.5
    with pytest.raises(MtqaError, match="max_mqm must be a number >= 0"):
        parse_config({**table, "thresholds": {"max_mqm": -1}}, tmp_path / "mtqa.toml", tmp_path)

    side = DocumentSummary(None, "en", False, 1, 1)
    report = Report(side, side, 0.4, "warn", [], [], [], mqm_estimate=MqmEstimate(8.0, 6.0, 9.5))
    passed, reasons, _ = evaluate(report, cfg.thresholds)
    assert not passed and reasons == ["estimated MQM 8.0 per 100 words > max_mqm 7"]
    cfg.thresholds.max_mqm = 9
    assert evaluate(report, cfg.thresholds)[0]


@pytest.mark.models
def test_the_estimate_can_be_recomputed_from_a_json_report(seed_report_fast) -> None:
    """The document benchmark refits and re-scores from `mtqa batch` JSON: the same function on the
    report's JSON segments and issues gives the pipeline's own estimate."""
    data = seed_report_fast.to_json()
    segs = [Segment(**s) for s in data["segments"]]
    issues = [Issue(**i) for i in data["issues"]]
    ev = segment_evidence(segs, issues, data["source"]["lang"], data["translation"]["lang"])
    again = estimate(ev, shipped_model(model_kind(segs)))
    assert model_kind(segs) == "fast"
    assert data["document"]["mqm_estimate"] == {"value": round(again.value, 3), "low": round(again.low, 3),
                                                "high": round(again.high, 3)}
    assert data["document"]["score"] == round(score_of(again.value), 4)


def test_default_cut_scores_are_the_fitted_ones() -> None:
    """The verdict's defaults are the cut-scores tools/fit_document.py chose with the shipped model."""
    import json

    from mtqa.config import FAIL_MQM, PASS_MQM
    from mtqa.estimate import MODEL_FILE

    accurate = json.loads(MODEL_FILE.read_text(encoding="utf-8"))["accurate"]
    assert (accurate["pass_cut"], accurate["fail_cut"]) == (PASS_MQM, FAIL_MQM)
