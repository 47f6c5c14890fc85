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


def extract_markdown(text: str) -> Extracted:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(text)
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
                prev = next((c for c in reversed(children[:k]) if c.type == "link_open"), None)
                href = str(prev.attrs.get("href") or "") if prev is not None else ""
                if href and text.startswith("](", cursor):
                    idx = text.find(")", cursor + 2 + len(href) - 1 if len(href) > 1 else cursor, end)
                    if idx >= 0:
                        cursor = idx + 1
        out.end_block()
    return out.build(text, "markdown")
