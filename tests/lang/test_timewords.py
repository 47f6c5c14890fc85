"""Months, weekdays and relative days in several languages (mtqa.lang.timewords)."""

from __future__ import annotations

from mtqa.lang.timewords import find_time_words


def test_time_words_in_several_languages():
    got = [(t.kind, t.value, t.day) for t in find_time_words("В среду 5 марта, вчера", "ru")]
    assert got == [("weekday", 2, None), ("month", 3, 5), ("relative", -1, None)]
    got = [(t.kind, t.value, t.day) for t in find_time_words("le mardi 1er décembre", "fr")]
    assert got == [("weekday", 1, None), ("month", 12, 1)]
    # "may" the verb is no month, "Morgen" (morning) no relative day
    assert find_time_words("You may go.", "en") == []
    assert find_time_words("Am Morgen regnete es.", "de") == []


def test_numeric_dates_and_abbreviated_months():
    def months(text: str, lang: str) -> list[tuple[int, int | None]]:
        return [(t.value, t.day) for t in find_time_words(text, lang) if t.kind == "month"]

    assert months("Brexit am 31.10. und am 1.5.2020", "de") == [(10, 31), (5, 1)]
    assert months("um 9.30 Uhr, 2.06.737 Fälle", "de") == []  # a clock time, a figure
    assert months("31.10.", "en") == []  # English writes no day.month. dates
    assert months("an Oct. 31 exit, on 31 Oct", "en") == [(10, 31), (10, 31)]
    assert months("Jan said so; Jan 5 Tore", "de") == []  # an abbreviation needs its dot or a day before
