"""Format-aware reading: plain text, Markdown, HTML, DOCX and bilingual XLIFF / PO / TMX, one module per
family of formats. Imported by pipeline and above (the reading floor); imports document and below.

Every reader returns an `Extracted`: the text mtqa analyses (paragraphs separated by blank lines),
its paragraphs, and an `OffsetMap` that takes any character offset of that text back into the
original file's decoded text. The pipeline runs on the extracted text and maps the offsets of the
issues back at the end, so reports always point into the original file (for DOCX, a zip of XML, the
offsets are into the extracted text, which is what `original` holds then).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from mtqa.document import Paragraph, read_text, split_paragraphs
from mtqa.errors import MtqaError

MONOLINGUAL = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".docx": "docx",
}
BILINGUAL = {".xlf": "xliff", ".xliff": "xliff", ".po": "po", ".pot": "po", ".tmx": "tmx"}
FORMAT_NAMES = sorted(set(MONOLINGUAL.values()) | set(BILINGUAL.values()))


class OffsetMap:
    """Original-file span of every character of an extracted text (non-decreasing)."""

    def __init__(self, starts: list[int], ends: list[int], length: int) -> None:
        self.starts, self.ends, self.length = starts, ends, length

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Extracted [start, end) -> original [start, end)."""
        n = len(self.starts)
        if n == 0:
            return 0, 0
        s = self.starts[min(max(start, 0), n - 1)] if start < n else self.ends[-1]
        if end <= start:
            return s, s
        e = self.ends[min(end, n) - 1]
        return s, max(s, e)

    def inverse(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) -> the extracted characters inside it."""
        s = bisect.bisect_left(self.starts, start)
        e = bisect.bisect_right(self.ends, end)
        return s, max(s, e)


class TextBuilder:
    """Accumulate extracted text together with the original span of each character."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.blocks: list[tuple[int, int]] = []
        self._block_start: int | None = None

    def add(self, ch: str, start: int, end: int) -> None:
        if self._block_start is None:
            self._block_start = len(self.chars)
        self.chars.append(ch)
        self.starts.append(start)
        self.ends.append(end)

    def add_mapped(self, text: str, spans: list[tuple[int, int]]) -> None:
        """Add text, collapsing whitespace runs to one space and dropping it at a block start."""
        for ch, (s, e) in zip(text, spans, strict=True):
            if ch.isspace():
                if self._block_start is None or (self.chars and self.chars[-1] == " "):
                    continue
                ch = " "
            self.add(ch, s, e)

    def space(self, at: int) -> None:
        """A single separating space (collapsing runs), mapped to an empty span at `at`."""
        if self._block_start is not None and self.chars and self.chars[-1] not in " \n":
            self.add(" ", at, at)

    def end_block(self) -> None:
        if self._block_start is None:
            return
        while len(self.chars) > self._block_start and self.chars[-1] in " \n\t":
            self.chars.pop(), self.starts.pop(), self.ends.pop()
        if len(self.chars) > self._block_start:
            self.blocks.append((self._block_start, len(self.chars)))
            self.chars.extend("\n\n")
            last = self.ends[-1]
            self.starts.extend((last, last))
            self.ends.extend((last, last))
        self._block_start = None

    def build(self, original: str, fmt: str, **kw) -> Extracted:
        self.end_block()
        if self.blocks:  # drop the last separator
            del self.chars[-2:], self.starts[-2:], self.ends[-2:]
        text = "".join(self.chars)
        paragraphs = [Paragraph(i + 1, s, e, text[s:e]) for i, (s, e) in enumerate(self.blocks)]
        offset_map = OffsetMap(self.starts, self.ends, len(original))
        return Extracted(text, paragraphs, original, offset_map, fmt, **kw)


@dataclass
class Extracted:
    text: str
    paragraphs: list[Paragraph]
    original: str
    offset_map: OffsetMap | None = None  # None: the text is the original
    format: str = "text"
    lang: str | None = None  # declared in the file (XLIFF, TMX, PO header)
    units: list[str] = field(default_factory=list)


def format_of(path: str | Path | None) -> str:
    if path is None or str(path) == "-":
        return "text"
    suffix = Path(str(path)).suffix.lower()
    return MONOLINGUAL.get(suffix) or BILINGUAL.get(suffix) or "text"


def is_bilingual(path: str | Path | None) -> bool:
    return path is not None and str(path) != "-" and Path(str(path)).suffix.lower() in BILINGUAL


def match_raw(decoded: str, raw: str, pos: int, end: int | None = None,
              escapes: bool = False) -> list[tuple[int, int]] | None:
    """Spans in `raw` (from `pos`) of every character of `decoded`, allowing character references
    (&amp; &#39; ...), backslash escapes (Markdown) and whitespace runs; None if it does not fit."""
    end = len(raw) if end is None else end
    spans: list[tuple[int, int]] = []
    p = pos
    for ch in decoded:
        if p >= end:
            return None
        r = raw[p]
        ref_end = reference_end(raw, p, end, ch)
        if ref_end is not None:
            spans.append((p, ref_end))
            p = ref_end
            continue
        if r == ch:
            spans.append((p, p + 1))
            p += 1
            continue
        if escapes and r == "\\" and p + 1 < end and raw[p + 1] == ch:
            spans.append((p, p + 2))
            p += 2
            continue
        if ch.isspace() and r.isspace():
            q = whitespace_end(raw, p, end)
            spans.append((p, q))
            p = q
            continue
        return None
    return spans


def reference_end(raw: str, p: int, end: int, ch: str) -> int | None:
    """End of a character reference at raw[p] (&amp; &#39; ...) that decodes to `ch`, else None."""
    import html

    if raw[p] != "&":
        return None
    semi = raw.find(";", p, min(end, p + 12))
    return semi + 1 if semi > 0 and html.unescape(raw[p : semi + 1]) == ch else None


def whitespace_end(raw: str, p: int, end: int) -> int:
    """End of the whitespace run starting at raw[p]."""
    while p < end and raw[p].isspace():
        p += 1
    return p


def find_raw(decoded: str, raw: str, pos: int, end: int | None = None,
             escapes: bool = False) -> list[tuple[int, int]] | None:
    """First place at or after `pos` where `decoded` fits `raw` (see match_raw)."""
    end = len(raw) if end is None else end
    if not decoded:
        return []
    first = decoded[0]
    p = pos
    while p < end:
        r = raw[p]
        if r == first or r == "&" or (escapes and r == "\\") or (first.isspace() and r.isspace()):
            spans = match_raw(decoded, raw, p, end, escapes)
            if spans is not None:
                return spans
        p += 1
    return None


def read_document(path: str, *, max_chars: int, fmt: str | None = None) -> Extracted:
    """Read one monolingual document (any supported format; '-' is plain text on standard input)."""
    fmt = fmt or format_of(path)
    if fmt in ("xliff", "po", "tmx"):
        raise MtqaError(f"{path}: a bilingual {fmt.upper()} file holds both sides; give it alone "
                        "(mtqa score FILE) instead of as one side of a pair")
    if fmt == "docx":
        from mtqa.formats.docx import read_docx

        return read_docx(path, max_chars=max_chars)
    text = read_text(path, max_chars=max_chars)
    if fmt == "markdown":
        from mtqa.formats.markdown import extract_markdown

        return extract_markdown(text)
    if fmt == "html":
        from mtqa.formats.html import extract_html

        return extract_html(text)
    return Extracted(text, split_paragraphs(text), text, None, "text")


def read_bilingual(path: str, *, max_chars: int) -> tuple[Extracted, Extracted]:
    """(source side, target side) of an XLIFF / PO / TMX file, one paragraph per unit on each side
    (empty target paragraphs for untranslated units), offsets into the file's text."""
    from mtqa.formats.bilingual import read_bilingual as _read

    return _read(path, max_chars=max_chars)


__all__ = ["Extracted", "OffsetMap", "TextBuilder", "format_of", "is_bilingual", "read_document",
           "read_bilingual", "match_raw", "find_raw", "FORMAT_NAMES"]
