"""Quantities: the numbers of a text with every value a faithful translation may give them.

mtqa.lang.numbers reads a numeral as written ("20.3", "2030万"); a translation often writes the same quantity
another way, so each quantity carries all its readings:

* scale words: "20.3 million" = 20,300,000, "20 тысяч" = 20,000, "11 Mrd." = 11e9, "$5bn" (the plain
  20.3 stays a reading too);
* Chinese 多/余 before 万/亿 (1100多万 = 11,000,000, in mtqa.lang.cjk_numerals), 3千 = 3,000, 六成 = 60 (%);
* decades: "1980s" = "80s" = 80年代 = "années 80" = "80-х" = 90后 ("post-90s");
* clock times: "8 p.m." = 20:00, "20h30"; the ":00" of a clock time is optional;
* "USD11" (a currency code glued to the figure) and "[1,1]" (two numbers in English, not 1.1);
* powers: "10 hoch 100" = "10^100" = 1e100, and also "10100", what a lost superscript leaves of 10¹⁰⁰.

Written-out numbers and ordinals (four, fourth, второй, 第二) are `written_values`: evidence that a
figure is present, never flagged by themselves."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from mtqa.lang.cjk_numerals import BIG_UNITS, SMALL_UNITS, find_cjk_numbers
from mtqa.lang.codes import HAN_NUMERAL_LANGS, primary
from mtqa.lang.numbers import find_numbers, lakh_figure, parse_number, written_numbers
from mtqa.lang.numerals import (
    KOREAN_DAY,
    DottedDate,
    ascii_digits,
    counter_after,
    decimal_comma,
    find_dotted_dates,
    number_words,
    scale_after,
    unit_numbers,
)


class Measure(NamedTuple):
    """A figure with a unit, in SI units: Measure("length", 2.44, "feet|...", 0.15) for an 8-foot cord."""

    dimension: str
    si: float
    unit: str  # the words of its unit in the table of units
    spread: float  # half a unit of the figure's last digit, in SI: what rounding may have moved


@dataclass(frozen=True)
class Quantity:
    value: float  # the plain reading
    values: frozenset[float]  # every acceptable reading, normalised with `key` (the plain one included)
    text: str
    start: int  # offsets into the text searched
    end: int
    # "day" (24日: a day of the month), "minutes" (the 00 of 20:00), "decade" (the 1990s), "label" (a
    # figure in a name: G-20, COVID-19), "datepart" (9/11)
    kind: str = "number"
    # a measurement in SI units and the unit it was written in: 15 feet = Measure("length", 4.57, ...)
    measure: Measure | None = None


def same_measure(a: Quantity, b: Quantity) -> bool:
    """Two measurements of one dimension within 12% (rounded conversions: 15 feet = 4,5 метра,
    90 °F = 32 °C), or as far apart as the rounding of both figures allows, up to 25% (an 8-foot cord =
    a 3 m one: 7.5 to 8.5 feet and 2.5 to 3.5 m meet). English "degrees" alone is read as Fahrenheit only
    against a temperature said to be Celsius (180 degrees = 82 Grad is an angle)."""
    if a.measure is None or b.measure is None or a.measure.dimension != b.measure.dimension:
        return False
    units = {a.measure.unit, b.measure.unit}
    if _DEGREES in units and len(units) > 1 and _CELSIUS not in units:
        return False
    x, y = a.measure.si, b.measure.si
    gap, size = abs(x - y), max(abs(x), abs(y))
    if gap <= 0.12 * size + (1.0 if a.measure.dimension == "temperature" else 0.0):
        return True
    return gap <= a.measure.spread + b.measure.spread and gap <= 0.25 * size


def unconverted(a: Quantity, b: Quantity) -> bool:
    """The same figure in two units of one dimension that are not the same measure: a conversion left
    undone (an 8-foot cord as an 8 m one). English "degrees" alone may be Celsius: 30 degrees = 30 Grad."""
    if a.measure is None or b.measure is None or a.measure.dimension != b.measure.dimension:
        return False
    if a.measure.unit == b.measure.unit or _DEGREES in (a.measure.unit, b.measure.unit):
        return False
    return not same_measure(a, b)


def key(value: float) -> float:
    """A value rounded to 9 significant digits, so 1.34 x 10^8 equals 134,000,000."""
    return float(f"{value:.9g}")


_SPACE = "[\\s\u00a0\u202f]?"
# a temperature said to be Celsius; English "degrees" alone, in news most often Fahrenheit
_CELSIUS = "°\\s?C|degrees? Celsius|Celsius|Grad Celsius|градус\\w* (?:по )?Цельси\\w*|degrés? Celsius"
_DEGREES = "degrees?"

# units of measurement after a figure (any language): (words, dimension, factor to SI, offset)
_UNITS: list[tuple[str, str, float, float]] = [
    ("mph|miles? (?:per|an) hour", "speed", 0.44704, 0),
    ("km/h|км/ч|kmh|kilomet(?:er|re)s? (?:per|an) hour|Stundenkilometer|километр\\w* в час", "speed",
     1 / 3.6, 0),
    ("square miles?|sq\\.? ?mi", "area", 2.59e6, 0),
    ("square kilomet\\w*|km²|km2|Quadratkilometer\\w*|кв\\.? ?км|квадратн\\w* километр\\w*", "area", 1e6, 0),
    ("square (?:feet|foot)|sq\\.? ?ft", "area", 0.0929, 0),
    ("square met\\w*|m²|Quadratmeter\\w*|кв\\.? ?м|квадратн\\w* метр\\w*", "area", 1, 0),
    ("acres?|Acres?|акр\\w*", "area", 4046.86, 0),
    ("hectares?|ha|Hektar\\w*|hect[áa]reas?|ettari|гектар\\w*|га", "area", 1e4, 0),
    ("°\\s?F|degrees? Fahrenheit|Fahrenheit|градус\\w* по Фаренгейту", "temperature", 5 / 9, -160 / 9),
    (_CELSIUS, "temperature", 1, 0),
    (_DEGREES, "temperature", 5 / 9, -160 / 9),
    ("Grad|градус\\w*|degrés?|grados?|graus?", "temperature", 1, 0),  # degrees in Celsius countries
    ("nautical miles?|Seemeilen?|морск\\w* мил\\w*", "length", 1852, 0),
    ("miles?|mi|Meilen?|милях|миль|мили|милю|milles?|millas?|milhas?|miglia", "length", 1609.34, 0),
    ("feet|foot|ft|Fuß|футов|фута|фут|pieds?|pies|pés", "length", 0.3048, 0),
    ("inch(?:es)?|Zoll|дюйм\\w*|pouces?|pulgadas?|polegadas?", "length", 0.0254, 0),
    ("yards?|yd|ярд\\w*", "length", 0.9144, 0),
    ("km|kilomet(?:er|re)s?|Kilometer[n]?|kilom[eè]tres?|kil[óô]metros?|quil[ôo]metros?|chilometri"
     "|километр\\w*|км", "length", 1000, 0),
    ("cm|centimet\\w*|Zentimeter[n]?|сантиметр\\w*|см", "length", 0.01, 0),
    ("mm|millimet\\w*|Millimeter[n]?|миллиметр\\w*|мм", "length", 0.001, 0),
    ("m|meters?|metres?|Meter[n]?|m[eè]tres?|metros?|metri|метр\\w*|м", "length", 1, 0),
    ("pounds?|lbs?|Pfund|фунт\\w*|livres?|libras?", "mass", 0.45359, 0),
    ("ounces?|oz|Unzen?|унци\\w*", "mass", 0.02835, 0),
    ("kg|kilo(?:gram(?:me)?s?)?|Kilogramm|килограмм\\w*|кг", "mass", 1, 0),
    ("tonnes?|tons?|Tonnen?|тонн\\w*|toneladas?", "mass", 1000, 0),
    ("gallons?|Gallonen?|галлон\\w*|galones|gal[õo]es", "volume", 3.785, 0),
    ("lit(?:er|re)s?|Liter[n]?|litros?|litri|литр\\w*|л", "volume", 1, 0),
]  # fmt: skip
_CJK_UNITS: list[tuple[str, str, float, float]] = [
    ("平方公里|平方千米", "area", 1e6, 0), ("平方米", "area", 1, 0), ("公顷", "area", 1e4, 0),
    ("英亩", "area", 4046.86, 0), ("摄氏度", "temperature", 1, 0), ("华氏度", "temperature", 5 / 9, -160 / 9),
    ("公里|千米", "length", 1000, 0), ("厘米|公分", "length", 0.01, 0), ("毫米", "length", 0.001, 0),
    ("英里", "length", 1609.34, 0), ("英尺", "length", 0.3048, 0), ("米", "length", 1, 0),
    ("公斤|千克", "mass", 1, 0), ("吨", "mass", 1000, 0), ("磅", "mass", 0.45359, 0), ("升", "volume", 1, 0),
]  # fmt: skip


def _unit_pattern(table: list[tuple[str, str, float, float]], boundary: str) -> re.Pattern[str]:
    alternatives = "|".join(f"(?P<u{i}>{words}){boundary}" for i, (words, *_) in enumerate(table))
    return re.compile(f"{_SPACE}-?(?:{alternatives})", re.IGNORECASE)


_UNIT_PATTERN = _unit_pattern(_UNITS, "(?![^\\W\\d_])")
_CJK_UNIT_PATTERN = _unit_pattern(_CJK_UNITS, "")


def _measure(text: str, end: int, value: float, cjk: bool) -> Measure | None:
    """The figure `value` as a measurement in SI units, when a unit follows at `end`."""
    table, pattern = (_CJK_UNITS, _CJK_UNIT_PATTERN) if cjk else (_UNITS, _UNIT_PATTERN)
    m = pattern.match(text, end)
    if m is None:
        return None
    words, dimension, factor, offset = table[
        next(i for i in range(len(table)) if m.group(f"u{i}") is not None)
    ]
    return Measure(dimension, value * factor + offset, words, _last_digit(value) / 2 * factor)


def _last_digit(value: float) -> float:
    """The place of a figure's last digit: 1 for 8 and 250, 0.1 for 2.5."""
    place = 1.0
    while abs(round(value / place) * place - value) > 1e-9 * max(1.0, abs(value)) and place > 1e-6:
        place /= 10
    return place


# two figures of a range sharing the unit after the second: "5-10 acres", "2 bis 4 Hektar"
_RANGE_JOIN = re.compile(r"\s?[-–—]\s?|\s(?:to|and|or|bis|und|oder|à|et|a|y|e|до|и)\s", re.IGNORECASE)


def _share_range_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """The first figure of a range takes the unit written after the second."""
    out = list(found)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        if first.measure is None and second.measure is not None and _RANGE_JOIN.fullmatch(
            text, first.end, second.start
        ):
            out[i] = replace(first, measure=_measure(text, second.end, first.value, cjk=False))
    return out


# a figure with letters glued to it that none of the patterns of mtqa.lang.numbers reads: 5bn, 90s, 20h30
_GLUED = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)(?=(?:bn|mn|tn|k|m|b|s|h|ern)(?:\d{2})?(?![^\W_]))")
# a currency code written against the figure: USD11, RMB7.0
_CURRENCY = re.compile(
    r"(?<![\w$])(?:USD|EUR|GBP|RMB|CNY|JPY|HKD|AUD|CAD|CHF|RUB|INR|KRW|SGD|NZD|BRL)(\d+(?:[.,]\d+)*)"
)
# a power, "10^100", "10 hoch 100", "10¹⁰⁰": one figure (the exponent is no number of its own)
_POWER = re.compile(
    r"(?<![\w.,])(\d+)(?:\s?(?:\^|\*\*)\s?|\s(?:to the power of|hoch|puissance|elevado al?|в степени)\s"
    r"|(?=[⁰¹²³⁴⁵⁶⁷⁸⁹]))(\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)(?!\d)", re.IGNORECASE)
_ANY_DIGIT = re.compile(r"\d")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_DECADE_AFTER = re.compile(r"['’]?s(?![^\W\d_])|ern?(?![^\W\d_])|-?[хе](?![^\W\d_])", re.IGNORECASE)
_DECADE_BEFORE = re.compile(
    r"(?:ann[ée]es|años|anos|anni|jaren|década de|decade of the)\s+['’]?$", re.IGNORECASE
)
_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}
_FRACTION = re.compile(r"[\s\u00a0]?([½¼¾⅓⅔])")
_LABEL = re.compile(r"(?<![\w-])[A-Z][A-Za-z]{0,5}-?$")  # G-20, G20, COP13, COVID-19, F-16
_CLOCK_12 = re.compile(r"(?::\d{2})?\s?([ap])\.?\s?m\b\.?", re.IGNORECASE)
_DOTTED_CLOCK = re.compile(r"([01]?\d|2[0-4])[.:](\d{2})")
_CLOCK_WORD = re.compile(r"\s?(?:Uhr|h|hrs|godz|heures?|ч|час\w*)(?![^\W\d_])", re.IGNORECASE)
_HOUR_H = re.compile(r"h(\d{2})?(?![^\W\d_])")
# "[1,1]" in a language writing a decimal point: two numbers, not 1.1
_LIST_COMMA = re.compile(r"\d+(?:,\d{1,2}|,\d{4,})+")
# 成 after a Chinese figure is tenths (六成 = 60%) unless it starts a word: 成为 (become), 成功 ...
_TENTHS = re.compile(r"成(?![为為功立员員绩績本果就长長熟型交年人])")
_CJK_SMALL = re.compile("([" + "".join(SMALL_UNITS) + "]+)([" + "".join(BIG_UNITS) + "]*)")


def _decades(value: float) -> set[float]:
    """A decade written with 2 or 4 digits: 80 = 1980 (and 2080), 1980 = 80."""
    if value != int(value) or value % 10:
        return set()
    if 0 <= value <= 90:
        return {1900 + value, 2000 + value}
    if 1800 <= value <= 2090:
        return {value % 100}
    return set()


def _western_alternatives(text: str, start: int, end: int, value: float, code: str) -> set[float]:
    """The readings a figure at text[start:end] takes from the words around it."""
    out: set[float] = set()
    for c in dict.fromkeys((code, "en")):  # the language's scale words, then "5bn", "USD11 billion"
        factor = scale_after(text, end, c)
        if factor is not None:
            out.add(value * factor)
            break
    fraction = _FRACTION.match(text, end)
    if fraction:  # 2 ½ = 2.5
        out.add(value + _FRACTIONS[fraction.group(1)])
    if _DECADE_AFTER.match(text, end) or _DECADE_BEFORE.search(text[max(0, start - 20) : start]):
        out |= _decades(value)
    if decimal_comma(code) and re.fullmatch(r"\d{1,3}[,.]\d{3}", text[start:end]):
        out.add(float(re.sub(r"\D", "", text[start:end])))  # 10,000 copied in English style: ten thousand
    clock = _CLOCK_12.match(text, end)
    if clock and 1 <= value <= 12 and value == int(value) and text[start - 1 : start] != ":":
        if clock.group(1).lower() == "p" and value < 12:
            out.add(value + 12)
        elif clock.group(1).lower() == "a" and value == 12:
            out.add(0.0)
    return out


def _split_list(raw: str, start: int, code: str) -> list[tuple[float, str, int]]:
    """ "1,1" in English: the numbers 1 and 1 (the first also keeps the reading 1.1)."""
    if decimal_comma(code) or not _LIST_COMMA.fullmatch(raw) or lakh_figure(raw, code):
        return []
    out, pos = [], start
    for part in raw.split(","):
        out.append((float(part), part, pos))
        pos += len(part) + 1
    return out


def read_quantities(text: str, lang: str) -> list[Quantity]:
    """The figures of `text` (digits: written-out numbers are `written_values`) with their readings."""
    code = primary(lang)
    if code in HAN_NUMERAL_LANGS:
        return _cjk_quantities(text)
    if not _ANY_DIGIT.search(text):  # every figure below has a digit (of any script)
        return []
    text = ascii_digits(text)  # ٣٠٠ = 300, one character for one
    found: list[tuple[float, str, int, int, set[float]]] = []
    for n in find_numbers(text, lang):
        parts = _split_list(n.text, n.start, code)
        if parts:
            found += [(v, raw, s, s + len(raw), set()) for v, raw, s in parts]
            found[-len(parts)] = (*found[-len(parts)][:4], {n.value})
        else:
            found.append((n.value, n.text, n.start, n.end, set()))
    for pattern in (_GLUED, _CURRENCY):  # these win over a figure read inside them ("1" of £1.5bn)
        for m in pattern.finditer(text):
            s, e = m.span(1)
            value = parse_number(m.group(1), lang)
            if value is not None:
                found = [f for f in found if not (f[2] < e and s < f[3])]
                found.append((value, m.group(1), s, e, set()))
    for m in _POWER.finditer(text):
        base, exponent = m.group(1), m.group(2).translate(_SUPERSCRIPT)
        found = [f for f in found if not (f[2] < m.end() and m.start() < f[3])]
        power = float(base) ** min(int(exponent), 300)  # 10^400 stays a float
        found.append((power, m.group(0), m.start(), m.end(), {float(base + exponent)}))
    for plain, total, s, e in unit_numbers(text, lang):  # 50만, 1억 2천만 (Korean)
        found = [f for f in found if not (f[2] < e and s < f[3])]
        found.append((plain, text[s:e], s, e, {total}))
    dates = find_dotted_dates(text, code)  # 31.10.: a day and a month, not 31.1
    found = [f for f in found if not any(d.start < f[3] and f[2] < d.end for d in dates)]
    out = [q for d in dates for q in _date_quantities(text, d)]
    for value, raw, s, e, alts in sorted(found, key=lambda f: f[2]):
        clock = _DOTTED_CLOCK.fullmatch(raw) if _CLOCK_WORD.match(text, e) else None
        hour = _HOUR_H.match(text, e)
        if clock:  # 18.19 Uhr: the hour and its minutes
            hour_end, minutes = s + clock.end(1), clock.group(2)
            out.append(
                Quantity(
                    float(clock.group(1)), _keys(float(clock.group(1)), set()), clock.group(1), s, hour_end
                )
            )
            out.append(
                Quantity(float(minutes), _keys(float(minutes), set()), minutes, e - 2, e, _minutes(minutes))
            )
            continue
        alts |= _western_alternatives(text, s, e, value, code)
        if hour and value <= 24 and hour.group(1):  # 20h30: the hour and its minutes
            out.append(Quantity(value, _keys(value, alts), raw, s, e))
            ms, me = hour.span(1)
            minutes = hour.group(1)
            out.append(
                Quantity(float(minutes), _keys(float(minutes), set()), minutes, ms, me, _minutes(minutes))
            )
            continue
        kind = _western_kind(text, s, e, raw, code)
        out.append(Quantity(value, _keys(value, alts), raw, s, e, kind, _measure(text, e, value, cjk=False)))
    return _share_range_units(text, sorted(out, key=lambda q: q.start))


def _date_quantities(text: str, date: DottedDate) -> list[Quantity]:
    """The figures of a numeric date: its day, its month (a "datepart": the other side may name it) and
    its year."""
    parts = [(date.day, date.day_span, "number"), (date.month, date.month_span, "datepart")]
    if date.year is not None and date.year_span is not None:
        parts.append((date.year, date.year_span, "number"))
    return [
        Quantity(float(v), _keys(float(v), set()), text[s:e], s, e, kind) for v, (s, e), kind in parts
    ]


def _western_kind(text: str, start: int, end: int, raw: str, code: str) -> str:
    if counter_after(text, end, code):
        return "number"  # 50명, 300 نفر: a count
    if code == "ko" and text[end : end + 1] == KOREAN_DAY:
        return "day"  # 5일: the day of the month
    if raw == "00" and text[start - 1 : start] in (":", ".", "h"):
        return "minutes"
    if _LABEL.search(text, max(0, start - 8), start):
        return "label"
    if "/" in (text[start - 1 : start], text[end : end + 1]) and len(raw) <= 2:
        return "datepart"  # 9/11, 3/5/2020: a month may be told by its name
    decade_mark = _DECADE_AFTER.match(text, end) or _DECADE_BEFORE.search(text[max(0, start - 20) : start])
    return "decade" if decade_mark and raw.isdigit() and _decades(float(raw)) else "number"


def _minutes(minutes: str) -> str:
    """The minutes of a clock time: ":00" is optional (8 p.m. = 20:00)."""
    return "minutes" if minutes == "00" else "number"


def _keys(value: float, alts: set[float]) -> frozenset[float]:
    return frozenset(key(v) for v in {value, *alts})


def _cjk_alternatives(text: str, start: int, end: int, value: float, han: bool) -> set[float]:
    """Readings of a Chinese or Japanese figure from the characters after it: 3千 = 3000, 六成 = 60,
    80年代 = the 1980s, 90后 = the post-90s generation."""
    out: set[float] = set()
    after = text[end : end + 3]
    small = _CJK_SMALL.match(after)
    if small and not han:  # 3千, 5百万 (a run of Chinese numerals reads its own units)
        factor = 1.0
        for c in small.group(1):
            factor *= SMALL_UNITS[c]
        for c in small.group(2):
            factor *= BIG_UNITS[c]
        out.add(value * factor)
    if _TENTHS.match(after):
        out.add(value * 10)
    if after.startswith("年代"):
        out |= _decades(value)
    elif after[:1] in ("后", "後") and end - start == 2 and value == int(value):  # 90后, 85后
        out |= {1900 + value, 2000 + value}
    return out


def _cjk_quantities(text: str) -> list[Quantity]:
    out = []
    for n in find_cjk_numbers(text, numerals=False):
        alts = _cjk_alternatives(text, n.start, n.end, n.value, han=False)
        day = text[n.end : n.end + 1] in ("日", "号", "號") and 1 <= n.value <= 31
        decade = _decades(n.value) and (
            text[n.end : n.end + 2] == "年代" or text[n.end : n.end + 1] in ("后", "後")
        )
        kind = "day" if day else "decade" if decade else "number"
        measure = _measure(text, n.end, n.value, cjk=True)
        out.append(Quantity(n.value, _keys(n.value, alts), n.text, n.start, n.end, kind, measure))
    return out


def written_values(text: str, lang: str) -> list[frozenset[float]]:
    """The readings of each number written out in words or as an ordinal (four, fourth, второй, 六成):
    evidence that a figure is present, never flagged by itself."""
    code = primary(lang)
    if code in HAN_NUMERAL_LANGS:
        return [
            _keys(n.value, _cjk_alternatives(text, n.start, n.end, n.value, han=True))
            for n in find_cjk_numbers(text, digits=False)
        ]
    out = [_keys(v, set()) for v in written_numbers(text, lang)]
    # the nineties: 1990 = 90
    return out + [_keys(v, _decades(v) if v > 1900 else set()) for v in number_words(text, lang)]
