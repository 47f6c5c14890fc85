"""What one side of a segment offers to render a name of the other side: its folded words and text, the
places it names, its romanised form (CJK) and its content words."""

from __future__ import annotations

import re

from anyascii import anyascii

from mtqa.checks.kit.places import compass_heads, side_places
from mtqa.checks.kit.spans import SegmentSide
from mtqa.lang.codes import CJK_LANGS, primary
from mtqa.lang.lexicon import CONNECTORS, STOP_WORDS, fold, lang_key, tokens

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def content_words(text: str, lang: str) -> list[str]:
    """Words of three letters or more that are no stop word or connective."""
    stops = lang_key(lang, STOP_WORDS) | lang_key(lang, CONNECTORS)
    return [w for w in _WORD.findall(text) if len(w) >= 3 and w.lower() not in stops]


class Renderings:
    """One side of a segment, read once for all the names of the other side it may render."""

    def __init__(self, side: SegmentSide, lang: str) -> None:
        self.side = side
        self.lang = primary(lang)
        self.cjk = self.lang in CJK_LANGS
        self.folded = f" {fold(side.text)} "
        toks = [w for w, _, _ in tokens(side.text)]
        self.words = [part for w in toks for part in fold(w).split()]
        self.words += compass_heads(toks, lang)  # Ostafghanistan
        self.places = side_places(side, lang)
        self.romanised = fold(anyascii(side.text)) if self.cjk else ""
        self._content: list[str] | None = None

    @property
    def content(self) -> list[str]:
        if self._content is None:
            self._content = [] if self.cjk else content_words(self.side.text, self.lang)
        return self._content
