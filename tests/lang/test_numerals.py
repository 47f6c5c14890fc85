"""Issue 29: the numerals of news languages (mtqa.lang.numerals): digits of every script, CLDR separators,
scale words, Korean units, counters and number words, read into the quantities the number check compares;
and `capabilities`, what mtqa knows of each language."""

from __future__ import annotations

import pytest

from mtqa.lang.capabilities import KINDS, Capabilities, capabilities, known_languages, knows, languages
from mtqa.lang.numbers import find_numbers, parse_number
from mtqa.lang.numerals import (
    ascii_digits,
    counter_after,
    decimal_comma,
    dotted_dates,
    find_dotted_dates,
    lakh_grouping,
    native_numbering,
    number_words,
    separators,
    unit_numbers,
)
from mtqa.lang.quantities import read_quantities, written_values


def readings(text: str, lang: str) -> list[list[float]]:
    return [sorted(q.values) for q in read_quantities(text, lang)]


def test_digits_of_every_script_read_as_ascii():
    assert ascii_digits("٣٠٠ ألف") == "300 ألف"  # Arabic-Indic
    assert ascii_digits("۲٫۵ میلیارد") == "2.5 میلیارد"  # Persian digits, Arabic decimal separator
    assert ascii_digits("१२,३४५") == "12,345"  # Devanagari
    assert ascii_digits("١٢٬٥٠٠ و٪٥") == "12,500 و%5"
    text = "قال إن ٣٠٠ ألف"
    assert len(ascii_digits(text)) == len(text)  # one character for one: offsets hold
    assert ascii_digits("plain 300") == "plain 300"


def test_cldr_numbering_and_separators():
    assert native_numbering("ar") == "arab" and native_numbering("fa") == "arabext"
    assert native_numbering("hi") == "deva" and native_numbering("en") is None
    assert separators("en") == (".", ",") and separators("tr") == (",", ".")
    # the hand-written list of decimal-comma languages CLDR replaced
    for lang in "fr de es it pt nl pl ru tr cs sv da fi ro hu el uk bg hr sl sr ca id vi".split():
        assert decimal_comma(lang), lang
    for lang in "en zh ja ko ar fa hi he th".split():
        assert not decimal_comma(lang), lang
    assert lakh_grouping("hi") and not lakh_grouping("en")
    assert parse_number("1,00,000", "hi") == 100_000 and parse_number("12,34,567.5", "en") == 1_234_567.5


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("أكثر من 300 ألف شخص", "ar", [[300, 300_000]]),
        ("نحو ٣ ملايين لاجئ و5 آلاف طفل", "ar", [[3, 3_000_000], [5, 5_000]]),
        ("بلغت الخسائر 2.5 مليار دولار", "ar", [[2.5, 2_500_000_000]]),
        ("وقتل 12 شخصا و300 جريح", "ar", [[12], [300]]),  # و glued to the figure
        ("۳۰۰ هزار نفر", "fa", [[300, 300_000]]),
        ("۲٫۵ میلیارد دلار", "fa", [[2.5, 2_500_000_000]]),
        ("५ लाख लोग", "hi", [[5, 500_000]]),
        ("2 करोड़ रुपये", "hi", [[2, 20_000_000]]),
        ("10 हज़ार पुलिसकर्मी", "hi", [[10, 10_000]]),
        ("1,00,000 से अधिक", "hi", [[100_000]]),
        ("300 bin kişi", "tr", [[300, 300_000]]),
        ("5 binden fazla", "tr", [[5, 5_000]]),
        ("2,5 milyar lira", "tr", [[2.5, 2_500_000_000]]),
        ("5 bina yıkıldı", "tr", [[5]]),  # bina (building) is no thousand
        ("300 тисяч людей", "uk", [[300, 300_000]]),
        ("2,5 мільярда гривень", "uk", [[2.5, 2_500_000_000]]),
        ("понад 40 тис. осіб", "uk", [[40, 40_000]]),
        ("확진자 50명", "ko", [[50]]),
        ("50만 명", "ko", [[50, 500_000]]),
        ("3조 5천억 원", "ko", [[3_500_000_000_000]]),
        ("1억 2천만 원", "ko", [[120_000_000]]),
        ("3만5000원", "ko", [[35_000]]),
        ("2,500만 달러", "ko", [[2_500, 25_000_000]]),
        ("1億2000万円", "ja", [[120_000_000]]),
        ("新たに50人", "ja", [[50]]),
        ("1亿2000万元", "zh", [[120_000_000]]),
    ],
)
def test_scale_words_units_and_counters(text, lang, expected):
    assert readings(text, lang) == expected


def test_korean_dates_and_ordinals():
    # 3월 (March) is a month, compared as a date; 5일 a day of the month; 제3조 (article 3) no unit number
    qs = read_quantities("2023년 3월 5일 제3조", "ko")
    assert [(q.value, q.kind) for q in qs] == [(2023, "number"), (5, "day"), (3, "number")]
    assert unit_numbers("제3조", "ko") == []
    assert [n.value for n in find_numbers("3월 5일", "ko")] == [5]


def test_counters():
    assert counter_after("50명이", 2, "ko") and counter_after("12人", 2, "ja")
    assert counter_after("5个", 1, "zh")
    assert counter_after("۳۰۰ نفر", 3, "fa") and not counter_after("50 people", 2, "en")


def test_number_words():
    assert number_words("قتل ثلاثة أشخاص", "ar") == [3]
    assert number_words("두 명이 숨지고 세 곳", "ko") == [2, 3]  # native numbers before a counter
    assert number_words("한국", "ko") == []  # 한 (one) inside a word
    assert number_words("пʼять і п'ять", "uk") == [5, 5] and number_words("дві особи", "uk") == [2]
    assert number_words("iki kişi", "tr") == [2]
    assert number_words("पाँच लोग", "hi") == [5]
    assert [sorted(w) for w in written_values("ثلاثة", "ar")] == [[3]]


def test_capabilities():
    ar, ko = capabilities("ar"), capabilities("ko-KR")
    assert isinstance(ar, Capabilities) and ar.lang == "ar" and ko.lang == "ko"
    assert ar.numerals and ar.scale_words and ar.transliteration and not ar.counters
    assert ko.numerals and ko.scale_words and ko.counters and ko.transliteration
    assert set(ar.as_dict()) == set(KINDS) and all(isinstance(v, bool) for v in ar.as_dict().values())
    for lang in ("ar", "fa", "ko", "ja", "hi", "tr", "uk", "en", "fr", "de", "es", "pt", "ru", "zh"):
        have = capabilities(lang)
        assert have.numerals and have.scale_words, lang
        assert knows("number-mismatch", lang) and lang in known_languages("number-mismatch"), lang
    assert capabilities("en").word_lists and not capabilities("ar").word_lists
    assert not any(capabilities("xx").as_dict().values())  # a language nothing knows
    assert knows("some-other-check", "xx")  # a check that needs none of this knowledge
    assert {"ar", "fa", "ko", "ja", "hi", "tr", "uk"} <= set(languages())


def test_dotted_dates_from_cldr():
    assert dotted_dates("de") and dotted_dates("ru") and dotted_dates("sk")
    assert not dotted_dates("en") and not dotted_dates("fr") and not dotted_dates("sv")
    (d,) = find_dotted_dates("am 31.10.2019 um 9.30 Uhr", "de")
    assert (d.day, d.month, d.year) == (31, 10, 2019)
    assert find_dotted_dates("31.10.", "en") == [] and find_dotted_dates("2.06.737 und 32.10.", "de") == []
    got = [(q.text, q.kind) for q in read_quantities("bis zum 31.10.", "de")]
    assert got == [("31", "number"), ("10", "datepart")]
