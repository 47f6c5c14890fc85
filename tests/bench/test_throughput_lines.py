"""bench/throughput.py's documents: every cycle of the WMT lines is distinct sentence by sentence, so no
per-process memo serves a sentence twice and the seg/s figures count work done."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _throughput():
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module("throughput")


def test_every_sentence_of_a_later_cycle_is_marked():
    tp = _throughput()
    line = "Prices rose 3.5% in May. Nobody expected it! Did they?"
    assert tp.mark(line, 0) == line
    assert tp.mark(line, 2) == "[2] Prices rose 3.5% in May. [2] Nobody expected it! [2] Did they?"


def test_cjk_sentences_are_marked_without_spaces_and_figures_stay_whole():
    tp = _throughput()
    assert tp.mark("价格上涨了3.5%。没人预料到！", 1) == "[1] 价格上涨了3.5%。 [1] 没人预料到！"


def test_a_later_cycle_shares_no_sentence_with_the_first():
    tp = _throughput()
    first = "A rise of 2.5 points. Markets fell. Bonds held."
    later = tp.mark(first, 1)
    split = tp._SENTENCE_END.split
    assert not set(split(first)) & set(split(later))
    assert len(split(later)) == len(split(first)) == 3
