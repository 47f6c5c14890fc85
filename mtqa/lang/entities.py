"""Entity mentions of a document and its acronym definitions (mtqa.entity_table maps them across a pair).

No NER model ships offline, so mentions come from language-aware rules:

* capitalised spans (runs of capitalised tokens, joined by per-language connectors such as
  "of", "de", "al-", "von"); a sentence-initial token starts a span only if it is not a stop word
  and the same form occurs capitalised elsewhere in the document (or the span goes on);
* acronyms (2-8 upper-case letters or digits, at least two letters) and their definitions
  "Long Name (ACR)", checked by the initials of the long name's content words;
* quoted titles: short quoted spans (≤ 6 words) that start with a capital.

German capitalises every noun, so in noun-capitalising languages a single capitalised token is a
mention only if it is not sentence-initial and it is mapped to a target mention by string similarity.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from anyascii import anyascii

from mtqa.document import Document
from mtqa.lang.codes import primary
from mtqa.lang.lexicon import (
    CONNECTORS,
    MEMO_SIZE,
    NOUN_CAPITALISING,
    ORG_WORDS,
    STOP_WORDS,
    capitalised,
    fold,
    is_acronym,
    lang_key,
    strip_elision,
    tokens,
)

_QUOTED = re.compile(r"[«“\"]\s*([^«»“”\"]{2,80}?)\s*[»”\"]")
_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ad|as|an)-", re.I)
_DEFINED_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&]{1,7})\)")
_WORD = re.compile(r"\w+")
# what opens a clause inside a sentence, before a word that is capitalised for it: a colon, an opening quote,
# a dash ("the theme \"Rabies: Vaccinate to eliminate\"", "one goal – Win")
_CLAUSE_OPENER = re.compile(r"[:\"“„«–—]")


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


def initials(words: list[str], lang: str) -> str:
    """Initials of the content words of a long name: 'Observatoire syrien des droits de l'homme' -> OSDH."""
    stops = lang_key(lang, CONNECTORS) | lang_key(lang, STOP_WORDS)
    out = []
    for w in words:
        w, _ = strip_elision(w)
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
        w, _ = strip_elision(w)
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


@functools.lru_cache(maxsize=MEMO_SIZE)
def _classify(text: str, lang: str) -> str:
    words = text.split()
    if len(words) == 1 and is_acronym(words[0]):
        return "acronym"
    if any(fold(w) in ORG_WORDS for w in words):
        return "organisation"
    caps = [w for w in words if w[:1].isupper()]
    if 2 <= len(caps) <= 4 and len(caps) == len(words):
        return "person"
    if len(words) == 1:
        return "place"
    return "name"


def lower_words(text: str) -> set[str]:
    """The words of text written in lower case somewhere (common words, not names). Not cached: a caller
    that asks more than once keeps the result (CheckContext.memo)."""
    return {w for w in _WORD.findall(text) if w[:1].islower()}


def extract_mentions(doc: Document) -> list[Mention]:
    """Entity mentions of a document (see the module docstring for the rules). Computed on every call:
    the checks share one extraction per document through CheckContext.mentions."""
    lang = doc.lang
    stops = lang_key(lang, STOP_WORDS)
    conns = lang_key(lang, CONNECTORS)
    noun_caps = primary(lang) in NOUN_CAPITALISING
    text = doc.text
    lowered = lower_words(text)
    sent_tokens, mid_caps = _name_words(doc, stops)
    mentions: list[Mention] = []
    for sent, (toks, named, opens) in zip(doc.sentences, sent_tokens, strict=True):
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
                    opens[k]  # a sentence's or a clause's first word: a capitalised ordinary word?
                    and mid_caps[first] == 0
                    and (first.lower() in lowered or len(first) < 4)
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
        mentions += _quoted_titles(text, sent)
    mentions.sort(key=lambda m: m.start)
    return mentions


def _name_words(doc: Document, stops: set[str]) -> tuple[list, Counter[str]]:
    """Per sentence its tokens, which are capitalised non-stop words (name words) and which open the
    sentence or a clause (after a colon, an opening quote or a dash); and the forms seen capitalised
    elsewhere."""
    mid_caps: Counter[str] = Counter()
    sent_tokens = []
    for sent in doc.sentences:
        toks = tokens(doc.text[sent.start : sent.end])
        # capitalised(tok), its article test done only for tokens starting with a or e
        caps = [tok[0].isupper() if tok[0] not in "aAeE" else capitalised(tok) for tok, _, _ in toks]
        named = [cap and tok.lower() not in stops for cap, (tok, _, _) in zip(caps, toks, strict=True)]
        text = doc.text[sent.start : sent.end]
        opens = [k == 0 or caps[k] and bool(_CLAUSE_OPENER.search(text, toks[k - 1][2], toks[k][1]))
                 for k in range(len(toks))]  # looked for before capitals only
        sent_tokens.append((toks, named, opens))
        mid_caps.update([toks[k][0] for k in range(1, len(toks)) if caps[k] and not opens[k]])
    return sent_tokens, mid_caps


def _quoted_titles(text: str, sent) -> list[Mention]:
    """Capitalised quoted phrases of a sentence (titles of works, of laws): "title" mentions."""
    out = []
    for m in _QUOTED.finditer(text[sent.start : sent.end]):
        inner = m.group(1)
        if (
            inner[:1].isupper()
            and len(inner.split()) <= 6
            and not inner.rstrip().endswith((".", ",", "!", "?"))
        ):
            s = sent.start + m.start(1)
            out.append(Mention(inner, s, s + len(inner), sent.index, sent.paragraph, "title"))
    return out


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
                    if capitalised(w) or (tail and w.lower() in conns):
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
