"""Glossaries: a CSV file with a `source,target` header, or TBX (TermBase eXchange).

Malformed files raise MtqaError naming the line (and column) at fault.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from mtqa.errors import MtqaError
from mtqa.lang.codes import primary

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_glossary(
    path: str | Path, src_lang: str | None = None, tgt_lang: str | None = None
) -> list[tuple[str, str]]:
    """(source term, required target rendering) pairs from a CSV or TBX file."""
    p = Path(path)
    if not p.exists():
        raise MtqaError(f"{path}: no such glossary file")
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MtqaError(f"{path}: glossary is not valid UTF-8 at byte {exc.start}") from None
    if p.suffix.lower() in (".tbx", ".xml") or text.lstrip().startswith("<"):
        return _read_tbx(text, str(path), src_lang, tgt_lang)
    return _read_csv(text, str(path))


def _read_csv(text: str, name: str) -> list[tuple[str, str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out: list[tuple[str, str]] = []
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise MtqaError(f"{name}: line {reader.line_num}: malformed CSV ({exc})") from None
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["source", "target"]:
        got = ",".join(rows[0]) if rows else ""
        raise MtqaError(f"{name}: line 1, column 1: expected the header 'source,target', got '{got}'")
    for lineno, row in enumerate(rows[1:], start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) < 2:
            raise MtqaError(f"{name}: line {lineno}: expected 2 fields (source,target), got {len(row)}")
        if len(row) > 2 and any(c.strip() for c in row[2:]):
            col = len(row[0]) + len(row[1]) + 3
            raise MtqaError(
                f"{name}: line {lineno}, column {col}: expected 2 fields (source,target), got {len(row)}"
            )
        src, tgt = row[0].strip(), row[1].strip()
        if not src:
            raise MtqaError(f"{name}: line {lineno}, column 1: empty source term")
        if not tgt:
            raise MtqaError(f"{name}: line {lineno}, column {len(row[0]) + 2}: empty target term")
        out.append((src, tgt))
    return out


def _read_tbx(text: str, name: str, src_lang: str | None, tgt_lang: str | None) -> list[tuple[str, str]]:
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        raise MtqaError(
            f"{name}: line {line}, column {col + 1}: malformed TBX ({exc})"
        ) from None

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    out: list[tuple[str, str]] = []
    entries = [e for e in root.iter() if local(e.tag) in ("termEntry", "conceptEntry")]
    if not entries:
        raise MtqaError(f"{name}: line 1, column 1: no termEntry/conceptEntry in the TBX file")
    for entry in entries:
        langs: list[tuple[str, str]] = []
        for ls in entry:
            if local(ls.tag) != "langSet":
                continue
            lang = (ls.get(_XML_LANG) or ls.get("lang") or "").lower()
            terms = [
                t.text.strip() for t in ls.iter() if local(t.tag) == "term" and t.text and t.text.strip()
            ]
            if terms:
                langs.append((lang, terms[0]))
        if len(langs) < 2:
            continue

        def pick(code: str | None, default: int, langs=langs) -> str | None:
            if code:
                for lang, term in langs:
                    if primary(lang) == primary(code):
                        return term
                return None
            return langs[default][1]

        s, t = pick(src_lang, 0), pick(tgt_lang, 1)
        if s and t:
            out.append((s, t))
    return out
