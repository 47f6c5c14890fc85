"""Helpers on aligned segments shared by the check families: their text, their span in the translation,
a robust spread of per-segment figures, and translation sentences that stray into another paragraph."""

from __future__ import annotations

import statistics

from rapidfuzz import fuzz

from mtqa.checks.context import CheckContext
from mtqa.document import Document
from mtqa.report import Segment

# fuzz.ratio of a segment's two texts from which its translation is taken to be the source left as is (the
# untranslated check reports it). The polarity and number checks have always used different cut-offs; both
# are kept, named side by side:
UNTRANSLATED_FOR_POLARITY = 80
UNTRANSLATED_FOR_NUMBERS = 90


def aligned(seg: Segment) -> bool:
    """A segment with text on both sides (not an omission or an addition)."""
    return bool(seg.source_sentences and seg.target_sentences)


def side_text(doc: Document, sentences: list[int]) -> str:
    """The text of some sentences of a document, joined by a space."""
    return " ".join(doc.text[doc.sentences[i].start : doc.sentences[i].end] for i in sentences)


def target_span(ctx: CheckContext, seg: Segment) -> tuple[int, int, str]:
    """(start, end, text) of a segment's translation."""
    s, e = seg.target_start, seg.target_end
    assert s is not None and e is not None
    return s, e, ctx.target.text[s:e]


def robust_spread(values: list[float]) -> tuple[float, float]:
    """(median, MAD scaled to a standard deviation) of some values."""
    med = statistics.median(values)
    mad = statistics.median(abs(v - med) for v in values)
    return med, 1.4826 * mad


def parallel_paragraphs(ctx: CheckContext) -> bool:
    """Source and translation paragraphs correspond one to one (same count, and most aligned segments
    join a source paragraph to the target paragraph of the same number); computed once per context."""
    return ctx.memo(_parallel_paragraphs, ctx)


def _parallel_paragraphs(ctx: CheckContext) -> bool:
    both = [s for s in ctx.segments if s.source_sentences and s.target_sentences]
    same = sum(set(s.source_paragraphs) == set(s.target_paragraphs) for s in both)
    return (
        len(ctx.source.paragraphs) == len(ctx.target.paragraphs)
        and len(both) >= 3
        and same >= 0.8 * len(both)
    )


def stray_sentences(ctx: CheckContext, seg) -> list[int]:
    """Target sentences of a segment that lie in a paragraph its source text is not in, when paragraphs
    correspond one to one: the aligner merged an added sentence at the end of one paragraph with the
    (shortened) translation of the next paragraph's source. Empty when nothing strays."""
    if not seg.source_sentences or len(seg.target_sentences) < 2 or not parallel_paragraphs(ctx):
        return []
    src_paras = set(seg.source_paragraphs)
    stray = [j for j in seg.target_sentences if ctx.target.sentences[j].paragraph not in src_paras]
    return stray if len(stray) < len(seg.target_sentences) else []


def left_untranslated(source: str, target: str, ratio: int) -> bool:
    """Whether a translation is its source left as is: fuzz.ratio at least `ratio` (see above)."""
    return fuzz.ratio(source, target) >= ratio
