"""How each language writes its figures: the digits, separators, scale words, counters and number words
that mtqa.lang.numbers and mtqa.lang.quantities read.

* digits: every script's decimal digits read as ASCII (Arabic-Indic ٣٠٠, Persian ۳۰۰, Devanagari ३००),
  with the Arabic decimal and group separators (٫ ٬); babel's CLDR data tells each language's native
  numbering system, its decimal and group symbols and its grouping (1,00,000 in Hindi);
* scale words after a figure: "300 ألف" = 300,000, "5 लाख" = 500,000, "300 bin", "2,5 мільярда";
  Korean writes its scale as units glued to the figure, several in a row: 1억 2천만 = 120,000,000;
* counters glued to a figure (50명, 50人, 3个): a count, not part of a code or a date;
* number words and ordinals (four, второй, ثلاثة, 두 명): evidence that a figure is present, never flagged
  by themselves."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from mtqa.lang.codes import primary

# Arabic decimal separator, thousands separator and percent sign, read as their ASCII counterparts
_ARABIC_SIGNS = {0x066B: ".", 0x066C: ",", 0x066A: "%"}
# a character ascii_digits changes: a non-ASCII decimal digit or an Arabic sign
_DIGIT = re.compile(r"\d")
_FOREIGN_DIGIT = re.compile(r"(?![0-9])\d|[\u066a-\u066c]")

#: languages whose figures are glued to the words around them: 50명 (50 people), و300 (and 300), 2019م
GLUED_DIGIT_LANGS = frozenset({"ko", "ar", "fa", "ur", "ps", "hi", "mr", "ne"})


@functools.lru_cache(maxsize=1)
def _digit_table() -> dict[int, str]:
    table = {c: str(unicodedata.digit(chr(c))) for c in range(0x80, 0x10000)
             if unicodedata.category(chr(c)) == "Nd"}
    return {**table, **_ARABIC_SIGNS}


def ascii_digits(text: str) -> str:
    """`text` with the decimal digits of every script as ASCII digits (٣٠٠ -> 300, ۲٫۵ -> 2.5, ५ -> 5) and
    the Arabic separators and percent sign as ASCII ones: one character for one, so offsets hold."""
    if text.isascii() or not _FOREIGN_DIGIT.search(text):
        return text
    return text.translate(_digit_table())


@functools.lru_cache(maxsize=256)
def _locale(lang: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(primary(lang))
    except (UnknownLocaleError, ValueError):
        return None


def native_numbering(lang: str) -> str | None:
    """The CLDR numbering system of the language's own digits when they are not Latin ("arab" for Arabic,
    "arabext" for Persian, "deva" for Hindi), from babel; None for a language written with 0-9."""
    loc = _locale(lang)
    native = loc.other_numbering_systems.get("native") if loc is not None else None
    return native if native and native != "latn" else None


def separators(lang: str) -> tuple[str, str]:
    """(decimal symbol, group symbol) of figures written with Latin digits in `lang` (CLDR, babel):
    ("." , ",") in English, ("," , ".") in German, ("," , NBSP) in Ukrainian."""
    loc = _locale(lang)
    if loc is None:
        return ".", ","
    symbols = loc.number_symbols.get("latn", {})
    return symbols.get("decimal", "."), symbols.get("group", ",")


@functools.lru_cache(maxsize=256)
def decimal_comma(lang: str) -> bool:
    """The language writes a decimal comma (2,5) and groups thousands with '.', a space or NBSP (CLDR)."""
    return separators(lang)[0] == ","


@functools.lru_cache(maxsize=256)
def lakh_grouping(lang: str) -> bool:
    """The language groups digits by lakh and crore (1,00,000; CLDR pattern #,##,##0): Hindi, Bengali ..."""
    loc = _locale(lang)
    return loc is not None and loc.decimal_formats[None].grouping == (3, 2)


@functools.lru_cache(maxsize=256)
def dotted_dates(lang: str) -> bool:
    """The language writes a date as day.month. (31.10., 31.10.2019): so starts its CLDR short date."""
    loc = _locale(lang)
    return loc is not None and bool(re.match(r"d{1,2}\. ?M{1,2}\.", loc.date_formats["short"].pattern))


class DottedDate(NamedTuple):
    day: int
    month: int
    year: int | None
    start: int  # the whole date, offsets into the text searched
    end: int
    day_span: tuple[int, int]
    month_span: tuple[int, int]
    year_span: tuple[int, int] | None


# 31.10., 31.10.2019, 31. 10. (Slovak, Croatian): not a clock time (9.30 Uhr), not in a longer figure
_DOTTED_DATE = re.compile(
    r"(?<![\d.,])(\d{1,2})\.[ \u00a0]?(\d{1,2})\.(?:[ \u00a0]?(\d{4}|\d{2})(?![\d.,]\d))?(?!\d|\s?Uhr)"
)


def find_dotted_dates(text: str, lang: str) -> list[DottedDate]:
    """Numeric dates of a language writing day.month. (German 31.10. = 31 October); none in others."""
    if not dotted_dates(lang) or not _DIGIT.search(text):
        return []
    out = []
    for m in _DOTTED_DATE.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            year, year_span = (int(m.group(3)), m.span(3)) if m.group(3) else (None, None)
            out.append(DottedDate(day, month, year, m.start(), m.end(), m.span(1), m.span(2), year_span))
    return out


_HARAKAT = "[\u064b-\u0652]*"  # Arabic vowel marks (tanwin after ألفا)
_NUKTA = "\u093c?"

#: scale words after a figure, per language (regular expressions, matched case-insensitively)
SCALE_WORDS: dict[str, list[tuple[str, float]]] = {
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
    # ألف / آلاف / ألفًا (thousand), مليون / ملايين, مليار / مليارات, and the Maghreb's بليون
    "ar": [
        (f"[أاآ]لف{_HARAKAT}ا?{_HARAKAT}|[آا]لاف", 1e3), (f"مليون{_HARAKAT}ا?{_HARAKAT}|ملايين", 1e6),
        (f"مليار{_HARAKAT}(?:ا|ات)?{_HARAKAT}|بليون", 1e9), ("تريليون|ترليون", 1e12),
    ],
    "fa": [("هزار", 1e3), ("میلیون|ميليون", 1e6), ("میلیارد|ميليارد", 1e9), ("تریلیون|تريليون", 1e12)],
    "hi": [
        (f"हज{_NUKTA}ार|ह\u095bार", 1e3), ("लाख", 1e5), ("मिलियन", 1e6), (f"करो(?:ड{_NUKTA}|\u095c)", 1e7),
        ("अरब|बिलियन", 1e9), ("खरब", 1e11),
    ],
    # bin with its case endings (binden fazla: more than a thousand), never bina (building)
    "tr": [("bin(?:i|e|de|den|in|le|lerce)?", 1e3), ("milyon\\w*", 1e6), ("milyar\\w*", 1e9),
           ("trilyon\\w*", 1e12)],
}  # fmt: skip
# Korean units glued to a figure, several in a row (3천만 = 30,000,000; 1억 2천만 = 120,000,000)
UNIT_WORDS: dict[str, dict[str, float]] = {"ko": {"백": 1e2, "천": 1e3, "만": 1e4, "억": 1e8, "조": 1e12}}

#: counters glued to a figure (or after it) that make it a count: 50명 (people), 3개, 12人, 5个, 300 نفر
COUNTERS: dict[str, tuple[str, ...]] = {
    "ko": ("명", "개국", "개", "건", "곳", "가구", "채", "대", "척", "마리", "차례", "번",
           "세", "살", "편", "종"),
    "ja": ("人", "名", "件", "個", "台", "隻", "匹", "頭", "棟", "回", "歳", "社", "校",
           "機", "カ国", "か国", "ヵ国", "ヶ国"),
    "zh": ("个", "個", "人", "名", "件", "位", "家", "座", "辆", "艘", "架", "次", "岁",
           "只", "头", "栋", "所", "起", "例"),
    "fa": ("نفر",),
}  # fmt: skip
# a Korean figure followed by 월 is a month (3월 = March), by 일 a day of the month (5일): dates are the
# date check's, as 3月 is in Chinese
KOREAN_MONTH, KOREAN_DAY = "월", "일"
# Korean native numbers before a counter: 두 명 (two people), 세 곳 (three places)
_KOREAN_NATIVE = {
    "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10,
    "스무": 20,
}  # fmt: skip

# ordinals and number words (regular expressions, whole words, lower case)
NUMBER_WORDS: dict[str, list[tuple[str, float]]] = {
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
    "uk": [
        ("од(?:ин|на|не|ного|нієї|ному|ним|ній|ну)|перш\\w*", 1), ("дв(?:а|і|ох|ом|ома)|друг\\w*", 2),
        ("тр(?:и|ьох|ьом|ьома)|трет\\w*", 3), ("чотир\\w*|четверт\\w*", 4), ("п['’ʼ]ят\\w*", 5),
        ("шість|шести\\w*|шост\\w*", 6), ("сім|семи\\w*|сьом\\w*", 7), ("вісім|восьми\\w*|восьм\\w*", 8),
        ("дев['’ʼ]ят\\w*", 9), ("десят\\w*", 10), ("двадцят\\w*", 20), ("сто|сотн\\w*", 100),
        ("тисяч\\w*", 1000), ("півтор\\w*", 1.5), ("половин\\w*", 0.5),
    ],
    "tr": [
        ("iki|ikinci", 2), ("üç|üçüncü", 3), ("dört|dördüncü", 4), ("beş|beşinci", 5), ("altı|altıncı", 6),
        ("yedi|yedinci", 7), ("sekiz|sekizinci", 8), ("dokuz|dokuzuncu", 9), ("on|onuncu", 10),
        ("yirmi", 20), ("otuz", 30), ("yüz", 100), ("bin", 1000), ("ilk|birinci", 1), ("yarım", 0.5),
    ],
    "ar": [
        ("واحد|واحدة|الأول|الأولى", 1), ("اثنان|اثنين|اثنتان|اثنتين|الثاني|الثانية", 2),
        ("ثلاث|ثلاثة|الثالث|الثالثة", 3), ("أربع|أربعة|الرابع|الرابعة", 4), ("خمس|خمسة|الخامس|الخامسة", 5),
        ("ست|ستة|السادس|السادسة", 6), ("سبع|سبعة|السابع|السابعة", 7), ("ثماني|ثمانية|الثامن|الثامنة", 8),
        ("تسع|تسعة|التاسع|التاسعة", 9), ("عشر|عشرة|العاشر|العاشرة", 10), ("عشرين|عشرون", 20),
        ("مئة|مائة", 100), ("ألف|الف", 1000), ("مليون", 1e6), ("نصف", 0.5),
    ],
    "fa": [
        ("یک|يک|اول|نخست", 1), ("دو|دوم", 2), ("سه|سوم", 3), ("چهار|چهارم", 4), ("پنج|پنجم", 5),
        ("شش|ششم", 6), ("هفت|هفتم", 7), ("هشت|هشتم", 8), ("ده|دهم", 10), ("بیست", 20), ("صد", 100),
        ("هزار", 1000), ("میلیون", 1e6), ("نیم", 0.5),
    ],
    "hi": [
        ("एक|पहल[ाीे]", 1), ("दो|दूसर[ाीे]", 2), ("तीन|तीसर[ाीे]", 3), ("चार|चौथ[ाीे]", 4),
        ("पा[ंँ]च|पांचव[ाीे]|पाँचव[ाीे]", 5), ("छह|छः", 6), ("सात", 7), ("आठ", 8), ("नौ", 9), ("दस", 10),
        ("बीस", 20), ("सौ", 100), (f"हज{_NUKTA}ार|ह\u095bार", 1000), ("लाख", 1e5), ("आधा|आधी", 0.5),
    ],
}  # fmt: skip


@functools.lru_cache(maxsize=64)
def scale_pattern(lang: str) -> re.Pattern[str] | None:
    """The scale words of `lang` after a figure (an optional space and hyphen before them); group s<i> is
    SCALE_WORDS[lang][i]. None for a language without a table."""
    table = SCALE_WORDS.get(primary(lang))
    if table is None:
        return None
    alternatives = "|".join(f"(?P<s{i}>{words})" for i, (words, _) in enumerate(table))
    return re.compile(f"[\\s\u00a0\u202f]?-?(?:{alternatives})(?![^\\W\\d_])", re.IGNORECASE)


def scale_after(text: str, end: int, lang: str) -> float | None:
    """The factor of the scale word right after a figure that ends at `end` ("300 ألف": 1000), or None."""
    pattern = scale_pattern(lang)
    m = pattern.match(text, end) if pattern is not None else None
    if m is None:
        return None
    table = SCALE_WORDS[primary(lang)]
    return next(table[i][1] for i in range(len(table)) if m.group(f"s{i}") is not None)


@functools.lru_cache(maxsize=8)
def _unit_pattern(lang: str) -> re.Pattern[str]:
    units = "".join(UNIT_WORDS[lang])
    return re.compile(f"(?<![\\d.,])(\\d{{1,3}}(?:,\\d{{3}})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)\\s?([{units}]*)")


def unit_numbers(text: str, lang: str) -> list[tuple[float, float, int, int]]:
    """Figures written with units glued to them, several parts in a row (Korean: 50만 = 500,000,
    1억 2천만 = 120,000,000, 3만5000 = 35,000): (plain figure of a one-part number or the total, the total,
    start, end), for figures with at least one unit. 제3조 (article 3) is no number of units."""
    units = UNIT_WORDS.get(primary(lang))
    if not units or not any(u in text for u in units):
        return []
    out: list[list] = []  # [plain, total, start, end, smallest unit of the last part, parts]
    for m in _unit_pattern(primary(lang)).finditer(text):
        if m.start() and text[m.start() - 1] == "제":
            continue  # 제3조: an ordinal (article 3)
        value = float(m.group(1).replace(",", ""))
        factor = 1.0
        for u in m.group(2):
            factor *= units[u]
        end = m.end() if factor > 1 else m.end(1)
        prev = out[-1] if out else None
        gap = text[prev[3] : m.start()] if prev is not None else "-"
        # a smaller part after a larger one: 1억 2천만, 3만5000 (a part without units only glued on)
        if prev is not None and value * factor < prev[4] and (gap == "" or (factor > 1 and not gap.strip())):
            prev[1] += value * factor
            prev[3], prev[4], prev[5] = end, factor, prev[5] + 1
        elif factor > 1:
            out.append([value, value * factor, m.start(1), end, factor, 1])
    return [(plain if parts == 1 else total, total, s, e) for plain, total, s, e, _, parts in out]


def counter_after(text: str, end: int, lang: str) -> bool:
    """A counter follows the figure ending at `end` (50명, 12人, 300 نفر): it counts things."""
    counters = COUNTERS.get(primary(lang))
    return bool(counters) and text[end : end + 6].lstrip().startswith(counters)


@functools.lru_cache(maxsize=64)
def _word_pattern(lang: str) -> re.Pattern[str] | None:
    table = NUMBER_WORDS.get(lang)
    if table is None:
        return None
    alternatives = "|".join(f"(?P<w{i}>{words})" for i, (words, _) in enumerate(table))
    return re.compile(f"(?<![^\\W\\d_])(?:{alternatives})(?![^\\W\\d_])", re.IGNORECASE)


_KOREAN_COUNTED = re.compile(
    "(?<![가-힣])(" + "|".join(_KOREAN_NATIVE) + ")\\s?(?=" + "|".join(COUNTERS["ko"]) + ")"
)


def number_words(text: str, lang: str) -> list[float]:
    """The values of the ordinals and number words of `text` (four, fourth, второй, ثلاثة, पाँच, and Korean
    native numbers before a counter: 두 명)."""
    code = primary(lang)
    if code == "ko":
        return [float(_KOREAN_NATIVE[m.group(1)]) for m in _KOREAN_COUNTED.finditer(text)]
    pattern = _word_pattern(code)
    if pattern is None:
        return []
    table = NUMBER_WORDS[code]
    out = []
    for m in pattern.finditer(text):
        out.append(float(next(table[i][1] for i in range(len(table)) if m.group(f"w{i}") is not None)))
    return out
