"""The dates family (date-mismatch): months, weekdays and relative days that differ, in several languages."""

from __future__ import annotations

import pytest

from tests.fakes import assert_pass_fail, check_spans

# issue 14's pass / fail pairs of this family: (check, source language, source, translation, expected):
# expected None = no issue of that check; else (severity, text of the target span, text of the
# source span or None)
CASES = [
    (
        "date-mismatch",
        "de",
        "Merkel traf am Montag 12 Minister.",
        "Merkel met 12 ministers on Tuesday.",
        ("major", "Tuesday", "Montag"),
    ),
    (
        "date-mismatch",
        "zh",
        "习近平于3月5日会见了马克龙。",
        "Xi Jinping met Macron on 5 May.",
        ("major", "May", "3月5日"),
    ),
    ("date-mismatch", "de", "Merkel traf am Montag 12 Minister.", "Merkel met 12 ministers on Monday.", None),
    ("date-mismatch", "zh", "习近平于3月5日会见了马克龙。", "Xi Jinping met Macron on 5 March.", None),
    # --- dates in more languages -------------------------------------------------------------------------
    (
        "date-mismatch",
        "fr",
        "Le sommet aura lieu mardi à Bruxelles.",
        "The summit will take place on Wednesday in Brussels.",
        ("major", "Wednesday", "mardi"),
    ),
    (
        "date-mismatch",
        "fr",
        "Le sommet aura lieu mardi à Bruxelles.",
        "The summit will be held on Tuesday in Brussels.",
        None,
    ),
    (
        "date-mismatch",
        "ru",
        "Встреча состоится в понедельник.",
        "The meeting will take place on Friday.",
        ("major", "Friday", "понедельник"),
    ),
    ("date-mismatch", "ru", "Встреча состоится в среду.", "The meeting will take place on Wednesday.", None),
    (
        "date-mismatch",
        "ru",
        "Вчера президент выступил с речью.",
        "Tomorrow the president will give a speech.",
        ("major", "Tomorrow", "Вчера"),
    ),
    ("date-mismatch", "ru", "Договор подписали 5 марта.", "The treaty was signed on 5 March.", None),
    (
        "date-mismatch",
        "es",
        "El acuerdo se firmó el 5 de mayo.",
        "The agreement was signed on 5 June.",
        ("major", "June", "mayo"),
    ),
    ("date-mismatch", "es", "El acuerdo se firmó el 5 de mayo.", "The agreement was signed on May 5.", None),
    (
        "date-mismatch",
        "zh",
        "会议将于星期三举行。",
        "The meeting will be held on Thursday.",
        ("major", "Thursday", "星期三"),
    ),
    ("date-mismatch", "zh", "会议将于星期三举行。", "The meeting will be held on Wednesday.", None),
    (
        "date-mismatch",
        "ja",
        "会議は3月5日に開かれた。",
        "The meeting was held on 6 March.",
        ("major", "March", "3月5日"),
    ),
    (
        "date-mismatch",
        "ja",
        "会議は3月5日の火曜日に開かれた。",
        "The meeting was held on Tuesday, 5 March.",
        None,
    ),
    (
        "date-mismatch",
        "pt",
        "A reunião foi na segunda-feira, 3 de outubro.",
        "The meeting was on Monday, 3 October.",
        None,
    ),
    (
        "date-mismatch",
        "pt",
        "A reunião foi na segunda-feira, 3 de outubro.",
        "The meeting was on Monday, 3 November.",
        ("major", "November", "outubro"),
    ),
    # a German numeric date (31.10.) is the date a month name gives; an abbreviated month with its day too
    ("date-mismatch", "de", "Der Austritt ist am 31.10. geplant.", "The exit is due on October 31.", None),
    ("date-mismatch", "de", "Der Austritt ist am 31.10.2019 geplant.", "The exit is due on Oct. 31.", None),
    (
        "date-mismatch",
        "de",
        "Der Austritt ist am 31.10. geplant.",
        "The exit is planned for November 30.",
        ("major", "November", "31.10."),
    ),
]


@pytest.mark.parametrize(("check", "lang", "src", "tgt", "expected"), CASES)
def test_pass_fail_pair(check, lang, src, tgt, expected):
    assert_pass_fail(check, lang, src, tgt, expected)


def test_date_message_names_both_dates():
    (issue, _, _), *_ = check_spans(
        "date-mismatch", "习近平于3月5日会见了马克龙。", "Xi Jinping met Macron on 5 May.", "zh"
    )
    assert "date changed: 5 March → 5 May" in issue.message
    assert issue.type == "date-mismatch"
