"""Dates: months, weekdays and relative days that differ between source and translation.

Date check: months (with their day), weekdays and relative days that differ between a source segment
and its translation (mtqa.lang.timewords: CLDR names of every locale, CJK dates, declined forms)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.spans import SegmentSide, issue, paired_segments
from mtqa.checks.registry import check
from mtqa.lang.timewords import TimeWord, find_time_words
from mtqa.report import Issue, Segment

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 90


def time_words(side: SegmentSide, lang: str) -> list[TimeWord]:
    """Time words of one side of a segment, offsets made absolute."""
    out = []
    for start, text in side.sentences:
        for t in find_time_words(text, lang):
            out.append(TimeWord(t.kind, t.value, start + t.start, start + t.end, t.day))
    return out


def _unmatched(src: list[TimeWord], tgt: list[TimeWord]) -> tuple[list[TimeWord], list[TimeWord]]:
    """Source and target time words with no counterpart of the same kind and value (a day, where both
    sides give one, must agree too)."""
    left = list(tgt)
    missing = []
    for s in src:
        match = next((t for t in left if (t.kind, t.value) == (s.kind, s.value) and _same_day(s, t)), None)
        if match is None:
            missing.append(s)
        else:
            left.remove(match)
    return missing, left


def _same_day(a: TimeWord, b: TimeWord) -> bool:
    return a.day is None or b.day is None or a.day == b.day


@check("date-mismatch", issue_type="date-mismatch", mqm="accuracy/mistranslation")
def date_mismatch(ctx: CheckContext) -> Iterator[Issue]:
    """A date, weekday or relative day of the source changed in the translation (mardi -> Wednesday,
    3月5日 -> 5 May, вчера -> tomorrow: major), or dropped (minor). Names come from CLDR for every locale."""
    for seg, src, tgt in paired_segments(ctx):
        s_words = time_words(src, ctx.source.lang)
        if not s_words:
            continue
        t_words = time_words(tgt, ctx.target.lang)
        missing, extra = _unmatched(s_words, t_words)
        if missing and extra:
            # "am 9. und 10. August" / "on August 9 and 10": a day written apart from its month
            missing = [w for w in missing if not _day_apart(w, tgt.text, t_words)]
            extra = [w for w in extra if not _day_apart(w, src.text, s_words)]
        yield from _issues(ctx, seg, tgt, missing, extra)


def _day_apart(word: TimeWord, other_text: str, other_words: list[TimeWord]) -> bool:
    """A month whose day the other side writes apart from it, next to the same month."""
    return (
        word.kind == "month"
        and word.day in {int(d) for d in re.findall(r"\d{1,2}", other_text)}
        and any(o.kind == "month" and o.value == word.value for o in other_words)
    )


def _issues(
    ctx: CheckContext, seg: Segment, tgt: SegmentSide, missing: list[TimeWord], extra: list[TimeWord]
):
    for s in missing:
        # the changed rendering: an extra target word of the same kind (relative days: the other sign)
        t = next(
            (
                t for t in extra
                if t.kind == s.kind and (s.kind != "relative" or t.value * s.value < 0)
            ),
            None,
        )  # fmt: skip
        src_text = ctx.source.text[s.start : s.end]
        if t is not None:
            extra.remove(t)
            tgt_text = ctx.target.text[t.start : t.end]
            yield issue(
                seg,
                type="date-mismatch",
                severity="major",
                message=f"date changed: {s.describe()} → {t.describe()} ({src_text} / {tgt_text})",
                target=(t.start, t.end),
                source=(s.start, s.end),
                evidence=[tgt_text, src_text],
                confidence=0.85,
            )
        elif s.kind != "relative":  # "today" is often "now"; a dropped relative day is not reported
            yield issue(
                seg,
                type="date-mismatch",
                severity="minor",
                message=f"date of the source missing in the translation: {s.describe()} ({src_text})",
                target=(tgt.start, tgt.end),
                source=(s.start, s.end),
                evidence=[tgt.text, src_text],
                confidence=0.6,
            )
