"""The alignment family (omission, addition): text the aligner leaves without a counterpart."""

from __future__ import annotations

from mtqa.checks import CheckContext, run_check
from mtqa.report import Segment
from tests.fakes import paragraphs_doc


def test_stray_sentence_merged_across_paragraphs():
    src = [[f"Phrase numéro {k}."] for k in range(4)] + [["La présidente a souligné que tout va bien."]]
    tgt = [[f"Sentence number {k}."] for k in range(3)] + [["Sentence number 3.", "Bikes are allowed."]]
    tgt += [["The president stressed."]]
    s, t = paragraphs_doc(src, "fr"), paragraphs_doc(tgt, "en")
    groups = [([k], [k]) for k in range(4)] + [([4], [4, 5])]
    segs = []
    for k, (si, ti) in enumerate(groups):
        ss, ts = [s.sentences[i] for i in si], [t.sentences[j] for j in ti]
        text = t.text[ts[0].start : ts[-1].end]
        segs.append(
            Segment(k, ss[0].text, text, [x.paragraph for x in ss], [x.paragraph for x in ts], "1-1", 0.9,
                    source_sentences=si, target_sentences=ti, source_start=ss[0].start, source_end=ss[-1].end,
                    target_start=ts[0].start, target_end=ts[-1].end)
        )  # fmt: skip
    ctx = CheckContext(s, t, segs, [])
    (add,) = run_check("addition", ctx)
    assert add.evidence == ["Bikes are allowed."] and add.target_paragraph == 4
    assert t.text[add.target_start : add.target_end] == "Bikes are allowed."
    segs[4].target_sentences, segs[4].target_paragraphs = [5], [5]
    assert run_check("addition", ctx) == []
