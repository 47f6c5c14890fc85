"""Entity checks: one source entity rendered several ways, source-language acronyms and segments left
untranslated. The document entity table goes to ctx.shared["entities"] (copied into the report)."""

from __future__ import annotations

from collections.abc import Iterator

from rapidfuzz import fuzz

from mtqa.checks import CheckContext, check
from mtqa.entities import (
    EntityEntry,
    Mention,
    acronym_definitions,
    build_entity_table,
    extract_mentions,
    fold,
)
from mtqa.report import Issue


def entity_table(ctx: CheckContext) -> list[EntityEntry]:
    """The entity table of the pair, computed once per context and published in ctx.shared."""
    if "_entity_table" not in ctx.shared:
        table = build_entity_table(ctx.source, ctx.target, ctx.segments)
        ctx.shared["_entity_table"] = table
        ctx.shared["entities"] = [e.to_json() for e in table]
    return ctx.shared["_entity_table"]


def _segment_of_sentence(ctx: CheckContext, sentence: int) -> int | None:
    for seg in ctx.segments:
        if sentence in seg.target_sentences:
            return seg.id
    return None


def _variant_issue(ctx: CheckContext, odd: Mention, others: list[str], message: str, conf: float) -> Issue:
    return Issue(
        type="entity-inconsistency",
        severity="major",
        message=message,
        target_paragraph=odd.paragraph,
        segment=_segment_of_sentence(ctx, odd.sentence),
        target_start=odd.start,
        target_end=odd.end,
        evidence=[ctx.target.text[odd.start : odd.end], *others],
        confidence=conf,
    )


@check("entity-inconsistency", issue_type="entity-inconsistency", mqm="terminology/inconsistent")
def entity_inconsistency(ctx: CheckContext) -> Iterator[Issue]:
    """One source entity rendered two or more ways in the translation (FDS -> "SDF" and "SDS"), or
    spelling variants of one name in the translation ("Marinescu"/"Marinescou") where the source has one."""
    reported: set[frozenset[str]] = set()
    for entry in entity_table(ctx):
        forms: dict[str, list[Mention]] = {}
        for text, ms in entry.renderings.items():
            forms.setdefault(fold(text), []).extend(ms)
        if len(forms) < 2:
            continue
        # the most frequent rendering is the reference; flag the first mention of each other one
        ranked = sorted(forms.values(), key=lambda ms: (-len(ms), ms[0].start))
        main = ranked[0][0].text
        for ms in ranked[1:]:
            odd = ms[0]
            reported.add(frozenset({fold(main), fold(odd.text)}))
            paras = sorted({m.paragraph for m in ms})
            yield _variant_issue(
                ctx,
                odd,
                [main],
                f'source entity "{entry.source}" rendered "{main}" and "{odd.text}" '
                f"(¶{', '.join(map(str, paras))})",
                0.85,
            )
    # target-only spelling variants of a name, not explained by the source
    src_forms = {fold(m.text) for m in extract_mentions(ctx.source)}
    first: dict[str, Mention] = {}
    for m in extract_mentions(ctx.target):
        if m.kind in ("acronym", "title"):
            continue
        first.setdefault(fold(m.text), m)
    keys = list(first)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if (
                min(len(a), len(b)) < 5
                or len(a.split()) != len(b.split())
                or a.startswith(b)
                or b.startswith(a)
            ):
                continue
            if fuzz.ratio(a, b) < 85 or frozenset({a, b}) in reported:
                continue
            if a in src_forms and b in src_forms:
                continue  # the source varies too
            reported.add(frozenset({a, b}))
            odd, ref = first[b], first[a]
            yield _variant_issue(
                ctx, odd, [ref.text], f'name spelled "{ref.text}" and "{odd.text}" in the translation', 0.7
            )


@check("untranslated", issue_type="untranslated", mqm="accuracy/untranslated")
def untranslated(ctx: CheckContext) -> Iterator[Issue]:
    """A source-language acronym kept in the translation next to a spelled-out name whose initials
    differ ("Syrian Observatory for Human Rights (OSDH)", initials SOHR), and translation segments
    detected as still in the source language."""
    entity_table(ctx)
    src_defs = {d.acronym: d for d in acronym_definitions(ctx.source) if d.matches}
    for d in acronym_definitions(ctx.target):
        sd = src_defs.get(d.acronym)
        if sd is None or d.matches or len(d.expansion.split()) < 2:
            continue
        uses = [m for m in extract_mentions(ctx.target) if m.text == d.acronym]
        if not uses:
            continue
        first = uses[0]
        paras = sorted({m.paragraph for m in uses})
        yield Issue(
            type="untranslated",
            severity="major" if len(paras) >= 3 else "minor",
            message=(
                f'source-language acronym "{d.acronym}" kept for "{d.expansion}" (initials {d.initials}); '
                f"used in ¶{', '.join(map(str, paras))}"
            ),
            target_paragraph=first.paragraph,
            segment=_segment_of_sentence(ctx, first.sentence),
            target_start=first.start,
            target_end=first.end,
            evidence=[d.acronym, d.expansion, d.initials, sd.expansion],
            confidence=0.85,
        )
    yield from _untranslated_segments(ctx)


def _untranslated_segments(ctx: CheckContext) -> Iterator[Issue]:
    from mtqa.langid import detect_segment

    src_lang = ctx.source.lang.split("-")[0]
    tgt_lang = ctx.target.lang.split("-")[0]
    if src_lang == tgt_lang:
        return
    for j, sent in enumerate(ctx.target.sentences):
        text = ctx.target.text[sent.start : sent.end]
        words = [w for w in text.split() if any(c.isalpha() for c in w)]
        if len(words) < 5:
            continue
        code, conf = detect_segment(text)
        if code != src_lang or conf < 0.5:
            continue
        yield Issue(
            type="untranslated",
            severity="major",
            message=f"segment left in the source language ({src_lang}, confidence {conf:.2f})",
            target_paragraph=sent.paragraph,
            segment=_segment_of_sentence(ctx, j),
            target_start=sent.start,
            target_end=sent.end,
            evidence=[text],
            confidence=min(0.95, conf),
        )
