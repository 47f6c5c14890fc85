"""Places named on one side of a segment, for the entity checks: gazetteer look-ups of word n-grams and CJK
names, and CJK countries abbreviated to one character."""

from __future__ import annotations

import functools
import re

from mtqa.checks.kit.spans import SegmentSide
from mtqa.lang import gazetteer
from mtqa.lang.codes import primary
from mtqa.lang.entities import initials
from mtqa.lang.lexicon import CURRENCY_SIGN, CURRENCY_WORD, compass_head, fold, strip_elision, tokens


def side_places(side: SegmentSide, lang: str) -> set[str]:
    """Every place named on a side, from word n-grams (any case) or CJK names: what a rendering may be."""
    keys: set[str] = set()
    for _, text in side.sentences:
        keys |= sentence_places(text, primary(lang))
    return keys


@functools.lru_cache(maxsize=4096)
def sentence_places(text: str, lang: str) -> frozenset[str]:
    """`side_places` of one sentence (several checks ask, for both sides of every segment)."""
    keys: set[str] = set()
    if gazetteer.CJK_SCRIPT.search(text):
        for ks, _, _ in gazetteer.find_cjk_places(text, lang):
            keys |= ks
        keys |= gazetteer.cjk_abbreviated(text)  # 亚欧 (Asia-Europe), 中美
    words = [part for w, _, _ in tokens(text) for part in w.split("-") if part]
    for i, word in enumerate(words):
        # a name starts with a capital where the script has them: German "kann" is no Cannes
        first = word[:1]
        if first.isupper() or (lang != "en" and not first.islower()):
            keys |= gazetteer.lookup_keys(word, lang)
            for n in (2, 3):
                if i + n <= len(words):
                    keys |= gazetteer.lookup_keys(" ".join(words[i : i + n]), lang)
    for w in words:
        keys |= compass_places(w, lang)
    return frozenset(keys)


def compass_places(word: str, lang: str) -> set[str]:
    """The places a compound of a compass prefix names part of (Südrumänien: Romania; mtqa.lang.lexicon
    compass_head), or none."""
    head = compass_head(word, lang)
    return gazetteer.lookup(head, lang) if head else set()


def compass_heads(words: list[str], lang: str) -> list[str]:
    """The folded place names inside the compass compounds among some words (Ostafghanistan:
    afghanistan), to find a place's name on the other side."""
    return [fold(h) for w in words if (h := compass_head(w, lang))]


def place_renamed(word: str, lang: str, other: str, other_lang: str) -> bool | None:
    """How a name's word that is a place is rendered by another word: True when `other` names the same
    place (an exonym: the Milan of Inter Milan is Mailand in German, the Munich of Bayern Munich
    München), False when it names another place only (Bayern Berlin), None when `word` or `other` names
    no place."""
    keys = gazetteer.lookup(word, lang)
    others = gazetteer.lookup(other, other_lang) if keys else set()
    if not others:
        return None
    return bool(keys & others)


def cjk_abbreviated(key: str, text: str, lang: str) -> bool:
    """A country abbreviated to its first character in CJK text: 中方 (the Chinese side), 美军, 俄方."""
    if not key.startswith("c:"):
        return False
    return any(
        re.search(re.escape(n[0]) + "[方军軍籍]", text)
        for n in gazetteer.cjk_names(key, lang)
        if n
    )


@functools.lru_cache(maxsize=1024)
def _place_words(text: str, lang: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    words = [part for w, _, _ in tokens(text) for part in w.split("-") if part]
    for n in (1, 2, 3):
        for i in range(len(words) - n + 1):
            gram = words[i : i + n]
            if gram[0][:1].isupper():
                for w in gram if (keys := gazetteer.lookup(" ".join(gram), lang)) else ():
                    out.setdefault(w, set()).update(keys)
    return {w: frozenset(k) for w, k in out.items()}


def place_words(side: SegmentSide, lang: str) -> dict[str, frozenset[str]]:
    """Each word of a side that is part of a capitalised place name -> the places (El Obeid: El and Obeid;
    Mar del Plata: its three words)."""
    out: dict[str, frozenset[str]] = {}
    for _, text in side.sentences:
        for w, keys in _place_words(text, primary(lang)).items():
            out[w] = out.get(w, frozenset()) | keys
    return out


def names_other_place(word: str, named: dict[str, frozenset[str]], keys: set[str]) -> bool:
    """Whether `word` (d'Alep, ez-Zor: elided and hyphenated parts too) is part of the name of a place
    that is none of `keys`, by `named` (place_words)."""
    parts = strip_elision(word)[0].split("-")
    return any(p in named and named[p].isdisjoint(keys) for p in parts)


def currency_issuer(text: str, start: int, end: int, other: str) -> bool:
    """The name at text[start:end] only says whose currency an amount is in ("1000 долларов США" for
    "$1,000", "US-Dollar"), and the other side gives the amount with a currency sign or word."""
    before = text[max(0, start - 24) : start].split()[-1:]  # the word before the name, or none
    after = text[end : end + 24].lstrip("- ")
    near = any(CURRENCY_WORD.search(w) for w in before) or CURRENCY_WORD.match(after)
    return bool(near) and bool(CURRENCY_SIGN.search(other) or CURRENCY_WORD.search(other))


def place_acronym(keys: set[str], text: str, lang: str) -> bool:
    """An acronym of `text` made of the initials of one of the places' names in `lang` ("DRC" for the
    República Democrática do Congo: the Democratic Republic of the Congo; SA in "the UK-SA Tech Hub" for
    Südafrika)."""
    acronyms = {p for w, _, _ in tokens(text) for p in w.split("-") if 2 <= len(p) <= 6 and p.isalpha()
                and p.isupper()}
    return bool(acronyms) and any(
        initials(name.split(), lang) in acronyms
        for key in keys
        for name in gazetteer.place_names(key, lang)
        if len(name.split()) >= 2
    )
