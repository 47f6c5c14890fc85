"""Helpers shared by the fidelity checks (dates, polarity, entity fidelity, garbled): the aligned
segments that have text on both sides, their sentences with absolute offsets, and issue construction with a
source span as well as a target span."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.segments import aligned
from mtqa.report import Issue, Segment


@dataclass
class SegmentSide:
    """One side of a segment: its sentences as (absolute start, text)."""

    sentences: list[tuple[int, str]]
    start: int
    end: int
    text: str  # the document text from start to end


def paired_segments(ctx: CheckContext) -> Iterator[tuple[Segment, SegmentSide, SegmentSide]]:
    """Segments with sentences on both sides, with each side's sentences and span."""
    for seg in ctx.segments:
        if aligned(seg):
            yield seg, side(ctx.source, seg.source_sentences), side(ctx.target, seg.target_sentences)


def side(doc, sentences: list[int]) -> SegmentSide:
    sents = [doc.sentences[i] for i in sentences]
    start, end = sents[0].start, sents[-1].end
    return SegmentSide([(s.start, doc.text[s.start : s.end]) for s in sents], start, end, doc.text[start:end])


def issue(
    seg: Segment,
    *,
    type: str,
    severity: str,
    message: str,
    target: tuple[int, int],
    source: tuple[int, int] | None,
    evidence: list[str],
    confidence: float,
    target_paragraph: int | None = None,
) -> Issue:
    return Issue(
        type=type,
        severity=severity,
        message=message,
        target_paragraph=target_paragraph if target_paragraph is not None else seg.target_paragraphs[0],
        segment=seg.id,
        source_paragraph=seg.source_paragraphs[0] if seg.source_paragraphs else None,
        target_start=target[0],
        target_end=target[1],
        evidence=evidence,
        confidence=confidence,
        source_start=source[0] if source else None,
        source_end=source[1] if source else None,
    )
