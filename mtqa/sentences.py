"""Sentence splitting per language with offsets into the document text: a Document's Sentence objects."""

from __future__ import annotations

import re

from mtqa.document import Document, Paragraph, Sentence, line_spans
from mtqa.lang.codes import primary

# sentencex covers ~300 languages; these are the ones we test and document.
TESTED_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "pl", "tr", "zh", "ja", "ko", "ar")

#: a "sentence" longer than this (no sentence punctuation, e.g. a list of lines or a run-on blob) is cut at
#: its line breaks, then at whitespace, so that encoders never see megabyte-long inputs
MAX_SENTENCE_CHARS = 1000
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


# Abbreviations sentencex may break after; a split after one of these (or a single capital initial)
# is undone. Lower-case keys, without the final period.
_ABBREVIATIONS: dict[str, set[str]] = {
    "en": {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "gov", "sen", "rep",
           "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
           "sep", "sept", "oct", "nov", "dec", "fig", "approx", "u.s", "u.k", "e.g", "i.e"},
    "fr": {"m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "gén", "col", "cf", "etc", "p",
           "env", "janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc", "n°", "no"},
    "de": {"hr", "fr", "dr", "prof", "nr", "str", "bzw", "usw", "ca", "vgl", "z.b", "d.h", "u.a", "jan",
           "feb", "aug", "sept", "okt", "nov", "dez", "st"},
    "es": {"sr", "sra", "srta", "dr", "dra", "d", "dña", "ud", "uds", "pág", "etc", "núm", "ene", "feb",
           "ago", "sept", "oct", "nov", "dic", "gral"},
    "it": {"sig", "sigg", "dott", "prof", "ing", "avv", "on", "sen", "ecc", "pag", "gen", "feb", "ott",
           "nov", "dic"},
    "pt": {"sr", "sra", "dr", "dra", "prof", "etc", "pág", "jan", "fev", "ago", "set", "out", "nov", "dez"},
    "nl": {"dhr", "mevr", "dr", "prof", "mr", "ir", "ing", "bijv", "enz", "jan", "feb", "aug", "sept", "okt",
           "nov", "dec"},
}


def _ends_with_abbreviation(piece: str, lang: str) -> bool:
    stripped = piece.rstrip()
    if not stripped.endswith("."):
        return False
    last = stripped[:-1].split()[-1] if stripped[:-1].split() else ""
    last = last.lstrip("(«\"'“‘[")
    if len(last) == 1 and last.isalpha() and last.isupper():
        return True  # an initial: "J. Smith", "M. Dupont"
    return last.lower() in _ABBREVIATIONS.get(lang, set())


def _merge_false_breaks(pieces: list[str], lang: str) -> list[str]:
    # linear in the paragraph: merged pieces are collected in lists and joined once, and only the tail of
    # the text so far is examined (an abbreviation is a short last word)
    out: list[list[str]] = []
    for piece in pieces:
        if out and piece.strip():
            first = piece.lstrip()[:1]
            tail = "".join(out[-1][-3:])[-80:]
            if _ends_with_abbreviation(tail, lang) or (first.isalpha() and first.islower()):
                out[-1].append(piece)
                continue
        out.append([piece])
    return ["".join(parts) for parts in out]


def split_sentences_in(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) spans of sentences in `text`, trailing whitespace excluded."""
    import sentencex

    code = primary(lang)
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in _merge_false_breaks(list(sentencex.segment(code, text)), code):
        stripped = piece.strip()
        if not stripped:
            pos += len(piece)
            continue
        start = text.find(stripped, pos)
        if start < 0:  # the splitter normalised something: fall back to cursor position
            start = pos
        end = start + len(stripped)
        spans.extend(_cap(text, start, end))
        pos = end
    return spans


def _cap(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Cut an over-long span at line breaks, then at the last whitespace before `limit` (or hard)."""
    if end - start <= limit:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in _LINE_BREAK.finditer(text, start, end):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    out: list[tuple[int, int]] = []
    for s, e in pieces:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        while e - s > limit:
            cut = s + limit
            k = cut
            while k > s and not text[k].isspace():
                k -= 1
            if k > s:
                cut = k
            out.append((s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if s < e:
            out.append((s, e))
    return out


def split_document(doc: Document, *, split: bool = True, lines: bool = False) -> Document:
    """Fill doc.sentences from doc.paragraphs; with split=False every paragraph is one sentence, with
    lines=True (and split=False) every non-empty line of a paragraph is one sentence."""
    sentences: list[Sentence] = []
    for para in doc.paragraphs:
        if not para.text.strip():
            continue
        if split:
            spans = split_sentences_in(para.text, doc.lang)
        else:
            spans = line_spans(para.text) if lines else [(0, len(para.text))]
        for s, e in spans:
            sentences.append(
                Sentence(len(sentences), para.index, para.start + s, para.start + e, para.text[s:e])
            )
    doc.sentences = sentences
    return doc


def sentences_of(paragraph: Paragraph, lang: str) -> list[str]:
    return [paragraph.text[s:e] for s, e in split_sentences_in(paragraph.text, lang)]
