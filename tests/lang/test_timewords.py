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
