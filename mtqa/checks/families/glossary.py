"""Glossary terms: a source term whose required rendering is absent from the aligned translation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.segments import aligned, side_text, target_span
from mtqa.checks.registry import check
from mtqa.lang.lexicon import fold
from mtqa.report import Issue

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 30


def _term_in(term: str, text: str) -> bool:
    """A glossary term occurs in text: case-insensitive, whole words, allowing a short inflection."""
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in term.split()) + r"(?:s|es|e|en|er|n)?(?!\w)"
    if re.search(pattern, text, re.IGNORECASE):
        return True
    ft = fold(term)
    return (
        bool(ft)
        and re.search(r"(?<!\w)" + re.escape(ft) + r"(?:s|es|e|en|er|n)?(?!\w)", fold(text)) is not None
    )


@check("glossary", issue_type="glossary", mqm="terminology/inconsistent-with-termbase")
def glossary(ctx: CheckContext) -> Iterator[Issue]:
    """A glossary source term (--glossary CSV or TBX) occurs in a source segment but its required
    target rendering is absent from the aligned translation."""
    if not ctx.glossary:
        return
    for seg in ctx.segments:
        if not aligned(seg):
            continue
        src = side_text(ctx.source, seg.source_sentences)
        tgt = side_text(ctx.target, seg.target_sentences)
        for term, required in ctx.glossary:
            if _term_in(term, src) and not _term_in(required, tgt):
                s, e, text = target_span(ctx, seg)
                yield Issue(
                    type="glossary",
                    severity="major",
                    message=f'glossary: "{term}" must be rendered "{required}"',
                    target_paragraph=seg.target_paragraphs[0],
                    segment=seg.id,
                    source_paragraph=seg.source_paragraphs[0],
                    target_start=s,
                    target_end=e,
                    evidence=[text, term, required],
                    confidence=0.9,
                )
