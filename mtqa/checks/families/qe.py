"""Mistranslations and calques in the segments the QE scorers rank far below the rest.

Segments the QE scorers rank far below the rest of the document, judged with word-level evidence
from the run's encoder: mistranslations, and target words that repeat a source word in a wrong form
(calques)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.segments import aligned, robust_spread, side_text, target_span
from mtqa.checks.kit.words import WordEvidence, embed_words, evidence_of, word_vocab
from mtqa.checks.registry import check
from mtqa.lang.wordseg import word_count
from mtqa.report import Issue, Segment

if TYPE_CHECKING:
    pass

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 60

# robust z-score at or below which a segment may be flagged as mistranslated
_FLAG_Z = -2.5
# robust z-score at or below which a segment's evidence can make it a mistranslation (major, or minor in
# the weak tier); a heading's unmatched words count only that low
STRONG_Z = -3
# share of the target's content words with no source counterpart that makes "many" (with three or more) ...
MANY_UNMATCHED_SHARE = 0.4
# ... and the share that, with two or more, backs a wrong form (major) or a clear drop (minor)
UNMATCHED_SHARE = 0.3
# drop of the segment's score below the document median for a major with many unmatched words, and for the
# weak (minor) tier
MAJOR_DROP = 0.25
MINOR_DROP = 0.3
# a combined score below this on a sentence of six source words or more is a major mistranslation
LOW_SCORE = 0.35


def _zscores(scored: dict[int, float]) -> dict[int, tuple[float, float]]:
    if len(scored) < 4:
        return {}
    med, sd = robust_spread(list(scored.values()))
    sd = max(sd, 0.03)
    return {k: ((v - med) / sd, med - v) for k, v in scored.items()}


def _ranked(ctx: CheckContext) -> dict[int, tuple[float, float]]:
    """Robust z-score of each scored segment's QE score within the document, and its drop below the median."""
    return _zscores({s.id: s.score for s in ctx.segments if aligned(s) and s.score is not None})


def per_scorer_z(ctx: CheckContext) -> dict[int, list[float]]:
    """Each segment's robust z-score under every scorer that judged it (empty with a single scorer)."""
    names = {n for s in ctx.segments for n, v in s.scores.items() if v is not None}
    out: dict[int, list[float]] = {}
    if len(names) < 2:
        return out
    for name in sorted(names):
        z = _zscores({s.id: v for s in ctx.segments if aligned(s) and (v := s.scores.get(name)) is not None})
        for k, (zk, _) in z.items():
            out.setdefault(k, []).append(zk)
    return out


def _evidence_for(ctx: CheckContext) -> dict[int, tuple[float, float, WordEvidence]]:
    """(z, drop, word evidence) of each segment ranked low in the document; computed once per context."""
    return ctx.memo(_low_segment_evidence, ctx)


def _low_segment_evidence(ctx: CheckContext) -> dict[int, tuple[float, float, WordEvidence]]:
    z = _ranked(ctx)
    per = per_scorer_z(ctx)
    src_lang, tgt_lang = ctx.source.lang, ctx.target.lang
    low = [
        (seg, side_text(ctx.source, seg.source_sentences), side_text(ctx.target, seg.target_sentences))
        for seg in ctx.segments
        if seg.id in z and z[seg.id][0] <= -1.0
    ]
    # unmatched words matter only to segments ranked low enough to be flagged (see the verdict)
    full = {seg.id: z[seg.id][0] <= _FLAG_Z for seg, _, _ in low}
    # embed the words of every low segment in one call (one cache round trip), not one per segment
    vocab: dict[str, None] = {}
    words_of = {}  # segment id -> its word_vocab
    for seg, src, tgt in low:
        words_of[seg.id] = sw, tw, _, words = word_vocab(src, tgt, src_lang, tgt_lang, full[seg.id])
        if sw and tw:
            vocab.update(dict.fromkeys(words))
    vecs = embed_words(ctx.word_encoder(), list(vocab))
    out = {}
    for seg, _, _ in low:
        sw, tw, stems, _ = words_of[seg.id]
        ev = evidence_of(sw, tw, stems, vecs, full[seg.id])  # = word_evidence(src, tgt, ...)
        # with several scorers: do they agree that this segment is low? (max z over scorers)
        ev.agree = max(per[seg.id]) <= -1.5 if len(per.get(seg.id, [])) >= 2 else True
        out[seg.id] = (*z[seg.id], ev)
    return out


def mistranslation_verdict(
    seg: Segment, z: float, ev: WordEvidence, drop: float = 1.0, src_lang: str = ""
) -> str | None:

    """'major', 'minor' or None for one segment from its rank and its word-level evidence."""
    source_words = word_count(seg.source, src_lang)
    short = source_words <= 3
    n = max(1, ev.words)
    if z > _FLAG_Z:
        return None
    frac = len(ev.unmatched) / n
    if short:
        # the cosine of a heading is unreliable: flag only with independent word evidence
        return "major" if ev.wrong_form or (ev.unmatched and z <= STRONG_Z) else None
    many = frac >= MANY_UNMATCHED_SHARE and len(ev.unmatched) >= 3
    if z <= STRONG_Z and (
        many and drop >= MAJOR_DROP or ev.wrong_form and frac >= UNMATCHED_SHARE and len(ev.unmatched) >= 2
    ):
        return "major"
    if seg.score is not None and seg.score < LOW_SCORE and source_words >= 6:
        return "major"
    # the weak tier: a clear absolute drop (cosine scores of good paraphrases sit 0.1-0.25 below the
    # median), unmatched words, and, with several scorers, every scorer ranking the segment low
    weak = drop >= MINOR_DROP and frac >= UNMATCHED_SHARE and len(ev.unmatched) >= 2
    if z <= STRONG_Z and weak and ev.agree:
        return "minor"
    return None


@check("mistranslation", issue_type="mistranslation", mqm="accuracy/mistranslation")
def mistranslation(ctx: CheckContext) -> Iterator[Issue]:
    """Segments whose QE score is far below the document's (robust z-score <= -2.5 against the median
    and MAD) and that show independent word-level evidence: target content words matching no source
    word, or source words repeated in a wrong form. Short headings need the word evidence."""
    for seg in ctx.segments:
        got = _evidence_for(ctx).get(seg.id)
        if got is None:
            continue
        z, drop, ev = got
        severity = mistranslation_verdict(seg, z, ev, drop, ctx.source.lang)
        if severity is None:
            continue
        s, e, text = target_span(ctx, seg)
        suspects = ev.wrong_form + [w for w in ev.unmatched if w not in ev.wrong_form]
        yield Issue(
            type="mistranslation",
            severity=severity,
            message=(
                f"QE score {seg.score:.2f} far below the document (z={z:.1f}); "
                f"suspect words: {', '.join(suspects) or '-'}"
            ),
            target_paragraph=seg.target_paragraphs[0],
            segment=seg.id,
            source_paragraph=seg.source_paragraphs[0],
            target_start=s,
            target_end=e,
            evidence=[text, *suspects],
            confidence=min(0.9, 0.5 + 0.05 * -z),
        )


@check("calque", issue_type="fluency", mqm="fluency/grammar")
def calque(ctx: CheckContext) -> Iterator[Issue]:
    """Target words that repeat a source word in a wrong form (a calque such as "Battled" for
    "Bataille") in segments the QE scorers rank low but that are not flagged as mistranslated.
    (Formerly half of the `fluency` check; `--disable fluency` still turns off this and grammar-en.)"""
    for seg in ctx.segments:
        got = _evidence_for(ctx).get(seg.id)
        if got is None:
            continue
        z, drop, ev = got
        if not ev.wrong_form or z > -1.0:
            continue
        if mistranslation_verdict(seg, z, ev, drop, ctx.source.lang) is not None:
            continue
        for w in ev.wrong_form[:1]:
            s0, e0, text = target_span(ctx, seg)
            m = re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text)
            if not m:
                continue
            yield Issue(
                type="fluency",
                severity="minor",
                message=f'"{w}" looks like a wrong form of a source word',
                target_paragraph=seg.target_paragraphs[0],
                segment=seg.id,
                source_paragraph=seg.source_paragraphs[0],
                target_start=s0 + m.start(),
                target_end=s0 + m.end(),
                evidence=[w],
                confidence=0.4,
            )
