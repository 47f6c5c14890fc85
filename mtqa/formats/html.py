"""HTML: the text nodes, grouped into blocks (p, li, h1-h6, td, ...); script, style, code and pre are
left out. Offsets point into the original HTML source."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from mtqa.formats import Extracted, TextBuilder, match_raw

BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "html", "li", "main", "nav", "ol", "p", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "title", "tr", "ul", "head", "option", "legend",
}
SKIP = {"script", "style", "code", "pre", "noscript", "template", "svg", "math", "kbd", "samp", "textarea"}


class _Extractor(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.raw = text
        self.out = TextBuilder()
        self.skip_depth = 0
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip_depth += 1
            self.out.space(self._offset())
        elif tag in BLOCK:
            self.out.end_block()

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK:
            self.out.end_block()

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            self.out.space(self._offset())
        elif tag in BLOCK:
            self.out.end_block()

    def handle_data(self, data):
        if self.skip_depth or not data:
            return
        start = self._offset()
        spans = match_raw(data, self.raw, start)
        if spans is None:  # unusual markup: map every character to the start of the text node
            spans = [(start, start)] * len(data)
        self.out.add_mapped(data, spans)


def extract_html(text: str) -> Extracted:
    parser = _Extractor(text)
    parser.feed(text)
    parser.close()
    return parser.out.build(text, "html")
