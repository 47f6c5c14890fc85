"""The document entity table (mtqa.entity_table)."""

from __future__ import annotations

from mtqa import entity_table
from mtqa.lang import lexicon
from mtqa.report import Segment
from tests import golden_cases as G


def test_entity_table_work_grows_linearly(monkeypatch):
    """Mapping mentions compares a source mention with the mentions of its own segment only: twice the
    document, twice the comparisons."""
    calls = 0
    similarity = lexicon.similarity

    def counting(a: str, b: str) -> float:
        nonlocal calls
        calls += 1
        return similarity(a, b)

    monkeypatch.setattr(entity_table, "similarity", counting)

    def run(n: int) -> int:
        nonlocal calls
        names = [f"Marko Petrovic{k}" for k in range(n)]
        src_sents = [f"Le ministre {x} a parlé avec Anna Kowalska{k}." for k, x in enumerate(names)]
        src = G.make_doc(src_sents, "fr")
        tgt = G.make_doc([f"Minister {x} spoke with Anna Kowalska{k}." for k, x in enumerate(names)], "en")
        segs = [
            Segment(k, "", "", [1], [1], "1-1", 0.9, source_sentences=[k], target_sentences=[k])
            for k in range(n)
        ]
        calls = 0
        entity_table.build_entity_table(src, tgt, segs)
        return calls

    small, large = run(40), run(80)
    assert 0 < small and large <= 2.2 * small
