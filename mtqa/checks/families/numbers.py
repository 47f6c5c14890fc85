"""Numbers: figures that differ between a source segment and its translation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.segments import (
    UNTRANSLATED_FOR_NUMBERS,
    aligned,
    left_untranslated,
    side_text,
    target_span,
)
from mtqa.checks.registry import check
from mtqa.lang.quantities import (
    Quantity,
    key,
    read_quantities,
    same_measure,
    unconverted,
    written_values,
)
from mtqa.lang.timewords import TimeWord, find_time_words
from mtqa.report import Issue

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 20

# a lone 0 or 1 left out is most often an article or a unit ("1美元" = "the dollar"): minor; so is a
# day of the month without its month (24日, the day of the story), which translators often leave out
_SMALL = {0.0, 1.0}
# ... and a decade (often told in words: "in den Neunzigern") or a figure in a name (G-20 = G20)
_WEAK = {"day", "decade", "label"}
_CURRENCY = re.compile(r"[$€£¥₽]")
_PERCENT = re.compile(r"\s?(?:%|per ?cent|prozent|процент|por ?cien|pour ?cent|por ?cento|per ?cento)", re.I)


def _months(times: list[TimeWord]) -> list[frozenset[float]]:
    """Month names as evidence of their number: 9/11 = 11. September."""
    return [frozenset({float(t.value)}) for t in times if t.kind == "month"]


def _restated(q: Quantity, side: list[Quantity]) -> bool:
    """q is a measurement given again in another unit on its side."""
    return q.measure is not None and any(
        o.measure is not None and o.measure.unit != q.measure.unit and same_measure(o, q) for o in side
    )


def _sentence_numbers(doc) -> list[list[Quantity]]:
    """The quantities of each sentence of a document, offsets into doc.text."""
    out = []
    for sent in doc.sentences:
        found = read_quantities(doc.text[sent.start : sent.end], doc.lang)
        out.append([replace(q, start=sent.start + q.start, end=sent.start + q.end) for q in found])
    return out


def _side_numbers(numbers: list[list[Quantity]], sentences: list[int]) -> list[Quantity]:
    return [q for i in sentences for q in numbers[i]]


def _stated_measure(text: str, q: Quantity) -> bool:
    """An added figure that states a measure (a percentage, a fraction, an amount of money, a unit) is a
    claim the source does not make; a bare added count is often explicitation ("the 27 member states")."""
    if q.value in _SMALL or q.kind != "number":
        return False
    return (
        q.measure is not None
        or q.value != int(q.value)
        or bool(_PERCENT.match(text, q.end))
        or bool(_CURRENCY.search(text[max(0, q.start - 2) : q.start]))
    )


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


def pair_quantities(src: list[Quantity], tgt: list[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """The source and the target quantities left without a counterpart: pairs of equal plain values
    first, then pairs sharing any reading (20.3 million = 2030万, 8 p.m. = 20:00), then measurements
    converted to other units (15 feet = 4,5 метра). An equal figure in another unit (8 feet = 8 m) is
    no counterpart."""
    left_s, left_t = list(src), list(tgt)
    for same in (
        lambda a, b: key(a.value) == key(b.value) and not unconverted(a, b),
        lambda a, b: bool(a.values & b.values) and not unconverted(a, b),
        same_measure,
    ):
        rest = []
        for q in left_s:
            match = next((i for i, t in enumerate(left_t) if same(q, t)), None)
            if match is None:
                rest.append(q)
            else:
                left_t.pop(match)
        left_s = rest
    return left_s, left_t


def _excused(
    quantities: list[Quantity],
    written: list[frozenset[float]],
    near: set[float],
    months: list[frozenset[float]],
) -> list[Quantity]:
    """Quantities without evidence elsewhere: a number written out in words on the other side (each
    used once; a month name for a figure of a numeric date: 9/11 = 11. September) or a figure of a
    neighbouring segment (an alignment that cut the sentences differently)."""
    pools = {"words": list(written), "months": list(months)}
    out = []
    for q in quantities:
        for name in ("words", "months") if q.kind == "datepart" else ("words",):
            hit = next((i for i, w in enumerate(pools[name]) if w & q.values), None)
            if hit is not None:
                pools[name].pop(hit)  # each piece of evidence serves once
                break
        else:
            if not q.values & near and q.kind != "minutes":
                out.append(q)
    return out


@check("number-mismatch", issue_type="number-mismatch", mqm="accuracy/mistranslation")
def number_mismatch(ctx: CheckContext) -> Iterator[Issue]:
    """Numbers that differ between a source segment and its translation, compared by value
    with each language's separators (1 200 = 1,200; 70 % = 70%; 1er décembre = December 1); missing,
    extra or changed numbers (dates: the date-mismatch check). Small numbers written out in words count as
    present."""
    segs = ctx.segments
    # numbers of each sentence, found once: a segment also looks at its neighbours'
    src_numbers, tgt_numbers = _sentence_numbers(ctx.source), _sentence_numbers(ctx.target)
    for k, seg in enumerate(segs):
        if not aligned(seg):
            continue
        # the same numbers on both sides (or none): nothing missing or extra (months and weekdays are
        # the date-mismatch check's)
        src_q = _side_numbers(src_numbers, seg.source_sentences)
        tgt_q = _side_numbers(tgt_numbers, seg.target_sentences)
        same = sorted(q.value for q in src_q) == sorted(q.value for q in tgt_q)
        if same and not any(unconverted(a, b) for a in src_q if a.measure for b in tgt_q if b.measure):
            continue
        src_text = side_text(ctx.source, seg.source_sentences)
        tgt_text = side_text(ctx.target, seg.target_sentences)
        if left_untranslated(src_text, tgt_text, UNTRANSLATED_FOR_NUMBERS):
            continue  # left untranslated (reported as such): its numbers are in the source's notation
        para = seg.target_paragraphs[0] if seg.target_paragraphs else None
        yield from _number_issues(ctx, k, (src_numbers, tgt_numbers), (src_text, tgt_text), para)


def _number_issues(
    ctx: CheckContext,
    k: int,
    numbers: tuple[list, list],
    texts: tuple[str, str],
    para: int | None,
) -> Iterator[Issue]:

    """Missing, extra and changed numbers of segment k; `numbers` (each sentence's numbers) and
    `texts` (the segment's text) per side."""
    segs = ctx.segments
    seg = segs[k]
    src_numbers, tgt_numbers = numbers
    src_text, tgt_text = texts
    # numbers in neighbouring segments excuse an alignment that cut a sentence differently
    near_src: set[float] = set()
    near_tgt: set[float] = set()
    for nb in (segs[k - 1] if k else None, segs[k + 1] if k + 1 < len(segs) else None):
        if nb is not None:
            near_src |= {v for q in _side_numbers(src_numbers, nb.source_sentences) for v in q.values}
            near_tgt |= {v for q in _side_numbers(tgt_numbers, nb.target_sentences) for v in q.values}
    src_q = _side_numbers(src_numbers, seg.source_sentences)
    tgt_q = _side_numbers(tgt_numbers, seg.target_sentences)
    missing, extra = pair_quantities(src_q, tgt_q)
    tgt_times = find_time_words(tgt_text, ctx.target.lang)
    src_times = find_time_words(src_text, ctx.source.lang)
    missing = _excused(missing, written_values(tgt_text, ctx.target.lang), near_tgt, _months(tgt_times))
    extra = _excused(extra, written_values(src_text, ctx.source.lang), near_src, _months(src_times))
    # a measurement given in two units on one side ("161 feet (49 meters)") and in one on the other
    missing = [q for q in missing if not _restated(q, src_q)]
    extra = [q for q in extra if not _restated(q, tgt_q)]
    if any(t.kind in ("weekday", "relative") for t in tgt_times):
        # 24日 (the 24th) told as "on Thursday": news style, and without the date of the story the
        # weekday cannot be checked (a day changed in a date with its month is the date-mismatch check's)
        missing = [q for q in missing if q.kind != "day"]
    miss = sorted(missing, key=lambda q: q.value)
    for n, q in enumerate(extra):
        s, e = q.start, q.end
        changed = n < len(miss)
        # a kind of its own (mtqa.precision measures each kind): 8 feet -> 8 m, acres -> Hektar
        lead = "unit not converted" if changed and unconverted(miss[n], q) else "number changed"
        msg = (
            f"{lead}: {_fmt(miss[n].value)} in the source, {ctx.target.text[s:e]} in the translation"
            if changed
            else f"number {ctx.target.text[s:e]} not in the source"
        )
        if lead == "unit not converted":
            msg += " (the same figure in another unit)"
        yield Issue(
            type="number-mismatch",
            severity="major" if changed or _stated_measure(ctx.target.text, q) else "minor",
            message=msg,
            target_paragraph=para,
            segment=seg.id,
            source_paragraph=seg.source_paragraphs[0],
            target_start=s,
            target_end=e,
            evidence=[ctx.target.text[s:e]] + ([_fmt(miss[n].value)] if changed else []),
            confidence=0.8,
        )
    for q in miss[len(extra) :]:
        s, e, text = target_span(ctx, seg)
        yield Issue(
            type="number-mismatch",
            severity="minor" if q.value in _SMALL or q.kind in _WEAK else "major",
            message=f"number {_fmt(q.value)} of the source is missing",
            target_paragraph=para,
            segment=seg.id,
            source_paragraph=seg.source_paragraphs[0],
            target_start=s,
            target_end=e,
            evidence=[text, _fmt(q.value)],
            confidence=0.75,
        )
