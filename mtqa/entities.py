"""Entity mentions on both sides of a document pair, their mapping and the document entity table.

No NER model ships offline, so mentions come from language-aware rules:

* capitalised spans (runs of capitalised tokens, joined by per-language connectors such as
  "of", "de", "al-", "von"); a sentence-initial token starts a span only if it is not a stop word
  and the same form occurs capitalised elsewhere in the document (or the span goes on);
* acronyms (2-8 upper-case letters or digits, at least two letters) and their definitions
  "Long Name (ACR)", checked by the initials of the long name's content words;
* quoted titles: short quoted spans (≤ 6 words) that start with a capital.

German capitalises every noun, so in noun-capitalising languages a single capitalised token is a
mention only if it is not sentence-initial and it is mapped to a target mention by string similarity.

Mapping a source mention to its rendering in the aligned target segment uses diacritic folding and
transliteration (anyascii), string similarity (rapidfuzz) and acronym <-> expansion definitions.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from anyascii import anyascii
from rapidfuzz import fuzz

from mtqa.document import Document

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
}
# lower-case words allowed inside a capitalised span ("Observatory for Human Rights")
CONNECTORS: dict[str, set[str]] = {
    "en": {"of", "for", "the", "al", "de", "des", "du", "da", "di", "von", "van", "bin", "ibn", "abu"},
    "fr": {"de", "du", "des", "la", "le", "l", "d", "al", "von", "van", "bin", "ibn", "abu"},
    "de": {"von", "der", "für", "de", "al", "van", "bin", "ibn", "abu"},
    "es": {"de", "del", "la", "los", "las", "al", "von", "van", "bin", "ibn", "abu"},
}
NOUN_CAPITALISING = {"de", "lb"}

_TOKEN = re.compile(r"[^\W_](?:[\w’'\-.]*[^\W_])?", re.UNICODE)
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Z0-9&]{1,7}$")
_QUOTED = re.compile(r"[«“\"]\s*([^«»“”\"]{2,80}?)\s*[»”\"]")
_POSSESSIVE = re.compile(r"['’]s\b")
_FOLD_SPACE = re.compile(r"[-'’.]")
_ELISION = re.compile(r"^(?:[lLdDjJmMnNsStTcC]|[qQ]u|dell|all|dall|nell|sull)['’](?=\w)")
_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ad|as|an)-", re.I)
_DEFINED_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&]{1,7})\)")
_WORD = re.compile(r"\w+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# memo size of the per-name helpers (fold, phonetic, similarity): the distinct names of a long document
_MEMO = 1 << 16
_ORG_WORDS = {
    "forces",
    "force",
    "observatory",
    "observatoire",
    "army",
    "armée",
    "party",
    "parti",
    "partei",
    "ministry",
    "ministère",
    "ministerium",
    "bank",
    "banque",
    "union",
    "council",
    "conseil",
    "rat",
    "group",
    "groupe",
    "gruppe",
    "company",
    "agency",
    "agence",
    "agentur",
    "organisation",
    "organization",
    "institute",
    "institut",
    "university",
    "université",
    "universität",
    "universidad",
    "commission",
    "kommission",
    "comisión",
    "committee",
    "comité",
    "nations",
    "association",
    "verband",
    "ag",
    "gmbh",
    "inc",
    "sa",
    "corporation",
    "fund",
    "fonds",
    "fondo",
    "court",
    "cour",
    "gericht",
    "tribunal",
}


@dataclass
class Mention:
    text: str
    start: int  # 0-based offsets into Document.text, end exclusive
    end: int
    sentence: int
    paragraph: int
    kind: str  # acronym, person, organisation, place, title, name
    initial: bool = False  # starts its sentence


@dataclass
class Definition:
    """An acronym defined in the text: 'Long Name (ACR)'."""

    acronym: str
    expansion: str
    initials: str
    sentence: int

    lang: str = "en"
    words: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return spells(self.acronym, self.words, self.lang)


@dataclass
class EntityEntry:
    source: str
    type: str
    #: target rendering -> target mentions
    renderings: dict[str, list[Mention]] = field(default_factory=dict)
    source_mentions: list[Mention] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "type": self.type,
            "renderings": [
                {"text": text, "paragraphs": sorted({m.paragraph for m in ms})}
                for text, ms in self.renderings.items()
            ],
        }


def lang_key(lang: str, table: dict[str, set[str]]) -> set[str]:
    return table.get(lang.split("-")[0].lower(), table["en"])


@functools.lru_cache(maxsize=_MEMO)
def fold(text: str) -> str:
    """Case-, diacritic- and script-insensitive key: anyascii, lower case, possessive and punctuation
    dropped, hyphens and apostrophes as spaces. Memoised: meant for names and words."""
    return fold_text(text)


def _ascii(text: str) -> str:
    """anyascii(text), transliterating only the runs of non-ASCII characters (anyascii maps each code
    point on its own, and leaves ASCII as is): a whole document costs its few accented letters."""
    return text if text.isascii() else _NON_ASCII.sub(_ascii_run, text)


def _ascii_run(m: re.Match) -> str:
    return anyascii(m.group())


def fold_text(text: str) -> str:
    """fold() of a long text such as a whole document, not kept in fold's memo."""
    s = _ascii(text).lower()
    s = _POSSESSIVE.sub("", s)
    s = _FOLD_SPACE.sub(" ", s)
    return " ".join(s.split())


def is_acronym(token: str) -> bool:
    return bool(_ACRONYM.match(token))


def _capitalised(tok: str) -> bool:
    # the article prefixes all start with a or e: other tokens skip the lower-casing
    if tok[:1] in "aAeE" and tok.lower().startswith(("al-", "el-", "ad-", "as-", "ash-", "an-")):
        tok = tok.split("-")[-1]
    return tok[:1].isupper()


def _strip_elision(tok: str) -> tuple[str, int]:
    """ "l'Observatoire" -> ("Observatoire", 2): French/Italian elided articles glued to a word."""
    m = _ELISION.match(tok) if "'" in tok or "’" in tok else None
    if m:
        return tok[m.end() :], m.end()
    return tok, 0


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Word tokens with offsets relative to `text`, elided articles split off, trailing 's dropped."""
    if "'" not in text and "’" not in text:  # nothing to split off or drop
        return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    out = []
    for m in _TOKEN.finditer(text):
        tok, start = m.group(), m.start()
        if "'" in tok or "’" in tok:  # a token ends with a word character: only 's can leave a dot
            tok, cut = _strip_elision(tok)
            start += cut
            for suffix in ("'s", "’s"):
                if tok.endswith(suffix):
                    tok = tok[: -len(suffix)]
            tok = tok.rstrip(".")
        if tok:
            out.append((tok, start, start + len(tok)))
    return out


def initials(words: list[str], lang: str) -> str:
    """Initials of the content words of a long name: 'Observatoire syrien des droits de l'homme' -> OSDH."""
    stops = lang_key(lang, CONNECTORS) | lang_key(lang, STOP_WORDS)
    out = []
    for w in words:
        w, _ = _strip_elision(w)
        if w.lower() in stops:
            continue
        if _ARABIC_ARTICLE.match(w):
            w = w.split("-", 1)[1]
        out.append(w[:1].upper())
    return "".join(out)


def spells(acronym: str, words: list[str], lang: str) -> bool:
    """Whether the words spell the acronym: each content word gives its initial and maybe later letters
    (German compounds: "Europäische Zentralbank" -> EZB); stop words may give their initial or nothing."""
    stops = lang_key(lang, CONNECTORS) | lang_key(lang, STOP_WORDS)
    acr = anyascii(acronym).upper()
    ws = []
    for w in words:
        w, _ = _strip_elision(w)
        if _ARABIC_ARTICLE.match(w):
            w = w.split("-", 1)[1]
        ws.append((anyascii(w).upper(), w.lower() in stops))
    if not ws or all(stop for _, stop in ws):
        return False

    @functools.cache
    def go(i: int, k: int) -> bool:
        if k == len(ws):
            return i == len(acr)
        word, stop = ws[k]
        if stop and go(i, k + 1):
            return True
        if i >= len(acr) or not word or word[0] != acr[i]:
            return False
        # consume the initial, then optionally more letters of the same word, in order
        j, pos = i + 1, 1
        if go(j, k + 1):
            return True
        while j < len(acr):
            pos = word.find(acr[j], pos)
            if pos < 0:
                return False
            j, pos = j + 1, pos + 1
            if go(j, k + 1):
                return True
        return False

    return go(0, 0)


@functools.lru_cache(maxsize=_MEMO)
def _classify(text: str, lang: str) -> str:
    words = text.split()
    if len(words) == 1 and is_acronym(words[0]):
        return "acronym"
    if any(fold(w) in _ORG_WORDS for w in words):
        return "organisation"
    caps = [w for w in words if w[:1].isupper()]
    if 2 <= len(caps) <= 4 and len(caps) == len(words):
        return "person"
    if len(words) == 1:
        return "place"
    return "name"


def _lower_words(text: str) -> set[str]:
    key = (id(text), len(text))
    if _LOWER_CACHE.get("key") != key:
        _LOWER_CACHE["key"] = key
        _LOWER_CACHE["words"] = {w for w in _WORD.findall(text) if w[:1].islower()}
    return _LOWER_CACHE["words"]


_LOWER_CACHE: dict = {}


def extract_mentions(doc: Document) -> list[Mention]:
    """Entity mentions of a document (see the module docstring for the rules); computed once per
    document and language, as several checks ask for them."""
    key = (doc.lang, len(doc.text), len(doc.sentences))
    memo = doc.__dict__.get("_mentions")
    if memo is None or memo[0] != key:
        memo = (key, _extract_mentions(doc))
        doc.__dict__["_mentions"] = memo
    return list(memo[1])


def _extract_mentions(doc: Document) -> list[Mention]:
    lang = doc.lang
    stops = lang_key(lang, STOP_WORDS)
    conns = lang_key(lang, CONNECTORS)
    noun_caps = lang.split("-")[0].lower() in NOUN_CAPITALISING
    text = doc.text
    # forms seen capitalised not at the start of a sentence
    mid_caps: Counter[str] = Counter()
    # per sentence: its tokens and which are capitalised non-stop words (name words)
    sent_tokens = []
    for sent in doc.sentences:
        toks = tokens(text[sent.start : sent.end])
        # _capitalised(tok), its article test done only for tokens starting with a or e
        caps = [tok[0].isupper() if tok[0] not in "aAeE" else _capitalised(tok) for tok, _, _ in toks]
        named = [cap and tok.lower() not in stops for cap, (tok, _, _) in zip(caps, toks, strict=True)]
        sent_tokens.append((toks, named))
        mid_caps.update([toks[k][0] for k in range(1, len(toks)) if caps[k]])
    mentions: list[Mention] = []
    for sent, (toks, named) in zip(doc.sentences, sent_tokens, strict=True):
        base = sent.start
        done = 0  # tokens before this one belong to a span already taken
        for k in [i for i, v in enumerate(named) if v]:
            if k < done:
                continue
            # a capitalised run, allowing connectors between capitalised tokens
            j = k + 1
            last = k
            while j < len(toks):
                if named[j]:
                    last = j
                    j += 1
                elif (
                    toks[j][0].lower() in conns
                    and j + 1 < len(toks)
                    and text[base + toks[j - 1][2] : base + toks[j][1]].strip() == ""
                ):
                    j += 1
                else:
                    break
            run = toks[k : last + 1]
            # adjacent tokens only (no punctuation between them)
            pieces = [run[0]]
            for t in run[1:]:
                gap = text[base + pieces[-1][2] : base + t[1]]
                if gap.strip():
                    break
                pieces.append(t)
            initial = k == 0
            first = pieces[0][0]
            done = k + len(pieces)
            if len(pieces) == 1 and not is_acronym(first):
                if (
                    initial
                    and mid_caps[first] == 0
                    and (first.lower() in _lower_words(text) or len(first) < 4)
                ):
                    continue
                if noun_caps and initial:
                    continue
            s, e = base + pieces[0][1], base + pieces[-1][2]
            span = text[s:e]
            # acronyms inside a run are mentions of their own
            if len(pieces) > 1 and any(is_acronym(p[0]) for p in pieces):
                for p in pieces:
                    if is_acronym(p[0]):
                        mentions.append(
                            Mention(
                                p[0],
                                base + p[1],
                                base + p[2],
                                sent.index,
                                sent.paragraph,
                                "acronym",
                                initial and p is pieces[0],
                            )
                        )
                continue
            mentions.append(Mention(span, s, e, sent.index, sent.paragraph, _classify(span, lang), initial))
        for m in _QUOTED.finditer(text[sent.start : sent.end]):
            inner = m.group(1)
            if (
                inner[:1].isupper()
                and len(inner.split()) <= 6
                and not inner.rstrip().endswith((".", ",", "!", "?"))
            ):
                s = base + m.start(1)
                mentions.append(Mention(inner, s, s + len(inner), sent.index, sent.paragraph, "title"))
    mentions.sort(key=lambda m: m.start)
    return mentions


def acronym_definitions(doc: Document) -> list[Definition]:
    """'Long Name (ACR)' in each sentence: the long name whose content-word initials spell ACR, else the
    capitalised run (or last few words) before the parenthesis."""
    out = []
    for sent in doc.sentences:
        stext = doc.text[sent.start : sent.end]
        for m in _DEFINED_ACRONYM.finditer(stext):
            acr = m.group(1)
            if not is_acronym(acr):
                continue
            before = [t[0] for t in tokens(stext[: m.start()])][-(len(acr) + 6) :]
            found = None
            for n in range(1, len(before) + 1):
                words = before[-n:]
                if spells(acr, words, doc.lang):
                    found = words
                    break
            if found is None:
                # the capitalised tail, else the last len(acr) content words
                tail: list[str] = []
                conns = lang_key(doc.lang, CONNECTORS)
                for w in reversed(before):
                    if _capitalised(w) or (tail and w.lower() in conns):
                        tail.insert(0, w)
                    else:
                        break
                while tail and tail[0].lower() in conns:
                    tail.pop(0)
                found = tail if len(tail) >= 2 else before[-len(acr) :]
            out.append(
                Definition(acr, " ".join(found), initials(found, doc.lang), sent.index, doc.lang, found)
            )
    return out


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
        (r"y", "i"),
        (r"ou", "u"),
        (r"(.)\1+", lambda m: m.group(1)),  # a function: a "\1" template is expanded in Python per match
        (r"(?<=\w\w\w)[eh]\b", ""),
    ]
]


@functools.lru_cache(maxsize=_MEMO)
def phonetic(text: str) -> str:
    """A transliteration-tolerant key of a name: folded, with spelling variants of one sound merged."""
    s = fold(text)
    for pat, rep in _PHONETIC:
        s = pat.sub(rep, s)
    return s


@functools.lru_cache(maxsize=_MEMO)
def similarity(a: str, b: str) -> float:
    """0-100 similarity of two names after folding (and of their transliteration-tolerant keys)."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    score = max(fuzz.ratio(fa, fb), 0.9 * fuzz.token_sort_ratio(fa, fb))
    if score < 90:
        score = max(score, 0.95 * fuzz.ratio(phonetic(a), phonetic(b)))
    return score


def _segment_target_mentions(seg, by_sentence: dict[int, list[Mention]]) -> list[Mention]:
    return [m for j in seg.target_sentences for m in by_sentence.get(j, [])]


def build_entity_table(source: Document, target: Document, segments) -> list[EntityEntry]:
    """Map each source mention to its rendering in the aligned target segment; group by source form."""
    src_mentions = extract_mentions(source)
    tgt_mentions = extract_mentions(target)
    src_by_sent: dict[int, list[Mention]] = {}
    tgt_by_sent: dict[int, list[Mention]] = {}
    for m in src_mentions:
        src_by_sent.setdefault(m.sentence, []).append(m)
    for m in tgt_mentions:
        tgt_by_sent.setdefault(m.sentence, []).append(m)
    # acronym correspondences from definitions in aligned segments: FDS <-> SDF
    src_defs = {d.sentence: d for d in acronym_definitions(source)}
    tgt_defs = {d.sentence: d for d in acronym_definitions(target)}
    acr_map: dict[str, str] = {}
    for seg in segments:
        sd = [src_defs[i] for i in seg.source_sentences if i in src_defs]
        td = [tgt_defs[j] for j in seg.target_sentences if j in tgt_defs]
        for d in sd:
            if d.acronym in {t.acronym for t in td}:
                acr_map.setdefault(d.acronym, d.acronym)
                continue
            best = max(
                td,
                key=lambda t: similarity(t.expansion, d.expansion) + 10 * (t.acronym not in acr_map.values()),
                default=None,
            )
            if best is not None:
                acr_map.setdefault(d.acronym, best.acronym)
    entries: dict[str, EntityEntry] = {}
    for seg in segments:
        if not seg.source_sentences or not seg.target_sentences:
            continue
        cands = _segment_target_mentions(seg, tgt_by_sent)
        used: set[int] = set()
        for m in (m for i in seg.source_sentences for m in src_by_sent.get(i, [])):
            key = fold(m.text)
            entry = entries.get(key)
            best, best_score = None, 0.0
            for c in cands:
                if id(c) in used:
                    continue
                if m.kind == "acronym":
                    if c.kind != "acronym":
                        continue
                    score = 100.0 if c.text == m.text else 0.0
                    if m.text in acr_map:
                        score = max(
                            score,
                            95.0 if c.text == acr_map[m.text] else 0.0,
                            0.9 * fuzz.ratio(c.text, acr_map[m.text]),
                        )
                    if entry:
                        score = max([score] + [0.9 * fuzz.ratio(c.text, r) for r in entry.renderings])
                    if (
                        score < 60
                        and sum(x.kind == "acronym" for x in cands) == 1
                        and not any(
                            x.kind == "acronym" for x in src_by_sent.get(m.sentence, []) if x is not m
                        )
                    ):
                        score = 60.0  # the only acronym on both sides
                else:
                    if c.kind == "acronym":
                        continue
                    score = similarity(m.text, c.text)
                    if entry:
                        score = max([score] + [similarity(c.text, r) for r in entry.renderings])
                if score > best_score:
                    best, best_score = c, score
            if best is None or best_score < 75 and not (m.kind == "acronym" and best_score >= 60):
                continue
            used.add(id(best))
            if entry is None:
                entry = entries[key] = EntityEntry(m.text, m.kind)
            entry.source_mentions.append(m)
            entry.renderings.setdefault(best.text, []).append(best)
    return list(entries.values())
