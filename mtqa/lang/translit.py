"""Names written in Arabic script, Hangul or Devanagari against their Latin renderings: "معرة النعمان" =
"Maarat al-Numan", "بشار الأسد" = "Bashar al-Assad", "문재인" = "Moon Jae-in" = "Mun Jae-in",
"윤석열" = "Yoon Suk-yeol", "नरेंद्र मोदी" = "Narendra Modi".

anyascii gives each letter its Latin base. Arabic script leaves short vowels unwritten and its long vowels
are spelled many ways (Mahmoud, Mahmud), Hangul has several romanisations (Moon / Mun, Suk / Seok, Park /
Bak), Indian names drop or keep the inherent a (Narendra / नरेंद्र): so both sides are compared by their
consonant skeletons, with the consonants renderings confuse merged (q / k / g / j, d / z / dh, s / sh) and
the Arabic article (al-, el-, an-, ash-) and proclitics (و, ب, ل) set aside.

Cyrillic renders Latin names by their sound, and Russian declines them: "Poole" = "Пуле" (in Poole),
"Sale" = "Сэйле", "Werribee" = "Уэрриби", "Leicester" = "Лестер". The same skeletons compare them, both
ways, on capitalised words only (Russian writes its common words in lower case), with the case endings that
hold a consonant (-ом, -ов, -ого, -ской ...) set aside."""

from __future__ import annotations

import functools
import re

from anyascii import anyascii
from rapidfuzz import fuzz

from mtqa.lang.codes import primary

ARABIC_SCRIPT = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")
HANGUL = re.compile(r"[\uac00-\ud7af]")
DEVANAGARI = re.compile(r"[\u0900-\u097f]")
#: the scripts whose names are matched against Latin renderings, and a language written in each
SCRIPTS = {"arabic": ARABIC_SCRIPT, "hangul": HANGUL, "devanagari": DEVANAGARI}
#: languages whose names (written in one of SCRIPTS) are matched against their Latin renderings
TRANSLITERATED = frozenset({"ar", "fa", "ur", "ps", "ko", "hi", "mr", "ne"})

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: languages written in Cyrillic, whose capitalised words are matched against Latin names and back
CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "mn", "tg"})
_CYRILLIC_NAME = re.compile(r"[\u0400-\u042f][\u0400-\u04ff]+")
_LATIN_NAME = re.compile(r"[A-Z\u00c0-\u00de][A-Za-z\u00c0-\u024f]+")
_CASE_ENDING = re.compile(
    r"(?:ом|ем|ём|ов|ев|ам|ям|ах|ях|ами|ями|ого|его|ому|ему|ой|ей|ий|ым|им|ской|ского|ском)$")

_RUN = {
    "arabic": re.compile(r"[\u0620-\u065f\u066e-\u06d3\u06fa-\u06ff\u0640]+"),
    "hangul": re.compile(r"[\uac00-\ud7af]+"),
    "devanagari": re.compile(r"[\u0900-\u0963\u0971-\u097f]+"),
}
# the Arabic article and its sun-letter forms in Latin renderings (al-Numan, an-Nu'man, ash-Sham, el-Sisi)
_ARTICLES = frozenset("al el an ash as ad at ar az ath adh ul ud un us ur er es ed en et ez".split())
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]+")
# one form of the letters written several ways: alef with hamza or madda, yeh (Persian ی), kaf (Persian ک)
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك", "ـ": None}
)
_HARAKAT = re.compile(r"[\u064b-\u065f\u0670]")
_PROCLITICS = "وفبلك"
_VOWELS = re.compile(r"[aeiouyvw]")
_REPEAT = re.compile(r"(.)\1+")
# common Latin spellings of Korean surnames that their syllable's skeleton does not give (이 = Lee, 박 = Park)
KOREAN_SURNAMES = {
    "이": ("lee", "yi", "rhee", "ri", "i"), "박": ("park", "pak", "bak"), "임": ("lim", "im", "rim"),
    "류": ("ryu", "yoo", "yu"), "유": ("yoo", "yu"), "노": ("roh", "no"), "오": ("oh", "o"),
    "안": ("ahn", "an"), "정": ("jung", "chung", "jeong", "chong"), "최": ("choi", "choe"),
    "전": ("jeon", "chun", "jun"), "조": ("cho", "jo"), "장": ("jang", "chang"), "신": ("shin", "sin"),
    "심": ("shim", "sim"), "서": ("seo", "suh"), "손": ("son", "sohn"), "허": ("heo", "huh"),
}  # fmt: skip


def script_of(text: str) -> str | None:
    """"arabic", "hangul" or "devanagari" when `text` has letters of that script (first found), else None."""
    for name, pattern in SCRIPTS.items():
        if pattern.search(text):
            return name
    return None


def skeleton(latin: str, script: str = "arabic") -> str:
    """The consonant skeleton of a Latin-script word as renderings from `script` vary it: lower case,
    digraphs as one consonant, h after a consonant dropped (the aspirates of bh, dh), confusable consonants
    merged, vowels, y, w and v dropped, doubled letters single ("Maarat" -> "mrt", "Assad" -> "sd")."""
    s = re.sub(r"[^a-z]", "", anyascii(latin).lower())
    s = s.replace("sch", "s").replace("sh", "s").replace("ch", "s" if script == "arabic" else "j")
    s = re.sub(r"(?<=[^aeiouh])h", "", s)  # kh, gh, th, dh, ph, bh: the consonant
    s = s.translate(_MERGE).replace("nb", "mb")
    if script == "hangul":
        s = s.replace("r", "l")  # ㄹ is r or l
    return _REPEAT.sub(r"\1", _VOWELS.sub("", s))


_MERGE = str.maketrans("qgjcxzpf", "kkkkkdbf")


@functools.lru_cache(maxsize=4096)
def _letter(c: str, script: str) -> str:
    """The skeleton of one letter of another script (anyascii's Latin for it)."""
    if c in "\u0902\u0901":  # anusvara, chandrabindu: a nasal (n; m before b, as in Mumbai)
        return "n"
    return skeleton(anyascii(c), script)


def _native_skeleton(word: str, script: str) -> str:
    """The skeleton of a word of another script, letter by letter (no digraph across two letters: ت + ح
    is t-h, not th)."""
    return _REPEAT.sub(r"\1", "".join(_letter(c, script) for c in word).replace("nb", "mb"))


def _arabic_forms(word: str) -> set[str]:
    """An Arabic-script word without its proclitics (و, ف, ب, ل, ك) and article (ال), each form with its
    final ة as nothing (Hama) or t (Maarat)."""
    w = _HARAKAT.sub("", word).translate(_ARABIC_FOLD)
    forms = {w}
    for _ in range(2):
        forms |= {f[1:] for f in forms if len(f) > 3 and f[0] in _PROCLITICS}
    forms |= {f[2:] for f in forms if len(f) > 3 and f.startswith(("ال", "لل"))}
    return {g for f in forms for g in ((f[:-1], f[:-1] + "ت") if f.endswith("ة") else (f,))}


@functools.lru_cache(maxsize=1024)
def _text_keys(text: str, script: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The skeletons of the words of `text` in `script` (every form of an Arabic word), and for Hangul the
    skeleton of each run (a name with its particles: 문재인은)."""
    runs = _RUN[script].findall(text)
    if script == "arabic":
        return frozenset(_native_skeleton(f, script) for w in runs for f in _arabic_forms(w)), ()
    return frozenset(_native_skeleton(w, script) for w in runs), tuple(runs)


def _same(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= 80)


def _korean(words: list[str], runs: tuple[str, ...]) -> bool:
    """A romanised Korean name (surname first) at the start of a Hangul run: its surname a usual spelling
    of the run's first syllable, or its consonants those of the run."""
    for run in runs:
        rest = words
        if len(words) > 1 and words[0].lower() in KOREAN_SURNAMES.get(run[0], ()):
            rest, run = words[1:], run[1:]
        key = skeleton("".join(rest), "hangul")
        head = _native_skeleton(run, "hangul")[: len(key)]
        if len(key) >= 2 and _same(key, head):
            return True
    return False


def _cyrillic_forms(word: str) -> set[str]:
    """A capitalised Cyrillic word and its stem without a case ending that holds a consonant."""
    stem = _CASE_ENDING.sub("", word)
    return {word, stem} if len(stem) >= 2 else {word}


def _word_by_word(keys: list[str], found: frozenset[str]) -> bool:
    """The last of a name's word skeletons is among `found`, and at least half of them are."""
    hits = [any(_same(k, o) for o in found) for k in keys if len(k) >= 2]
    return bool(hits) and hits[-1] and sum(hits) * 2 >= len(hits)


def _cyrillic_renders(name: str, text: str) -> bool:
    """A Latin name in a Cyrillic text, or a Cyrillic name in a Latin one, by capitalised words."""
    if CYRILLIC.search(name):
        keys = [_native_skeleton(w.lower(), "cyrillic") for w in _CYRILLIC_NAME.findall(name)]
        found = frozenset(skeleton(w, "cyrillic") for w in _LATIN_NAME.findall(text))
    else:
        keys = [skeleton(w, "cyrillic") for w in _LATIN_WORD.findall(name) if w.lower() not in _ARTICLES]
        found = frozenset(_native_skeleton(f.lower(), "cyrillic") for w in _CYRILLIC_NAME.findall(text)
                          for f in _cyrillic_forms(w))
    return _word_by_word(keys, found)


def renders(name: str, text: str, lang: str) -> bool:
    """Whether the Latin-script `name` renders a name written in `text`, a text in `lang` (one of
    TRANSLITERATED) in Arabic script, Hangul or Devanagari: its skeleton is there (Cyrillic: both ways,
    `_cyrillic_renders`). In Arabic script and
    Devanagari word by word (the last word and at least half of the others); in Hangul the whole name at
    the start of a run (문재인은: the name and its particle), a surname in one of its usual spellings."""
    if CYRILLIC.search(name) and not CYRILLIC.search(text) or primary(lang) in CYRILLIC_LANGS and (
            CYRILLIC.search(text) and _LATIN_WORD.search(name)):
        return _cyrillic_renders(name, text)
    script = script_of(text) if primary(lang) in TRANSLITERATED else None
    if script is None or not _LATIN_WORD.search(name):
        return False
    words = [w for w in _LATIN_WORD.findall(name) if w.lower() not in _ARTICLES]
    if not words:
        return False
    keys, runs = _text_keys(text, script)
    if script == "hangul":
        return _korean(words, runs)
    return _word_by_word([skeleton(w, script) for w in words], keys)
