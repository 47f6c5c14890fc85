"""Checks read off the alignment: omitted and added text."""

from __future__ import annotations

from collections.abc import Iterator

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.segments import stray_sentences
from mtqa.checks.registry import check
from mtqa.report import Issue

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 10


def _words(text: str) -> int:
    return len(text.split())


@check("omission", issue_type="omission", mqm="accuracy/omission")
def omission(ctx: CheckContext) -> Iterator[Issue]:
    """Source sentences with no counterpart in the translation (1-0 alignments)."""
    where: int | None = None  # the target paragraph where the missing text belongs
    for k, seg in enumerate(ctx.segments):
        if seg.target_paragraphs:
            where = seg.target_paragraphs[-1]
        if seg.source_sentences and not seg.target_sentences:
            if where is None:
                later = [s.target_paragraphs[0] for s in ctx.segments[k:] if s.target_paragraphs]
                where = later[0] if later else None
            words = _words(seg.source)
            severity = "critical" if words >= 25 else "major" if words >= 6 else "minor"
            yield Issue(
                type="omission",
                severity=severity,
                message=f"source text not translated ({words} words): {seg.source[:80]}",
                target_paragraph=where,
                segment=seg.id,
                source_paragraph=seg.source_paragraphs[0] if seg.source_paragraphs else None,
                evidence=[seg.source],
                confidence=0.8,
            )


@check("addition", issue_type="addition", mqm="accuracy/addition")
def addition(ctx: CheckContext) -> Iterator[Issue]:
    """Translation sentences with no counterpart in the source (0-1 alignments), and sentences the
    aligner attached to a source paragraph other than their own when paragraphs correspond."""
    for seg in ctx.segments:
        for j in stray_sentences(ctx, seg):
            sent = ctx.target.sentences[j]
            text = ctx.target.text[sent.start : sent.end]
            words = _words(text)
            yield Issue(
                type="addition",
                severity="major" if words >= 6 else "minor",
                message=f"text with no source counterpart in its paragraph ({words} words; aligned with "
                f"source ¶{', '.join(map(str, seg.source_paragraphs))})",
                target_paragraph=sent.paragraph,
                segment=seg.id,
                target_start=sent.start,
                target_end=sent.end,
                evidence=[text],
                confidence=0.6,
            )
        if seg.target_sentences and not seg.source_sentences:
            words = _words(seg.target)
            severity = "major" if words >= 6 else "minor"
            yield Issue(
                type="addition",
                severity=severity,
                message=f"text with no source counterpart ({words} words)",
                target_paragraph=seg.target_paragraphs[0] if seg.target_paragraphs else None,
                segment=seg.id,
                target_start=seg.target_start,
                target_end=seg.target_end,
                evidence=[seg.target],
                confidence=0.8,
            )
