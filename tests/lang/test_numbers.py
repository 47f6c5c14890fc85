"""Numbers as each language writes them (mtqa.lang.numbers) and Chinese numerals (mtqa.lang.cjk_numerals)."""

from __future__ import annotations

from mtqa.lang.cjk_numerals import parse_han
from mtqa.lang.numbers import find_months, find_numbers, lakh_figure, parse_number, written_numbers


def test_numbers_locale():
    assert parse_number("1 200", "fr") == 1200 and parse_number("1,200", "en") == 1200
    assert parse_number("1.200", "de") == 1200 and parse_number("2,5", "fr") == 2.5
    assert parse_number("1.234,5", "de") == 1234.5
    assert [n.value for n in find_numbers("le 1er décembre, 70 % et 400 000 personnes", "fr")] == [
        1,
        70,
        400000,
    ]
    assert [n.value for n in find_numbers("on December 1, 70% and 400,000 people", "en")] == [1, 70, 400000]
    assert find_months("le 1er décembre", "fr")[0][0] == 12


def test_lakh_grouping():
    assert parse_number("2,06,737", "en") == parse_number("2.06.737", "de") == 206_737
    assert parse_number("2,06737", "en") == 206_737  # a lakh figure that lost its last comma
    assert parse_number("2,06737", "de") == 2.06737  # a decimal comma
    assert parse_number("2.06.737,5", "de") == 206_737.5
    assert [n.text for n in find_numbers("insgesamt 2.06.737 Fälle", "de")] == ["2.06.737"]
    assert lakh_figure("2,06737", "en")
    assert not lakh_figure("1,1", "en") and not lakh_figure("2019,2020", "en")


def test_chinese_numerals_read():
    assert parse_han("一百二十") == 120
    assert parse_han("两千零五") == 2005
    assert parse_han("三亿五千万") == 350_000_000
    assert parse_han("二〇一九") == 2019
    text = "一百二十名士兵在3月5日抵达，花费3.5亿元。"
    assert [n.value for n in find_numbers(text, "zh")] == [5, 350_000_000]  # 3月 is a month: a date
    assert written_numbers(text, "zh") == [120]  # Chinese numerals count as written-out numbers
