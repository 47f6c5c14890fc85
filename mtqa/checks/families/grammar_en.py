"""English grammar: cheap agreement and morphology rules on an English translation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtqa.checks.context import CheckContext
from mtqa.checks.registry import check
from mtqa.lang.codes import primary
from mtqa.lang.lexicon import FUNCTION_WORDS, STOP_WORDS
from mtqa.report import Issue

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 50

_CARDINALS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety"
).split()

_MULTIPLIERS = "hundred thousand million billion trillion dozen"
_MODALS = "will would shall should can could may might must"
# -ed words that are base forms, not past tenses ("will need", "could succeed", "may shed")
_ED_BASE = {"need", "shed", "bed", "wed", "embed", "bleed", "breed", "feed", "speed", "exceed", "proceed"}
_IRREGULAR_PAST = {"went", "took", "came", "gave", "began", "wrote", "knew", "was", "were", "did", "saw"}
_DETERMINERS = {"a", "an", "the", "this", "that", "his", "her", "its", "their", "our", "my", "your", "free"}
_PREPOSITIONS = {
    "in", "over", "during", "for", "within", "throughout", "of", "from", "since", "after", "before",
    "about", "across", "through", "until", "by", "at", "on", "into", "than",
}  # fmt: skip
_TIME_PLURALS = "years months weeks days decades seasons centuries"

_EN_RULES: list[tuple[re.Pattern, str]] = [
    # "12 millions of euros", "two thousands people": a multiplier after a cardinal stays singular
    (
        re.compile(
            r"(?<![\w.,])(?!(?:1[5-9]|20)\d\d\b)(?:\d[\d,.]*|" + "|".join(_CARDINALS) + r")\s+(?:"
            + "|".join(w + "s" for w in _MULTIPLIERS.split()) + r")\b",
            re.IGNORECASE,
        ),
        "a number word after a cardinal takes no plural s",
    ),
    # "Thousand of fans": a bare singular multiplier before "of" needs an article or a plural
    (
        re.compile(r"\b(?:" + _MULTIPLIERS.replace(" ", "|") + r")\s+of\b", re.IGNORECASE),
        "a singular number word before \"of\" needs a/one or the plural (thousands of)",
    ),
    # "will costed", "could not went": a modal takes the base form
    (
        re.compile(r"\b(?:" + _MODALS.replace(" ", "|") + r")\s+(?:not\s+)?([a-z]{3,})\b"),
        "a modal verb takes the base form, not a past tense",
    ),
    # "has chained the last two years victories": a time phrase used as a possessive without 's
    (
        re.compile(
            r"\b(\w+)\s+the\s+(?:last|past|previous|next|coming)\s+(?:\w+\s+)?(?:"
            + _TIME_PLURALS.replace(" ", "|") + r")\s+([a-z]{3,}s)\b"
        ),
        "a time phrase used as a possessive needs an apostrophe (the last two years' victories)",
    ),
    # "exceeds the 20%", "the 70% of visitors": a Romance article before a bare percentage
    (
        re.compile(r"\bthe\s+\d[\d.,]*\s?(?:%|percent\b|per cent\b)(?=\s*(?:of\b|[.,;:!?)]|$))", re.I),
        "no article before a bare percentage (exceeds 20%, 70% of visitors)",
    ),
]


def _previous_word(text: str, pos: int) -> str | None:
    m = re.search(r"(\w+)\W*$", text[:pos])
    return m.group(1).lower() if m and not re.search(r"[.!?;:]\s*$", text[:pos]) else None


def rule_hits(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, explanation) of each grammar-rule hit in one English sentence."""
    multiplier, bare, modal, possessive, percent = _EN_RULES
    for m in percent[0].finditer(text):
        yield m.start(), m.end(), percent[1]
    for m in multiplier[0].finditer(text):
        yield m.start(), m.end(), multiplier[1]
    for m in bare[0].finditer(text):
        prev = _previous_word(text, m.start())
        if prev is None or not (
            prev in _DETERMINERS
            or prev in {"one", "per", "every", "each", "few", "several", "hundred", "thousand"}
            or prev in _CARDINALS
            or prev.isdigit()
        ):
            yield m.start(), m.end(), bare[1]
    for m in modal[0].finditer(text):
        word = m.group(1)
        past = (word.endswith("ed") and not word.endswith("eed") and word not in _ED_BASE) or (
            word in _IRREGULAR_PAST
        )
        if past and _previous_word(text, m.start()) not in _DETERMINERS:
            yield m.start(), m.end(), modal[1]
    for m in possessive[0].finditer(text):
        before, noun = m.group(1).lower(), m.group(2).lower()
        if before in _PREPOSITIONS or noun in FUNCTION_WORDS["en"] or noun in STOP_WORDS["en"]:
            continue
        if noun.endswith("ss") or noun in {"has", "was", "is", "does", "goes", "says", "seems"}:
            continue
        yield m.start(1) + len(m.group(1)) + 1, m.end(), possessive[1]


@check("grammar-en", issue_type="fluency", mqm="fluency/grammar")
def grammar_en(ctx: CheckContext) -> Iterator[Issue]:
    """Agreement and morphology slips in an English translation: "12 millions of", "Thousand of fans",
    "will costed", "the last two years victories", "exceeds the 20%". (Formerly half of the `fluency`
    check; `--disable fluency` still turns off this and calque.)"""
    if primary(ctx.target.lang) != "en":
        return
    seg_of = {j: seg for seg in ctx.segments for j in seg.target_sentences}
    for j, sent in enumerate(ctx.target.sentences):
        text = ctx.target.text[sent.start : sent.end]
        for s, e, why in rule_hits(text):
            s, e = s + sent.start, e + sent.start
            while ctx.target.text[s].isspace():
                s += 1
            seg = seg_of.get(j)
            yield Issue(
                type="fluency",
                severity="minor",
                message=f'"{ctx.target.text[s:e]}": {why}',
                target_paragraph=sent.paragraph,
                segment=seg.id if seg else None,
                source_paragraph=seg.source_paragraphs[0] if seg and seg.source_paragraphs else None,
                target_start=s,
                target_end=e,
                evidence=[ctx.target.text[s:e]],
                confidence=0.6,
            )
