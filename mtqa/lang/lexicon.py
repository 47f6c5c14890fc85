"""Word lists and word-level text helpers shared by the entity rules and the checks: stop words,
name connectors and function words per language, case/diacritic/script folding (anyascii), word
tokens with elided articles split off, acronyms, and transliteration-tolerant name similarity."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from anyascii import anyascii
from rapidfuzz import fuzz

from mtqa.lang.codes import primary

# words that never start (or are not part of) a name, per language; sentence-initial capitals of these
# are ordinary words. Lower-case.
STOP_WORDS: dict[str, set[str]] = {
    "en": set(
        """a an the this that these those there here it its he she they we you i his her their our
        in on at by for from with without of to into over under after before during since until as and or
        but if when while where according despite although though because however moreover also then
        last next first nearly more most some many several all both each no not nor so such than very
        sunday monday tuesday wednesday thursday friday saturday january february march april may june
        july august september october november december mr mrs ms dr""".split()
    ),
    "fr": set(
        """le la les l un une des du de d ce cet cette ces il elle ils elles on nous vous je son sa
        ses leur leurs en dans sur sous par pour avec sans selon malgré depuis pendant avant après vers
        chez et ou mais si quand lorsque où comme aussi ainsi alors quant plusieurs près plus moins tous
        toutes tout cela ceci dimanche lundi mardi mercredi jeudi vendredi samedi janvier février mars
        avril mai juin juillet août septembre octobre novembre décembre m mme""".split()
    ),
    "de": set(
        """der die das den dem des ein eine einen einem einer eines dieser diese dieses er sie es
        wir ihr ich sein seine ihre in im an am auf aus bei mit nach seit von vom zu zum zur für gegen
        ohne um über unter vor während trotz laut und oder aber wenn als wie auch so dann noch nur nicht
        kein keine mehr mehrere alle sonntag montag dienstag mittwoch donnerstag freitag samstag januar
        februar märz april mai juni juli august september oktober november dezember herr frau""".split()
    ),
    "es": set(
        """el la los las lo un una unos unas este esta estos estas ese esa él ella ellos ellas
        nosotros su sus en de del al a por para con sin según desde durante antes después hacia sobre
        tras y o pero si cuando donde como también así más menos varios todos todas domingo lunes martes
        miércoles jueves viernes sábado enero febrero marzo abril mayo junio julio agosto septiembre
        octubre noviembre diciembre sr sra""".split()
    ),
    # "Como resultado", "Para alguém": sentence-initial words that Como and Pará (places) spell too
    "pt": set(
        """o a os as um uma uns umas este esta estes estas esse essa esses essas isto isso ele ela eles
        elas nós seu sua seus suas em no na nos nas de do da dos das ao aos à às por pelo pela para com
        sem segundo desde durante antes depois sobre entre até e ou mas se quando onde como também assim
        mais menos vários todos todas domingo segunda terça quarta quinta sexta sábado janeiro fevereiro
        março abril maio junho julho agosto setembro outubro novembro dezembro sr sra""".split()
    ),
}
# lower-case words allowed inside a capitalised span ("Observatory for Human Rights")
CONNECTORS: dict[str, set[str]] = {
    "en": {"of", "for", "the", "al", "de", "des", "du", "da", "di", "von", "van", "bin", "ibn", "abu"},
    "fr": {"de", "du", "des", "la", "le", "l", "d", "al", "von", "van", "bin", "ibn", "abu"},
    "de": {"von", "der", "für", "de", "al", "van", "bin", "ibn", "abu"},
    "es": {"de", "del", "la", "los", "las", "al", "von", "van", "bin", "ibn", "abu"},
    "pt": {"de", "do", "dos", "da", "das", "of", "for", "the", "al", "von", "van", "bin", "ibn", "abu"},
}
#: the per-language tables read through lang_key, by name (listed by `mtqa checks --langs`)
WORD_TABLES: dict[str, dict[str, set[str]]] = {"stop words": STOP_WORDS, "name connectors": CONNECTORS}
#: languages that capitalise every noun
NOUN_CAPITALISING = {"de", "lb"}
#: words of a compass point or a centre that a language glues to a place's name to name part of it
#: (Südrumänien, Ostafghanistan, Nordsyrien), longest first; lower-case
COMPASS_PREFIXES: dict[str, tuple[str, ...]] = {
    "de": ("nordost", "nordwest", "südost", "südwest", "zentral", "mittel", "nord", "süd", "ost", "west"),
}
# languages that decline names (Москва / Москвы / Москве)
DECLINING = {
    "ru", "uk", "be", "pl", "cs", "sk", "sl", "hr", "sr", "bs", "bg", "lt", "lv", "fi", "et", "hu",
}  # fmt: skip

#: words naming an organisation (a mention holding one is an organisation), folded
ORG_WORDS = set(
    """
    forces force observatory observatoire army armée party parti partei ministry ministère
    ministerium bank banque union council conseil rat group groupe gruppe company agency agence
    agentur organisation organization institute institut university université universität
    universidad commission kommission comisión committee comité nations association verband ag gmbh
    inc sa corporation fund fonds fondo court cour gericht tribunal
    """.split()
)

#: a country told without its name: one's own ("our country", 我国) or one the text has named ("the
#: country", "das Land", "le pays")
OWN_COUNTRY = {
    "zh": r"我国|我國|本国|本國|祖国|祖國|全国|全國|国内|國內|该国|該國",
    "ja": r"我が国|わが国|日本国内|国内|全国",
    "en": r"\b(?:our|this|the) (?:country|nation)\b|\bnationwide\b|\bdomestic(?:ally)?\b",
    "de": r"\bunser\w* Land\w*|\b(?:das|des|dem|dieses|diesem) Land(?:es|e)?\b|\bInland\w*|\bbundesweit"
    r"|\blandesweit",
    "fr": r"\bnotre pays\b|\bce pays\b|\b(?:le|du|au) pays\b",
    "es": r"\bnuestro país\b|\beste país\b|\b(?:el|del|al) país\b",
    "pt": r"\bnosso país\b|\beste país\b|\b(?:o|do|no|ao) país\b",
    "ru": r"\bнаш\w* стран\w*|\bэт\w* стран\w*|\bстран[аеуыой]\b",
}

#: words of currencies, which a translation may name with their issuing country ("1000 долларов США",
#: "US-Dollar"), and the signs and codes an amount is written with
CURRENCY_WORD = re.compile(
    r"(?i)\b(?:доллар\w*|долар\w*|dollar\w*|dólar\w*|dolar\w*|юан\w*|yuan|renminbi|рубл\w*|rubel\w*|euro\w*"
    r"|евро|pound\w*|фунт\w*|pfund\w*|peso\w*|рупи\w*|rupee\w*|rupie\w*|yen|иен\w*|franc\w*|frank\w*|франк\w*)"
)
CURRENCY_SIGN = re.compile(r"[$€£¥₽₹₩]|\b(?:USD|EUR|GBP|JPY|CNY|RMB|RUB|INR|CHF|HKD)\b")

#: titles and honorifics that stand before a name, folded: "President Trump" and "Presidente Clinton" share
#: the title, not the name
TITLE_WORDS = set(
    """
    president presidente president presidenta prasident presidenten президент премьер premier prime
    minister ministro ministra ministre министр chancellor chanceler chancelier kanzler kanzlerin
    канцлер king rei roi konig rey король queen rainha reine konigin reina королева pope papa pape
    папа general generale генерал senator senador senadora senateur senatorin сенатор governor
    governador gouverneur gobernador губернатор secretary secretario secretaria secretaire
    mr mrs ms dr prof sr sra srta m mme mlle herr frau don dona sir lord lady господин госпожа
    sheikh cheikh scheich шейх prince principe prinz принц princess imam ayatollah aiatola ayatollah
    """.split()
)

#: titles of popes and monarchs, folded: the name after them is translated (Papa Francisco / Pope Francis,
#: Rei Carlos / King Charles), not spelled
REGNAL_TITLES = set(
    """
    pope papa pape папа king rei roi konig rey король queen rainha reine konigin reina королева prince
    principe prinz принц princess princesa princesse prinzessin
    """.split()
)

# auxiliaries, pronouns and other function words the stop words leave out, per language; lower-case
FUNCTION_WORDS = {
    "en": set(
        """has have had was were been be is are am which who whom what would will can could should
        about between against through did does do only out up down then than also its their them his her
        one ones said says""".split()
    ),
    "fr": set(
        """est sont été être avait avaient ont qui que quoi dont ne pas lui leur se sa son ses y
        avoir fait faire été""".split()
    ),
    "de": set(
        """ist sind war waren wurde wurden hat haben hatte hatten sich nicht dass zu den dem ihr
        ihre sein seine wird werden""".split()
    ),
    "es": set("""es son fue fueron ha han había que quien se no lo le les su sus""".split()),
}
# inflection endings stripped to find the stem of a word, per language
INFLECTION_SUFFIXES = {
    "en": ("d", "ed", "ing", "s", "es", "ly"),
    "fr": ("s", "e", "es", "é", "ée", "és", "ées", "er", "ant"),
    "de": ("e", "en", "er", "es", "s", "t", "te", "ten"),
    "es": ("s", "es", "do", "da", "dos", "das", "ar"),
}

_TOKEN = re.compile(r"[^\W_](?:[\w’'\-.]*[^\W_])?", re.UNICODE)
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Z0-9&]{1,7}$")
_POSSESSIVE = re.compile(r"['’]s\b")
_FOLD_SPACE = re.compile(r"[-'’.]")
_ELISION = re.compile(r"^(?:[lLdDjJmMnNsStTcC]|[qQ]u|dell|all|dall|nell|sull)['’](?=\w)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# memo size of the per-name helpers (fold, phonetic, similarity): the distinct names of a long document
MEMO_SIZE = 1 << 16


#: the language whose words a per-language table lends to the languages it lacks (see lang_key)
FALLBACK_LANG = "en"


def has_words(lang: str, table: dict[str, set[str]]) -> bool:
    """Whether a per-language word table has the language's own words (else lang_key lends English's)."""
    return primary(lang) in table


def lang_key(lang: str, table: dict[str, set[str]]) -> set[str]:
    """The words of a per-language table for a language; a language the table lacks gets the
    FALLBACK_LANG's words (has_words tells which; `mtqa checks --langs` lists each table's languages)."""
    return table.get(primary(lang), table[FALLBACK_LANG])


@functools.lru_cache(maxsize=MEMO_SIZE)
def fold(text: str) -> str:
    """Case-, diacritic- and script-insensitive key: anyascii, lower case, possessive and punctuation
    dropped, hyphens and apostrophes as spaces. Memoised: meant for names and words."""
    return fold_text(text)


def to_ascii(text: str) -> str:
    """anyascii(text), transliterating only the runs of non-ASCII characters (anyascii maps each code
    point on its own, and leaves ASCII as is): a whole document costs its few accented letters."""
    return text if text.isascii() else _NON_ASCII.sub(_ascii_run, text)


def _ascii_run(m: re.Match) -> str:
    return anyascii(m.group())


def fold_text(text: str) -> str:
    """fold() of a long text such as a whole document, not kept in fold's memo."""
    s = to_ascii(text).lower()
    s = _POSSESSIVE.sub("", s)
    s = _FOLD_SPACE.sub(" ", s)
    return " ".join(s.split())


def is_acronym(token: str) -> bool:
    return bool(_ACRONYM.match(token))


def capitalised(tok: str) -> bool:
    """Starts with a capital, after an Arabic article prefix (al-Assad)."""
    # the article prefixes all start with a or e: other tokens skip the lower-casing
    if tok[:1] in "aAeE" and tok.lower().startswith(("al-", "el-", "ad-", "as-", "ash-", "an-")):
        tok = tok.split("-")[-1]
    return tok[:1].isupper()


@functools.lru_cache(maxsize=65536)
def compass_head(word: str, lang: str) -> str | None:
    """The place a compound of a compass prefix names part of: "Südrumänien" -> "Rumänien",
    "Ost-Ukraine" -> "Ukraine"; None when `word` is no such compound (of 4 letters or more after the
    prefix) in `lang`."""
    low = word.lower()
    for prefix in COMPASS_PREFIXES.get(primary(lang), ()):
        if low.startswith(prefix):
            rest = word[len(prefix) :].lstrip("-")
            if len(rest) >= 4 and rest.isalpha():
                return rest[:1].upper() + rest[1:]
    return None


def strip_elision(tok: str) -> tuple[str, int]:
    """ "l'Observatoire" -> ("Observatoire", 2): French/Italian elided articles glued to a word."""
    m = _ELISION.match(tok) if "'" in tok or "’" in tok else None
    if m:
        return tok[m.end() :], m.end()
    return tok, 0


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Word tokens with offsets relative to `text`, elided articles split off, trailing 's dropped."""
    return list(_tokens(text))


@functools.lru_cache(maxsize=MEMO_SIZE)
def _tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    """`tokens`, remembered: the checks tokenise each sentence and segment several times."""
    if "'" not in text and "’" not in text:  # nothing to split off or drop
        return tuple([(m.group(), *m.span()) for m in _TOKEN.finditer(text)])
    out = []
    for m in _TOKEN.finditer(text):
        tok, start = m.group(), m.start()
        if "'" in tok or "’" in tok:  # a token ends with a word character: only 's can leave a dot
            tok, cut = strip_elision(tok)
            start += cut
            for suffix in ("'s", "’s"):
                if tok.endswith(suffix):
                    tok = tok[: -len(suffix)]
            tok = tok.rstrip(".")
        if tok:
            out.append((tok, start, start + len(tok)))
    return tuple(out)


# spelling conventions of transliterated names, applied to a folded (ascii, lower-case) name:
# Roglič -> roglic ~ Roglitsch, Rahmane ~ Rahman, Tchaïkovski ~ Chaikovsky ~ Tschaikowski
_PHONETIC: list[tuple[re.Pattern, str | Callable[[re.Match], str]]] = [
    (re.compile(pat), rep)
    for pat, rep in [
        (r"tsch|tch|tsh|cz|ch|sch|sh|sz|zh|ts|tz|c", "c"),
        (r"ph", "f"),
        (r"kh|gh", "h"),
        (r"ck|k|q", "c"),
        (r"w", "v"),
        (r"y|j", "i"),  # Netanyahu / Netanjahu, Selenskyj
        (r"z", "s"),  # Shevardnadze / Schewardnadse
        (r"ou", "u"),
        (r"(.)\1+", lambda m: m.group(1)),  # a function: a "\1" template is expanded in Python per match
        (r"(?<=\w\w\w)[eh]\b", ""),
    ]
]


# the rules of _PHONETIC that merge letters only some languages write for a sound of a name from another
# script: German w, j and s where English or French write v, y or i and z (see RESPELLINGS)
_RESPELLING_RULES = {"w", "y|j", "z"}
_SHARED_PHONETIC = [(pat, rep) for pat, rep in _PHONETIC if pat.pattern not in _RESPELLING_RULES]

#: languages that respell names from another script in letters of their own (Russian, Ukrainian, Arabic names
#: in German: Nawalny, Selenskyj, Netanjahu, Chodorkowski, Prigoschin, Jelzin): the rewrites that may turn
#: an English or French transliteration into theirs, in order (each one or not: Berdymukhammedov is
#: Berdimuhammedow, kh as h), and the letters they write for a vowel sound (the j of Selenskyj). Between two
#: languages that do not respell, these letters tell names apart.
RESPELLINGS: dict[str, tuple[tuple[tuple[str, str], ...], str]] = {
    "de": ((("kh", "ch"), ("zh", "sch"), ("v", "w"), ("z", "s"), ("ts", "z")), "j"),
}


@functools.lru_cache(maxsize=MEMO_SIZE)
def phonetic(text: str) -> str:
    """A transliteration-tolerant key of a name: folded, with spelling variants of one sound merged."""
    s = fold(text)
    for pat, rep in _PHONETIC:
        s = pat.sub(rep, s)
    return s


def _skeleton(text: str, vowels: str = "") -> str:
    """The consonants of a name's spelling key (fold and the spelling conventions every language shares:
    ch / sh / tch, k / q, kh / gh, ou / u, doubled letters, a final e or h); `vowels` are dropped too."""
    s = fold(text)
    for pat, rep in _SHARED_PHONETIC:
        s = pat.sub(rep, s)
    return re.sub(f"[aeiouy{vowels} ]", "", s)


def transliterated(a: str, lang_a: str, b: str, lang_b: str) -> bool:
    """Whether two Latin spellings of a name, `a` written in `lang_a` and `b` in `lang_b`, can be two
    transliterations of one name rather than a misspelling: the same consonants up to the conventions every
    language shares (vowels vary: Qaïda / Qaeda, Rahmane / Rahman, Bachar / Bashar), or, where one of the
    languages respells names from another script (RESPELLINGS), the other's spelling respelt its way
    (Navalny / Nawalny, Zelensky / Selenskyj). Jansen / Yansen, Kowalski / Kovalski and Dupont / Dupond
    are misspellings in every pair; Kowalski / Kovalski in German too (German writes w for a v, not the
    reverse)."""
    if _skeleton(a) == _skeleton(b):
        return True
    for own, own_lang, other in ((a, lang_a, b), (b, lang_b, a)):
        rule = RESPELLINGS.get(primary(own_lang))
        if rule is None:
            continue
        rewrites, vowels = rule
        key = _skeleton(own, vowels)
        for chosen in range(1 << len(rewrites)):  # a few names a document, and a few rewrites
            respelt = fold(other)
            for k, (old, new) in enumerate(rewrites):
                if chosen >> k & 1:
                    respelt = respelt.replace(old, new)
            if _skeleton(respelt) == key:
                return True
    return False


@functools.lru_cache(maxsize=MEMO_SIZE)
def similarity(a: str, b: str) -> float:
    """0-100 similarity of two names after folding (and of their transliteration-tolerant keys)."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    score = max(fuzz.ratio(fa, fb), 0.9 * fuzz.token_sort_ratio(fa, fb))
    if score < 90:
        score = max(score, 0.95 * fuzz.ratio(phonetic(a), phonetic(b)))
    return score
