"""Sentence splitting per language with offsets into the document text."""

from __future__ import annotations

from mtqa.document import Document, Paragraph, Sentence

# sentencex covers ~300 languages; these are the ones we test and document.
TESTED_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "pl", "tr", "zh", "ja", "ko", "ar")


def split_sentences_in(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) spans of sentences in `text`, trailing whitespace excluded."""
    import sentencex

    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in sentencex.segment(lang.split("-")[0].lower(), text):
        stripped = piece.strip()
        if not stripped:
            pos += len(piece)
            continue
        start = text.find(stripped, pos)
        if start < 0:  # the splitter normalised something: fall back to cursor position
            start = pos
        end = start + len(stripped)
        spans.append((start, end))
        pos = end
    return spans


def segment_document(doc: Document, *, split: bool = True) -> Document:
    """Fill doc.sentences from doc.paragraphs; with split=False every paragraph is one sentence."""
    sentences: list[Sentence] = []
    for para in doc.paragraphs:
        if not para.text.strip():
            continue
        spans = split_sentences_in(para.text, doc.lang) if split else [(0, len(para.text))]
        for s, e in spans:
            sentences.append(
                Sentence(len(sentences), para.index, para.start + s, para.start + e, para.text[s:e])
            )
    doc.sentences = sentences
    return doc


def sentences_of(paragraph: Paragraph, lang: str) -> list[str]:
    return [paragraph.text[s:e] for s, e in split_sentences_in(paragraph.text, lang)]
