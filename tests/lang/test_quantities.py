"""Quantities and their possible readings (mtqa.lang.quantities): scale words, decades, clock times,
ordinals."""

from __future__ import annotations

from mtqa.lang.quantities import read_quantities, same_measure, written_values


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


def test_measures_converted_within_their_rounding():
    def measures(text: str, lang: str) -> list[tuple[str, float]]:
        found = [q.measure for q in read_quantities(text, lang)]
        return [(m.dimension, round(m.si, 2)) for m in found if m]

    assert measures("an 8-foot cord", "en") == [("length", 2.44)]
    assert measures("from 5-10 acres", "en") == [("area", 20234.3), ("area", 40468.6)]
    assert measures("von 2 bis 4 Hektar", "de") == [("area", 20000), ("area", 40000)]
    assert measures("above 90 degrees", "en") == [("temperature", 32.22)]

    def same(src: str, tgt: str) -> bool:
        (a,), (b,) = read_quantities(src, "en"), read_quantities(tgt, "de")
        return same_measure(a, b)

    assert same("8 feet", "3 m") and same("8 feet", "2,4 m") and not same("8 feet", "8 m")
    assert not same("1 mile", "1 km") and same("1 mile", "1,6 km")
    assert same("90 degrees", "32 Grad Celsius") and same("90 degrees", "32 °C")
    assert not same("90 degrees", "32 Grad")  # an angle as likely as a temperature
    assert not same("90 degrees", "50 Grad Celsius")


def test_powers_are_one_figure_with_the_reading_a_lost_superscript_leaves():
    (q,) = read_quantities("Googol oder 10 hoch 100", "de")
    assert (q.text, q.value, 10100.0 in q.values) == ("10 hoch 100", 1e100, True)
    assert [q.value for q in read_quantities("10^6 cells, 10¹⁰⁰ atoms", "en")] == [1e6, 1e100]
    assert [q.value for q in read_quantities("von 10 bis 20", "de")] == [10, 20]  # no power word
