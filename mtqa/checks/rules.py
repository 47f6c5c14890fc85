"""Rule checks on aligned segments: numbers and dates, glossary terms, length ratio, and segments the
QE scorers rank far below the rest of the document (mistranslation / fluency)."""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from rapidfuzz import fuzz

from mtqa.checks import CheckContext, check
from mtqa.entities import STOP_WORDS, fold, lang_key
from mtqa.numbers import find_months, find_numbers, written_numbers
from mtqa.report import Issue, Segment


def _both(seg: Segment) -> bool:
    return bool(seg.source_sentences and seg.target_sentences)


def _tspan(ctx: CheckContext, seg: Segment) -> tuple[int, int, str]:
    s, e = seg.target_start, seg.target_end
    assert s is not None and e is not None
    return s, e, ctx.target.text[s:e]


def _sentence_numbers(doc) -> list[list[tuple[float, int, int]]]:
    """(value, start, end) of the numerals of each sentence of a document, offsets into doc.text."""
    out = []
    for sent in doc.sentences:
        found = find_numbers(doc.text[sent.start : sent.end], doc.lang)
        out.append([(n.value, sent.start + n.start, sent.start + n.end) for n in found])
    return out


def _side_numbers(numbers: list[list[tuple[float, int, int]]], sentences: list[int]):
    return [x for i in sentences for x in numbers[i]]


def _side_text(doc, sentences: list[int]) -> str:
    return " ".join(doc.text[doc.sentences[i].start : doc.sentences[i].end] for i in sentences)


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


@check("number-mismatch", issue_type="number-mismatch", mqm="accuracy/mistranslation")
def number_mismatch(ctx: CheckContext) -> Iterator[Issue]:
    """Numbers and dates that differ between a source segment and its translation, compared by value
    with each language's separators (1 200 = 1,200; 70 % = 70%; 1er décembre = December 1); missing,
    extra or changed numbers and month names. Small numbers written out in words count as present."""
    segs = ctx.segments
    # numbers of each sentence, found once: a segment also looks at its neighbours'
    src_numbers, tgt_numbers = _sentence_numbers(ctx.source), _sentence_numbers(ctx.target)
    for k, seg in enumerate(segs):
        if not _both(seg):
            continue
        # the same numbers on both sides (or none): nothing missing or extra, only month names can
        # differ (usually there are none); then neither the texts nor their similarity are needed
        same = sorted(v for i in seg.source_sentences for v, _, _ in src_numbers[i]) == sorted(
            v for j in seg.target_sentences for v, _, _ in tgt_numbers[j]
        )
        src_months = Counter(m for m, _, _ in _months(ctx.source, seg.source_sentences))
        tgt_months = _months(ctx.target, seg.target_sentences) if src_months else []
        if same and not tgt_months:
            continue
        src_text = _side_text(ctx.source, seg.source_sentences)
        tgt_text = _side_text(ctx.target, seg.target_sentences)
        if fuzz.ratio(src_text, tgt_text) >= 90:
            continue  # left untranslated (reported as such): its numbers are in the source's notation
        para = seg.target_paragraphs[0] if seg.target_paragraphs else None
        if not same:
            yield from _number_issues(ctx, k, (src_numbers, tgt_numbers), (src_text, tgt_text), para)
        if not tgt_months:
            continue
        gone = src_months - Counter(m for m, _, _ in tgt_months)
        for m, s, e in tgt_months:
            if m not in src_months and gone:
                yield Issue(
                    type="number-mismatch",
                    severity="major",
                    message=f"month changed: {ctx.target.text[s:e]} in the translation, "
                    f"month {min(gone)} in the source",
                    target_paragraph=para,
                    segment=seg.id,
                    source_paragraph=seg.source_paragraphs[0],
                    target_start=s,
                    target_end=e,
                    evidence=[ctx.target.text[s:e]],
                    confidence=0.8,
                )


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
        s, e, text = _tspan(ctx, seg)
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


def _months(doc, sentences: list[int]):
    out = []
    for i in sentences:
        sent = doc.sentences[i]
        for m, s, e in find_months(doc.text[sent.start : sent.end], doc.lang):
            out.append((m, sent.start + s, sent.start + e))
    return out


def _term_in(term: str, text: str) -> bool:
    """A glossary term occurs in text: case-insensitive, whole words, allowing a short inflection."""
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in term.split()) + r"(?:s|es|e|en|er|n)?(?!\w)"
    if re.search(pattern, text, re.IGNORECASE):
        return True
    ft = fold(term)
    return (
        bool(ft)
        and re.search(r"(?<!\w)" + re.escape(ft) + r"(?:s|es|e|en|er|n)?(?!\w)", fold(text)) is not None
    )


@check("glossary", issue_type="glossary", mqm="terminology/inconsistent-with-termbase")
def glossary(ctx: CheckContext) -> Iterator[Issue]:
    """A glossary source term (--glossary CSV or TBX) occurs in a source segment but its required
    target rendering is absent from the aligned translation."""
    if not ctx.glossary:
        return
    for seg in ctx.segments:
        if not _both(seg):
            continue
        src = _side_text(ctx.source, seg.source_sentences)
        tgt = _side_text(ctx.target, seg.target_sentences)
        for term, required in ctx.glossary:
            if _term_in(term, src) and not _term_in(required, tgt):
                s, e, text = _tspan(ctx, seg)
                yield Issue(
                    type="glossary",
                    severity="major",
                    message=f'glossary: "{term}" must be rendered "{required}"',
                    target_paragraph=seg.target_paragraphs[0],
                    segment=seg.id,
                    source_paragraph=seg.source_paragraphs[0],
                    target_start=s,
                    target_end=e,
                    evidence=[text, term, required],
                    confidence=0.9,
                )


def _robust(values: list[float]) -> tuple[float, float]:
    med = statistics.median(values)
    mad = statistics.median(abs(v - med) for v in values)
    return med, 1.4826 * mad


@check("length-ratio", issue_type="length-ratio", mqm="accuracy/omission")
def length_ratio(ctx: CheckContext) -> Iterator[Issue]:
    """Translations much shorter than the document's own source/target length ratio predicts (content
    cut): a log length ratio more than max(0.45, 3 robust SD) below the median; far below is an omission."""
    from mtqa.checks.alignment import stray_sentences

    pairs = [s for s in ctx.segments if _both(s) and len(s.source.split()) >= 5]
    if len(pairs) < 4:
        return
    # sentences stray from another paragraph (reported as additions) do not count for the length
    kept = {}
    for seg in pairs:
        stray = set(stray_sentences(ctx, seg))
        kept[seg.id] = [j for j in seg.target_sentences if j not in stray]
    tlen = {s.id: len(_side_text(ctx.target, kept[s.id])) for s in pairs}
    logs = {s.id: math.log(max(1, tlen[s.id]) / max(1, len(s.source))) for s in pairs}
    med, sd = _robust(list(logs.values()))
    margin = max(0.45, 3 * sd)
    for seg in pairs:
        d = logs[seg.id] - med
        if len(seg.source.split()) < 8 or d > -margin:
            continue
        s, e, text = _tspan(ctx, seg)
        if kept[seg.id] != seg.target_sentences:
            s, e = ctx.target.sentences[kept[seg.id][0]].start, ctx.target.sentences[kept[seg.id][-1]].end
            text = ctx.target.text[s:e]
        ratio = math.exp(d)
        severe = d < -margin - 0.35
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


# --- word-level evidence for low-ranked segments -------------------------------------------------

_FUNCTION_WORDS = {
    "en": set(
        """has have had was were been be is are am which who whom what would will can could should
        about between against through did does do only out up down then than also its their them his her
        one ones said says""".split()
    ),
    "fr": set(
        """est sont été être avait avaient ont qui que quoi dont ne pas lui leur se sa son ses y
        avoir fait faire été""".split()
    ),
    "de": set(
        """ist sind war waren wurde wurden hat haben hatte hatten sich nicht dass zu den dem ihr
        ihre sein seine wird werden""".split()
    ),
    "es": set("""es son fue fueron ha han había que quien se no lo le les su sus""".split()),
}
_SUFFIXES = {
    "en": ("d", "ed", "ing", "s", "es", "ly"),
    "fr": ("s", "e", "es", "é", "ée", "és", "ées", "er", "ant"),
    "de": ("e", "en", "er", "es", "s", "t", "te", "ten"),
    "es": ("s", "es", "do", "da", "dos", "das", "ar"),
}


_WORDS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ELIDED = re.compile(r"^(?:[lLdDjJmMnNsStTcC]|[qQ]u)['’]")


@lru_cache(maxsize=64)
def _content_stops(lang: str) -> frozenset[str]:
    return frozenset(lang_key(lang, STOP_WORDS) | _FUNCTION_WORDS.get(lang.split("-")[0], set()))


def content_words(text: str, lang: str) -> list[str]:
    stops = _content_stops(lang)
    out = []
    for w in _WORDS.findall(text):
        if "'" in w or "’" in w:  # an elided article needs its apostrophe
            w = _ELIDED.sub("", w)
        if len(w) >= 3 and w.lower() not in stops:
            out.append(w)
    return out


@lru_cache(maxsize=1)
def _encoder():
    from mtqa.encoders import get_encoder

    return get_encoder("use-m3")


def _word_vocab(
    source: str, target: str, src_lang: str, tgt_lang: str, unmatched: bool = True
) -> tuple[list[str], list[str], dict[str, list[str]], list[str]]:
    """Source and target content words, the stems of the target words that may be a wrong form, and
    the words to embed (every target word only when unmatched words are wanted)."""
    sw = content_words(source, src_lang)
    tw = content_words(target, tgt_lang)
    code = tgt_lang.split("-")[0]
    lead = target.lstrip()
    stems: dict[str, list[str]] = {}
    for w in tw:
        if w[:1].isupper() and not lead.startswith(w):
            continue  # a proper noun mid-sentence ("Damascus" for "Damas") is a name, not an inflection
        for suf in _SUFFIXES.get(code, ()):
            if suf == "d" and not w.lower().endswith("ed"):
                continue
            if w.lower().endswith(suf) and len(w) - len(suf) >= 4:
                stems.setdefault(w, []).append(w[: -len(suf)])
    if not unmatched and not stems:
        return sw, tw, stems, []
    targets = tw if unmatched else list(stems)
    vocab = list(dict.fromkeys(sw + targets + [s for v in stems.values() for s in v]))
    return sw, tw, stems, vocab


def word_evidence(source: str, target: str, src_lang: str, tgt_lang: str, unmatched: bool = True) -> dict:
    """Cross-lingual word agreement (SimAlign idea with USE word embeddings): target content words that
    match no source word, and target words in a wrong form of a source word (stripping an inflection
    makes them match their best source word much better: "Battled" -> "Battle" ~ "Bataille").

    With unmatched=False only the wrong forms are looked for (the "unmatched" key is left out), which
    embeds just the target words that have a stem to try."""
    return _evidence_of(*_word_vocab(source, target, src_lang, tgt_lang, unmatched), unmatched)


def _evidence_of(
    sw: list[str], tw: list[str], stems: dict[str, list[str]], vocab: list[str], unmatched: bool
) -> dict:
    """word_evidence from the segment's `_word_vocab`."""
    if not sw or not tw:
        return {"unmatched": [], "wrong_form": [], "words": len(tw)}
    vecs = dict(zip(vocab, _encoder().encode(vocab), strict=True)) if vocab else {}
    lost, wrong = [], []
    for w in tw:
        if not unmatched and w not in stems:
            continue
        sims = [float(vecs[w] @ vecs[s]) for s in sw]
        best = max(sims)
        # a string match (a name kept as is) is looked for only when the embeddings disagree
        if unmatched and best < 0.45 and not any(fuzz.ratio(fold(w), fold(s)) >= 80 for s in sw):
            lost.append(w)
        src_best = sw[sims.index(best)]
        for stem in stems.get(w, []):
            if float(vecs[stem] @ vecs[src_best]) - best >= 0.08 and fold(src_best) != fold(w):
                wrong.append(w)
                break
    out = {"wrong_form": wrong, "words": len(tw)}
    if unmatched:
        out["unmatched"] = lost
    return out


# robust z-score at or below which a segment may be flagged as mistranslated
_FLAG_Z = -2.5


def _zscores(scored: dict[int, float]) -> dict[int, tuple[float, float]]:
    if len(scored) < 4:
        return {}
    med, sd = _robust(list(scored.values()))
    sd = max(sd, 0.03)
    return {k: ((v - med) / sd, med - v) for k, v in scored.items()}


def _ranked(ctx: CheckContext) -> dict[int, tuple[float, float]]:
    """Robust z-score of each scored segment's QE score within the document, and its drop below the median."""
    return _zscores({s.id: s.score for s in ctx.segments if _both(s) and s.score is not None})


def _per_scorer_z(ctx: CheckContext) -> dict[int, list[float]]:
    """Each segment's robust z-score under every scorer that judged it (empty with a single scorer)."""
    names = {n for s in ctx.segments for n, v in s.scores.items() if v is not None}
    out: dict[int, list[float]] = {}
    if len(names) < 2:
        return out
    for name in sorted(names):
        z = _zscores({s.id: v for s in ctx.segments if _both(s) and (v := s.scores.get(name)) is not None})
        for k, (zk, _) in z.items():
            out.setdefault(k, []).append(zk)
    return out


def _evidence_for(ctx: CheckContext) -> dict[int, tuple[float, dict]]:
    if "_qe_evidence" not in ctx.shared:
        z = _ranked(ctx)
        per = _per_scorer_z(ctx)
        src_lang, tgt_lang = ctx.source.lang, ctx.target.lang
        low = [
            (seg, _side_text(ctx.source, seg.source_sentences), _side_text(ctx.target, seg.target_sentences))
            for seg in ctx.segments
            if seg.id in z and z[seg.id][0] <= -1.0
        ]
        # unmatched words matter only to segments ranked low enough to be flagged (see the verdict)
        full = {seg.id: z[seg.id][0] <= _FLAG_Z for seg, _, _ in low}
        # embed the words of every low segment in one call (one cache round trip), not one per segment
        vocab: dict[str, None] = {}
        words_of = {}  # segment id -> its _word_vocab
        for seg, src, tgt in low:
            words_of[seg.id] = sw, tw, _, words = _word_vocab(src, tgt, src_lang, tgt_lang, full[seg.id])
            if sw and tw:
                vocab.update(dict.fromkeys(words))
        if vocab:
            _encoder().encode(list(vocab))
        out = {}
        for seg, _, _ in low:
            ev = _evidence_of(*words_of[seg.id], full[seg.id])  # = word_evidence(src, tgt, ...)
            # with several scorers: do they agree that this segment is low? (max z over scorers)
            ev["agree"] = max(per[seg.id]) <= -1.5 if len(per.get(seg.id, [])) >= 2 else True
            out[seg.id] = (*z[seg.id], ev)
        ctx.shared["_qe_evidence"] = out
    return ctx.shared["_qe_evidence"]


def _mistranslation_verdict(seg: Segment, z: float, ev: dict, drop: float = 1.0) -> str | None:
    """'major', 'minor' or None for one segment from its rank and its word-level evidence."""
    short = len(seg.source.split()) <= 3
    n = max(1, ev["words"])
    if z > _FLAG_Z:
        return None
    frac = len(ev["unmatched"]) / n
    if short:
        # the cosine of a heading is unreliable: flag only with independent word evidence
        return "major" if ev["wrong_form"] or (ev["unmatched"] and z <= -3) else None
    many = frac >= 0.4 and len(ev["unmatched"]) >= 3
    if z <= -3 and (many and drop >= 0.25 or ev["wrong_form"] and frac >= 0.3 and len(ev["unmatched"]) >= 2):
        return "major"
    if seg.score is not None and seg.score < 0.35 and len(seg.source.split()) >= 6:
        return "major"
    # the weak tier: a clear absolute drop (cosine scores of good paraphrases sit 0.1-0.25 below the
    # median), unmatched words, and, with several scorers, every scorer ranking the segment low
    if z <= -3 and drop >= 0.3 and frac >= 0.3 and len(ev["unmatched"]) >= 2 and ev.get("agree", True):
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
        severity = _mistranslation_verdict(seg, z, ev, drop)
        if severity is None:
            continue
        s, e, text = _tspan(ctx, seg)
        words = ev["wrong_form"] + [w for w in ev["unmatched"] if w not in ev["wrong_form"]]
        yield Issue(
            type="mistranslation",
            severity=severity,
            message=(
                f"QE score {seg.score:.2f} far below the document (z={z:.1f}); "
                f"suspect words: {', '.join(words) or '-'}"
            ),
            target_paragraph=seg.target_paragraphs[0],
            segment=seg.id,
            source_paragraph=seg.source_paragraphs[0],
            target_start=s,
            target_end=e,
            evidence=[text, *words],
            confidence=min(0.9, 0.5 + 0.05 * -z),
        )


@check("fluency", issue_type="fluency", mqm="fluency/grammar")
def fluency(ctx: CheckContext) -> Iterator[Issue]:
    """Target words that repeat a source word in a wrong form (a calque such as "Battled" for
    "Bataille"), in segments not already flagged as mistranslated; and, for English translations,
    agreement and morphology slips ("12 millions of", "Thousand of fans", "will costed", "the last two
    years victories")."""
    yield from grammar_issues(ctx)
    for seg in ctx.segments:
        got = _evidence_for(ctx).get(seg.id)
        if got is None:
            continue
        z, drop, ev = got
        if not ev["wrong_form"] or _mistranslation_verdict(seg, z, ev, drop) is not None or z > -1.0:
            continue
        for w in ev["wrong_form"][:1]:
            s0, e0, text = _tspan(ctx, seg)
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


# --- cheap agreement / morphology rules on the translation (English targets) ----------------------

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


def _rule_hits(text: str) -> Iterator[tuple[int, int, str]]:
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
        if before in _PREPOSITIONS or noun in _FUNCTION_WORDS["en"] or noun in STOP_WORDS["en"]:
            continue
        if noun.endswith("ss") or noun in {"has", "was", "is", "does", "goes", "says", "seems"}:
            continue
        yield m.start(1) + len(m.group(1)) + 1, m.end(), possessive[1]


def grammar_issues(ctx: CheckContext) -> Iterator[Issue]:
    """Agreement and morphology slips in an English translation (see _EN_RULES)."""
    if ctx.target.lang.split("-")[0].lower() != "en":
        return
    seg_of = {j: seg for seg in ctx.segments for j in seg.target_sentences}
    for j, sent in enumerate(ctx.target.sentences):
        text = ctx.target.text[sent.start : sent.end]
        for s, e, why in _rule_hits(text):
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
