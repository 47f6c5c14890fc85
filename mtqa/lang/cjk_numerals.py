"""Chinese and Japanese numerals: 一百二十 = 120, 两千五百万 = 25,000,000, 3.5亿 = 350,000,000, and Arabic
digits written between CJK characters (3月5日, 12名), which a word-boundary numeral pattern cannot see."""

from __future__ import annotations

import re
from dataclasses import dataclass

DIGITS = {
    "〇": 0, "零": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "兩": 2, "贰": 2, "三": 3,
    "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8,
    "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}

_NUM_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
# Arabic digits (with separators and decimals, full-width too) optionally followed by 万/亿 multipliers
# (1100多万: "more than" 11 million, 多/余 between the digits and the multiplier), or a run of Chinese
# numeral characters
_PATTERN = re.compile(
    r"(?P<arabic>[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?)"
    r"(?P<mult>(?:[多余餘](?=[万萬亿億兆]))?[万萬亿億兆]*)"
    r"|(?P<han>[" + _NUM_CHARS + r"]+)"
)
# single characters that are numerals only in context: 一 in 一些 (some), 万一 (in case), 千万 (by all means)
_IDIOMS = re.compile(
    r"一些|一直|一起|一样|一定|一般|一切|一旦|一边|一方面|之一|统一|唯一|万一|千万|一致|第一|一下|一点"
)


@dataclass
class CjkNumber:
    value: float
    text: str
    start: int
    end: int


def parse_han(text: str) -> int | None:
    """Value of a run of Chinese numeral characters: 一百二十 -> 120, 十五 -> 15, 两千零五 -> 2005,
    三亿五千万 -> 350000000; a plain digit string (二〇一九 -> 2019) is read digit by digit."""
    if not text:
        return None
    if all(c in DIGITS for c in text):  # 二〇一九: digits in a row
        return int("".join(str(DIGITS[c]) for c in text))
    total, section, digit = 0, 0, None
    for c in text:
        if c in DIGITS:
            digit = DIGITS[c]
        elif c in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[c]
            digit = None
        elif c in BIG_UNITS:
            section += digit or 0
            total += (section or 1) * BIG_UNITS[c]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _ascii_digits(s: str) -> str:
    return s.translate(str.maketrans("０１２３４５６７８９．，", "0123456789.,"))


def find_cjk_numbers(text: str, *, digits: bool = True, numerals: bool = True) -> list[CjkNumber]:
    """Numbers of a Chinese or Japanese text with their values and spans (offsets into `text`): those
    written with digits (3.5亿 included) and / or those written with Chinese numerals (一百二十)."""
    out = []
    idiom_spans = [m.span() for m in _IDIOMS.finditer(text)]
    for m in _PATTERN.finditer(text):
        after, before = text[m.end() : m.end() + 1], text[max(0, m.start() - 2) : m.start()]
        if after == "月" or before.endswith(("星期", "礼拜", "禮拜", "周", "週")):
            continue  # a month (3月) or a weekday (星期三): dates are compared as dates (mtqa.lang.timewords)
        if m.group("arabic"):
            if not digits or re.match(r"[A-Za-z]", text[m.end() : m.end() + 1]) or (
                m.start() and re.match(r"[A-Za-z]", text[m.start() - 1])
            ):
                continue  # M2DT, A380: part of a name
            raw = _ascii_digits(m.group("arabic")).replace(",", "")
            try:
                value = float(raw)
            except ValueError:
                continue
            unit = 1.0
            for c in m.group("mult"):
                unit *= BIG_UNITS.get(c, 1)
            prev = out[-1] if out else None
            if prev is not None and prev.end == m.start() and prev.text[-1:] in BIG_UNITS \
                    and value * unit < BIG_UNITS[prev.text[-1]]:  # 1億2000万: one number
                total = prev.value + value * unit
                out[-1] = CjkNumber(total, text[prev.start : m.end()], prev.start, m.end())
                continue
            out.append(CjkNumber(value * unit, m.group(), m.start(), m.end()))
            continue
        han = m.group("han")
        if not numerals:
            continue
        if any(s <= m.start() < e for s, e in idiom_spans) or all(c in BIG_UNITS for c in han):
            continue
        if len(han) == 1 and han in "一两兩":  # "a" / "a pair of" more often than the number
            continue
        value = parse_han(han.lstrip("零〇"))
        if value is not None:
            out.append(CjkNumber(float(value), han, m.start(), m.end()))
    return out
