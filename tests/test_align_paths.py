"""`mtqa align --split none`: lines are sentences, blank lines still separate paragraphs; the Text+Berg bench
aligns through the same function as the CLI (issue 15)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from mtqa.align import AlignParams, align_embeddings
from mtqa.cli import cli
from mtqa.pipeline import Options, Timer, read_pair, split_pair

ROOT = Path(__file__).resolve().parents[1]
TEXTBERG = ROOT.parent / "shared" / "benchmarks" / "textberg-align"


def _split_none(tmp_path, src_text: str, tgt_text: str):
    (tmp_path / "s.txt").write_text(src_text, encoding="utf-8")
    (tmp_path / "t.txt").write_text(tgt_text, encoding="utf-8")
    opts = Options(src_lang="de", tgt_lang="fr", split=False)
    timer = Timer()
    src, tgt = read_pair(str(tmp_path / "s.txt"), str(tmp_path / "t.txt"), opts, timer)
    split_pair(src, tgt, opts, timer)
    return src, tgt


def test_split_none_keeps_blank_line_paragraphs(tmp_path):
    src_text = "  Erste Zeile. Noch ein Satz. \nZweite Zeile\n\n\nDritte Zeile\r\n   \r\nVierte\n"
    src, _ = _split_none(tmp_path, src_text, "Une ligne\n")
    assert [s.text for s in src.sentences] == [
        "Erste Zeile. Noch ein Satz.",  # one line is one sentence, never split further
        "Zweite Zeile",
        "Dritte Zeile",
        "Vierte",
    ]
    assert [s.paragraph for s in src.sentences] == [1, 1, 2, 3]
    assert [s.index for s in src.sentences] == [0, 1, 2, 3]
    for s in src.sentences:  # offsets point at the stripped line in the document text
        assert src.text[s.start : s.end] == s.text


def test_split_none_lines_of_one_block_form_one_paragraph(tmp_path):
    """A file with one sentence per line and no blank line (vecalign / Text+Berg style) is one paragraph:
    no bead pays the paragraph penalty there."""
    src, tgt = _split_none(tmp_path, "A\nB\nC\n", "a\nb\nc\nd\n")
    assert {s.paragraph for s in src.sentences} == {1}
    assert {s.paragraph for s in tgt.sentences} == {1}
    assert len(src.sentences) == 3 and len(tgt.sentences) == 4


def test_bitext_still_pairs_line_by_line(tmp_path):
    (tmp_path / "s.txt").write_text("Eins.\n\nZwei.\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("Un.\n\nDeux.\n", encoding="utf-8")
    opts = Options(src_lang="de", tgt_lang="fr", bitext=True)
    timer = Timer()
    src, tgt = read_pair(str(tmp_path / "s.txt"), str(tmp_path / "t.txt"), opts, timer)
    split_pair(src, tgt, opts, timer)
    assert [(s.paragraph, s.text) for s in src.sentences] == [(1, "Eins."), (3, "Zwei.")]


def _bench_module():
    spec = importlib.util.spec_from_file_location("align_textberg", ROOT / "bench" / "align_textberg.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.models
@pytest.mark.skipif(not (TEXTBERG / "gold").is_dir(), reason="no ../shared/benchmarks/textberg-align")
def test_textberg_bench_and_cli_give_identical_beads():
    bench = _bench_module()
    src, tgt = TEXTBERG / "de" / "005", TEXTBERG / "fr" / "005"
    beads, src_sents, tgt_sents = bench.align_document(src, tgt, bench.bench_options())
    res = CliRunner().invoke(
        cli,
        ["align", str(src), str(tgt), "--src-lang", "de", "--tgt-lang", "fr", "--split", "none",
         "--format", "pairs"],
    )
    assert res.exit_code == 0, res.output
    cli_beads = bench.read_gold_text(res.output)
    assert cli_beads == beads
    # every line is covered once, in order, on both sides
    assert [i for s, _ in beads for i in s] == list(range(len(src_sents)))
    assert [j for _, t in beads for j in t] == list(range(len(tgt_sents)))
    assert len(src_sents) == len(src.read_text().splitlines())
    # and the alignment is the benchmark's quality, not a degenerate one
    assert bench.score([bench.read_gold(TEXTBERG / "gold" / "005")], [beads])["f1"] > 0.8


def _overlap_embeddings(vectors: np.ndarray) -> list[np.ndarray]:
    """E_k[i]: normalised sum of sentences i..i+k-1 (what a bag-of-sentences encoder would give)."""
    out = []
    for k in (1, 2, 3):
        block = np.stack([vectors[i : i + k].sum(axis=0) for i in range(len(vectors) - k + 1)])
        out.append(block / np.linalg.norm(block, axis=1, keepdims=True))
    return out


def test_paragraph_penalty_fades_when_every_sentence_is_a_paragraph():
    """Source sentences 1 and 2 are translated together by target sentence 1. A real paragraph boundary
    between them (paragraphs of several sentences) vetoes the 2-1 bead under a heavy penalty; the same
    boundary in a document whose every sentence is its own paragraph says nothing and the bead stays."""
    basis = np.eye(16, dtype=np.float32)
    src = basis[[0, 1, 2, 3, 4, 5]]
    tgt = np.stack([basis[0], basis[1] + basis[2], basis[3], basis[4], basis[5]])
    se, te = _overlap_embeddings(src), _overlap_embeddings(tgt)
    params = AlignParams(paragraph_penalty=2.0)
    lens = dict(src_lengths=[20] * 6, tgt_lengths=[20, 40, 20, 20, 20])
    merged = ([1, 2], [1])

    one_each = align_embeddings(se, te, [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5], params, **lens).beads
    assert merged in one_each
    assert one_each == align_embeddings(se, te, None, None, params, **lens).beads

    real_paragraphs = align_embeddings(se, te, [1, 1, 2, 2, 2, 2], [1, 1, 2, 2, 2], params, **lens).beads
    assert merged not in real_paragraphs
    assert any(t == [1] and len(s) == 1 for s, t in real_paragraphs)  # target 1 stays with one sentence


@pytest.mark.models
def test_score_accurate_aligns_as_align_does():
    """`mtqa score` (accurate profile) segments the seed with exactly the beads `mtqa align` prints."""
    from mtqa.pipeline import align_only, run
    from tests.conftest import SEED_EN, SEED_FR

    report = run(str(SEED_FR), str(SEED_EN), Options(profile="accurate"))
    _, _, beads = align_only(str(SEED_FR), str(SEED_EN), Options())
    assert [(seg.source_sentences, seg.target_sentences) for seg in report.segments] == beads
    assert sum(len(s) == len(t) == 1 for s, t in beads) >= 20  # the seed is nearly all 1-1
