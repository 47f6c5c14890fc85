"""The pure parts of the MQM document benchmarks (bench/mqm_docs.py, bench/flag_precision.py,
bench/rankstats.py, bench/documents.py): span extraction, MQM per 100 words, overlap counting, ranks."""

from __future__ import annotations

import importlib
import random
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str):
    """A bench script as a module (they import each other by name from bench/)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    module = importlib.import_module(name)
    assert Path(module.__file__).parent == BENCH
    return module


md = _load("mqm_docs")
fp = _load("flag_precision")
rs = _load("rankstats")
docs = _load("documents")


def row(rater: str, source: str, target: str, category: str = "No-error", severity: str = "No-error") -> dict:
    return {"rater": rater, "source": source, "target": target, "category": category, "severity": severity}


# --- spans and MQM ------------------------------------------------------------------------------------


def test_extract_spans_offsets_in_the_clean_text():
    text, spans = md.extract_spans("Die <v>Bank</v> plant <v>neue</v> Filialen.")
    assert text == "Die Bank plant neue Filialen."
    assert spans == [(4, 8), (15, 19)]
    assert [text[a:b] for a, b in spans] == ["Bank", "neue"]


def test_extract_spans_unclosed_and_stray_tags():
    assert md.extract_spans("ab<v>cd") == ("abcd", [(2, 4)])
    assert md.extract_spans("ab</v>cd") == ("abcd", [])
    assert md.extract_spans("no span") == ("no span", [])


def test_unquote_leaked_csv_quoting():
    assert md.unquote('"Er sagte: ""Ja."""') == 'Er sagte: "Ja."'
    assert md.unquote('"quoted" but not wrapped') == '"quoted" but not wrapped'


@pytest.mark.parametrize(("category", "severity", "weight"), [
    ("Accuracy/Mistranslation", "Major", 5.0), ("Style/Awkward", "Minor", 1.0),
    ("Fluency/Punctuation", "Minor", 0.1), ("Fluency/Punctuation", "Major", 5.0),
    ("Non-translation!", "Major", 25.0), ("Non_translation", "Minor", 25.0),
    ("Fluency/Grammar", "Neutral", 0.0), ("No-error", "No-error", 0.0), ("no-error", "no-error", 0.0),
    ("Lexical Selection", "major", 5.0), ("Mistranslation", "critical", 10.0),  # the en-ru 2021 ratings
])
def test_error_weights_are_the_readmes(category, severity, weight):
    assert md.error_weight(category, severity) == weight


def test_segments_are_numbered_by_seg_id_or_within_their_document():
    assert md.segment_number({"seg_id": "17", "doc_id": "3"}) == 17
    assert md.segment_number({"seg_id": "-1", "doc_id": "3"}) == 3  # en-ru 2021


def test_segment_penalty_averages_raters_including_error_free_ones():
    errors = [("r1", "Accuracy/Mistranslation", "Major"), ("r1", "Fluency/Punctuation", "Minor"),
              ("r2", "Style/Awkward", "Minor")]
    assert md.segment_penalty(errors, ["r1", "r2", "r3"]) == pytest.approx((5.1 + 1.0 + 0.0) / 3)


def test_build_segment_zh_source_counted_with_jieba():
    rows = [row("r1", "我爱北京天安门", "I love <v>Beijing</v> Tiananmen", "Accuracy/Mistranslation",
                "Major"),
            row("r2", "我爱北京天安门", "I love Beijing Tiananmen")]
    seg, unplaced = md.build_segment(3, rows, "zh")
    assert unplaced == 0
    assert seg.source_words == 4  # 我 / 爱 / 北京 / 天安门; str.split() would give 1
    assert seg.penalty == pytest.approx(2.5)
    assert [(seg.target[e.start:e.end], e.side) for e in seg.errors] == [("Beijing", "target")]
    assert md.per_100_words(seg.penalty, seg.source_words) == pytest.approx(62.5)
    doc = md.Doc("zh-en", "2021-news", "d", "hyp.X", False, [seg, seg])
    assert doc.mqm_per_100w == pytest.approx(100 * 5.0 / 8)


def test_build_segment_source_span_and_duplicated_copy():
    clean = "Prices rose  sharply."
    rows = [row("r1", "Les <v>prix</v> ont fortement augmenté.", clean, "Accuracy/Omission", "Minor"),
            row("r2", "Les prix ont fortement augmenté.", "Prices rose sharplysharply<v>sharply</v>.",
                "Fluency/Grammar", "Minor"),
            row("r3", "Les prix ont fortement augmenté.", clean)]
    seg, unplaced = md.build_segment(1, rows, "fr")
    assert seg.target == "Prices rose sharply."  # the unmarked copy; whitespace collapsed
    assert unplaced == 0
    placed = {(e.side, (seg.source if e.side == "source" else seg.target)[e.start:e.end]) for e in seg.errors}
    assert placed == {("source", "prix"), ("target", "sharply")}
    assert seg.penalty == pytest.approx(2 / 3)


def test_clean_span_follows_whitespace_cleanup():
    raw = "  a   bc d "
    assert md.clean_span(raw, 6, 8) == (2, 4)  # "bc" in "a bc d"
    assert md.clean_span(raw, 3, 6) == None  # noqa: E711 - whitespace only


def test_layout_offsets_match_the_text():
    text, starts = md.layout(["Eins.", "Zwei drei."])
    assert text == "Eins.\n\nZwei drei.\n"
    assert text[starts[1]:starts[1] + 10] == "Zwei drei."


def test_human_systems():
    assert md.is_human("ref.A") and md.is_human("Human-P.0")
    assert not md.is_human("hyp.Facebook-AI") and not md.is_human("Online-B.1590")


# --- overlap counting -----------------------------------------------------------------------------------


def test_words_split_punctuation_and_cjk():
    text = "Er sagte: 北京 ok."
    assert [text[a:b] for a, b in fp.word_spans(text)] == ["Er", "sagte", ":", "北", "京", "ok", "."]


def test_overlap_has_no_slack():
    assert fp.overlaps(0, 5, [(5, 8)]) is False  # adjacent, not overlapping
    assert fp.overlaps(0, 6, [(5, 8)]) is True


def test_long_span_counted_by_its_words():
    text = "one two three four five six seven eight nine ten"
    words = fp.word_spans(text)
    flag = fp.words_in(words, 0, len(text))
    rated = [(text.index("four"), text.index("four") + 4)]
    assert len(flag) == 10
    assert fp.word_precision(flag, rated) == pytest.approx(0.1)
    assert fp.word_precision(fp.words_in(words, 14, 18), rated) == 1.0  # exactly "four"


def test_random_window_is_seeded_and_keeps_the_length():
    words = fp.word_spans("a b c d e f g h")
    one = fp.random_window(words, 3, random.Random(7))
    assert len(one) == 3 and one == fp.random_window(words, 3, random.Random(7))
    assert fp.random_window(words, 20, random.Random(7)) == words


def test_side_places_rated_spans_at_document_offsets():
    segs = [{"source": "s1", "target": "Guten Tag.", "errors": []},
            {"source": "s2", "target": "Die Bank plant.", "penalty": 5.0,
             "errors": [{"side": "target", "start": 4, "end": 8, "severity": "Major",
                         "category": "Accuracy/Mistranslation"}]}]
    side = fp.Side([s["target"] for s in segs], segs, "target")
    a, b = side.major[0]
    assert side.text[a:b] == "Bank"
    assert side.segment_of(a) == 1 and side.errors[0][2:] == ("Accuracy/Mistranslation", 1)


# --- rank statistics and verdicts ----------------------------------------------------------------------


def test_rank_correlations():
    assert rs.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert rs.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # one discordant pair of six: (5 - 1) / 6
    assert rs.kendall([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(4 / 6)
    assert list(rs.ranks([3, 1, 3])) == [2.5, 1.0, 2.5]


def test_pairwise_accuracy_within_groups_only():
    items = [("a", 0.9, -1.0), ("a", 0.5, -3.0), ("a", 0.5, -2.0), ("b", 0.1, -9.0)]
    acc, n = rs.pairwise_accuracy(items)
    assert n == 3  # pairs within group a only
    assert acc == pytest.approx((1 + 1 + 0.5) / 3)  # a metric tie counts half


def test_mqm_verdict_cut_scores():
    assert [docs.mqm_verdict(m, 5, 15) for m in (0, 5, 5.01, 15, 15.5)] == [
        "pass", "pass", "warn", "warn", "fail"]
