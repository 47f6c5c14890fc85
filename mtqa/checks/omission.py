"""Omitted clauses: a translation clearly shorter than the document's own source/target length ratio
predicts, for a sentence long enough to hold several clauses. The length-ratio check reports only cuts of a
third or more (and as major only past half); a clause or a qualifier dropped from a long sentence shortens
it by a quarter to a third, which this check calls major with the source as evidence. A short rendering
alone is not enough: some source content words must have no counterpart among the translation's words
(cross-lingual word embeddings), since a terse but complete rendering (common into Russian) loses none."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator

from mtqa.checks import CheckContext, check
from mtqa.checks.qe import word_evidence
from mtqa.checks.spans import issue, paired_segments
from mtqa.report import Issue

# log length ratio below the document's median from which a long sentence has lost content (ratio 0.70)
DROP = 0.35
MIN_WORDS = 8
# source content words without a counterpart in the translation that make a dropped clause
LOST_WORDS = 2


@check("clause-omission", issue_type="omission", mqm="accuracy/omission")
def clause_omission(ctx: CheckContext) -> Iterator[Issue]:
    """A translated sentence of 8 words or more whose length is under 70% of what the document's own
    source/target length ratio predicts, with source content words that have no counterpart in it: a
    clause, a quantity or a qualifier was left out (major)."""
    pairs = list(paired_segments(ctx))
    if len(pairs) < 4:
        return
    logs = [math.log(max(1, len(t.text)) / max(1, len(s.text))) for _, s, t in pairs]
    median = statistics.median(logs)
    for (seg, src, tgt), log in zip(pairs, logs, strict=True):
        if len(src.text.split()) < MIN_WORDS or log - median > -DROP:
            continue
        # word_evidence with the sides swapped: the source words that match no word of the translation
        lost = word_evidence(tgt.text, src.text, ctx.target.lang, ctx.source.lang, encoder=ctx.word_encoder())
        if len(lost["unmatched"]) < LOST_WORDS:
            continue
        share = math.exp(log - median)
        yield issue(
            seg,
            type="omission",
            severity="major",
            message=f"content left out: the translation is {share:.0%} of the length the document's ratio "
            f"predicts; no counterpart for {', '.join(lost['unmatched'])}",
            target=(tgt.start, tgt.end),
            source=(src.start, src.end),
            evidence=[tgt.text, src.text, *lost["unmatched"]],
            confidence=0.55,
        )
