"""Read documents: decoding, paragraphs and character offsets.

Paragraphs are separated by one or more blank lines and numbered from 1. Offsets are 0-based,
end-exclusive, into the decoded text (newlines kept, a leading BOM removed).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtqa.errors import MtqaError

DEFAULT_MAX_CHARS = 20_000_000
_LINE_END = re.compile(r"\r\n|\r|\n")
_BLANK_LINES = re.compile(r"(?:\r\n|\r|\n)[ \t\f\v]*(?:(?:\r\n|\r|\n)[ \t\f\v]*)+")


@dataclass
class Paragraph:
    index: int  # 1-based
    start: int
    end: int
    text: str


@dataclass
class Sentence:
    index: int  # 0-based over the document
    paragraph: int  # 1-based
    start: int
    end: int
    text: str


@dataclass
class Document:
    text: str
    path: str | None = None
    lang: str = "und"
    lang_detected: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    #: set by mtqa.formats for non-plain files: the file's own text (None: `text` is the file's text),
    #: the map from offsets in `text` to offsets in `original`, the format name, and whether the
    #: paragraphs are translation units already paired with the other side's (XLIFF, PO, TMX)
    original: str | None = field(default=None, repr=False)
    offset_map: Any = field(default=None, repr=False)
    format: str = "text"
    pre_aligned: bool = False

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in `text` -> offsets in the original file's text."""
        if self.offset_map is None:
            return start, end
        return self.offset_map.span(start, end)

    def paragraph_at(self, offset: int) -> int | None:
        """1-based paragraph holding a character offset, or None (binary search: paragraphs are sorted)."""
        import bisect

        paras = self.paragraphs
        k = bisect.bisect_right(paras, offset, key=lambda p: p.start) - 1
        for p in paras[max(0, k - 1) : k + 2]:
            if p.start <= offset < p.end or (offset == p.end and p.start < p.end):
                return p.index
        return None


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (BOM allowed) or UTF-16 with a BOM; refuse anything else with one clear line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise MtqaError(f"{name}: invalid UTF-16 at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        raise MtqaError(f"{name}: looks like a binary file (NUL bytes); give a UTF-8 text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MtqaError(
            f"{name}: not valid UTF-8 at byte {exc.start}; convert it first (e.g. iconv -f latin1 -t utf-8)"
        ) from None


def read_text(path: str | Path, *, max_chars: int = DEFAULT_MAX_CHARS, stdin_ok: bool = True) -> str:
    """Read and decode a text file ('-' is standard input); errors are MtqaError."""
    name = str(path)
    if name == "-":
        if not stdin_ok:
            raise MtqaError("standard input ('-') can be given only once")
        name = "<stdin>"
        data = sys.stdin.buffer.read(4 * max_chars + 4)  # more bytes than that is surely too long
        if len(data) > 4 * max_chars + 3:
            raise MtqaError(f"{name}: more than {max_chars:,} characters: exceeds --max-chars {max_chars:,}")
    else:
        p = Path(path)
        if not p.exists():
            raise MtqaError(f"{name}: no such file")
        if p.is_dir():
            raise MtqaError(f"{name}: is a directory, give a file")
        try:
            size = p.stat().st_size
            if size > 4 * max_chars + 4:  # UTF-8/16 take at most 4 bytes a character: refuse before reading
                raise MtqaError(f"{name}: {size:,} bytes exceeds --max-chars {max_chars:,} (characters)")
            data = p.read_bytes()
        except PermissionError:
            raise MtqaError(f"{name}: permission denied") from None
        except OSError as exc:
            raise MtqaError(f"{name}: cannot read ({exc.strerror})") from None
    text = decode(data, name)
    if not text.strip():
        raise MtqaError(f"{name}: the file is empty")
    if len(text) > max_chars:
        raise MtqaError(f"{name}: {len(text):,} characters exceeds --max-chars {max_chars:,}")
    return text


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs at blank lines, with offsets of their stripped text."""
    paragraphs: list[Paragraph] = []
    pos = 0
    chunks: list[tuple[int, int]] = []
    for m in _BLANK_LINES.finditer(text):
        chunks.append((pos, m.start()))
        pos = m.end()
    chunks.append((pos, len(text)))
    for start, end in chunks:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        s = start + (len(chunk) - len(chunk.lstrip()))
        e = s + len(stripped)
        paragraphs.append(Paragraph(len(paragraphs) + 1, s, e, stripped))
    return paragraphs


def split_lines(text: str) -> list[Paragraph]:
    """Every line its own paragraph (bitext, --split none); empty lines kept as empty paragraphs.

    Lines end at \\n, \\r\\n or a lone \\r only (as `wc -l`; not at form feeds or U+2028 like str.splitlines).
    """
    out: list[Paragraph] = []
    pos = 0
    for m in _LINE_END.finditer(text):
        out.append(Paragraph(len(out) + 1, pos, m.start(), text[pos : m.start()]))
        pos = m.end()
    if pos < len(text):
        out.append(Paragraph(len(out) + 1, pos, len(text), text[pos:]))
    return out


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line of `text` (as split_lines cuts them), surrounding whitespace
    left out: the sentences of a paragraph under `--split none`."""
    spans = []
    for line in split_lines(text):
        stripped = line.text.strip()
        if stripped:
            start = line.start + len(line.text) - len(line.text.lstrip())
            spans.append((start, start + len(stripped)))
    return spans


def lines_of(text: str) -> list[str]:
    """The lines of `text` exactly as split_lines counts them."""
    return [p.text for p in split_lines(text)]
