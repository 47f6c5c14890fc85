"""Quantities: the numbers of a text with every value a faithful translation may give them.

mtqa.lang.numbers reads a numeral as written ("20.3", "2030万"); a translation often writes the same quantity
another way, so each quantity carries all its readings:

* scale words: "20.3 million" = 20,300,000, "20 тысяч" = 20,000, "11 Mrd." = 11e9, "$5bn" (the plain
  20.3 stays a reading too);
* Chinese 多/余 before 万/亿 (1100多万 = 11,000,000, in mtqa.lang.cjk_numerals), 3千 = 3,000, 六成 = 60 (%);
* decades: "1980s" = "80s" = 80年代 = "années 80" = "80-х" = 90后 ("post-90s");
* clock times: "8 p.m." = 20:00, "20h30"; the ":00" of a clock time is optional;
* "USD11" (a currency code glued to the figure) and "[1,1]" (two numbers in English, not 1.1).

Written-out numbers and ordinals (four, fourth, второй, 第二) are `written_values`: evidence that a
figure is present, never flagged by themselves."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtqa.lang.cjk_numerals import BIG_UNITS, SMALL_UNITS, find_cjk_numbers
from mtqa.lang.codes import HAN_NUMERAL_LANGS, primary
from mtqa.lang.numbers import DECIMAL_COMMA, find_numbers, parse_number, written_numbers


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
    # a measurement in SI units and the unit it was written in: ("length", 4.57, "feet") for 15 feet
    measure: tuple[str, float, str] | None = None


def same_measure(a: Quantity, b: Quantity) -> bool:
    """Two measurements of one dimension within 12% (rounded conversions: 15 feet = 4,5 метра,
    90 °F = 32 °C)."""
    if a.measure is None or b.measure is None or a.measure[0] != b.measure[0]:
        return False
    x, y = a.measure[1], b.measure[1]
    return abs(x - y) <= 0.12 * max(abs(x), abs(y)) + (1.0 if a.measure[0] == "temperature" else 0.0)


def key(value: float) -> float:
    """A value rounded to 9 significant digits, so 1.34 x 10^8 equals 134,000,000."""
    return float(f"{value:.9g}")


# scale words after a figure, per language (regular expressions, lower case)
_SCALES: dict[str, list[tuple[str, float]]] = {
    "en": [
        ("thousands?|k", 1e3), ("lakhs?", 1e5), ("crores?", 1e7), ("millions?|mn|mln|m", 1e6),
        ("billions?|bn|b", 1e9), ("trillions?|tn", 1e12),
    ],
    "de": [
        ("tausend|tsd\\.?", 1e3), ("millionen|million|mio\\.?", 1e6), ("milliarden?|mrd\\.?", 1e9),
        ("billionen|billion", 1e12),
    ],
    "fr": [("mille", 1e3), ("millions?", 1e6), ("milliards?|mds?|mrds?", 1e9), ("billions?", 1e12)],
    "es": [("mil millones", 1e9), ("mil", 1e3), ("millón|millon|millones", 1e6), ("billón|billones", 1e12)],
    "pt": [
        ("mil milhões", 1e9), ("mil", 1e3), ("milhão|milhões|milhao|milhoes|mi", 1e6),
        ("bilhão|bilhões|bilhao|bilhoes|bi", 1e9), ("trilhão|trilhões", 1e12),
    ],
    "it": [("mila", 1e3), ("milion[ei]|mln", 1e6), ("miliard[oi]|mld|mrd", 1e9)],
    "nl": [("duizend", 1e3), ("miljoen|mln", 1e6), ("miljard|mld", 1e9), ("biljoen", 1e12)],
    "ru": [
        ("тыс\\.?|тысяч[аиуейью]*", 1e3), ("млн\\.?|миллион\\w*", 1e6), ("млрд\\.?|миллиард\\w*", 1e9),
        ("трлн\\.?|триллион\\w*", 1e12),
    ],
    "uk": [
        ("тис\\.?|тисяч\\w*", 1e3), ("млн\\.?|мільйон\\w*", 1e6), ("млрд\\.?|мільярд\\w*", 1e9),
        ("трлн\\.?|трильйон\\w*", 1e12),
    ],
    "pl": [("tys\\.?|tysi[ąę]c\\w*", 1e3), ("mln|milion\\w*", 1e6), ("mld|miliard\\w*", 1e9)],
    "cs": [("tis\\.?|tisíc\\w*", 1e3), ("mil\\.|milion\\w*", 1e6), ("mld\\.?|miliard\\w*", 1e9)],
}  # fmt: skip
_SPACE = "[\\s\u00a0\u202f]?"


def _scale_pattern(table: list[tuple[str, float]]) -> re.Pattern[str]:
    alternatives = "|".join(f"(?P<s{i}>{words})" for i, (words, _) in enumerate(table))
    return re.compile(f"{_SPACE}-?(?:{alternatives})(?![^\\W\\d_])", re.IGNORECASE)


_SCALE_PATTERN = {code: _scale_pattern(table) for code, table in _SCALES.items()}

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
    ("°\\s?C|degrees? Celsius|Celsius|Grad|градус\\w*|degrés?|grados?|graus?", "temperature", 1, 0),
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


def _measure(text: str, end: int, value: float, cjk: bool) -> tuple[str, float, str] | None:
    """The figure ending at `end` as a measurement in SI units, when a unit follows it."""
    table, pattern = (_CJK_UNITS, _CJK_UNIT_PATTERN) if cjk else (_UNITS, _UNIT_PATTERN)
    m = pattern.match(text, end)
    if m is None:
        return None
    words, dimension, factor, offset = table[
        next(i for i in range(len(table)) if m.group(f"u{i}") is not None)
    ]
    return dimension, value * factor + offset, words


# a figure with letters glued to it that none of the patterns of mtqa.lang.numbers reads: 5bn, 90s, 20h30
_GLUED = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)(?=(?:bn|mn|tn|k|m|b|s|h|ern)(?:\d{2})?(?![^\W_]))")
# a currency code written against the figure: USD11, RMB7.0
_CURRENCY = re.compile(
    r"(?<![\w$])(?:USD|EUR|GBP|RMB|CNY|JPY|HKD|AUD|CAD|CHF|RUB|INR|KRW|SGD|NZD|BRL)(\d+(?:[.,]\d+)*)"
)
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
        m = _SCALE_PATTERN[c].match(text, end) if c in _SCALE_PATTERN else None
        if m is not None:
            group = next(i for i in range(len(_SCALES[c])) if m.group(f"s{i}") is not None)
            out.add(value * _SCALES[c][group][1])
            break
    fraction = _FRACTION.match(text, end)
    if fraction:  # 2 ½ = 2.5
        out.add(value + _FRACTIONS[fraction.group(1)])
    if _DECADE_AFTER.match(text, end) or _DECADE_BEFORE.search(text[max(0, start - 20) : start]):
        out |= _decades(value)
    if code in DECIMAL_COMMA and re.fullmatch(r"\d{1,3}[,.]\d{3}", text[start:end]):
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
    if code in DECIMAL_COMMA or not _LIST_COMMA.fullmatch(raw):
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
    out = []
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
        kind = _western_kind(text, s, e, raw)
        out.append(Quantity(value, _keys(value, alts), raw, s, e, kind, _measure(text, e, value, cjk=False)))
    return out


def _western_kind(text: str, start: int, end: int, raw: str) -> str:
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


# ordinals and number words mtqa.lang.numbers does not list (regular expressions, whole words, lower case)
_WORD_VALUES: dict[str, list[tuple[str, float]]] = {
    "en": [
        ("first|once", 1), ("second|twice", 2), ("third|thrice", 3), ("fourth", 4), ("fifth", 5),
        ("sixth", 6), ("seventh", 7), ("eighth", 8), ("ninth", 9), ("tenth", 10), ("eleventh", 11),
        ("twelfth", 12), ("twenty", 20), ("thirty", 30), ("forty", 40), ("fifty", 50), ("sixty", 60),
        ("seventy", 70), ("eighty", 80), ("ninety", 90), ("hundred", 100), ("thousand", 1000),
        ("half", 0.5), ("twenties", 1920), ("thirties", 1930), ("forties", 1940), ("fifties", 1950),
        ("sixties", 1960), ("seventies", 1970), ("eighties", 1980), ("nineties", 1990),
    ],
    "de": [
        ("erst\\w*", 1), ("zweit\\w*", 2), ("dritt\\w*", 3), ("viert\\w*", 4), ("fünft\\w*", 5),
        ("sechst\\w*", 6), ("siebt\\w*", 7), ("achte[nrsm]?", 8), ("neunt\\w*", 9), ("zehnt\\w*", 10),
        ("zwanzig", 20), ("dreißig", 30), ("hundert", 100), ("tausend", 1000), ("halbe?[nrsm]?", 0.5),
        ("vierzig", 40), ("fünfzig", 50), ("sechzig", 60), ("siebzig", 70), ("achtzig", 80), ("neunzig", 90),
        ("zwanziger\\w*", 1920), ("dreißiger\\w*", 1930), ("vierziger\\w*", 1940), ("fünfziger\\w*", 1950),
        ("sechziger\\w*", 1960), ("siebziger\\w*", 1970), ("achtziger\\w*", 1980), ("neunziger\\w*", 1990),
        ("anderthalb|eineinhalb", 1.5), ("zweieinhalb", 2.5), ("dreieinhalb", 3.5), ("viereinhalb", 4.5),
    ],
    "fr": [
        ("premi[eè]re?", 1), ("deuxième|second|seconde", 2), ("troisième", 3), ("quatrième", 4),
        ("cinquième", 5), ("sixième", 6), ("septième", 7), ("huitième", 8), ("neuvième", 9),
        ("dixième", 10), ("vingt", 20), ("trente", 30), ("cent", 100), ("mille", 1000), ("demie?", 0.5),
    ],
    "es": [
        ("primer[oa]?", 1), ("segund[oa]", 2), ("tercer[oa]?", 3), ("cuart[oa]", 4), ("quint[oa]", 5),
        ("sext[oa]", 6), ("séptim[oa]", 7), ("octav[oa]", 8), ("noven[oa]", 9), ("décim[oa]", 10),
        ("veinte", 20), ("treinta", 30), ("cien|ciento", 100), ("mil", 1000), ("medi[oa]", 0.5),
    ],
    "pt": [
        ("um|uma|primeir[oa]", 1), ("dois|duas|segund[oa]", 2), ("três|terceir[oa]", 3),
        ("quatro|quart[oa]", 4), ("cinco|quint[oa]", 5), ("seis|sext[oa]", 6), ("sete|sétim[oa]", 7),
        ("oito|oitav[oa]", 8), ("nove|non[oa]", 9), ("dez|décim[oa]", 10), ("vinte", 20), ("trinta", 30),
        ("cem|cento", 100), ("mil", 1000), ("mei[oa]", 0.5),
    ],
    "it": [
        ("uno|una|prim[oa]", 1), ("due|second[oa]", 2), ("tre|terz[oa]", 3), ("quattro|quart[oa]", 4),
        ("cinque|quint[oa]", 5), ("sei|sest[oa]", 6), ("sette", 7), ("otto", 8), ("nove", 9),
        ("dieci|decim[oa]", 10), ("venti", 20), ("trenta", 30), ("cento", 100), ("mille", 1000),
    ],
    "ru": [
        ("од(?:ин|на|но|ного|ной|ному|ним|ном|ну)|перв\\w*", 1), ("дв(?:а|е|ух|ум|умя)|втор\\w*", 2),
        ("тр(?:и|[её]х|[её]м|емя)|трет\\w*", 3), ("четыр\\w*|четв[её]рт\\w*", 4), ("пят[иьы]\\w*", 5),
        ("шест[иьо]\\w*", 6), ("сем(?:ь|и|ью)|седьм\\w*", 7), ("восем\\w*|восьм\\w*", 8),
        ("девят\\w*", 9), ("десят[иьо]\\w*|десятк\\w*", 10), ("одиннадцат\\w*", 11),
        ("двенадцат\\w*", 12), ("двадцат\\w*", 20), ("тридцат\\w*", 30), ("сорок\\w*", 40),
        ("пятьдесят|пятидесят\\w*", 50), ("сто|сотн\\w*", 100), ("тысяч\\w*", 1000),
        ("полтор\\w*", 1.5), ("половин\\w*", 0.5),
    ],
}  # fmt: skip
_WORD_PATTERN = {
    code: re.compile(
        "(?<![^\\W\\d_])(?:"
        + "|".join(f"(?P<w{i}>{words})" for i, (words, _) in enumerate(table))
        + ")(?![^\\W\\d_])",
        re.IGNORECASE,
    )
    for code, table in _WORD_VALUES.items()
}


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
    pattern = _WORD_PATTERN.get(code)
    if pattern is not None:
        table = _WORD_VALUES[code]
        for m in pattern.finditer(text):
            group = next(i for i in range(len(table)) if m.group(f"w{i}") is not None)
            value = table[group][1]
            out.append(_keys(value, _decades(value) if value > 1900 else set()))  # the nineties: 1990 = 90
    return out
