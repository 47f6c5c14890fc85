"""Cheap deterministic stand-ins for the model-backed parts (a hash encoder), and the one way a check test
builds its documents and its CheckContext (make_context) and runs a check (mtqa.checks.run_check)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np

from mtqa.artefacts import ModelSignature

DIM = 64


class HashEncoder:
    """Bag of hashed lower-cased words and digits -> unit vector (no model, microseconds per text)."""

    name = "hash-test"

    def __init__(self, dim: int = DIM) -> None:
        self.dim = dim
        self.calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, zlib.crc32(word.encode()) % self.dim] += 1.0
            out[i, len(text) % self.dim] += 0.5
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    def signature(self) -> ModelSignature:
        return ModelSignature("hash-test", "1", "0" * 64)


def install(monkeypatch) -> HashEncoder:
    """Make get_encoder('use-m3') and get_encoder('use-m3-static') (alignment and the use-cosine scorer,
    accurate and fast profiles) return the hash encoder."""
    from mtqa import encoders

    enc = HashEncoder()
    for spec in ("use-m3", "use-m3-static"):
        monkeypatch.setitem(encoders.ENCODERS, spec, enc)
    return enc


def sentence_paragraphs(sentences: list[str], lang: str):
    """A Document whose paragraphs are the given sentences, one each, separated by blank lines."""
    from mtqa.document import Document, Paragraph, Sentence

    doc = Document(text="\n\n".join(sentences), lang=lang)
    pos = 0
    for k, s in enumerate(sentences):
        doc.paragraphs.append(Paragraph(k + 1, pos, pos + len(s), s))
        doc.sentences.append(Sentence(k, k + 1, pos, pos + len(s), s))
        pos += len(s) + 2
    return doc


def paragraphs_doc(paras: list[list[str]], lang: str):
    """A Document of several paragraphs, each the given sentences joined by a space, paragraphs separated by
    blank lines."""
    from mtqa.document import Document, Paragraph, Sentence

    doc = Document(text="\n\n".join(" ".join(p) for p in paras), lang=lang)
    pos = 0
    for n, p in enumerate(paras, 1):
        start = pos
        for sent in p:
            doc.sentences.append(Sentence(len(doc.sentences), n, pos, pos + len(sent), sent))
            pos += len(sent) + 1
        doc.paragraphs.append(Paragraph(n, start, pos - 1, doc.text[start : pos - 1]))
        pos += 1
    return doc


def make_context(
    src: list[str] | str,
    tgt: list[str] | str,
    src_lang: str = "fr",
    tgt_lang: str = "en",
    *,
    score: float = 0.7,
    scores: list[float] | None = None,
    glossary: Iterable[tuple[str, str]] = (),
    **options,
):
    """The CheckContext of a check test: one-sentence paragraphs (a text is one sentence), sentence k of the
    source aligned 1-1 with sentence k of the translation, each segment scored `score` (or scores[k]).
    `options` go to CheckContext as they are (encoder, name_encoder, entities, ...)."""
    from mtqa.checks import CheckContext
    from mtqa.report import Segment

    src, tgt = ([src] if isinstance(src, str) else src), ([tgt] if isinstance(tgt, str) else tgt)
    s, t = sentence_paragraphs(src, src_lang), sentence_paragraphs(tgt, tgt_lang)
    segs = [
        Segment(
            k, src[k], tgt[k], [k + 1], [k + 1], "1-1", scores[k] if scores else score,
            source_sentences=[k], target_sentences=[k],
            source_start=s.sentences[k].start, source_end=s.sentences[k].end,
            target_start=t.sentences[k].start, target_end=t.sentences[k].end,
        )
        for k in range(len(src))
    ]  # fmt: skip
    return CheckContext(s, t, segs, list(glossary), **options)


#: the former name of make_context
sentence_context = make_context


def check_spans(check: str, src: str, tgt: str, src_lang: str, tgt_lang: str = "en"):
    """The issues of one check (mtqa.checks.run_check) on a one-sentence pair, each with the text of its
    target span and of its source span (None where it has none): [(issue, target text, source text)]."""
    from mtqa.checks import run_check

    ctx = make_context([src], [tgt], src_lang, tgt_lang)
    return [
        (
            i,
            ctx.target.text[i.target_start : i.target_end],
            ctx.source.text[i.source_start : i.source_end] if i.source_start is not None else None,
        )
        for i in run_check(check, ctx)
    ]


def assert_pass_fail(check: str, lang: str, src: str, tgt: str, expected, tgt_lang: str = "en") -> None:
    """One case of a check family's CASES table: `expected` None means the check stays quiet on the pair;
    else (severity, target span text, source span text or None) of the issue it must raise. The translation
    is in `tgt_lang`."""
    found = check_spans(check, src, tgt, lang, tgt_lang)
    if expected is None:
        assert found == [], [i.message for i, _, _ in found]
        return
    severity, tspan, sspan = expected
    hits = [(i, t, s) for i, t, s in found if i.severity == severity]
    assert hits, [(i.severity, i.message) for i, _, _ in found]
    issue, t, s = hits[0]
    assert t == tspan, issue.message
    if sspan is not None:
        assert s == sspan, issue.message
    assert issue.source_start is not None or check == "garbled"
