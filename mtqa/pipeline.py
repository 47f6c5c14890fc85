"""Wire the stages together: document -> sentences -> align -> score -> entities -> checks -> report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mtqa.document import DEFAULT_MAX_CHARS, Document, lines_of, read_text, split_lines, split_paragraphs
from mtqa.errors import MtqaError
from mtqa.estimate import estimate, model_kind, score_of, segment_evidence, shipped_model
from mtqa.fingerprint import assign_fingerprints
from mtqa.gate import FAIL_MQM, PASS_MQM, counts_for_gate, verdict_for
from mtqa.lang import ner
from mtqa.lang.codes import primary
from mtqa.lang.wordseg import word_count
from mtqa.precision import apply_floor, mark_shown_spans, pair_of
from mtqa.profiles import DEFAULT_PROFILE, profile_named
from mtqa.report import SEVERITY_WEIGHTS, DocumentSummary, Issue, ModelInfo, MqmEstimate, Report, Segment
from mtqa.suggest import attach_suggestions


@dataclass
class Options:
    src_lang: str | None = None
    tgt_lang: str | None = None
    bitext: bool = False
    split: bool = True
    profile: str = DEFAULT_PROFILE
    scorers: list[str] | None = None
    encoder: str | None = None  # None: the profile's (mtqa.profiles)
    reference: str | None = None
    glossary: str | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    use_cache: bool = True  # False (--no-cache): neither read nor write the on-disk cache
    disabled_checks: list[str] = field(default_factory=list)
    #: the verdict's MQM cut-scores and whether a critical rule issue fails a document on its own
    pass_mqm: float = PASS_MQM
    fail_mqm: float = FAIL_MQM
    critical_fails: bool = True
    #: report a check's majors as minor where their measured precision is under the floor (mtqa.precision)
    precision_floor: bool = True
    scorer_options: dict = field(default_factory=dict)
    align_params: Any = None  # mtqa.align.AlignParams for the aligner; None: its defaults

    @property
    def encoder_spec(self) -> str:
        """The sentence encoder alignment and the cosine scorer use: the named one, else the profile's."""
        from mtqa.encoders import encoder_for

        return encoder_for(self.profile, self.encoder)

    @property
    def check_encoder_spec(self) -> str:
        """The encoder the checks embed words with: the named one, else the profile's check encoder."""
        return self.encoder or profile_named(self.profile).check_encoder

    @property
    def name_encoder_spec(self) -> str:
        """The encoder the checks compare names with: the named one, else the profile's name encoder."""
        return self.encoder or profile_named(self.profile).name_encoder


class Timer:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    def stage(self, name: str):
        timer = self

        class _Ctx:
            def __enter__(self):
                self.t = time.perf_counter()

            def __exit__(self, *exc):
                timer.times[name] = timer.times.get(name, 0.0) + time.perf_counter() - self.t

        return _Ctx()


def make_document(text: str, path: str | None, lang: str | None, *, lines: bool, extracted=None) -> Document:
    from mtqa.lang.langid import detect, normalize_lang

    doc = Document(text=text, path=path)
    doc.paragraphs = split_lines(text) if lines else split_paragraphs(text)
    if extracted is not None:  # a format reader (mtqa.formats) already found the paragraphs
        doc.original, doc.offset_map, doc.format = extracted.original, extracted.offset_map, extracted.format
        doc.pre_aligned = extracted.format in ("xliff", "po", "tmx")
        if doc.pre_aligned or not lines:
            doc.paragraphs = extracted.paragraphs
        lang = lang or extracted.lang
    if lang:
        doc.lang = normalize_lang(lang)
    else:
        code, _ = detect(text)
        if code == "und":
            raise MtqaError(f"{path or 'input'}: cannot detect the language; give --src-lang/--tgt-lang")
        doc.lang, doc.lang_detected = code, True
    return doc


def read_pair(source: str, translation: str | None, opts: Options, timer: Timer) -> tuple[Document, Document]:
    from mtqa.formats import is_bilingual, read_bilingual, read_document

    if source == "-" and translation == "-":
        raise MtqaError("standard input ('-') can be given for only one of SOURCE and TRANSLATION")
    with timer.stage("read"):
        # --bitext: every line is a paragraph (line i pairs with line i); --split none keeps the blank-line
        # paragraphs and makes each line a sentence (split_pair), so paragraph penalties stay meaningful
        lines = opts.bitext
        if translation is None:  # one bilingual file holds both sides
            if not is_bilingual(source):
                raise MtqaError(
                    f"{source}: give TRANSLATION too (only XLIFF, PO and TMX files hold both sides)"
                )
            src_x, tgt_x = read_bilingual(source, max_chars=opts.max_chars)
            translation = source
        else:
            src_x = read_document(source, max_chars=opts.max_chars)
            tgt_x = read_document(translation, max_chars=opts.max_chars)
        src = make_document(
            src_x.text, None if source == "-" else source, opts.src_lang, lines=lines, extracted=src_x
        )
        tgt = make_document(
            tgt_x.text,
            None if translation == "-" else translation,
            opts.tgt_lang,
            lines=lines,
            extracted=tgt_x,
        )
    return src, tgt


def split_pair(src: Document, tgt: Document, opts: Options, timer: Timer) -> None:
    from mtqa.sentences import split_document

    with timer.stage("split"):
        split = opts.split and not opts.bitext
        lines = not opts.split and not opts.bitext
        split_document(src, split=split, lines=lines)
        split_document(tgt, split=split, lines=lines)


def align_pair(
    src: Document, tgt: Document, opts: Options, timer: Timer
) -> list[tuple[list[int], list[int]]]:
    """Beads of sentence indices; bitext pairs line i with line i."""
    if opts.bitext:
        if len(src.paragraphs) != len(tgt.paragraphs):
            raise MtqaError(
                f"--bitext needs the same number of lines: source has {len(src.paragraphs)}, "
                f"translation {len(tgt.paragraphs)}"
            )
        s_by_para = {s.paragraph: s.index for s in src.sentences}
        t_by_para = {s.paragraph: s.index for s in tgt.sentences}
        beads = []
        for p in range(1, len(src.paragraphs) + 1):
            si = [s_by_para[p]] if p in s_by_para else []
            ti = [t_by_para[p]] if p in t_by_para else []
            if si or ti:
                beads.append((si, ti))
        return beads
    from mtqa.align import align_embeddings
    from mtqa.cache import caching
    from mtqa.encoders import embed_overlaps, get_encoder

    encoder = get_encoder(opts.encoder_spec)
    with timer.stage("embed"), caching(opts.use_cache):
        se = embed_overlaps(encoder, [s.text for s in src.sentences])
        te = embed_overlaps(encoder, [s.text for s in tgt.sentences])
    with timer.stage("align"):
        ali = align_embeddings(
            se,
            te,
            [s.paragraph for s in src.sentences],
            [s.paragraph for s in tgt.sentences],
            opts.align_params,
            src_lengths=[len(s.text) for s in src.sentences],
            tgt_lengths=[len(s.text) for s in tgt.sentences],
            src_texts=[s.text for s in src.sentences],
            tgt_texts=[s.text for s in tgt.sentences],
        )
    return ali.beads


def build_segments(src: Document, tgt: Document, beads) -> list[Segment]:
    segments = []
    for k, (si, ti) in enumerate(beads):
        ss = [src.sentences[i] for i in si]
        ts = [tgt.sentences[j] for j in ti]
        segments.append(
            Segment(
                id=k,
                source=" ".join(s.text for s in ss),
                target=" ".join(t.text for t in ts),
                source_paragraphs=sorted({s.paragraph for s in ss}),
                target_paragraphs=sorted({t.paragraph for t in ts}),
                alignment=f"{len(ss)}-{len(ts)}",
                score=None,
                source_sentences=list(si),
                target_sentences=list(ti),
                source_start=ss[0].start if ss else None,
                source_end=ss[-1].end if ss else None,
                target_start=ts[0].start if ts else None,
                target_end=ts[-1].end if ts else None,
            )
        )
    return segments


def score_segments(segments: list[Segment], src: Document, tgt: Document, opts: Options, timer: Timer):
    from mtqa.scorers import ScoringInput, build_scorers

    with timer.stage("score"):
        scorers = build_scorers(opts.profile, opts.scorers, encoder=opts.encoder_spec, **opts.scorer_options)
        both = [s for s in segments if s.source_sentences and s.target_sentences]
        items = [ScoringInput(s.source, s.target, src.lang, tgt.lang) for s in both]
        for scorer in scorers:
            values = _cached_scores(scorer, items) if items else []
            for seg, v in zip(both, values, strict=True):
                seg.scores[scorer.name] = None if v is None else float(v)
        for seg in both:
            judged = [(sc, v) for sc in scorers if (v := seg.scores.get(sc.name)) is not None]
            kept = judged
            if len(judged) > 1 and any(sc.min_words for sc, _ in judged):
                words = word_count(seg.source, src.lang)  # only when a scorer may step aside
                kept = [(sc, v) for sc, v in judged if words >= sc.min_words] or judged
            den = sum(sc.weight for sc, _ in kept)
            seg.score = sum(sc.weight * v for sc, v in kept) / den if den else None
    return scorers


def _cached_per_pair(kind: str, scorer, items, compute_items) -> list:
    """compute_items(items), reusing what is cached on disk (under the scorer's signature and `kind`)
    for unchanged (languages, source, target) pairs."""
    from mtqa.cache import cached

    texts = [f"{it.src_lang}>{it.tgt_lang}\x1f{it.source}\x1f{it.target}" for it in items]
    by_text = {t: it for t, it in zip(texts, items, strict=True)}
    return cached(f"{kind}|{scorer.signature_once()}", texts,
                  lambda missing: compute_items([by_text[t] for t in missing]))


def _cached_scores(scorer, items) -> list[float | None]:
    """scorer.score(items), cached on disk; an abstention is stored as NaN."""

    def compute(todo) -> list[float]:
        return [float("nan") if v is None else float(v) for v in scorer.score(todo)]

    return [None if v != v else float(v) for v in _cached_per_pair("score", scorer, items, compute)]


def _cached_spans(scorer, items) -> list:
    """scorer.error_spans(items), cached on disk like the scores."""
    return _cached_per_pair("spans", scorer, items, scorer.error_spans)


def model_issues(segments: list[Segment], src: Document, tgt: Document, scorers,
                 disabled: list[str] | tuple = ()) -> list[Issue]:
    """Issues (origin "model") from the scorers' learned error spans, at target-document offsets;
    severity major from confidence 0.8. A scorer named in `disabled` (like a check) raises none."""
    import numpy as np

    from mtqa.scorers import ScoringInput

    both = [s for s in segments if s.source_sentences and s.target_sentences]
    items = [ScoringInput(s.source, s.target, src.lang, tgt.lang) for s in both]
    out: list[Issue] = []
    for scorer in scorers:
        if not items or scorer.name in disabled or not scorer.has_error_spans():
            continue
        for seg, spans in zip(both, _cached_spans(scorer, items), strict=True):
            sentences = [tgt.sentences[j] for j in seg.target_sentences]
            # seg.target joins its sentences with one space
            begins = [int(x) for x in np.cumsum([0] + [len(t.text) + 1 for t in sentences[:-1]])]

            def locate(offset: int, sentences=sentences, begins=begins):
                k = max(0, int(np.searchsorted(begins, offset, side="right")) - 1)
                return sentences[k], sentences[k].start + min(offset - begins[k], len(sentences[k].text))

            for start, end, conf in spans:
                first, a = locate(int(start))
                _, b = locate(max(int(start), int(end) - 1))
                b += 1
                text = seg.target[int(start) : int(end)]
                out.append(Issue(
                    type="mistranslation", severity="major" if conf >= 0.8 else "minor",
                    message=f"the QE model marks “{text}” as a likely translation error",
                    target_paragraph=first.paragraph, mqm="Accuracy/Mistranslation", segment=seg.id,
                    target_start=a, target_end=b, evidence=[text], confidence=float(conf), origin="model",
                    check=scorer.name))
    return out


def document_score(segments: list[Segment], issues: list[Issue], src: Document,
                   tgt: Document) -> tuple[MqmEstimate, float, float]:
    """(MQM estimate, score, rule penalty): the estimated MQM penalty per 100 source words with its
    interval (mtqa.estimate), the document score (its monotone map into [0, 1]) and, for reference, the
    penalty of the rule issues alone (minor 1, major 5, critical 10 per 100 source words). Words are
    counted with each language's own segmentation (jieba for Chinese)."""
    model = shipped_model(model_kind(segments))
    est = estimate(segment_evidence(segments, issues, src.lang, tgt.lang), model)
    source_words = sum(word_count(s.text, src.lang) for s in src.sentences)
    weight = sum(SEVERITY_WEIGHTS[i.severity] for i in issues if counts_for_gate(i))
    return est, score_of(est.value), weight * 100.0 / max(1, source_words)


def reference_metrics(
    reference: str, tgt: Document, segments: list[Segment], opts: Options
) -> dict[str, float]:
    import sacrebleu

    ref_text = read_text(reference, max_chars=opts.max_chars)
    if opts.bitext:
        refs = lines_of(ref_text)
        hyps = lines_of(tgt.text)
        if len(refs) != len(hyps):
            raise MtqaError(
                f"{reference}: {len(refs)} lines but the translation has {len(hyps)}; "
                "a --bitext reference needs one line per translation line"
            )
    else:
        refs = [p.text for p in split_paragraphs(ref_text)]
        hyps = [p.text for p in tgt.paragraphs]
        if len(refs) != len(hyps):
            # paragraph counts differ: score the whole document as one segment
            refs, hyps = [" ".join(refs)], [" ".join(hyps)]
    code = primary(tgt.lang)
    tok = "zh" if code == "zh" else "char" if code in ("ja", "ko", "th") else "13a"
    bleu = sacrebleu.corpus_bleu(hyps, [refs], tokenize=tok)
    chrf = sacrebleu.corpus_chrf(hyps, [refs])
    ter = sacrebleu.corpus_ter(hyps, [refs])
    return {"bleu": bleu.score, "chrf": chrf.score, "ter": ter.score}


def load_glossary(path: str | None, src_lang: str | None = None, tgt_lang: str | None = None):
    if not path:
        return []
    from mtqa.glossary import read_glossary

    return read_glossary(path, src_lang, tgt_lang)


def run(source: str, translation: str | None, opts: Options) -> Report:
    """Score one document pair and return its report."""
    from mtqa.cache import caching

    with caching(opts.use_cache):
        return score_pair(source, translation, opts)


def checks_to_run(opts: Options) -> list[str]:
    """Names of the checks a run performs: those of its profile that are not disabled."""
    from mtqa.checks import enabled_checks

    return [info.name for info in enabled_checks(opts.profile, opts.disabled_checks)]


def summary(doc: Document) -> DocumentSummary:
    """What the report says of one document of the pair."""
    return DocumentSummary(doc.path, doc.lang, doc.lang_detected, len(doc.paragraphs), len(doc.sentences))


def score_pair(source: str, translation: str | None, opts: Options) -> Report:
    timer = Timer()
    t0 = time.perf_counter()
    src, tgt = read_pair(source, translation, opts, timer)
    if src.pre_aligned:  # translation units are already paired: no sentence splitting or alignment
        opts = replace(opts, bitext=True)
    glossary = load_glossary(opts.glossary, src.lang, tgt.lang)
    split_pair(src, tgt, opts, timer)
    beads = align_pair(src, tgt, opts, timer)
    segments = build_segments(src, tgt, beads)
    scorers = score_segments(segments, src, tgt, opts, timer)
    from mtqa.checks import CheckContext, run_checks

    ctx = CheckContext(
        src, tgt, segments, glossary,
        encoder_spec=opts.check_encoder_spec, name_encoder_spec=opts.name_encoder_spec,
    )
    with timer.stage("entities"):  # the entity table, on the report whether or not the entity checks run
        entities = ctx.entity_table()
    with timer.stage("checks"):
        issues = run_checks(ctx, opts.profile, opts.disabled_checks)
        issues += model_issues(segments, src, tgt, scorers, opts.disabled_checks)
        if opts.precision_floor:
            apply_floor(issues, pair_of(src.lang, tgt.lang))
        mark_shown_spans(issues, pair_of(src.lang, tgt.lang))
        issues.sort(key=lambda i: (i.target_start if i.target_start is not None else 10**12, i.type))
        assign_fingerprints(issues, tgt.text, src.text)  # before offsets are mapped: on the checked text
        attach_suggestions(issues, src, tgt, entities, glossary)
    for issue in issues:  # offsets into the original file (Markdown, HTML, XLIFF... are extracted)
        if issue.target_start is not None and issue.target_end is not None:
            issue.target_start, issue.target_end = tgt.original_span(issue.target_start, issue.target_end)
        if issue.source_start is not None and issue.source_end is not None:
            issue.source_start, issue.source_end = src.original_span(issue.source_start, issue.source_end)
    mqm, score, penalty = document_score(segments, issues, src, tgt)
    ref = reference_metrics(opts.reference, tgt, segments, opts) if opts.reference else None
    models = [ModelInfo(sig.name, sig.revision, sig.sha256) for sig in (s.signature_once() for s in scorers)]
    if not opts.bitext:  # the sentence encoder the alignment ran on
        from mtqa.encoders import get_encoder

        sig = get_encoder(opts.encoder_spec).signature()
        models.append(ModelInfo(f"align:{sig.name}", sig.revision, sig.sha256))
    ner_model = ner.model_name(tgt.lang)  # names of people in the translation
    if ner_model:
        models.append(ModelInfo(f"ner:{ner_model}", ner.model_version(tgt.lang)))
    timer.times["total"] = time.perf_counter() - t0
    return Report(
        source=summary(src),
        translation=summary(tgt),
        score=score,
        verdict=verdict_for(mqm.value, issues, opts.pass_mqm, opts.fail_mqm, opts.critical_fails),
        segments=segments,
        issues=issues,
        models=models,
        mqm_penalty=penalty,
        mqm_estimate=mqm,
        reference_metrics=ref,
        entities=[e.to_json() for e in entities],
        timing=timer.times,
        checks=checks_to_run(opts),
        source_doc=src,
        target_doc=tgt,
    )


def align_only(
    source: str, translation: str | None, opts: Options, timer: Timer | None = None
) -> tuple[Document, Document, list]:
    """What `mtqa align` runs: read, split and align (stage times go to `timer` when given)."""
    timer = timer or Timer()
    src, tgt = read_pair(source, translation, opts, timer)
    if src.pre_aligned:
        opts = replace(opts, bitext=True)
    split_pair(src, tgt, opts, timer)
    return src, tgt, align_pair(src, tgt, opts, timer)


__all__ = ["Options", "run", "align_only", "Path"]
