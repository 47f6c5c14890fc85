"""Omitted and added clauses inside long sentences.

Omitted and added clauses: a translation clearly shorter than the document's own source/target length ratio
predicts, for a sentence long enough to hold several clauses. The length-ratio check reports only cuts of a
third or more (and as major only past half); a clause or a qualifier dropped from a long sentence shortens
it by a quarter to a third, which this check calls major with the source as evidence. A short rendering
alone is not enough: some source content words must have no counterpart among the translation's words
(cross-lingual word embeddings), since a terse but complete rendering (common into Russian) loses none.
Added clauses are the mirror image: a translation much longer than predicted, with content words of its
own."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterator

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.places import side_places
from mtqa.checks.kit.spans import SegmentSide, issue, paired_segments
from mtqa.checks.kit.words import word_evidence
from mtqa.checks.registry import check
from mtqa.lang import gazetteer
from mtqa.lang.codes import primary
from mtqa.lang.lexicon import NOUN_CAPITALISING, fold
from mtqa.report import Issue, Segment

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 120

# log length ratio below the document's median from which a long sentence has lost content (ratio 0.70)
DROP = 0.35
MIN_WORDS = 8
# source content words without a counterpart in the translation that make a dropped clause ...
LOST_WORDS = 2
# ... or one, past a deeper cut (ratio 0.64)
DEEP_DROP = 0.45
# target content words without a counterpart in the source that make an added clause
ADDED_WORDS = 3


def _length_deviations(ctx: CheckContext) -> Iterator[tuple[Segment, SegmentSide, SegmentSide, float]]:
    """Segments of 8 source words or more, with the log of their target/source length ratio minus the
    document's median one (negative: shorter than the document's own ratio predicts)."""
    pairs = list(paired_segments(ctx))
    if len(pairs) < 4:
        return
    logs = [math.log(max(1, len(t.text)) / max(1, len(s.text))) for _, s, t in pairs]
    median = statistics.median(logs)
    for (seg, src, tgt), log in zip(pairs, logs, strict=True):
        if len(src.text.split()) >= MIN_WORDS:
            yield seg, src, tgt, log - median


@check("clause-omission", issue_type="omission", mqm="accuracy/omission")
def clause_omission(ctx: CheckContext) -> Iterator[Issue]:
    """A translated sentence of 8 words or more whose length is under 70% of what the document's own
    source/target length ratio predicts, with two source content words that have no counterpart in it (one
    under 64%): a clause, a quantity or a qualifier was left out (major)."""
    for seg, src, tgt, dev in _length_deviations(ctx):
        if dev > -DROP:
            continue
        # word_evidence with the sides swapped: the source words that match no word of the translation
        # on static word vectors: the contextual ones find a loose counterpart for a word that is gone
        static = ctx.names_encoder()
        lost = word_evidence(tgt.text, src.text, ctx.target.lang, ctx.source.lang, encoder=static)
        words = _said_something(lost.unmatched, src, tgt, ctx)
        if len(words) < (1 if dev <= -DEEP_DROP else LOST_WORDS):
            continue
        share = math.exp(dev)
        yield issue(
            seg,
            type="omission",
            severity="major",
            message=f"content left out: the translation is {share:.0%} of the length the document's ratio "
            f"predicts; no counterpart for {', '.join(words)}",
            target=(tgt.start, tgt.end),
            source=(src.start, src.end),
            evidence=[tgt.text, src.text, *words],
            confidence=0.55,
        )


@check("clause-addition", issue_type="addition", mqm="accuracy/addition")
def clause_addition(ctx: CheckContext) -> Iterator[Issue]:
    """A translated sentence over 140% of the length the document's own source/target length ratio
    predicts, with three content words or more that have no counterpart in the source: a clause or a
    qualifier was added; major when the added words bring a figure or a name, else minor. The span covers
    the largest run of those words."""
    for seg, src, tgt, dev in _length_deviations(ctx):
        if dev < DROP:
            continue
        encoder = ctx.word_encoder()
        added = word_evidence(src.text, tgt.text, ctx.source.lang, ctx.target.lang, encoder=encoder)
        if len(added.unmatched) < ADDED_WORDS:
            continue
        start, end = _densest_run(tgt.text, added.unmatched)
        yield issue(
            seg,
            type="addition",
            severity="major" if _names_a_fact(tgt.text[start:end], ctx.target.lang) else "minor",
            message=f"content added: the translation is {math.exp(dev):.0%} of the length the document's "
            f"ratio predicts; no source counterpart for {', '.join(added.unmatched)}",
            target=(tgt.start + start, tgt.start + end),
            source=(src.start, src.end),
            evidence=[tgt.text[start:end], src.text, *added.unmatched],
            confidence=0.5,
        )


def _names_a_fact(text: str, lang: str) -> bool:
    """Whether added words bring a figure or a name (capitalised past the first word; not in languages that
    capitalise nouns): an added fact misleads, an added phrasing mostly does not."""
    words = text.split()
    if any(ch.isdigit() for ch in text):
        return True
    if primary(lang) in NOUN_CAPITALISING:
        return False
    return any(w[:1].isupper() for w in words[1:])


def _said_something(words: list[str], src: SegmentSide, tgt: SegmentSide, ctx: CheckContext) -> list[str]:
    """The lost words less those that say little: a sentence's first word (mostly a connective: Logo,
    Antes), and the words of a place the translation names in another form (Estados Unidos da América ->
    US)."""
    starts = [text for _, text in src.sentences]
    words = [w for w in words if not any(re.match(rf"\W*{re.escape(w)}\b", t) for t in starts)]
    if not any(w[:1].isupper() for w in words):
        return words
    shared = side_places(src, ctx.source.lang) & side_places(tgt, ctx.target.lang)
    place_words = [set(name.split()) for key in shared
                   for name in gazetteer.place_names(key, ctx.source.lang)]

    def in_place(word: str) -> bool:
        parts = set(fold(word).split())  # "États-Unis" folds to two words
        return bool(parts) and any(parts <= name for name in place_words)

    return [w for w in words if not (w[:1].isupper() and in_place(w))]


def _densest_run(text: str, words: list[str], gap: int = 3) -> tuple[int, int]:
    """Offsets in text of the largest group of the given words, neighbours at most `gap` words apart."""
    wanted = set(words)
    tokens = list(re.finditer(r"\S+", text))
    hits = [k for k, m in enumerate(tokens) if re.sub(r"^\W+|\W+$", "", m.group()) in wanted]
    if not hits:
        return 0, len(text)
    groups: list[list[int]] = [[hits[0]]]
    for k in hits[1:]:
        if k - groups[-1][-1] <= gap:
            groups[-1].append(k)
        else:
            groups.append([k])
    best = max(groups, key=len)
    return tokens[best[0]].start(), tokens[best[-1]].end()
