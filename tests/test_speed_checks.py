"""The shortcuts of issue 28 keep their results: a segment's mentions from the index by sentence, the
sentence head on one BLAS thread, one sentencepiece processor, the memoised gazetteer look-up."""

from __future__ import annotations

import numpy as np

from mtqa.checks import CheckContext
from mtqa.lang import gazetteer
from mtqa.lang.entities import extract_mentions
from tests import golden_cases as G


def test_mentions_in_equals_filtering_the_document():
    doc = G.split_doc(G.ROOT / "seeds" / "idlib-2019-12-01.fr.txt", "fr")
    ctx = CheckContext(doc, doc, [])
    every = extract_mentions(doc)
    for wanted in ([0], [3, 1], list(range(len(doc.sentences))), [], [10_000]):
        assert ctx.mentions_in(doc, wanted) == [m for m in every if m.sentence in set(wanted)]


def test_sentence_head_on_one_thread_is_the_same():
    from mtqa.encoders.use_static import StaticUSE
    from mtqa.encoders.usem3 import SMALL_BATCH, _head, sentence_head

    model = StaticUSE()
    texts = [s for s in G.sentences()][: SMALL_BATCH + 20]
    sums, lens, last = model._sums(model.pieces(texts))
    small = sentence_head(model, sums[:7] + model._ends, lens[:7] + 2)  # one BLAS thread
    assert np.array_equal(small, _head(model, sums[:7] + model._ends, lens[:7] + 2))
    whole = sentence_head(model, sums + model._ends, lens + 2)  # over SMALL_BATCH: BLAS's threads
    assert np.allclose(whole[:7], small, atol=1e-6)


def test_one_sentencepiece_processor_per_process():
    from mtqa.encoders.usem3 import sentencepiece

    assert sentencepiece() is sentencepiece()


def test_lookup_returns_a_fresh_set():
    found = gazetteer.lookup("Moscou", "fr")
    found.add("x:mutated")
    assert "x:mutated" not in gazetteer.lookup("Moscou", "fr")
    assert gazetteer.lookup("Moscou", "fr") == gazetteer.lookup("Moscow", "en")
