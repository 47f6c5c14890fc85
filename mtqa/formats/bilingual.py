"""Bilingual files (translate-toolkit): XLIFF 1.2 / 2.0, PO and TMX.

Each translation unit is one paragraph on each side, already aligned: the pipeline pairs unit i of
the source with unit i of the target and skips sentence alignment. Offsets point into the file's
text: the unit strings are located inside their <source>/<target>/<seg> elements (or PO string
literals), allowing for character references, inline tags and escapes."""

from __future__ import annotations

import re

from mtqa.document import Paragraph, read_text
from mtqa.errors import MtqaError
from mtqa.formats import Extracted, OffsetMap, format_of, reference_end, whitespace_end

_ELEMENT = re.compile(r"<(?:[\w.-]+:)?(source|target|seg)\b[^>]*?(/?)>", re.S)
_TAG = re.compile(r"<!\[CDATA\[|\]\]>|<[^>]*>", re.S)
_PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f",
               "v": "\v"}


def _match_markup(decoded: str, raw: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """Spans of `decoded` in raw[start:end], skipping tags and CDATA markers, decoding references."""
    spans: list[tuple[int, int]] = []
    p = start
    for ch in decoded:
        while p < end and raw[p] == "<" and ch != "<" or raw.startswith("]]>", p):
            m = _TAG.match(raw, p)
            if not m:
                break
            p = m.end()
        if p >= end:
            if ch.isspace():
                spans.append((end, end))
                continue
            return None
        r = raw[p]
        ref_end = reference_end(raw, p, end, ch)
        if ref_end is not None:
            spans.append((p, ref_end))
            p = ref_end
        elif r == ch:
            spans.append((p, p + 1))
            p += 1
        elif ch.isspace():
            q = whitespace_end(raw, p, end)
            spans.append((p, q))
            p = q
        else:
            return None
    return spans


def _fallback(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(min(start + i, end), min(start + i + 1, end)) for i in range(len(text))]


def _xml_candidates(raw: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _ELEMENT.finditer(raw):
        name = m.group(1)
        if m.group(2):  # <target/>
            out.append((name, m.end(), m.end()))
            continue
        close = re.compile(rf"</(?:[\w.-]+:)?{name}\s*>").search(raw, m.end())
        if close:
            out.append((name, m.end(), close.start()))
    return out


def _locate_xml(raw: str, pairs: list[tuple[str, str]], fmt: str):
    """Spans for each (source, target) string pair, in file order."""
    cands = _xml_candidates(raw)
    ptr = 0
    located = []
    for src, tgt in pairs:
        used: list[int] = []
        result = []
        for text, want in ((src, "source"), (tgt, "target")):
            found = None
            for k in range(ptr, min(len(cands), ptr + 8)):
                name, cs, ce = cands[k]
                if k in used or (fmt != "tmx" and name not in (want, "seg")):
                    continue
                stripped_start = cs
                while stripped_start < ce and raw[stripped_start].isspace() and not text[:1].isspace():
                    stripped_start += 1
                spans = _match_markup(text, raw, stripped_start, ce)
                if spans is not None:
                    found = (k, spans)
                    break
            if found is None:
                k = ptr if ptr < len(cands) else None
                cs, ce = (cands[k][1], cands[k][2]) if k is not None else (len(raw), len(raw))
                result.append(_fallback(text, cs, ce) if text else [])
            else:
                used.append(found[0])
                result.append(found[1])
        if used:
            ptr = max(used) + 1
        located.append((result[0], result[1]))
    return located


def _po_entries(raw: str) -> list[dict[str, list[tuple[str, int, int]]]]:
    """Entries of a PO file: keyword -> string literal contents with their spans (comments skipped)."""
    entries: list[dict] = []
    current: dict | None = None
    key = None
    pos = 0
    for line in raw.splitlines(keepends=True):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        if stripped.startswith("#") or not stripped:
            if not stripped:
                key = None
            pos += len(line)
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s*(".*)', stripped)
        if m:
            key = m.group(1)
            if key in ("msgid", "msgctxt") and (current is None or "msgstr" in current
                                                or any(k.startswith("msgstr") for k in current)):
                current = {}
                entries.append(current)
            if key == "msgstr[0]":
                key = "msgstr"
            lit_start = pos + lead + m.start(2)
            lit = m.group(2)
        elif stripped.startswith('"') and key is not None:
            lit_start = pos + lead
            lit = stripped
        else:
            pos += len(line)
            continue
        end = lit.rfind('"')
        if current is not None and end > 0:
            current.setdefault(key, []).append((lit[1:end], lit_start + 1, lit_start + end))
        pos += len(line)
    return entries


def _po_decode(pieces: list[tuple[str, int, int]]) -> tuple[str, list[tuple[int, int]]]:
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for body, start, _end in pieces:
        i = 0
        while i < len(body):
            if body[i] == "\\" and i + 1 < len(body):
                chars.append(_PO_ESCAPES.get(body[i + 1], body[i + 1]))
                spans.append((start + i, start + i + 2))
                i += 2
            else:
                chars.append(body[i])
                spans.append((start + i, start + i + 1))
                i += 1
    return "".join(chars), spans


def _locate_po(raw: str, pairs: list[tuple[str, str]]):
    entries = []
    for e in _po_entries(raw):
        src, sspans = _po_decode(e.get("msgid", []))
        tgt, tspans = _po_decode(e.get("msgstr", []))
        if src:
            entries.append((src, sspans, tgt, tspans))
    located = []
    ptr = 0
    for src, tgt in pairs:
        hit = None
        for k in range(ptr, len(entries)):
            if entries[k][0] == src:
                hit = k
                break
        if hit is None:
            located.append((_fallback(src, 0, 0), _fallback(tgt, 0, 0)))
            continue
        ptr = hit + 1
        _, sspans, etgt, tspans = entries[hit]
        located.append((sspans, tspans if etgt == tgt else _fallback(tgt, tspans[0][0] if tspans else 0,
                                                                         tspans[-1][1] if tspans else 0)))
    return located


def _side(texts: list[str], spans: list[list[tuple[int, int]]], original: str, fmt: str,
          lang: str | None) -> Extracted:
    """One paragraph per unit (kept even when empty), joined by blank lines."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    paragraphs: list[Paragraph] = []
    last = 0
    for i, (text, sp) in enumerate(zip(texts, spans, strict=True)):
        if i:
            chars.append("\n\n")
            starts.extend((last, last))
            ends.extend((last, last))
        begin = len(starts)
        for ch, (s, e) in zip(text, sp, strict=True):
            chars.append(ch)
            starts.append(s)
            ends.append(e)
            last = e
        # each unit keeps its own paragraph; leading/trailing spaces are not part of it
        body = text.strip()
        lead = len(text) - len(text.lstrip())
        paragraphs.append(Paragraph(i + 1, begin + lead, begin + lead + len(body), body))
    # keep monotonic order even where a fallback mapped characters backwards
    for k in range(1, len(starts)):
        if starts[k] < starts[k - 1]:
            starts[k] = starts[k - 1]
        if ends[k] < ends[k - 1]:
            ends[k] = ends[k - 1]
    return Extracted("".join(chars), paragraphs, original, OffsetMap(starts, ends, len(original)), fmt,
                     lang=lang or None, units=list(texts))


def _store(raw: str, fmt: str, path: str):
    data = raw.encode("utf-8")
    try:
        if fmt == "xliff":
            head = raw[:2000]
            if re.search(r"<xliff\b[^>]*(?<![\w:.-])version\s*=\s*[\"']2\.", head):  # not its:version
                from translate.storage.xliff2 import Xliff2File as cls
            else:
                from translate.storage.xliff import Xliff1File as cls
        elif fmt == "po":
            from translate.storage.pypo import pofile as cls
        else:
            from translate.storage.tmx import tmxfile as cls
    except ImportError:
        raise MtqaError("reading XLIFF, PO and TMX needs translate-toolkit: pip install translate-toolkit") \
            from None
    try:
        return cls.parsestring(data)
    except Exception as exc:  # noqa: BLE001 - parser errors of a malformed file
        raise MtqaError(f"{path}: not a valid {fmt.upper()} file ({type(exc).__name__}: {exc})") from None


def read_bilingual(path: str, *, max_chars: int) -> tuple[Extracted, Extracted]:
    fmt = format_of(path)
    raw = read_text(path, max_chars=max_chars)
    store = _store(raw, fmt, path)
    pairs: list[tuple[str, str]] = []
    for unit in store.units:
        if fmt == "po" and (unit.isheader() or unit.isobsolete()):
            continue
        if not getattr(unit, "istranslatable", lambda: True)():
            continue
        src = str(unit.source or "")
        tgt = str(unit.target or "")
        if not src.strip():
            continue
        pairs.append((src, tgt))
    if not pairs:
        raise MtqaError(f"{path}: no translation units with source text")
    located = _locate_po(raw, pairs) if fmt == "po" else _locate_xml(raw, pairs, fmt)
    src_lang = tgt_lang = None
    try:
        src_lang = store.getsourcelanguage() or None
        tgt_lang = store.gettargetlanguage() or None
    except Exception:  # noqa: BLE001 - a store without language metadata
        pass
    if fmt == "tmx":  # translate-toolkit defaults to 'en'; trust only the header / the tuv languages
        m = re.search(r"<header\b[^>]*\bsrclang\s*=\s*[\"']([^\"']+)", raw)
        src_lang = m.group(1) if m and m.group(1) != "*all*" else None
        langs = re.findall(r"<tuv\b[^>]*\blang\s*=\s*[\"']([^\"']+)", raw[:20000])
        others = [x for x in dict.fromkeys(langs) if x != src_lang]
        tgt_lang = others[0] if others else None
    if fmt == "po":
        src_lang = None
    src = _side([s for s, _ in pairs], [a for a, _ in located], raw, fmt, src_lang)
    tgt = _side([t for _, t in pairs], [b for _, b in located], raw, fmt, tgt_lang)
    if not any(p.text for p in tgt.paragraphs):
        raise MtqaError(f"{path}: no unit has a translation (every target is empty)")
    return src, tgt
