"""Markdown (CommonMark + tables via markdown-it-py): text blocks are paragraphs; code spans, code
blocks, raw HTML, images and URLs are left out; offsets point into the original Markdown."""

from __future__ import annotations

import re

from mtqa.formats import Extracted, TextBuilder, find_raw

URL = re.compile(r"(?:https?|ftp)://[^\s<>()]+|www\.[^\s<>()]+|mailto:[^\s<>()]+")


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        starts.append(m.end())
    starts.append(len(text))
    return starts


_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n.*?^(?:---|\+\+\+|\.\.\.)[ \t]*$", re.S | re.M)


def _mask_front_matter(text: str) -> str:
    """YAML/TOML front matter (Jekyll, Hugo) is metadata, not text: blank it, keeping the line count."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return text
    return "\n" * m.group().count("\n") + text[m.end():]


def _skip_link_target(text: str, cursor: int, end: int) -> int:
    """Past '](url "title")' or '][ref]' right after a link's text, else cursor unchanged."""
    if text.startswith("][", cursor):
        close = text.find("]", cursor + 2, end)
        return close + 1 if close >= 0 else cursor
    if not text.startswith("](", cursor):
        return cursor
    depth, p = 1, cursor + 2
    while p < end:
        ch = text[p]
        if ch == "\\":
            p += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return p + 1
        p += 1
    return cursor


def extract_markdown(text: str) -> Extracted:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(_mask_front_matter(text))
    lines = _line_starts(text)
    out = TextBuilder()
    cursor = 0
    for tok in tokens:
        if tok.type != "inline" or tok.map is None:
            continue
        l0, l1 = tok.map
        start = lines[min(l0, len(lines) - 1)]
        end = lines[min(l1, len(lines) - 1)]
        cursor = max(cursor, start)
        children = tok.children or []
        skip_until_close = 0
        for k, child in enumerate(children):
            kind = child.type
            if skip_until_close:
                if kind == "link_close":
                    skip_until_close -= 1
                continue
            if kind in ("text", "text_special"):
                pos = 0
                pieces = []
                for m in URL.finditer(child.content):
                    pieces.append((child.content[pos:m.start()], m.group()))
                    pos = m.end()
                pieces.append((child.content[pos:], ""))
                for piece, url in pieces:
                    if piece:
                        spans = find_raw(piece, text, cursor, end, escapes=True)
                        if spans is None:  # should not happen: keep the text, map it to the cursor
                            spans = [(cursor, cursor)] * len(piece)
                        out.add_mapped(piece, spans)
                        if spans and spans[-1][1] > cursor:
                            cursor = spans[-1][1]
                    if url:
                        idx = text.find(url, cursor, end)
                        if idx >= 0:
                            cursor = idx + len(url)
                        out.space(cursor)
            elif kind in ("softbreak", "hardbreak"):
                out.space(cursor)
            elif kind in ("code_inline", "html_inline"):
                idx = text.find(child.content, cursor, end)
                if idx >= 0:
                    cursor = idx + len(child.content)
                out.space(cursor)
            elif kind == "image":
                src = child.attrs.get("src") or ""
                idx = text.find(str(src), cursor, end) if src else -1
                if idx >= 0:
                    cursor = idx + len(str(src))
            elif kind == "link_open":
                href = str(child.attrs.get("href") or "")
                nxt = children[k + 1] if k + 1 < len(children) else None
                label = nxt.content if nxt is not None and nxt.type == "text" else None
                if child.markup == "autolink" or (label and (label == href or href.endswith(label))
                                                  and URL.fullmatch(label)):
                    skip_until_close = 1
                    idx = text.find(label or href, cursor, end)
                    if idx >= 0:
                        cursor = idx + len(label or href)
                    out.space(cursor)
            elif kind == "link_close":
                # step over '](url "title")' so later text is not searched for inside the URL
                cursor = _skip_link_target(text, cursor, end)
        out.end_block()
    return out.build(text, "markdown")
