"""Helpers on person and organisation names for the entity checks: the name without its titles, its script,
and whether a translation keeps a name verbatim elsewhere (a name that is not translated)."""

from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz

from mtqa.checks.kit.forms import case_forms
from mtqa.checks.kit.places import place_renamed
from mtqa.lang.lexicon import REGNAL_TITLES, TITLE_WORDS, fold, transliterated

TITLES = {fold(w) for w in TITLE_WORDS}
# a kept name's next word this similar to its counterpart, but not equal and no transliteration of it, is
# misspelt (vowels vary between transliterations: Qaïda / Qaeda; consonants do not)
MISSPELT_RATIO = 75
REGNAL = {fold(w) for w in REGNAL_TITLES}
# articles a capitalised mention may start with at the head of a sentence ("O Presidente Trump")
LEADING = {"the", "a", "o", "os", "as", "el", "los", "la", "las", "le", "les", "il", "lo", "der", "die",
           "das"}


def name_part(text: str) -> str:
    """The name without the titles and articles before it: "O Presidente Trump" -> "Trump"."""
    words = text.split()
    while len(words) > 1 and (fold(words[0]) in TITLES or words[0].lower() in LEADING):
        words = words[1:]
    return " ".join(words)


def script(text: str) -> str:
    """"latin" or "cyrillic" when every letter of text is of that script, else ""."""
    letters = [c for c in text if c.isalpha()]
    if letters and all(c < "\u0250" for c in letters):
        return "latin"
    if letters and all("\u0400" <= c <= "\u04ff" for c in letters):
        return "cyrillic"
    return ""


def titled_surname(text: str, titled: bool, place: bool) -> bool:
    """A one-word name after a title ("Presidente Trump", "ministra Calviño"): a person's surname."""
    return titled and not place and len(name_part(text).split()) == 1


def counterpart_word(prev: str | None, words: list[str], titled: bool) -> str | None:
    """The folded word of the other side that stands where a name word is: the one after the name's
    previous word, or for a titled surname the one after the other side's first title (Mr Dupond for
    M. Dupont; not after a pope's or a monarch's title: Papa Francisco is Pope Francis)."""
    if prev is not None and prev in words:
        after = words.index(prev) + 1
    elif titled and (prev is None or prev in TITLES):
        after = next((j + 1 for j, o in enumerate(words) if o in TITLES), len(words))
        if after < len(words) and words[after - 1] in REGNAL:
            return None
    else:
        return None
    return words[after] if after < len(words) else None


def respelt(word: str, lang: str, other: str, other_lang: str, declining: bool) -> bool:
    """Whether `other`, the folded word of the other side where a name's folded `word` stands, spells the
    name otherwise (Merkel / Merkle, Dupont / Dupond) or names another place (Bayern Munich / Bayern
    Berlin); not a case form (Andersen / Andersens, Москва / Москвы), a transliteration (Qaïda / Qaeda)
    or the place's name in the other language (Inter Milan / Inter Mailand)."""
    if case_forms(word, other, declining):
        return False
    renamed = place_renamed(word, lang, other, other_lang)
    if renamed is not None:
        return not renamed
    close = MISSPELT_RATIO <= fuzz.ratio(word, other) < 100
    return close and not transliterated(word, lang, other, other_lang)


def same_script(a: str, b: str) -> bool:
    """The names (titles aside) are written in one script, Latin or Cyrillic."""
    return script(name_part(a)) == script(name_part(b)) != ""


def _word(name: str) -> str:
    return r"(?<!\w)" + re.escape(name) + r"(?!\w)"


def kept_name_swapped(
    lost: str, new: str, target_text: str, segment: tuple[int, int], texts: list[str]
) -> bool:
    """Names of one script, `lost` from the source segment and `new` in the translation only: a swap when
    the translation writes `lost` verbatim outside this segment (so it keeps that name rather than
    translating it: Stiglitz, Stanford, Mark Carney), `new` is no longer than three words, and no text joins
    the two as one name ("Dilma Rousseff")."""
    a, b = name_part(lost), name_part(new)
    if len(b.split()) > 3 or len(a) < 3 or fold(a) == fold(b):
        return False
    if not same_script(a, b):
        return False
    start, end = segment
    if not any(not start <= m.start() < end for m in re.finditer(_word(a), target_text)):
        return False
    joined = re.compile(f"{_word(a)}\\s+{_word(b)}|{_word(b)}\\s+{_word(a)}")
    return not any(joined.search(t) for t in texts)


def rendered_fewer(name: str, source: str, target: str) -> bool:
    """A name kept verbatim in the translation segment but fewer times than the source segment writes it
    (Stiglitz twice -> Stiglitz once, "Butler" where the second was)."""
    pattern = _word_pattern(name_part(name))
    kept = len(pattern.findall(target))
    return 0 < kept < len(pattern.findall(source))


@functools.lru_cache(maxsize=4096)
def _word_pattern(name: str) -> re.Pattern:
    return re.compile(_word(name))
