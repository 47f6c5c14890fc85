"""Language codes and detection (lingua ships its models inside the package)."""

from __future__ import annotations

import re
from functools import lru_cache

from mtqa.errors import MtqaError
from mtqa.lang.codes import primary
from mtqa.lang.lexicon import FUNCTION_WORDS, STOP_WORDS, has_words, tokens


@lru_cache(maxsize=1)
def _iso_codes() -> dict[str, object]:
    from lingua import Language

    return {lang.iso_code_639_1.name.lower(): lang for lang in Language.all()}


@lru_cache(maxsize=1)
def _iso3_to_iso1() -> dict[str, str]:
    from lingua import Language

    return {lang.iso_code_639_3.name.lower(): lang.iso_code_639_1.name.lower() for lang in Language.all()}


def normalize_lang(code: str) -> str:
    """Validate a BCP-47 code and return it in canonical case: 'EN_us' -> 'en-US', 'zh-hant' -> 'zh-Hant';
    an ISO 639-3 code lingua knows becomes its two-letter form ('fra' -> 'fr')."""
    raw = code.strip().replace("_", "-")
    primary, sep, rest = raw.partition("-")
    primary = primary.lower()
    primary = _iso3_to_iso1().get(primary, primary) if len(primary) == 3 else primary
    subtags = rest.split("-") if sep else []
    if (primary not in _iso_codes() and primary not in _EXTRA_CODES) or not all(
        t.isascii() and t.isalnum() and 1 <= len(t) <= 8 for t in subtags
    ):
        raise MtqaError(f"unknown language code '{code}': use a BCP-47 code such as en, fr, de, zh, pt-BR")
    canon = []
    for t in subtags:
        if len(t) == 2 and t.isalpha() or len(t) == 3 and t.isdigit():
            canon.append(t.upper())  # region
        elif len(t) == 4 and t.isalpha():
            canon.append(t.title())  # script
        else:
            canon.append(t.lower())
    return "-".join([primary, *canon])


# languages lingua does not detect but our encoders and splitters handle
_EXTRA_CODES = {
    "ne", "si", "km", "ps", "my", "lo", "am", "ky", "mt", "ku", "sd", "ug", "gd", "fy", "gl", "jv", "kn",
    "ml", "or", "sa", "su", "te", "uz", "xh", "yi", "fil", "no", "hy", "ka", "kk", "mn", "tl",
}


@lru_cache(maxsize=1)
def _detector():
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect(text: str, *, sample_chars: int = 4000) -> tuple[str, float]:
    """Detect the language of `text`: (ISO 639-1 code, confidence); 'und' if unknown."""
    sample = text[:sample_chars]
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return "und", 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), float(best.value)


def detect_segment(text: str) -> tuple[str, float]:
    """Language of a short segment (its first 1000 characters) with detect()'s low-accuracy (trigram)
    detector. lingua's high-accuracy models, restricted to the three best candidates, changed 2 of the
    104 test sentences' decisions (tests/golden_cases.sentences), neither for the better, in 9x the time."""
    return detect(text, sample_chars=1000)


@lru_cache(maxsize=8)
def _screen(lang: str, rival: str):
    """A detector choosing between `lang` and `rival` only (None when lingua lacks either)."""
    from lingua import LanguageDetectorBuilder

    codes = _iso_codes()
    if lang not in codes or rival not in codes or lang == rival:
        return None
    return LanguageDetectorBuilder.from_languages(codes[lang], codes[rival]).with_low_accuracy_mode().build()


def may_be_language(texts: list[str], lang: str, rival: str, threshold: float = 0.5) -> list[bool]:
    """For each text, whether detect_segment(text) may say `lang` (ISO 639-1) with confidence >= threshold;
    False only where it cannot.

    lingua scores each language on its own and normalises the scores over the candidates its rules keep,
    so the confidence of `lang` against `rival` alone bounds its confidence against every language from
    above: a two-language pass (about ten times cheaper) screens out most texts. A
    screening confidence of exactly 0 means a script or character rule decided, and such rules depend on
    the candidate set, so those texts are kept for the full detector."""
    if lang not in _iso_codes():
        return [False] * len(texts)  # never detected
    screen = _screen(lang, rival)
    if screen is None or not texts:
        return [True] * len(texts)
    # one thread: lingua's parallel calls would spawn a thread pool in batch workers (one per core) and
    # do not survive a fork
    target = _iso_codes()[lang]
    confs = [screen.compute_language_confidence(t[:1000], target) for t in texts]
    return [not 0.0 < conf < threshold - 1e-9 for conf in confs]


# share of a text's words that are function words of a language, from which the text is taken to be in it
# (an English sentence of five words or more has a third of them or more: the, of, is, to, and ...)
OWN_WORDS_SHARE = 0.25


@lru_cache(maxsize=64)
def _own_words(lang: str, rival: str) -> frozenset[str]:
    """The stop and function words of `lang` that are not words of `rival` ("a", "en", "die" may be both)."""
    def words(code: str) -> set[str]:
        return STOP_WORDS.get(code, set()) | FUNCTION_WORDS.get(code, set())

    return frozenset(words(lang) - words(rival))


_NO_LETTER = re.compile(r"[\W\d_]*")


def words_agree(text: str, lang: str, rival: str) -> bool:
    """Whether the words of a short text allow that it is in `lang` rather than `rival`: lingua's trigrams
    take "The minister is in favour of this reform." for French, its words say English. With both
    languages' function words: more of `lang`'s than of `rival`'s. With only `rival`'s: under
    OWN_WORDS_SHARE of the words are `rival`'s; with only `lang`'s: at least that share are `lang`'s. True
    when neither language has word lists of its own (nothing to go by)."""
    lang, rival = primary(lang), primary(rival)
    mine, theirs = has_words(lang, STOP_WORDS), has_words(rival, STOP_WORDS)
    if not (mine or theirs):
        return True
    words = [t.lower() for t, _, _ in tokens(text) if not _NO_LETTER.fullmatch(t)]
    if not words:
        return True
    n_mine = sum(w in _own_words(lang, rival) for w in words) if mine else 0
    n_theirs = sum(w in _own_words(rival, lang) for w in words) if theirs else 0
    if mine and theirs:
        return n_mine > n_theirs
    if theirs:
        return n_theirs < OWN_WORDS_SHARE * len(words)
    return n_mine >= OWN_WORDS_SHARE * len(words)
