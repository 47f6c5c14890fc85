"""Locale-aware numbers and dates in text: "1 200" = "1,200" = "1.200" (de), "70 %" = "70%",
"1er décembre" = "December 1", "31. August" = "August 31"; written-out small numbers as a fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtqa.lang.cjk_numerals import find_cjk_numbers
from mtqa.lang.codes import HAN_NUMERAL_LANGS, primary
from mtqa.lang.numerals import GLUED_DIGIT_LANGS, KOREAN_MONTH, ascii_digits, decimal_comma

# a figure: grouped by thousands (1 200, 1.200, 1’200), by lakhs (1,00,000; 1.00.000) or not, with
# decimals; an ordinal ending is no unit. {before} and {after} are what may not touch it.
_FIGURE = (
    r"(?<!{before})(\d{{1,3}}(?:[ \u00a0\u202f.,’']\d{{3}})+(?:[.,]\d+)?"
    r"|\d{{1,2}},(?:\d{{2}},)+\d{{3}}(?:\.\d+)?|\d{{1,2}}\.(?:\d{{2}}\.)+\d{{3}}(?:,\d+)?|\d+(?:[.,]\d+)?)(?:\s?(?:er|re|e|ème|st|nd|rd|th|º|ª|°))?(?!{after})"
)
_NUMBER = re.compile(_FIGURE.format(before=r"[\w.,]", after=r"[\w]"))
# in languages that glue words to figures (50명, و300, 2019م) only Latin letters and digits may not touch one
_GLUED_NUMBER = re.compile(_FIGURE.format(before=r"[0-9A-Za-z_.,]", after=r"[0-9A-Za-z_]"))
# lakhs and crores grouped with commas (2,06,737) or, by a decimal-comma language, with dots (2.06.737)
_LAKH = re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?|\d{1,2}(?:\.\d{2})+\.\d{3}(?:,\d+)?")
# a lakh figure that lost its last comma (2,06737 = 2,06,737), in a language with a decimal point
_LAKH_DROPPED = re.compile(r"\d{1,2}(?:,\d{2})*,\d{5}")
# the number of a named series or group written against its capitals: COP13, G20, F16
_CODE_NUMBER = re.compile(r"(?<!\w)[A-Z]{1,5}(\d{1,4})(?!\w|[.,]\d)")
MONTHS: dict[str, list[str]] = {
    "en": [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "de": [
        "januar",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "it": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
}
WORDS: dict[str, list[str]] = {
    "en": [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
    ],
    "fr": [
        "zéro",
        "un",
        "deux",
        "trois",
        "quatre",
        "cinq",
        "six",
        "sept",
        "huit",
        "neuf",
        "dix",
        "onze",
        "douze",
    ],
    "de": [
        "null",
        "eins",
        "zwei",
        "drei",
        "vier",
        "fünf",
        "sechs",
        "sieben",
        "acht",
        "neun",
        "zehn",
        "elf",
        "zwölf",
    ],
    "es": [
        "cero",
        "uno",
        "dos",
        "tres",
        "cuatro",
        "cinco",
        "seis",
        "siete",
        "ocho",
        "nueve",
        "diez",
        "once",
        "doce",
    ],
}
_EXTRA_WORDS = {
    "en": {"a dozen": 12, "dozen": 12},
    "de": {"ein": 1, "eine": 1, "einen": 1, "einem": 1},
    "fr": {"une": 1, "douzaine": 12},
    "es": {"una": 1, "un": 1, "docena": 12},
}

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_GROUPED = re.compile(r"\d{1,3}(?:([ .,']) ?\d{3})+(?:([.,])(\d+))?")
_SEPARATORS = re.compile(r"[ .,']")


def _first_index(names: list[str], base: int) -> dict[str, int]:
    """name -> base + its first position in `names` (list.index as a dict)."""
    out: dict[str, int] = {}
    for i, name in enumerate(names):
        out.setdefault(name, base + i)
    return out


_MONTH_NUMBER = {code: _first_index(names, 1) for code, names in MONTHS.items()}
# a cheap screen: a word whose lower case is a month name leaves that name in the lower-cased text
_ANY_MONTH = {code: re.compile("|".join(map(re.escape, names))) for code, names in MONTHS.items()}
_WORD_VALUE = {code: _first_index(words, 0) for code, words in WORDS.items()}


@dataclass
class Number:
    value: float
    text: str
    start: int  # relative to the text searched
    end: int


def parse_number(raw: str, lang: str) -> float | None:
    """Value of a numeral written the way `lang` writes it."""
    s = ascii_digits(raw).replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    if lakh_figure(s, lang):  # 1,00,000: a lakh
        group = "," if "," in s[1:3] else "."  # the other sign, if any, is the decimal one
        return float(s.replace(group, "").replace(",", "."))
    comma_decimal = decimal_comma(lang)
    groups = _GROUPED.fullmatch(s)
    if groups and groups.group(1) is not None:
        sep = groups.group(1)
        dec = groups.group(2)
        decimal_char = "," if comma_decimal else "."
        if dec is None and sep == decimal_char and s.count(sep) == 1:
            # "1,200" in en is a thousand separator, "1,200" in fr is 1.2 (decimal): trust the locale
            return float(s.replace(sep, ".").replace(" ", ""))
        body = _SEPARATORS.sub("", s[: groups.start(2) if dec else len(s)])
        value = float(body)
        if dec:
            value += float("0." + groups.group(3))
        return value
    try:
        return float(s.replace(",", "."))
    except ValueError:
        return None


def lakh_figure(raw: str, lang: str) -> bool:
    """`raw` is one figure grouped by lakhs and crores: 2,06,737, 2.06.737, or 2,06737 with its last comma
    lost where the decimal sign is a point (not the list 2, 6737)."""
    return bool(_LAKH.fullmatch(raw) or (_LAKH_DROPPED.fullmatch(raw) and not decimal_comma(lang)))


def find_numbers(text: str, lang: str) -> list[Number]:
    """Numerals in `text` with their values and spans (percent signs, ordinals and units ignored); digits
    of any script (٣٠٠, ۲٫۵, ५) are read as well. A Korean month (3월) is a date, not a figure."""
    code = primary(lang)
    if code in HAN_NUMERAL_LANGS:
        return _cjk_numbers(text)
    if not _DIGIT.search(text):  # every numeral has a digit
        return []
    read = ascii_digits(text)  # one character for one: the numeral keeps its own digits
    figures = _GLUED_NUMBER if code in GLUED_DIGIT_LANGS else _NUMBER
    out = []
    for m in [*figures.finditer(read), *_CODE_NUMBER.finditer(read)]:
        if code == "ko" and read[m.end() : m.end() + 2].lstrip().startswith(KOREAN_MONTH):
            continue
        value = parse_number(m.group(1), lang)
        if value is not None:
            out.append(Number(value, text[m.start(1) : m.end(1)], m.start(1), m.end(1)))
    return sorted(out, key=lambda n: n.start)


def _cjk_numbers(text: str) -> list[Number]:
    """Digits between CJK characters (3月5日, 1.74亿): mtqa.lang.cjk_numerals. Numbers written with Chinese
    numerals (一百二十) are written-out numbers (written_numbers): 十分 (very), 一半 (half) are words too."""
    return [Number(n.value, n.text, n.start, n.end) for n in find_cjk_numbers(text, numerals=False)]


def find_months(text: str, lang: str) -> list[tuple[int, int, int]]:
    """(month 1-12, start, end) of month names."""
    code = primary(lang)
    names = _MONTH_NUMBER.get(code)
    if not names or not _ANY_MONTH[code].search(text.lower()):
        return []
    out = []
    for m in _WORD.finditer(text):
        w = m.group().lower()
        if w in names and not (w == "may" and not text[m.start()].isupper()):
            out.append((names[w], m.start(), m.end()))
    return out


def written_numbers(text: str, lang: str) -> list[float]:
    """Values of small numbers written out in words (optional evidence, never flagged by itself)."""
    code = primary(lang)
    if code in HAN_NUMERAL_LANGS:
        return [n.value for n in find_cjk_numbers(text, digits=False)]
    words = _WORD_VALUE.get(code, {})
    extra = _EXTRA_WORDS.get(code, {})
    return [
        float(words[w]) if w in words else float(extra[w])
        for w in _WORD.findall(text.lower())
        if w in words or w in extra
    ]
