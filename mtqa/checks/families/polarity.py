"""Polarity: a negation on one side only, or a polarity word reversed.

Polarity check: a negation on one side of a segment only, or a polarity word reversed (rise / fall, win /
lose, accept / reject, allow / ban). Cue lists per language in mtqa.lang.polarity."""

from __future__ import annotations

from collections.abc import Iterator

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.segments import UNTRANSLATED_FOR_POLARITY, left_untranslated
from mtqa.checks.kit.spans import SegmentSide, issue, paired_segments
from mtqa.checks.registry import check
from mtqa.lang import polarity as pol
from mtqa.report import Issue

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 130

# what each sign of an axis says (the change axis has three: rise, fall, keep)
_AXIS_WORDS = {
    "change": {1: "increase", -1: "decrease", 0: "no change"},
    "outcome": {1: "win", -1: "loss"},
    "decision": {1: "acceptance", -1: "rejection"},
    "permission": {1: "permission", -1: "ban"},
    "development": {1: "developed countries", -1: "developing countries"},
}


def _cues(side: SegmentSide, fn, lang: str) -> list[pol.Cue]:
    return [
        pol.Cue(c.text, start + c.start, start + c.end)
        for start, text in side.sentences
        for c in fn(text, lang)
    ]


def _soft_left(lacking: SegmentSide, lacking_lang: str, have: SegmentSide, have_lang: str) -> list[pol.Cue]:
    """Soft negations of the side without a negation, less the polarity words the other side has too
    ("lehnt ... nicht ab" -> "rejects": the reject word renders "lehnt ab", not the negation)."""
    soft = _cues(lacking, pol.soft_negations, lacking_lang)
    if not soft:
        return soft
    shared = {(a, sg) for a, sg, _ in _directions(have, have_lang)}
    echoed = {(c.start, c.end) for a, sg, c in _directions(lacking, lacking_lang) if (a, sg) in shared}
    return [c for c in soft if not any(s <= c.start < e for s, e in echoed)]


def _antonym(doc, lang: str, other: SegmentSide, other_lang: str, cues: list[pol.Cue]) -> bool:
    """Every lone negation of a side is rendered by an antonym on the other ("不容易" -> "difficult")."""
    return all(pol.antonym_rendering(doc.text, c, lang, other.text, other_lang) for c in cues)


def _directions(side: SegmentSide, lang: str) -> list[tuple[str, int, pol.Cue]]:
    out = []
    for start, text in side.sentences:
        for axis, sign, c in pol.directions(text, lang):
            out.append((axis, sign, pol.Cue(c.text, start + c.start, start + c.end)))
    return out


@check("polarity", issue_type="polarity", mqm="accuracy/mistranslation")
def polarity(ctx: CheckContext) -> Iterator[Issue]:
    """A negation present on one side only (ne…pas, nicht/kein, not/never/without, não, не/нет, 不/没/未 ...),
    when the other side has no word that negates by itself (refuse, unable, "un-" words): the translation
    says the opposite (major). Also a polarity word reversed: rise/fall/keep (kept prices -> raised
    prices), win/lose, accept/reject, allow/ban."""
    sl, tl = ctx.source.lang, ctx.target.lang
    if not (pol.supported(sl) and pol.supported(tl)):
        return
    scores = sorted(s.score for s in ctx.segments if s.score is not None)
    median = scores[len(scores) // 2] if scores else None
    for seg, src, tgt in paired_segments(ctx):
        if left_untranslated(src.text, tgt.text, UNTRANSLATED_FOR_POLARITY):
            continue  # left untranslated: reported as such
        s_neg, t_neg = _cues(src, pol.negations, sl), _cues(tgt, pol.negations, tl)
        if bool(s_neg) != bool(t_neg):
            have, lacking = (src, tgt) if s_neg else (tgt, src)
            lacking_lang = tl if s_neg else sl
            have_lang = sl if s_neg else tl
            doc = ctx.source if s_neg else ctx.target
            if not (
                _soft_left(lacking, lacking_lang, have, have_lang)
                or _cues(lacking, pol.fixed_negations, lacking_lang)
                or _antonym(doc, have_lang, lacking, lacking_lang, s_neg or t_neg)
            ):
                cue = (s_neg or t_neg)[0]
                cue_text = doc.text[cue.start : cue.end]
                if s_neg:
                    msg = f'negation dropped: "{cue_text}" of the source has no negation in the translation'
                    tspan, sspan = (tgt.start, tgt.end), (cue.start, cue.end)
                else:
                    msg = f'negation added: "{cue_text}" in the translation, none in the source'
                    tspan, sspan = (cue.start, cue.end), (src.start, src.end)
                # a lone negation changes the meaning of a close translation; a free one (QE score below
                # the document's median) drops idiomatic ones ("bear in mind" / "nicht vergessen", 不断),
                # but a negation added with nothing negative in the source is major even there
                literal = not s_neg or median is None or seg.score is None or seg.score >= median
                if not literal:
                    msg += " (free translation)"
                yield issue(
                    seg,
                    type="polarity",
                    severity="major" if literal else "minor",
                    message=msg,
                    target=tspan,
                    source=sspan,
                    evidence=[ctx.target.text[tspan[0] : tspan[1]], ctx.source.text[sspan[0] : sspan[1]]],
                    confidence=0.7,
                )
                continue
        if not (s_neg or t_neg):
            yield from _refused(ctx, seg, src, tgt)
        # "did not accept" for "rejected": at unequal negation only direction words no negation is near
        near = (s_neg, t_neg) if len(s_neg) != len(t_neg) else None
        yield from _reversed(ctx, seg, src, tgt, near)


def _unnegated(dirs: list, negs: list[pol.Cue]) -> list:
    """The direction words with no negation cue in the 30 characters before them."""
    return [d for d in dirs if not any(d[2].start - 30 <= n.end <= d[2].start for n in negs)]


def _reversed(ctx: CheckContext, seg, src: SegmentSide, tgt: SegmentSide, near=None) -> Iterator[Issue]:
    s_dirs = _directions(src, ctx.source.lang)
    if not s_dirs:
        return
    t_dirs = _directions(tgt, ctx.target.lang)
    if near is not None:
        s_dirs, t_dirs = _unnegated(s_dirs, near[0]), _unnegated(t_dirs, near[1])
    for axis in {a for a, _, _ in s_dirs}:
        s_signs = {sg for a, sg, _ in s_dirs if a == axis}
        t_signs = {sg for a, sg, _ in t_dirs if a == axis}
        if len(s_signs) != 1 or len(t_signs) != 1 or s_signs == t_signs:
            continue
        s_cue = next(c for a, _, c in s_dirs if a == axis)
        t_cue = next(c for a, _, c in t_dirs if a == axis)
        words = _AXIS_WORDS[axis]
        said, says = words[next(iter(s_signs))], words[next(iter(t_signs))]
        s_text, t_text = ctx.source.text[s_cue.start : s_cue.end], ctx.target.text[t_cue.start : t_cue.end]
        yield issue(
            seg,
            type="polarity",
            severity="major",
            message=f'meaning reversed: the source says {said} ("{s_text}"), '
            f'the translation {says} ("{t_text}")',
            target=(t_cue.start, t_cue.end),
            source=(s_cue.start, s_cue.end),
            evidence=[t_text, s_text],
            confidence=0.7,
        )


def _refused(ctx: CheckContext, seg, src: SegmentSide, tgt: SegmentSide) -> Iterator[Issue]:
    """A refusal or failure verb in the translation (refused to, failed to, 拒绝) where the source has
    nothing negative: "decided to join" told as "refused to join". (The other way round is not flagged:
    source nouns like "falha" (flaw) read as failures too often.)"""
    cues = _cues(tgt, pol.refusals, ctx.target.lang)
    if not cues or _cues(src, pol.soft_negations, ctx.source.lang):
        return
    cue = cues[0]
    said = ctx.target.text[cue.start : cue.end]
    yield issue(
        seg,
        type="polarity",
        severity="major",
        message=f'negation added: "{said}" in the translation, nothing negative in the source',
        target=(cue.start, cue.end),
        source=(src.start, src.end),
        evidence=[said, src.text],
        confidence=0.6,
    )
