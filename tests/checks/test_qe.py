"""The qe family (mistranslation, calque): segments the QE scorers rank far below the rest, with
word-level evidence."""

from __future__ import annotations

import pytest

from mtqa.checks import run_check
from mtqa.report import Segment
from tests.fakes import make_context


@pytest.mark.models
def test_mistranslation_heading():
    src = ["Bataille clé", "Trêve violée"] + [f"Phrase numéro {k} du texte source." for k in range(6)]
    tgt = ["Battled key", "Truce violated"] + [f"Sentence number {k} of the source text." for k in range(6)]
    ctx = make_context(src, tgt, scores=[0.85, 0.24] + [0.96, 0.97, 0.95, 0.96, 0.98, 0.955])
    found = run_check("mistranslation", ctx)
    assert [i.target_paragraph for i in found] == [1]
    assert "Battled" in found[0].evidence


def test_mistranslation_weak_tier_needs_a_clear_drop_and_agreement():
    from dataclasses import replace

    from mtqa.checks.families.qe import mistranslation_verdict
    from mtqa.checks.kit.words import WordEvidence
    from mtqa.report import Segment

    src = "Il a fait plus de 370 000 morts et des millions de déplacés."
    seg = Segment(0, src, "x", [1], [1], "1-1", 0.72)
    ev = WordEvidence(wrong_form=[], words=5, unmatched=["conflict", "left"])
    assert mistranslation_verdict(seg, -7.8, ev, 0.23) is None  # a paraphrase, 0.23 below the median
    assert mistranslation_verdict(seg, -7.8, ev, 0.35) == "minor"
    assert mistranslation_verdict(seg, -7.8, replace(ev, agree=False), 0.35) is None


def test_per_scorer_z_needs_two_scorers():
    from mtqa.checks.families.qe import per_scorer_z

    src = [f"Phrase numéro {k} du texte source." for k in range(6)]
    tgt = [f"Sentence number {k} of the source text." for k in range(6)]
    ctx = make_context(src, tgt, scores=[0.9, 0.91, 0.92, 0.9, 0.93, 0.5])
    assert per_scorer_z(ctx) == {}
    cosine = [0.9, 0.91, 0.92, 0.9, 0.93, 0.5]
    learned = [0.8, 0.82, 0.81, 0.8, 0.83, 0.81]
    for seg, a, b in zip(ctx.segments, cosine, learned, strict=True):
        seg.scores = {"use-cosine": a, "e5-qe": b}
    z = per_scorer_z(ctx)
    assert min(z[5]) < -3 and max(z[5]) > -1.5  # the scorers disagree on the last segment


def test_chinese_words_are_segmented_for_word_evidence():
    from mtqa.checks.families.qe import mistranslation_verdict
    from mtqa.checks.kit.words import WordEvidence, content_words
    from mtqa.lang.wordseg import word_count

    src = "我上周在多塞特拍摄的这个。"
    assert word_count(src, "zh") >= 5 and word_count("I took this in Dorset last week.", "en") == 7
    words = content_words(src, "zh")
    assert "拍摄" in words and "上周" in words and src not in words
    # a Chinese sentence of several words is no heading: one unmatched word at z -3.5 is not enough
    seg = Segment(0, src, "I took this in Dorset last week.", [1], [1], "1-1", 0.46)
    ev = WordEvidence(wrong_form=[], words=4, unmatched=["Dorset"])
    assert mistranslation_verdict(seg, -3.5, ev, 0.3, "zh") is None
    # the same evidence on a genuine three-word heading still counts
    head = Segment(0, "停火被违反", "Truce violated here", [1], [1], "1-1", 0.46)
    assert word_count(head.source, "zh") <= 3
    assert mistranslation_verdict(head, -3.5, ev, 0.3, "zh") == "major"
