"""Quantities and their possible readings (mtqa.lang.quantities): scale words, decades, clock times,
ordinals."""

from __future__ import annotations

from mtqa.lang.quantities import read_quantities, written_values


def test_readings_of_quantities():
    def readings(text: str, lang: str) -> list[list[float]]:
        return [sorted(q.values) for q in read_quantities(text, lang)]

    assert readings("20.3 million", "en") == [[20.3, 20_300_000]]
    assert readings("5 млрд рублей", "ru") == [[5, 5e9]]
    assert readings("11 Mrd. Euro", "de") == [[11, 11e9]]
    assert readings("1100多万 3千万", "zh") == [[11_000_000], [3, 30_000_000]]
    assert readings("in the 1980s", "en") == [[80, 1980]]
    assert readings("post-90s", "en") == [[90, 1990, 2090]]
    assert readings("8 p.m. and 12 a.m.", "en") == [[8, 20], [0, 12]]
    assert readings("[1,1]", "en") == [[1, 1.1], [1]]
    assert [q.kind for q in read_quantities("К 20:00", "ru")] == ["number", "minutes"]
    assert [q.kind for q in read_quantities("比利时卫生部门24日说", "zh")] == ["day"]


def test_written_values_and_ordinals():
    assert [sorted(w) for w in written_values("六成，第二", "zh")] == [[6, 60], [2]]
    assert [sorted(w) for w in written_values("the second and fourth", "en")] == [[2], [4]]
    assert [sorted(w) for w in written_values("второй раз, три дня", "ru")] == [[2], [3]]
