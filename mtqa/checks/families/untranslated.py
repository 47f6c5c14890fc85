"""Untranslated text: source-language acronyms and sentences left in the translation.

Untranslated text: source-language acronyms kept in the translation, and translation sentences
still in the source language."""

from __future__ import annotations

from collections.abc import Iterator

from mtqa.checks.context import CheckContext
from mtqa.checks.registry import check
from mtqa.lang.codes import primary
from mtqa.lang.entities import Mention, acronym_definitions
from mtqa.report import Issue

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 80


@check("untranslated", issue_type="untranslated", mqm="accuracy/untranslated")
def untranslated(ctx: CheckContext) -> Iterator[Issue]:
    """A source-language acronym kept in the translation next to a spelled-out name whose initials
    differ ("Syrian Observatory for Human Rights (OSDH)", initials SOHR; not when the acronym's letters
    are the target initials reordered, as with UCI or CNRS, kept internationally); major when used in three
    paragraphs or more, minor for an English acronym (PLO, NAFTA kept in German is common practice); and
    translation segments detected as still in the source language (when their function words agree)."""
    src_defs = {d.acronym: d for d in acronym_definitions(ctx.source) if d.matches}
    # an English acronym kept is common practice (PLO, NAFTA, ASEAN in German): a terminology matter
    lingua_franca = primary(ctx.source.lang) == "en"
    tgt_mentions = ctx.mentions(ctx.target)
    by_text: dict[str, list[Mention]] = {}  # in document order
    for m in tgt_mentions:
        by_text.setdefault(m.text, []).append(m)
    for d in acronym_definitions(ctx.target):
        sd = src_defs.get(d.acronym)
        if sd is None or d.matches or len(d.expansion.split()) < 2:
            continue
        # Acronym letters that are the target expansion's initials reordered (UCI / International
        # Cycling Union, CNRS / National Centre for Scientific Research): the name is built from
        # cognates, one letter per target word, and such acronyms are the institution's own name, kept
        # internationally. Letters the target words do not give (OSDH / Syrian Observatory for Human
        # Rights: D for "droits"; EZB / European Central Bank: Z for "Zentralbank") are a source-language
        # acronym. Either way the target's own acronym used elsewhere in the text settles it.
        own = d.initials in by_text
        if sorted(d.acronym) == sorted(d.initials) and not own:
            continue
        uses = by_text.get(d.acronym, [])
        if not uses:
            continue
        first = uses[0]
        paras = sorted({m.paragraph for m in uses})
        yield Issue(
            type="untranslated",
            severity="major" if len(paras) >= 3 and not lingua_franca else "minor",
            message=(
                f'source-language acronym "{d.acronym}" kept for "{d.expansion}" (initials {d.initials}); '
                f"used in ¶{', '.join(map(str, paras))}"
            ),
            target_paragraph=first.paragraph,
            segment=ctx.segment_of_target(first.sentence),
            target_start=first.start,
            target_end=first.end,
            evidence=[d.acronym, d.expansion, d.initials, sd.expansion],
            confidence=0.85,
        )
    yield from _untranslated_segments(ctx)


def _has_words(text: str, k: int) -> bool:
    """At least k whitespace-separated words with a letter (stops counting there)."""
    n = 0
    for w in text.split():
        if any(c.isalpha() for c in w):
            n += 1
            if n >= k:
                return True
    return False


def _untranslated_segments(ctx: CheckContext) -> Iterator[Issue]:
    from mtqa.lang.langid import detect_segment, may_be_language, words_agree

    src_lang = primary(ctx.source.lang)
    tgt_lang = primary(ctx.target.lang)
    if src_lang == tgt_lang:
        return
    cands = []
    for j, sent in enumerate(ctx.target.sentences):
        text = ctx.target.text[sent.start : sent.end]
        # lingua's trigrams misread some short sentences: their words must agree (the cheapest test first)
        if _has_words(text, 5) and words_agree(text, src_lang, tgt_lang):
            cands.append((j, sent, text))
    # a cheap screen next: the full detector runs only where it may find the source language
    maybe = may_be_language([text for _, _, text in cands], src_lang, tgt_lang, 0.5)
    for (j, sent, text), keep in zip(cands, maybe, strict=True):
        if not keep:
            continue
        code, conf = detect_segment(text)
        if code != src_lang or conf < 0.5:
            continue
        yield Issue(
            type="untranslated",
            severity="major",
            message=f"segment left in the source language ({src_lang}, confidence {conf:.2f})",
            target_paragraph=sent.paragraph,
            segment=ctx.segment_of_target(j),
            target_start=sent.start,
            target_end=sent.end,
            evidence=[text],
            confidence=min(0.95, conf),
        )
