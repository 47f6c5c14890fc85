"""Numbers: figures that differ between a source segment and its translation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from rapidfuzz import fuzz

from mtqa.checks import CheckContext, aligned, check, side_text, target_span
from mtqa.numbers import find_numbers, written_numbers
from mtqa.report import Issue


def _sentence_numbers(doc) -> list[list[tuple[float, int, int]]]:
    """(value, start, end) of the numerals of each sentence of a document, offsets into doc.text."""
    out = []
    for sent in doc.sentences:
        found = find_numbers(doc.text[sent.start : sent.end], doc.lang)
        out.append([(n.value, sent.start + n.start, sent.start + n.end) for n in found])
    return out


def _side_numbers(numbers: list[list[tuple[float, int, int]]], sentences: list[int]):
    return [x for i in sentences for x in numbers[i]]


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


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
        same = sorted(v for i in seg.source_sentences for v, _, _ in src_numbers[i]) == sorted(
            v for j in seg.target_sentences for v, _, _ in tgt_numbers[j]
        )
        if same:
            continue
        src_text = side_text(ctx.source, seg.source_sentences)
        tgt_text = side_text(ctx.target, seg.target_sentences)
        if fuzz.ratio(src_text, tgt_text) >= 90:
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
    src = _side_numbers(src_numbers, seg.source_sentences)
    tgt = _side_numbers(tgt_numbers, seg.target_sentences)
    # numbers in neighbouring segments excuse an alignment that cut a sentence differently
    near_src: set[float] = set()
    near_tgt: set[float] = set()
    for nb in (segs[k - 1] if k else None, segs[k + 1] if k + 1 < len(segs) else None):
        if nb is not None:
            near_src |= {v for v, _, _ in _side_numbers(src_numbers, nb.source_sentences)}
            near_tgt |= {v for v, _, _ in _side_numbers(tgt_numbers, nb.target_sentences)}
    missing = Counter(v for v, _, _ in src) - Counter(v for v, _, _ in tgt)
    extra = Counter(v for v, _, _ in tgt) - Counter(v for v, _, _ in src)
    written_t = Counter(written_numbers(tgt_text, ctx.target.lang))
    written_s = Counter(written_numbers(src_text, ctx.source.lang))
    missing = Counter({v: c for v, c in (missing - written_t).items() if v not in near_tgt})
    extra = Counter({v: c for v, c in (extra - written_s).items() if v not in near_src})
    extra_spans = [(v, s, e) for v, s, e in tgt if extra[v] > 0]
    miss = sorted(missing.elements())
    for n, (_v, s, e) in enumerate(extra_spans):
        changed = n < len(miss)
        msg = (
            f"number changed: {_fmt(miss[n])} in the source, {ctx.target.text[s:e]} in the translation"
            if changed
            else f"number {ctx.target.text[s:e]} not in the source"
        )
        yield Issue(
            type="number-mismatch",
            severity="major" if changed else "minor",
            message=msg,
            target_paragraph=para,
            segment=seg.id,
            source_paragraph=seg.source_paragraphs[0],
            target_start=s,
            target_end=e,
            evidence=[ctx.target.text[s:e]] + ([_fmt(miss[n])] if changed else []),
            confidence=0.8,
        )
    for v in miss[len(extra_spans) :]:
        s, e, text = target_span(ctx, seg)
        yield Issue(
            type="number-mismatch",
            severity="major",
            message=f"number {_fmt(v)} of the source is missing",
            target_paragraph=para,
            segment=seg.id,
            source_paragraph=seg.source_paragraphs[0],
            target_start=s,
            target_end=e,
            evidence=[text, _fmt(v)],
            confidence=0.75,
        )


