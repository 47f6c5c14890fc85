"""Dates and time words in text, in every language CLDR knows: month names with their day ("5 May",
"May 5th", "le 1er décembre", "5. Mai", "5 марта", "3月5日"), weekdays (mardi, Dienstag, вторник, 星期二,
火曜日) and relative days (yesterday, demain, вчера, 明天).

Month and weekday names come from babel's CLDR data (wide names, format and stand-alone forms); words of
languages that decline them (Russian "марта", "в среду") are matched by their stem. Relative days are a
small table here."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass

from mtqa.lang.codes import CJK_LANGS, primary
from mtqa.lang.numerals import find_dotted_dates

# languages that inflect month and weekday names: match by stem
INFLECTING = {
    "ru",
    "uk",
    "be",
    "pl",
    "cs",
    "sk",
    "sl",
    "hr",
    "sr",
    "bs",
    "bg",
    "mk",
    "lt",
    "lv",
    "fi",
    "et",
    "hu",
}
# languages whose month names double as ordinary words unless capitalised (May, March)
_CAPITAL_ONLY = {"en": {"may", "march"}}
RELATIVE_DAYS: dict[str, dict[str, int]] = {
    "en": {"yesterday": -1, "today": 0, "tomorrow": 1},
    "fr": {"hier": -1, "avant-hier": -2, "aujourd'hui": 0, "aujourd’hui": 0, "demain": 1, "après-demain": 2},
    "de": {"gestern": -1, "vorgestern": -2, "heute": 0, "morgen": 1, "übermorgen": 2},
    "es": {"ayer": -1, "anteayer": -2, "anoche": -1, "hoy": 0, "mañana": 1},
    "pt": {"ontem": -1, "anteontem": -2, "hoje": 0, "amanhã": 1},
    "it": {"ieri": -1, "l'altroieri": -2, "oggi": 0, "domani": 1, "dopodomani": 2},
    "nl": {"gisteren": -1, "vandaag": 0, "morgen": 1, "overmorgen": 2},
    "ru": {"вчера": -1, "позавчера": -2, "сегодня": 0, "завтра": 1, "послезавтра": 2},
    "uk": {"вчора": -1, "сьогодні": 0, "завтра": 1},
    "pl": {"wczoraj": -1, "dzisiaj": 0, "dziś": 0, "jutro": 1},
    "zh": {"昨天": -1, "昨日": -1, "前天": -2, "今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2},
    "ja": {"昨日": -1, "一昨日": -2, "今日": 0, "明日": 1, "明後日": 2},
}
# inflected forms a stem of three letters or more cannot catch (май / мая / мае)
EXTRA_FORMS: dict[str, dict[str, tuple[str, int]]] = {
    "ru": {"мае": ("month", 5), "мая": ("month", 5), "май": ("month", 5)},
    "uk": {"травні": ("month", 5)},
}
_HAN_NUM = "〇零一二三四五六七八九十两"
_CJK_DATE = re.compile(
    r"(?P<month>[0-9０-９]{1,2}|["
    + _HAN_NUM
    + r"]{1,3})\s*月\s*(?:(?P<day>[0-9０-９]{1,2}|["
    + _HAN_NUM
    + r"]{1,3})\s*[日号號])?"
)
_ZH_WEEKDAY = re.compile(r"(?:星期|礼拜|禮拜|周|週)([一二三四五六日天])")
_ZH_WEEKDAY_VALUE = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_JA_WEEKDAY = re.compile(r"([月火水木金土日])曜日?")
_JA_WEEKDAY_VALUE = {"月": 0, "火": 1, "水": 2, "木": 3, "金": 4, "土": 5, "日": 6}
_KO_WEEKDAY = re.compile(r"([월화수목금토일])요일")
_KO_WEEKDAY_VALUE = {"월": 0, "화": 1, "수": 2, "목": 3, "금": 4, "토": 5, "일": 6}
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_DAY_BEFORE = re.compile(r"(?<![\d.,])(\d{1,2})(?:er|re|e|st|nd|rd|th|º|ª|-?го|\.)?\s*(?:de |of |d')?\s*$")
_DAY_AFTER = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th|º)?(?![\d.,]\d|\s*(?:%|h\b|:))")


@dataclass(frozen=True)
class TimeWord:
    kind: str  # "month", "weekday" or "relative"
    value: int  # month 1-12, weekday 0-6 (Monday 0), relative day offset (yesterday -1)
    start: int  # offsets into the text searched
    end: int
    day: int | None = None  # the day of the month written with a month

    def describe(self) -> str:
        """English wording for messages: "5 March", "Tuesday", "tomorrow"."""
        if self.kind == "month":
            name = month_name(self.value)
            return f"{self.day} {name}" if self.day else name
        if self.kind == "weekday":
            return weekday_name(self.value)
        return {-2: "the day before yesterday", -1: "yesterday", 0: "today", 1: "tomorrow"}.get(
            self.value, f"{self.value:+d} days"
        )


def month_name(month: int) -> str:
    return _names("en")[0][month]


def weekday_name(day: int) -> str:
    return _names("en")[1][day]


@functools.lru_cache(maxsize=64)
def _names(lang: str) -> tuple[dict[int, str], dict[int, str]]:
    from babel import Locale

    loc = Locale.parse(lang)
    return dict(loc.months["format"]["wide"]), dict(loc.days["format"]["wide"])


@functools.lru_cache(maxsize=64)
def lexicon(lang: str) -> tuple[dict[str, tuple[str, int]], dict[str, tuple[str, int]]]:
    """(exact forms, stems) -> (kind, value) of a language's month and weekday names, lower case; empty
    for a language CLDR does not know."""
    from babel import Locale, UnknownLocaleError

    try:
        loc = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return {}, {}
    exact: dict[str, tuple[str, int]] = {}
    stems: dict[str, tuple[str, int]] = {}
    for kind, table in (("month", loc.months), ("weekday", loc.days)):
        forms: dict[int, set[str]] = {}
        for context in ("format", "stand-alone"):
            for value, name in table.get(context, {}).get("wide", {}).items():
                forms.setdefault(value, set()).add(name.lower())
        for value, names in forms.items():
            for name in names:
                exact[name] = (kind, value)
            if lang in INFLECTING:
                stem = os.path.commonprefix(sorted(names))
                if len(stem) == min(len(n) for n in names) and len(stem) > 4:
                    stem = stem[:-1]
                if len(stem) >= 3:
                    stems[stem] = (kind, value)
    return exact, stems


@functools.lru_cache(maxsize=64)
def _month_abbreviations(lang: str) -> dict[str, int]:
    """Month names cut to 3 or 4 letters (Oct, Sept, Okt), lower case -> month: read only with a day."""
    exact, _ = lexicon(lang)
    out: dict[str, int] = {}
    for name, (kind, value) in exact.items():
        if kind == "month":
            for size in (3, 4):
                if len(name) > size:
                    out.setdefault(name[:size], value)
    return out


def _day_near(text: str, start: int, end: int) -> int | None:
    m = _DAY_BEFORE.search(text[max(0, start - 12) : start])
    if m is None:
        m = _DAY_AFTER.match(text[end : end + 8])
    if m is None:
        return None
    day = int(m.group(1))
    return day if 1 <= day <= 31 else None


def _cjk_int(s: str) -> int | None:
    from mtqa.lang.cjk_numerals import parse_han

    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return int(s) if s.isdigit() else parse_han(s)


def find_time_words(text: str, lang: str) -> list[TimeWord]:
    """Months (with their day), weekdays and relative days of `text`, in text order."""
    code = primary(lang)
    out: list[TimeWord] = []
    if code in CJK_LANGS:
        for m in _CJK_DATE.finditer(text):
            month = _cjk_int(m.group("month"))
            if month is None or not 1 <= month <= 12:
                continue
            day = _cjk_int(m.group("day")) if m.group("day") else None
            out.append(TimeWord("month", month, m.start(), m.end(), day if day and 1 <= day <= 31 else None))
        pattern, values = {
            "zh": (_ZH_WEEKDAY, _ZH_WEEKDAY_VALUE), "ja": (_JA_WEEKDAY, _JA_WEEKDAY_VALUE),
            "ko": (_KO_WEEKDAY, _KO_WEEKDAY_VALUE),
        }[code]  # fmt: skip
        for m in pattern.finditer(text):
            out.append(TimeWord("weekday", values[m.group(1)], m.start(), m.end()))
        for word, offset in RELATIVE_DAYS.get(code, {}).items():
            for m in re.finditer(re.escape(word), text):
                if code == "ja" and word == "昨日" and text[max(0, m.start() - 1) : m.start()] == "一":
                    continue
                out.append(TimeWord("relative", offset, m.start(), m.end()))
        return sorted(out, key=lambda t: t.start)
    exact, stems = lexicon(code)
    exact = {**exact, **EXTRA_FORMS.get(code, {})}
    abbreviations = {} if stems else _month_abbreviations(code)
    # 31.10. (German): the 31st of October
    out += [TimeWord("month", d.month, d.start, d.end, d.day) for d in find_dotted_dates(text, code)]
    relative = RELATIVE_DAYS.get(code, {})
    capital_only = _CAPITAL_ONLY.get(code, set())
    for m in _WORD.finditer(text):
        word = m.group()
        low = word.lower()
        hit = exact.get(low)
        if hit is None and stems:
            hit = next((v for s, v in stems.items() if low.startswith(s) and len(low) - len(s) <= 3), None)
        if hit is not None:
            if low in capital_only and not word[0].isupper():
                continue
            kind, value = hit
            day = _day_near(text, m.start(), m.end()) if kind == "month" else None
            out.append(TimeWord(kind, value, m.start(), m.end(), day))
        elif low in abbreviations and word[0].isupper():
            dot = text[m.end() : m.end() + 1] == "."
            day = _day_near(text, m.start(), m.end() + dot)
            # "Oct. 31", "31 Oct": a month; "Jan" alone, or "Jan 5 Tore", may be a name
            if day is not None and (dot or _DAY_BEFORE.search(text[max(0, m.start() - 12) : m.start()])):
                out.append(TimeWord("month", abbreviations[low], m.start(), m.end() + dot, day))
        elif low in relative:
            if code == "de" and word == "Morgen":  # der Morgen: the morning
                continue
            if (
                code == "es"
                and low == "mañana"
                and re.search(r"(?:la|esta|por)\s+$", text[: m.start()], re.I)
            ):
                continue  # la mañana: the morning
            out.append(TimeWord("relative", relative[low], m.start(), m.end()))
    return sorted(out, key=lambda t: t.start)
