"""The shortcuts that make the checks fast on long documents give what the plain computation gives."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from mtqa import entities
from mtqa import entities as E
from mtqa.checks import CheckContext
from mtqa.checks import rules as R
from mtqa.checks.entity import _segment_of_sentence
from mtqa.checks.rules import word_evidence
from mtqa.document import Document, Paragraph, Sentence
from mtqa.report import Issue, Segment

ROOT = Path(__file__).resolve().parents[1]
TEXTS = {
    "en": [ROOT / "seeds" / "idlib-2019-12-01.en.txt", ROOT / "tests" / "data" / "ecb.en.txt"],
    "fr": [ROOT / "seeds" / "idlib-2019-12-01.fr.txt", ROOT / "tests" / "data" / "louvre.fr.txt"],
    "de": [ROOT / "tests" / "data" / "ecb.de.txt"],
    "es": [ROOT / "tests" / "data" / "vuelta.es.txt"],
}


def _sentences() -> list[str]:
    out = []
    for paths in TEXTS.values():
        for path in paths:
            text = path.read_text(encoding="utf-8")
            out += [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 5]
    # mixed-language texts: the first half of one sentence and the second half of another
    mixed = []
    for a, b in zip(out[::7], out[3::7], strict=False):
        wa, wb = a.split(), b.split()
        mixed.append(" ".join(wa[: len(wa) // 2] + wb[len(wb) // 2 :]))
    return out + mixed + ["東京は日本の首都です。 The capital has many museums and parks to visit."]


PAIRS = [("en", "fr"), ("fr", "en"), ("en", "de"), ("de", "en"), ("es", "en"), ("ja", "en")]


@pytest.mark.parametrize("lang, rival", PAIRS)
def test_language_screen_never_drops_a_detection(lang, rival):
    """may_be_language keeps every text the full detector assigns to `lang` with confidence >= 0.5."""
    from mtqa.langid import detect_segment, may_be_language

    texts = _sentences()
    keep = may_be_language(texts, lang, rival, 0.5)
    for text, kept in zip(texts, keep, strict=True):
        code, conf = detect_segment(text)
        if code == lang and conf >= 0.5:
            assert kept, text
    if lang != "ja":  # Latin-script texts are ruled out for Japanese by a rule: those are kept
        assert not all(keep)  # and it does screen


def test_language_screen_unknown_languages():
    from mtqa.langid import may_be_language

    texts = ["Dies ist ein ganz normaler deutscher Satz über das Wetter."]
    assert may_be_language(texts, "km", "de") == [False]  # lingua never says km
    assert may_be_language(texts, "de", "km") == [True]  # no rival to screen against


def test_memoised_fold_matches_plain_fold():
    for text in ["Al-Qaïda's", "Roglič", "Tchaïkovski", "l'Observatoire syrien", "U.S.-led"]:
        assert entities.fold(text) == entities.fold_text(text)


def _doc(sentences: list[str], lang: str) -> Document:
    text = " ".join(sentences)
    doc = Document(text=text, lang=lang)
    pos = 0
    for k, s in enumerate(sentences):
        doc.sentences.append(Sentence(k, 1, pos, pos + len(s), s))
        pos += len(s) + 1
    doc.paragraphs.append(Paragraph(1, 0, len(text), text))
    return doc


def test_segment_of_sentence_is_the_first_holding_segment():
    src = _doc(["Un.", "Deux.", "Trois."], "fr")
    tgt = _doc(["One.", "Two.", "Three.", "Four."], "en")
    segs = [
        Segment(0, "Un.", "One. Two.", [1], [1], "1-2", 0.9, source_sentences=[0], target_sentences=[0, 1]),
        Segment(1, "Deux.", "Two.", [1], [1], "1-1", 0.9, source_sentences=[1], target_sentences=[1]),
        Segment(2, "Trois.", "Three.", [1], [1], "1-1", 0.9, source_sentences=[2], target_sentences=[2]),
    ]
    ctx = CheckContext(src, tgt, segs)
    assert [_segment_of_sentence(ctx, j) for j in range(4)] == [0, 0, 2, None]


@pytest.mark.parametrize(
    "src, tgt, src_lang, tgt_lang",
    [
        ("Bataille clé", "Battled key", "fr", "en"),
        ("Les combats ont repris dans la province.", "The fightings resumed in the provinces.", "fr", "en"),
        ("Die Verhandlungen gingen gestern weiter.", "The negotiations continued yesterday.", "de", "en"),
    ],
)
def test_wrong_forms_without_unmatched_words(src, tgt, src_lang, tgt_lang):
    """Looking for wrong forms alone (segments not low enough to be flagged) finds the same ones."""
    full = word_evidence(src, tgt, src_lang, tgt_lang)
    light = word_evidence(src, tgt, src_lang, tgt_lang, unmatched=False)
    assert light["wrong_form"] == full["wrong_form"] and light["words"] == full["words"]
    assert "unmatched" not in light


def test_entity_table_work_grows_linearly(monkeypatch):
    """Mapping mentions compares a source mention with the mentions of its own segment only: twice the
    document, twice the comparisons."""
    calls = 0
    similarity = entities.similarity

    def counting(a: str, b: str) -> float:
        nonlocal calls
        calls += 1
        return similarity(a, b)

    monkeypatch.setattr(entities, "similarity", counting)

    def run(n: int) -> int:
        nonlocal calls
        names = [f"Marko Petrovic{k}" for k in range(n)]
        src = _doc([f"Le ministre {x} a parlé avec Anna Kowalska{k}." for k, x in enumerate(names)], "fr")
        tgt = _doc([f"Minister {x} spoke with Anna Kowalska{k}." for k, x in enumerate(names)], "en")
        segs = [
            Segment(k, "", "", [1], [1], "1-1", 0.9, source_sentences=[k], target_sentences=[k])
            for k in range(n)
        ]
        calls = 0
        entities.build_entity_table(src, tgt, segs)
        return calls

    small, large = run(40), run(80)
    assert 0 < small and large <= 2.2 * small


# --- fast paths of the text helpers against their plain versions -------------------------------------

TRICKY = [
    "",
    "plain ascii, no apostrophe",
    "Ünïcödé naïve café — «quoted» 東京 Москва ½ ² Ⅻ İstanbul ſ K",
    "l'Observatoire d’Alep, aujourd'hui l'ONU's 'quoted' rock'n'roll U.S.-led e.g. Dr. 3.5",
    "MÄRZ März märz MAY May may mayor Mayo İAPRIL APRİL SEPTEMBER Sept. août AOÛT",
    "1 200 1,200 1.200,5 70 % 1er 2nd no digits here ٣ ४ １２",
    "one two Three dozen a dozen zwölf eins ein un une deux",
]


def _texts() -> list[str]:
    out = list(TRICKY)
    for paths in TEXTS.values():
        for path in paths:
            text = path.read_text(encoding="utf-8")
            out += [text] + [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    return out


def _reference_tokens(text: str) -> list[tuple[str, int, int]]:
    """entities.tokens without its fast path."""
    out = []
    for m in entities._TOKEN.finditer(text):
        tok, start = m.group(), m.start()
        if "'" in tok or "’" in tok:
            tok, cut = entities._strip_elision(tok)
            start += cut
            for suffix in ("'s", "’s"):
                if tok.endswith(suffix):
                    tok = tok[: -len(suffix)]
            tok = tok.rstrip(".")
        if tok:
            out.append((tok, start, start + len(tok)))
    return out


def test_text_helpers_match_their_plain_versions():
    from anyascii import anyascii

    from mtqa import numbers

    def plain_months(text: str, lang: str) -> list[tuple[int, int, int]]:
        names = numbers._MONTH_NUMBER.get(numbers._primary(lang))
        if not names:
            return []
        out = []
        for m in numbers._WORD.finditer(text):
            w = m.group().lower()
            if w in names and not (w == "may" and not text[m.start()].isupper()):
                out.append((names[w], m.start(), m.end()))
        return out

    def plain_written(text: str, lang: str) -> list[float]:
        words = numbers._WORD_VALUE.get(numbers._primary(lang), {})
        extra = numbers._EXTRA_WORDS.get(numbers._primary(lang), {})
        return [
            float(words[w]) if w in words else float(extra[w])
            for w in numbers._WORD.findall(text.lower())
            if w in words or w in extra
        ]

    for text in _texts():
        assert entities._ascii(text) == anyascii(text)
        assert entities.tokens(text) == _reference_tokens(text)
        # Chinese / Japanese numbers are read by mtqa.cjk_numerals (tests/test_fidelity.py)
        for lang in ("en", "fr", "de", "es", "it"):
            assert numbers.find_months(text, lang) == plain_months(text, lang)
            assert numbers.written_numbers(text, lang) == plain_written(text, lang)
            assert numbers.find_numbers(text, lang) == [
                numbers.Number(v, m.group(1), m.start(1), m.end(1))
                for m in numbers._NUMBER.finditer(text)
                if (v := numbers.parse_number(m.group(1), lang)) is not None
            ]


# --- mentions and number checks against the implementations before the shortcuts ------------------


def _reference_mentions(doc: Document) -> list[E.Mention]:
    lang = doc.lang
    stops = E.lang_key(lang, E.STOP_WORDS)
    conns = E.lang_key(lang, E.CONNECTORS)
    noun_caps = lang.split("-")[0].lower() in E.NOUN_CAPITALISING
    text = doc.text
    # forms seen capitalised not at the start of a sentence
    mid_caps: Counter[str] = Counter()
    # per sentence: its tokens, which are capitalised non-stop words (name words) and which connectors
    sent_tokens = []
    for sent in doc.sentences:
        toks = E.tokens(text[sent.start : sent.end])
        caps = [E._capitalised(tok) for tok, _, _ in toks]
        lows = [tok.lower() for tok, _, _ in toks]
        named = [cap and low not in stops for cap, low in zip(caps, lows, strict=True)]
        sent_tokens.append((toks, named, [low in conns for low in lows]))
        for k in range(1, len(toks)):
            if caps[k]:
                mid_caps[toks[k][0]] += 1
    mentions: list[E.Mention] = []
    for sent, (toks, named, is_conn) in zip(doc.sentences, sent_tokens, strict=True):
        base = sent.start
        k = 0
        while k < len(toks):
            if not named[k]:
                k += 1
                continue
            # a capitalised run, allowing connectors between capitalised tokens
            j = k + 1
            last = k
            while j < len(toks):
                if named[j]:
                    last = j
                    j += 1
                elif (
                    is_conn[j]
                    and j + 1 < len(toks)
                    and text[base + toks[j - 1][2] : base + toks[j][1]].strip() == ""
                ):
                    j += 1
                else:
                    break
            run = toks[k : last + 1]
            # adjacent tokens only (no punctuation between them)
            pieces = [run[0]]
            for t in run[1:]:
                gap = text[base + pieces[-1][2] : base + t[1]]
                if gap.strip():
                    break
                pieces.append(t)
            initial = k == 0
            first = pieces[0][0]
            k += len(pieces)
            if len(pieces) == 1 and not E.is_acronym(first):
                if (
                    initial
                    and mid_caps[first] == 0
                    and (first.lower() in E._lower_words(text) or len(first) < 4)
                ):
                    continue
                if noun_caps and initial:
                    continue
            s, e = base + pieces[0][1], base + pieces[-1][2]
            span = text[s:e]
            # acronyms inside a run are mentions of their own
            if len(pieces) > 1 and any(E.is_acronym(p[0]) for p in pieces):
                for p in pieces:
                    if E.is_acronym(p[0]):
                        mentions.append(
                            E.Mention(
                                p[0],
                                base + p[1],
                                base + p[2],
                                sent.index,
                                sent.paragraph,
                                "acronym",
                                initial and p is pieces[0],
                            )
                        )
                continue
            mentions.append(
                E.Mention(span, s, e, sent.index, sent.paragraph, E._classify(span, lang), initial)
            )
        for m in E._QUOTED.finditer(text[sent.start : sent.end]):
            inner = m.group(1)
            if (
                inner[:1].isupper()
                and len(inner.split()) <= 6
                and not inner.rstrip().endswith((".", ",", "!", "?"))
            ):
                s = base + m.start(1)
                mentions.append(E.Mention(inner, s, s + len(inner), sent.index, sent.paragraph, "title"))
    mentions.sort(key=lambda m: m.start)
    return mentions


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es"])
def test_mentions_match_reference(lang):
    from mtqa.document import split_paragraphs
    from mtqa.segment import segment_document

    for path in TEXTS[lang]:
        doc = Document(text=path.read_text(encoding="utf-8"), lang=lang)
        doc.paragraphs = split_paragraphs(doc.text)
        segment_document(doc, split=True)
        assert entities._extract_mentions(doc) == _reference_mentions(doc)
    doc = _doc([s for s in _sentences() if s.isascii() or lang != "en"][:200] + TRICKY[1:], lang)
    assert entities._extract_mentions(doc) == _reference_mentions(doc)


def _reference_number_mismatch(ctx: CheckContext) -> Iterator[Issue]:
    """number_mismatch before the shortcuts (verbatim but for names)."""
    segs = ctx.segments
    # numbers of each sentence, found once: a segment also looks at its neighbours'
    src_numbers, tgt_numbers = R._sentence_numbers(ctx.source), R._sentence_numbers(ctx.target)
    for k, seg in enumerate(segs):
        if not R._both(seg):
            continue
        src = R._side_numbers(src_numbers, seg.source_sentences)
        tgt = R._side_numbers(tgt_numbers, seg.target_sentences)
        src_text = R._side_text(ctx.source, seg.source_sentences)
        tgt_text = R._side_text(ctx.target, seg.target_sentences)
        if fuzz.ratio(src_text, tgt_text) >= 90:
            continue  # left untranslated (reported as such): its numbers are in the source's notation
        # numbers in neighbouring segments excuse an alignment that cut a sentence differently
        near_src: set[float] = set()
        near_tgt: set[float] = set()
        for nb in (segs[k - 1] if k else None, segs[k + 1] if k + 1 < len(segs) else None):
            if nb is not None:
                near_src |= {v for v, _, _ in R._side_numbers(src_numbers, nb.source_sentences)}
                near_tgt |= {v for v, _, _ in R._side_numbers(tgt_numbers, nb.target_sentences)}
        missing = Counter(v for v, _, _ in src) - Counter(v for v, _, _ in tgt)
        extra = Counter(v for v, _, _ in tgt) - Counter(v for v, _, _ in src)
        written_t = Counter(R.written_numbers(tgt_text, ctx.target.lang))
        written_s = Counter(R.written_numbers(src_text, ctx.source.lang))
        missing = Counter({v: c for v, c in (missing - written_t).items() if v not in near_tgt})
        extra = Counter({v: c for v, c in (extra - written_s).items() if v not in near_src})
        para = seg.target_paragraphs[0] if seg.target_paragraphs else None
        extra_spans = [(v, s, e) for v, s, e in tgt if extra[v] > 0]
        miss = sorted(missing.elements())
        for n, (_v, s, e) in enumerate(extra_spans):
            changed = n < len(miss)
            msg = (
                f"number changed: {R._fmt(miss[n])} in the source, {ctx.target.text[s:e]} in the translation"
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
                evidence=[ctx.target.text[s:e]] + ([R._fmt(miss[n])] if changed else []),
                confidence=0.8,
            )
        for v in miss[len(extra_spans) :]:
            s, e, text = R._tspan(ctx, seg)
            yield Issue(
                type="number-mismatch",
                severity="major",
                message=f"number {R._fmt(v)} of the source is missing",
                target_paragraph=para,
                segment=seg.id,
                source_paragraph=seg.source_paragraphs[0],
                target_start=s,
                target_end=e,
                evidence=[text, R._fmt(v)],
                confidence=0.75,
            )
        src_months = Counter(m for m, _, _ in R._months(ctx.source, seg.source_sentences))
        tgt_months = R._months(ctx.target, seg.target_sentences)
        if not src_months or not tgt_months:
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


def test_number_mismatch_matches_reference():
    """Segments with the same, different, written-out or neighbouring numbers and month names."""
    import random

    from mtqa.checks.rules import number_mismatch

    rng = random.Random(7)
    kinds: Counter[str] = Counter()
    # figures and month names (and nothing, twice as often) put in the source and target sentences
    pieces_fr = "12|1 200|3,5|70 %|deux|le 1er décembre|en mai|en décembre|2019|cinq||".split("|")
    pieces_en = "12|1,200|3.5|70%|two|December 1|in May|in December|2019|five|may||".split("|")
    for trial in range(30):
        n = rng.randint(3, 12)
        # first a month changed with the same numbers (none, or 3 on both sides)
        src_s, tgt_s = (
            ["Réunion prévue en décembre.", "Le 3 mai."],
            ["Meeting planned in May.", "On December 3."],
        )
        for k in range(n):
            a, b = rng.choice(pieces_fr), rng.choice(pieces_en)
            if rng.random() < 0.4:  # the same figure on both sides
                b = {"1 200": "1,200", "3,5": "3.5", "70 %": "70%"}.get(a, a if a[:1].isdigit() else b)
            src_s.append(f"Phrase {k} avec {a} et du texte.")
            tgt_s.append(f"Sentence {k} with {b} and some text." if rng.random() < 0.9 else src_s[-1])
        n += 2
        src, tgt = _doc(src_s, "fr"), _doc(tgt_s, "en")
        segs, i, j, sid = [], 0, 0, 0
        while i < n:
            a = rng.choice([1, 1, 1, 2, 0]) if i + 1 < n else 1
            b = rng.choice([1, 1, 1, 2, 0]) if j + 1 < n else 1
            a, b = max(a, 0 if b else 1), b
            ss, ts = list(range(i, min(n, i + a))), list(range(j, min(n, j + b)))
            seg = Segment(
                sid,
                " ".join(src_s[x] for x in ss),
                " ".join(tgt_s[x] for x in ts),
                [1],
                [1],
                f"{len(ss)}-{len(ts)}",
                0.9,
                source_sentences=ss,
                target_sentences=ts,
            )
            if ts:
                seg.target_start, seg.target_end = tgt.sentences[ts[0]].start, tgt.sentences[ts[-1]].end
            segs.append(seg)
            i, j, sid = i + len(ss), j + len(ts), sid + 1
        ctx = CheckContext(src, tgt, segs)
        issues = list(number_mismatch(ctx))
        assert issues == list(_reference_number_mismatch(ctx)), trial
        kinds.update(i.message.split()[0] + (" changed" if "changed" in i.message else "") for i in issues)
    assert {"number changed", "number", "month changed"} <= set(kinds)  # every kind of finding was made
