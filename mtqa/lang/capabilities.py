"""What mtqa knows of each language: the knowledge of mtqa.lang, kind by kind, and the checks it serves.

`capabilities(lang)` answers, for one language, a frozen `Capabilities` of booleans (`.as_dict()`: the same
as ``dict[str, bool]``), each true when:

* `numerals`: its figures are read, with the decimal and group symbols of CLDR (babel) and its own digits
  (Arabic-Indic ٣٠٠, Persian ۳۰۰, Devanagari ३००: any CLDR numbering system) or Han numerals (一百二十);
* `scale_words`: scale words after a figure are read ("300 ألف", "5 लाख", "20 тысяч", 50만, 3亿);
* `counters`: counters glued to a figure are known (50명, 12人, 5个, 300 نفر);
* `number_words`: numbers written in words and ordinals count as evidence (four, второй, ثلاثة, 두 명, 三);
* `transliteration`: its names are compared with their Latin renderings: written in Latin script, folded
  from Cyrillic or Greek (anyascii), matched by consonant skeletons (Arabic script, Hangul, Devanagari:
  mtqa.lang.translit), or Chinese place names through their pinyin (Japanese readings are not known);
* `ner`: a named-entity model for its people's names is installed and on (mtqa.lang.ner);
* `gazetteer`: its place names are found: CLDR's country names in the language (babel) and GeoNames' city
  names in its script (Latin, Cyrillic and Greek through anyascii, or CJK names);
* `word_lists`: it has its own stop words and name connectors (else English's are lent: mtqa.lang.lexicon).

`CHECK_KNOWLEDGE` names the fields each check needs in a language; `knows(check, lang)` says whether they are
all there, and `known_languages(check)` lists, over `languages()` (every language some table names), those a
check knows, for `mtqa checks --langs`. A check without the knowledge of a language should raise no
major there.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, fields

from mtqa.lang import ner
from mtqa.lang.codes import CJK_LANGS, HAN_NUMERAL_LANGS, primary
from mtqa.lang.gazetteer import LOCAL_SHORT_NAMES
from mtqa.lang.lexicon import CONNECTORS, STOP_WORDS, has_words
from mtqa.lang.numbers import WORDS
from mtqa.lang.numerals import COUNTERS, NUMBER_WORDS, SCALE_WORDS, UNIT_WORDS
from mtqa.lang.translit import TRANSLITERATED

# ISO 15924 scripts whose names anyascii folds to the Latin spellings the similarity of names compares
_FOLDED_SCRIPTS = frozenset({"Latn", "Cyrl", "Grek"})


@dataclass(frozen=True)
class Capabilities:
    """The knowledge mtqa has of one language (see the module's table)."""

    lang: str
    numerals: bool
    scale_words: bool
    counters: bool
    number_words: bool
    transliteration: bool
    ner: bool
    gazetteer: bool
    word_lists: bool

    def as_dict(self) -> dict[str, bool]:
        """The fields as ``{name: bool}`` (the language left out)."""
        return {k: v for k, v in asdict(self).items() if k != "lang"}


#: the fields each check needs in a language (its target language or its source's) to know it
CHECK_KNOWLEDGE: dict[str, tuple[str, ...]] = {
    "number-mismatch": ("numerals", "scale_words"),
    "entity-fidelity": ("transliteration", "gazetteer"),
    "entity-inconsistency": ("transliteration",),
}
#: the kinds of knowledge, in the order of Capabilities
KINDS = tuple(f.name for f in fields(Capabilities) if f.name != "lang")


@functools.lru_cache(maxsize=256)
def script(lang: str) -> str | None:
    """The ISO 15924 script the language is most likely written in ("Arab", "Kore", "Latn"), from CLDR's
    likely subtags (babel); None for a language CLDR does not know."""
    from babel.core import get_global

    likely = get_global("likely_subtags").get(primary(lang))
    parts = likely.split("_") if likely else []
    return parts[1] if len(parts) > 2 else None


@functools.lru_cache(maxsize=256)
def _cldr_territories(lang: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        return bool(Locale.parse(primary(lang)).territories)
    except (UnknownLocaleError, ValueError):
        return False


@functools.lru_cache(maxsize=256)
def capabilities(lang: str) -> Capabilities:
    """What mtqa knows of `lang` (a tag: "ar", "pt-BR"), kind by kind (see the module's table)."""
    code = primary(lang)
    known = script(code) is not None
    folded = script(code) in _FOLDED_SCRIPTS
    return Capabilities(
        lang=code,
        numerals=code in HAN_NUMERAL_LANGS or known,
        scale_words=code in SCALE_WORDS or code in UNIT_WORDS or code in HAN_NUMERAL_LANGS,
        counters=code in COUNTERS,
        number_words=code in NUMBER_WORDS or code in WORDS or code in HAN_NUMERAL_LANGS or code == "ko",
        transliteration=folded or code in TRANSLITERATED or code == "zh",
        ner=ner.available(code),
        gazetteer=_cldr_territories(code) and (folded or code in CJK_LANGS),
        word_lists=has_words(code, STOP_WORDS) and has_words(code, CONNECTORS),
    )


def knows(check: str, lang: str) -> bool:
    """Whether `check` has the knowledge of `lang` it needs (CHECK_KNOWLEDGE; a check not listed there needs
    none of these)."""
    have = capabilities(lang)
    return all(getattr(have, kind) for kind in CHECK_KNOWLEDGE.get(check, ()))


def languages() -> list[str]:
    """Every language some table of mtqa.lang names, sorted."""
    tables = (SCALE_WORDS, UNIT_WORDS, COUNTERS, NUMBER_WORDS, WORDS, STOP_WORDS, LOCAL_SHORT_NAMES)
    return sorted(set().union(*tables, ner.MODELS, TRANSLITERATED, HAN_NUMERAL_LANGS, CJK_LANGS))


def known_languages(check: str) -> list[str]:
    """The languages of `languages()` that `check` knows."""
    return [lang for lang in languages() if knows(check, lang)]
