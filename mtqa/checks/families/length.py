"""Length: translations much shorter than the document's own length ratio predicts (content cut)."""

from __future__ import annotations

import math
from collections.abc import Iterator

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.segments import aligned, robust_spread, side_text, stray_sentences, target_span
from mtqa.checks.registry import check
from mtqa.report import Issue

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 40

# log length ratio beyond the margin from which a short translation is an omission (major), not a length
# ratio (minor)
SEVERE_BEYOND = 0.35


@check("length-ratio", issue_type="length-ratio", mqm="accuracy/omission")
def length_ratio(ctx: CheckContext) -> Iterator[Issue]:
    """Translations much shorter than the document's own source/target length ratio predicts (content
    cut): a log length ratio more than max(0.45, 3 robust SD) below the median; far below is an omission."""
    pairs = [s for s in ctx.segments if aligned(s) and len(s.source.split()) >= 5]
    if len(pairs) < 4:
        return
    # sentences stray from another paragraph (reported as additions) do not count for the length
    kept = {}
    for seg in pairs:
        stray = set(stray_sentences(ctx, seg))
        kept[seg.id] = [j for j in seg.target_sentences if j not in stray]
    tlen = {s.id: len(side_text(ctx.target, kept[s.id])) for s in pairs}
    logs = {s.id: math.log(max(1, tlen[s.id]) / max(1, len(s.source))) for s in pairs}
    med, sd = robust_spread(list(logs.values()))
    margin = max(0.45, 3 * sd)
    for seg in pairs:
        d = logs[seg.id] - med
        if len(seg.source.split()) < 8 or d > -margin:
            continue
        s, e, text = target_span(ctx, seg)
        if kept[seg.id] != seg.target_sentences:
            s, e = ctx.target.sentences[kept[seg.id][0]].start, ctx.target.sentences[kept[seg.id][-1]].end
            text = ctx.target.text[s:e]
        ratio = math.exp(d)
        severe = d < -margin - SEVERE_BEYOND
        yield Issue(
            type="omission" if severe else "length-ratio",
            severity="major" if severe else "minor",
            message=f"translation is {ratio:.0%} of the length expected from the document's norm",
            target_paragraph=ctx.target.sentences[kept[seg.id][0]].paragraph,
            segment=seg.id,
            source_paragraph=seg.source_paragraphs[0],
            target_start=s,
            target_end=e,
            evidence=[text],
            confidence=0.6 if severe else 0.4,
        )
