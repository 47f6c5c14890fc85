"""Cheap deterministic stand-ins for the model-backed parts, for tests that exercise everything else."""

from __future__ import annotations

import zlib

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


def sentence_context(src: list[str], tgt: list[str], src_lang: str, tgt_lang: str = "en"):
    """A CheckContext over one-sentence paragraphs, sentence k of the source aligned 1-1 with sentence k of
    the translation (segment score 0.7 each)."""
    from mtqa.checks import CheckContext
    from mtqa.report import Segment

    s, t = sentence_paragraphs(src, src_lang), sentence_paragraphs(tgt, tgt_lang)
    segs = [
        Segment(
            k, src[k], tgt[k], [k + 1], [k + 1], "1-1", 0.7,
            source_sentences=[k], target_sentences=[k],
            source_start=s.sentences[k].start, source_end=s.sentences[k].end,
            target_start=t.sentences[k].start, target_end=t.sentences[k].end,
        )
        for k in range(len(src))
    ]  # fmt: skip
    return CheckContext(s, t, segs, [])
