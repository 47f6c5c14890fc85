"""Entity consistency: one source entity rendered several ways, or a name split by inserted words.

Entity checks: one source entity rendered several ways in the translation, and source names split
by inserted words. They read the document entity table (ctx.entity_table(), a pipeline stage)."""

from __future__ import annotations

from collections.abc import Iterator

from rapidfuzz import fuzz

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.forms import case_forms, compass_part, compounded, stem_in
from mtqa.checks.registry import check
from mtqa.lang import gazetteer
from mtqa.lang.codes import primary
from mtqa.lang.entities import Mention
from mtqa.lang.lexicon import (
    CONNECTORS,
    DECLINING,
    NOUN_CAPITALISING,
    STOP_WORDS,
    capitalised,
    fold,
    fold_text,
    is_acronym,
    lang_key,
    phonetic,
    similarity,
    tokens,
)
from mtqa.report import Issue

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 70

# renderings at least this similar (lexicon.similarity, folded and transliterated) spell one name
VARIANT_SIMILARITY = 75
# a target name at least this similar to a source name (or one of its words) spells that source name
SOURCE_SIMILARITY = 75


def spelling_variants(a: str, b: str, lang: str) -> bool:
    """Two renderings of one name that differ in spelling, script or case ending ("Макинани" / "Макэнани",
    "Covid-19" / "Ковид-19", "Бернардом" / "Бернарда"): a consistency slip, minor. Acronyms that differ
    (SDF / SDS) and two places the gazetteer tells apart (Iran / Iraq, Austria / Australia) name two
    entities: major."""
    if is_acronym(a) or is_acronym(b):
        return False
    pa, pb = gazetteer.lookup(a, lang), gazetteer.lookup(b, lang)
    if pa and pb and not pa & pb:
        return False
    return similarity(a, b) >= VARIANT_SIMILARITY or same_stems(a, a, b)


def _variant_issue(ctx: CheckContext, odd: Mention, others: list[str], message: str, conf: float) -> Issue:
    minor = spelling_variants(odd.text, others[0], ctx.target.lang)
    return Issue(
        type="entity-inconsistency",
        severity="minor" if minor else "major",
        message=message + (" (spelling variants of one name)" if minor else ""),
        target_paragraph=odd.paragraph,
        segment=ctx.segment_of_target(odd.sentence),
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
    declining = primary(ctx.target.lang) in NOUN_CAPITALISING | DECLINING
    for entry in ctx.entity_table():
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
            declined = (case_forms(fold(main), fold(odd.text)) or same_stems(entry.source, main, odd.text)
                        or compounded(fold(main), fold(odd.text)))
            if (declining and declined) or derived_form(fold(main), fold(odd.text)):
                continue  # Putin / Putins, Islamische Staat / Islamischen Staates / Islamstaats: one name
            if compass_part(main, odd.text, ctx.target.lang):
                continue  # Afghanistan / Ostafghanistan: the place and a part of it
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
    if primary(ctx.target.lang) in NOUN_CAPITALISING:
        return  # German capitalises its nouns: target-only variants are mostly nouns (Bericht / Berichte)
    # target-only spelling variants of a name, not explained by the source
    src_forms = {fold(m.text) for m in ctx.mentions(ctx.source)}
    first: dict[str, Mention] = {}
    # the source names of the segments each target form occurs in: two variants must render one of them
    src_by_sentence: dict[int, set[str]] = {}
    for m in ctx.mentions(ctx.source):
        src_by_sentence.setdefault(m.sentence, set()).add(fold(m.text))
    for i, sent in enumerate(ctx.source.sentences):  # and capitalised words: "Lagarde betonte ..."
        words = tokens(ctx.source.text[sent.start : sent.end])
        src_by_sentence.setdefault(i, set()).update(
            fold(w) for w, _, _ in words if w[:1].isupper() and len(w) >= 4
        )
    aligned: dict[int, set[str]] = {}
    for seg in ctx.segments:
        names = {f for i in seg.source_sentences for f in src_by_sentence.get(i, ())}
        for j in seg.target_sentences:
            aligned.setdefault(j, set()).update(names)
    src_of: dict[str, set[str]] = {}
    for m in ctx.mentions(ctx.target):
        if m.kind in ("acronym", "title"):
            continue
        first.setdefault(fold(m.text), m)
        src_of.setdefault(fold(m.text), set()).update(aligned.get(m.sentence, ()))
    keys = list(first)
    folded: list[str] = []  # the folded source text, made on first use

    def in_src(form: str) -> bool:
        if not folded:
            folded.append(f" {fold_text(ctx.source.text)} ")
        return f" {form} " in folded[0]

    for a, b in _similar_pairs(keys, 85):
        if len(a.split()) != len(b.split()) or a.startswith(b) or b.startswith(a):
            continue
        if frozenset({a, b}) in reported or (a in src_forms and b in src_forms):
            continue  # reported already, or the source varies too
        shared = src_of.get(a, set()) & src_of.get(b, set())
        if not source_backed(a, b, shared) or (declining and case_forms(a, b)) or derived_form(a, b):
            continue  # two target words ("Bericht" / "Berichte"), not two spellings of a source name
        reported.add(frozenset({a, b}))
        # the odd one: the spelling the source text does not have, else the later one
        odd, ref = (first[a], first[b]) if in_src(b) and not in_src(a) else (first[b], first[a])
        yield _variant_issue(
            ctx, odd, [ref.text], f'name spelled "{ref.text}" and "{odd.text}" in the translation', 0.7
        )
    yield from _token_variants(ctx, reported, declining)


def same_stems(source: str, a: str, b: str) -> bool:
    """Two renderings of one source name that differ by case endings or a compound ("Covid-19" /
    "Covid-19-Fälle", "Australien" / "Schutz Australiens", "Грецию" / "Греции")."""
    ta, tb = fold(a).split(), fold(b).split()
    if not ta or not tb:
        return False
    short, long = sorted((ta, tb), key=len)
    if all(stem_in(t, long) for t in short):
        return True
    ts = fold(source).split()
    return bool(ts) and all(stem_in(t, ta) and stem_in(t, tb) for t in ts)


_DERIVED = ("s", "es", "n", "ns", "an", "ans", "ian", "ians", "ese", "ish")


def derived_form(a: str, b: str) -> bool:
    """Folded forms of one name as a plural or an adjective (Tunisia / Tunisian, Palestinian / Palestinians),
    or one inside the other ("Hollande" / "has Hollande", "President" / "President-elect")."""
    short, long = sorted((a, b), key=len)
    if long.startswith(short) and long[len(short) :] in _DERIVED:
        return True
    if short.endswith("e") and long.startswith(short[:-1]) and long[len(short) - 1 :] in ("ean", "eans"):
        return True  # Europe / European
    return set(short.split()) <= set(long.split())


def source_backed(a: str, b: str, src_forms: set[str]) -> bool:
    """Whether two folded target names both resemble one source name (issue 14: German nouns, capitalised,
    are not names; variants count only as spellings of a name the source has)."""
    words = {w for f in src_forms for w in f.split() if len(w) >= 4}
    return any(similarity(f, a) >= SOURCE_SIMILARITY and similarity(f, b) >= SOURCE_SIMILARITY
               for f in src_forms | words)


def _similar_pairs(keys: list[str], cutoff: int, chunk: int = 1000) -> Iterator[tuple[str, str]]:
    """Pairs (a, b), a before b in `keys`, both at least 5 characters, with fuzz.ratio >= cutoff;
    compared in C in bounded chunks (rapidfuzz cdist) rather than a Python double loop."""
    import numpy as np
    from rapidfuzz import process

    long = [k for k in keys if len(k) >= 5]
    for lo in range(0, len(long), chunk):
        scores = process.cdist(
            long[lo : lo + chunk], long, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8
        )
        for i, j in zip(*np.nonzero(scores), strict=True):
            if lo + i < j:
                yield long[lo + i], long[j]


def _name_token_tuples(ctx: CheckContext, doc) -> list[tuple[str, int, int, int, int, str, bool]]:
    """Single name words of a document's mentions ("Roglič" of "Primož Roglič"), as tuples of the
    Mention fields (cheaper to make than Mentions; one is made for what gets reported)."""
    stops = lang_key(doc.lang, STOP_WORDS) | lang_key(doc.lang, CONNECTORS)
    words: dict[str, list[tuple[str, int, int]]] = {}  # per distinct mention text
    out = []
    for m in ctx.mentions(doc):
        if m.kind in ("acronym", "title"):
            continue
        found = words.get(m.text)
        if found is None:
            found = words[m.text] = [
                (tok, s, e)
                for tok, s, e in tokens(m.text)
                if len(tok) >= 4 and tok[:1].isupper() and tok.lower() not in stops and not is_acronym(tok)
            ]
        for tok, s, e in found:
            out.append((tok, m.start + s, m.start + e, m.sentence, m.paragraph, m.kind, m.initial))
    return out


def _token_variants(ctx: CheckContext, reported: set[frozenset[str]], declining: bool) -> Iterator[Issue]:
    """Name words of the translation that are transliteration variants of each other (same phonetic key
    after anyascii folding: "Roglitsch" / "Roglič"), even sentence-initial or inside a longer name, when
    the source spells the name one way."""
    src_keys: dict[str, set[str]] = {}
    for text in {t[0] for t in _name_token_tuples(ctx, ctx.source)}:
        src_keys.setdefault(phonetic(text), set()).add(fold(text))
    done = {w for pair in reported for name in pair for w in name.split()}
    # phonetic key -> folded form -> the form's name words (Mention fields), in document order
    by_key: dict[str, dict[str, list[tuple]]] = {}
    for t in _name_token_tuples(ctx, ctx.target):
        by_key.setdefault(phonetic(t[0]), {}).setdefault(fold(t[0]), []).append(t)
    for key, forms in by_key.items():
        if len(forms) < 2 or len(key) < 4 or len(src_keys.get(key, ())) != 1:
            continue  # one spelling, the source varies too, or no source name sounds like it (a noun)
        src_forms = src_keys.get(key, set())
        # the reference: the spelling the source uses, else the most frequent, else the first
        ranked = sorted(forms.items(), key=lambda kv: (kv[0] not in src_forms, -len(kv[1]), kv[1][0][1]))
        ref = Mention(*ranked[0][1][0])
        for f, ms in ranked[1:]:
            if declining and case_forms(f, fold(ref.text)):
                continue  # Москва / Москвы: one name declined
            if f in done and fold(ref.text) in done:
                continue  # already reported as part of a longer name
            yield _variant_issue(
                ctx,
                Mention(*ms[0]),
                [ref.text],
                f'name spelled "{ref.text}" and "{ms[0][0]}" in the translation '
                f"(¶{', '.join(str(p) for p in sorted({m[4] for m in ms}))})",
                0.7,
            )


def _name_words(text: str, lang: str) -> list[str]:
    stops = lang_key(lang, STOP_WORDS) | lang_key(lang, CONNECTORS)
    return [t for t, _, _ in tokens(text) if t.lower() not in stops and capitalised(t)]


@check("entity-split", issue_type="fluency", mqm="fluency/grammar")
def entity_split(ctx: CheckContext) -> Iterator[Issue]:
    """A source multiword name kept in the translation with ordinary words inserted between its parts
    ("du groupe Hayat Tahrir al-Cham" -> "the Hayat group Tahrir al-Sham"): the name words are found in
    order in the aligned translation, but never side by side."""
    src_by_sent: dict[int, list[Mention]] = {}
    for m in ctx.mentions(ctx.source):
        src_by_sent.setdefault(m.sentence, []).append(m)
    conns = lang_key(ctx.target.lang, CONNECTORS)
    names: dict[str, list[str]] = {}  # _name_words per distinct mention text
    for seg in ctx.segments:
        if not seg.source_sentences or not seg.target_sentences:
            continue
        toks = None  # (token, absolute start, absolute end) of the aligned translation, when needed
        for m in (m for i in seg.source_sentences for m in src_by_sent.get(i, [])):
            if m.kind in ("acronym", "title"):
                continue
            name = names.get(m.text)
            if name is None:
                name = names[m.text] = _name_words(m.text, ctx.source.lang)
            if len(name) < 2:
                continue
            if toks is None:
                toks = []
                for j in seg.target_sentences:
                    sent = ctx.target.sentences[j]
                    stext = ctx.target.text[sent.start : sent.end]
                    toks += [(t, sent.start + s, sent.start + e) for t, s, e in tokens(stext)]
            hit = _split_match(name, toks, conns)
            if hit is None:
                continue
            s, e, inserted = hit
            yield Issue(
                type="fluency",
                severity="minor",
                message=f'name "{m.text}" split by "{" ".join(inserted)}" in the translation',
                target_paragraph=ctx.target.sentences[seg.target_sentences[0]].paragraph,
                segment=seg.id,
                source_paragraph=m.paragraph,
                target_start=s,
                target_end=e,
                evidence=[ctx.target.text[s:e], m.text],
                confidence=0.6,
            )


def _split_match(name: list[str], toks: list[tuple[str, int, int]], conns: set[str]):
    """(start, end, inserted words) when the name words occur in order with inserted ordinary words
    (at most two per gap) and nowhere side by side; None otherwise."""

    def same(a: str, b: str) -> bool:
        return similarity(a, b) >= 80

    split = None
    for i0, (t, _, _) in enumerate(toks):
        if not same(name[0], t):
            continue
        pos, inserted, ok = i0, [], True
        for w in name[1:]:
            for k in range(pos + 1, min(pos + 4, len(toks))):
                if same(w, toks[k][0]):
                    inserted += [x for x, _, _ in toks[pos + 1 : k] if x.lower() not in conns]
                    pos = k
                    break
            else:
                ok = False
                break
        if not ok:
            continue
        if not inserted:
            return None  # the name occurs intact
        if split is None and all(x[:1].islower() for x in inserted):
            split = (toks[i0][1], toks[pos][2], inserted)
    return split
