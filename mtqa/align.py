"""Whole-document sentence alignment (bertalign/vecalign style).

Dynamic programming over multilingual embeddings of sentence *overlaps* (concatenations of up to three
consecutive sentences), with 1-0, 0-1, 1-1, 1-2, 2-1, 2-2, 1-3 and 3-1 steps. The score of a bead follows
bertalign (Liu & Zhu 2022): the cosine of the two blocks minus a *local margin* (the mean cosine of each
block with the sentences just before and after its partner block, so a pair scores high only if it beats
its neighbours), times a Gale-Church-like length factor log2(1 + min/max) of the block lengths in
characters (corrected by the document's length ratio; unlike bertalign, a negative score is divided by
the factor, so that a length mismatch never makes a bead more attractive). The DP maximises the summed
score (minimises its negative); an inserted or deleted sentence scores -skip_cost. Paragraph boundaries
are soft anchors: a block that joins sentences of different paragraphs pays a penalty (fading out on a side
whose paragraphs are mostly single sentences, where a paragraph break is just a sentence break). Long
documents are aligned coarse-to-fine (as bertalign's two passes): a downsampled 1-1/1-0/0-1 alignment
fixes a band around the path and the fine pass only fills cells inside it, so time and memory grow
linearly with document length.

Defaults were chosen on Text+Berg de-fr (bench/align_textberg.py); see that script's docstring.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from mtqa.anchors import Anchors
from mtqa.encoders.base import MAX_OVERLAP, embed_overlaps
from mtqa.threads import one_blas_thread

ALIGNMENT_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1),
    (1, 0),
    (0, 1),
    (1, 2),
    (2, 1),
    (2, 2),
    (1, 3),
    (3, 1),
)


@dataclass
class AlignParams:
    skip_cost: float = 0.1  # cost of a 1-0 or 0-1 step (bertalign's skip score -0.1)
    margin: float = 0.5  # weight of the local neighbour margin subtracted from the cosine (bertalign: 1.0)
    length_penalty: bool = True  # scale the score by log2(1 + min/max length ratio) (needs lengths)
    paragraph_penalty: float = 0.1  # joining sentences across a paragraph boundary
    max_cells: int = 250_000  # above this, align coarse-to-fine
    band: int = 12  # half-width of the fine band around the coarse path (sentences)
    anchor_weight: float = 0.0  # weight of the lexical anchor Dice (needs texts); off: no gain measured


@dataclass
class Alignment:
    """Index pairs: each bead is (source sentence indices, target sentence indices)."""

    beads: list[tuple[list[int], list[int]]] = field(default_factory=list)


class _Axis:
    """One side of the DP (source rows, target columns): its embeddings, block lengths and paragraph ids."""

    def __init__(self, emb: list[np.ndarray], paragraphs: list[int], lengths=None) -> None:
        self.emb = emb
        self.n = len(emb[0])
        para = np.asarray(paragraphs if paragraphs else [1] * self.n)
        # crosses[k][i]: block i..i+k-1 spans a paragraph boundary
        self.crosses = [np.zeros(0, dtype=bool)] + [
            (para[k - 1 :] != para[: len(para) - k + 1]) if k <= len(para) else np.zeros(0, dtype=bool)
            for k in range(1, MAX_OVERLAP + 1)
        ]
        # weight of this side's paragraph penalty: boundaries that fall at nearly every sentence break (one
        # sentence per paragraph or per line) say no more than the break itself, so they fade out there
        breaks = para[1:] != para[:-1]
        self.paragraph_weight = min(1.0, 2.0 * (1.0 - float(breaks.mean()))) if len(breaks) else 1.0
        self.has_lengths = lengths is not None
        lens = np.asarray(lengths if lengths is not None else [1.0] * self.n, dtype=np.float64)
        csum = np.concatenate([[0.0], np.cumsum(lens)])
        self.total_len = float(csum[-1]) or 1.0
        # blen[k][i]: characters in block i..i+k-1 (+1 so that empty sentences stay finite)
        self.blen = [np.zeros(0)] + [
            (csum[k:] - csum[: len(csum) - k]) + 1.0 for k in range(1, MAX_OVERLAP + 1)
        ]


# rows of the DP whose step costs are computed together (one matrix product per overlap pair and chunk)
_CHUNK_ROWS = 64
# padding of the per-block arrays below: a block index may reach MAX_OVERLAP + 1 before the first sentence
_PAD = MAX_OVERLAP + 1


def _padded(values: np.ndarray, fill: float) -> np.ndarray:
    """values with _PAD cells of `fill` on each side (index k of values is index k + _PAD)."""
    out = np.full(len(values) + 2 * _PAD, fill, dtype=np.float64)
    out[_PAD : _PAD + len(values)] = values
    return out


class _Chunk:
    """Cosines of source and target overlap blocks around one chunk of DP rows [s, e).

    Per pair of overlap sizes (a, b), one matrix product fills a block of E_a[s - _PAD : e] x
    F_b[c0 : c1] (zero outside the documents, so a missing neighbour reads 0). `dots(a, b, dr, dc)` reads
    it at source block (row + dr) and target block (column + dc) for every cell (row, column) of the chunk,
    columns given by the (rows x width) matrix `cols`."""

    def __init__(self, src: _Axis, tgt: _Axis, s: int, e: int, cols: np.ndarray) -> None:
        self.src, self.tgt, self.s, self.e = src, tgt, s, e
        self.c0 = int(cols.min()) - _PAD
        self.ncols = int(cols.max()) + 1 - self.c0
        rows = np.arange(e - s)[:, None] + _PAD  # row i of the chunk is block row i - s + _PAD
        self.base = rows * self.ncols + (cols - self.c0) - (_PAD * self.ncols + _PAD)
        self.blocks: dict[tuple[int, int], np.ndarray] = {}
        self.reads: dict[tuple[int, int, int, int], np.ndarray] = {}

    def _block(self, a: int, b: int) -> np.ndarray:
        blk = self.blocks.get((a, b))
        if blk is None:
            x, y = self.src.emb[a - 1], self.tgt.emb[b - 1]
            r0 = self.s - _PAD
            blk = np.zeros((self.e - r0, self.ncols), dtype=np.result_type(x, y))
            ra, rb = max(0, r0), min(len(x), self.e)
            ca, cb = max(0, self.c0), min(len(y), self.c0 + self.ncols)
            if ra < rb and ca < cb:
                blk[ra - r0 : rb - r0, ca - self.c0 : cb - self.c0] = x[ra:rb] @ y[ca:cb].T
            blk = self.blocks[(a, b)] = blk.ravel()
        return blk

    def dots(self, a: int, b: int, dr: int, dc: int) -> np.ndarray:
        key = (a, b, dr, dc)
        out = self.reads.get(key)
        if out is None:
            out = self.reads[key] = self._block(a, b)[(dr + _PAD) * self.ncols + dc + _PAD :][self.base]
        return out


class _Steps:
    """Per-document arrays of the step costs (padded by _PAD, see `_padded`)."""

    def __init__(self, src: _Axis, tgt: _Axis, p: AlignParams) -> None:
        self.lengths = p.length_penalty and src.has_lengths and tgt.has_lengths
        ks = range(1, MAX_OVERLAP + 1)
        # length of each block relative to its document, and paragraph penalty of each block
        self.snorm = [np.zeros(0)] + [_padded(src.blen[k] / src.total_len, 1.0) for k in ks]
        self.tnorm = [np.zeros(0)] + [_padded(tgt.blen[k] / tgt.total_len, 1.0) for k in ks]
        spp = p.paragraph_penalty * src.paragraph_weight
        tpp = p.paragraph_penalty * tgt.paragraph_weight
        self.spen = [np.zeros(0)] + [_padded(np.where(src.crosses[k], spp, 0.0), 0.0) for k in ks]
        self.tpen = [np.zeros(0)] + [_padded(np.where(tgt.crosses[k], tpp, 0.0), 0.0) for k in ks]


def _costs(
    src: _Axis,
    tgt: _Axis,
    steps: _Steps,
    chunk: _Chunk,
    rows: np.ndarray,
    cols: np.ndarray,
    a: int,
    b: int,
    ok: np.ndarray,
    p: AlignParams,
    anchors: Anchors | None = None,
) -> np.ndarray:
    """Cost (negative score) of the a-b step into each cell (rows x cols) of a chunk: source block
    row-a .. row-1 against target block col-b .. col-1. Cells outside `ok` hold garbage (finite).

    The score is the cosine minus margin x the mean of the source-side margin (the target block against
    the source sentences just before and after the source block: their mean) and the target-side margin
    (the source block against the target sentences just before and after the target block), scaled by
    the length factor; a block joining paragraphs pays the paragraph penalty. Cell by cell this is the
    arithmetic of the former per-row implementation (same float32/float64 steps), so the DP decodes the
    same path (tests/test_align_vectorised.py)."""
    n, m = src.n, tgt.n
    i0 = rows - a  # (rows x 1)
    score = chunk.dots(a, b, -a, -b)
    if p.margin:
        # source side: mean of the one or two neighbours there are (0 when none; float32 as .mean())
        u = chunk.dots(1, b, -a - 1, -b)  # sentence before the source block (0 before the document)
        v = chunk.dots(1, b, 0, -b)  # sentence after it (0 after the document)
        s_nb = (u + v) / 2
        if chunk.s <= a or chunk.e > n:
            first, last = (i0 <= 0)[:, 0], (rows >= n)[:, 0]
            s_nb[first] = v[first]
            s_nb[last] = u[last]
        # target side: (left + right) / count in float64; the missing neighbour reads 0
        t_sum = chunk.dots(a, 1, -a, -b - 1) + chunk.dots(a, 1, -a, 0)
        if int(cols.min()) <= b or int(cols.max()) >= m:
            cnt = np.maximum((cols - b - 1 >= 0).astype(np.float64) + (cols < m), 1.0)
        else:
            cnt = np.float64(2.0)
        t_nb = t_sum / cnt
        score = score - p.margin * 0.5 * (t_nb + s_nb)
    if anchors is not None and p.anchor_weight:
        dice = np.zeros(cols.shape)
        for r in np.flatnonzero(ok.any(axis=1)):
            where = np.flatnonzero(ok[r])
            dice[r, where] = anchors.dice(int(i0[r, 0]), a, cols[r, where] - b, b)
        score = score + p.anchor_weight * dice
    if steps.lengths:
        ratio = steps.snorm[a][_PAD - a :][rows] / steps.tnorm[b][_PAD - b :][cols]
        fac = np.maximum(np.log2(1.0 + np.minimum(ratio, 1.0 / ratio)), 0.1)  # 1 when lengths match
        # a length mismatch only ever makes a bead worse: shrink a positive score, stretch a negative one
        score = np.where(score > 0, score * fac, score / fac)
    if p.paragraph_penalty:
        return (steps.tpen[b][_PAD - b :][cols] + steps.spen[a][_PAD - a :][rows]) - score
    return -score


def _dp(src: _Axis, tgt: _Axis, lo: np.ndarray, hi: np.ndarray, types, p: AlignParams, anchors=None):
    """Fill the DP inside windows [lo[i], hi[i]] per source row; return beads by backtracking.

    Rows are stored back to back in one flat array (row i from off[i]). The step costs of a chunk of rows
    are computed at once (`_costs`); the recurrence runs row by row: each cell takes its cheapest step (the
    first in `types` order on ties), then the 0-1 steps along the row."""
    n, m = src.n, tgt.n
    lo = np.asarray(lo, dtype=np.int64)
    hi = np.asarray(hi, dtype=np.int64)
    width = np.maximum(hi - lo + 1, 0)
    off = np.concatenate([[0], np.cumsum(width)])
    sentinel = int(off[-1])  # D[sentinel] = inf: a step from outside the previous row's window
    D = np.full(sentinel + 1, np.inf)
    B = np.full(sentinel, -1, dtype=np.int16)
    moves = [(t, a, b) for t, (a, b) in enumerate(types) if a > 0]
    tmap = np.array([t for t, _, _ in moves], dtype=np.int16)  # move index -> index into types
    t01 = next((t for t, (a, _) in enumerate(types) if a == 0), None)
    iskip = np.arange(int(width.max()) + 1) * p.skip_cost
    steps = _Steps(src, tgt, p)
    big = np.int64(1) << 40
    for s in range(0, n + 1, _CHUNK_ROWS):
        e = min(n + 1, s + _CHUNK_ROWS)
        w = int(width[s:e].max())
        if w == 0:  # empty windows (never produced by align_embeddings): no cell to fill
            continue
        rows = np.arange(s, e)[:, None]
        k = np.arange(w)[None, :]
        # target index of each cell; the padding beyond a row's window repeats its last cell
        cols = lo[s:e, None] + np.minimum(k, width[s:e, None] - 1)
        chunk = _Chunk(src, tgt, s, e, cols)
        gidx = np.empty((e - s, len(moves), w), dtype=np.int64)
        cost = np.empty((e - s, len(moves), w))
        for q, (_, a, b) in enumerate(moves):
            prev = rows - a
            pc = np.maximum(prev, 0)
            # the step comes from cell (prev, col - b), inside that row's window
            klo = np.where(prev >= 0, lo[pc] + b - lo[s:e, None], big)
            khi = np.minimum(hi[pc] + b - lo[s:e, None], width[s:e, None] - 1)
            ok = (k >= klo) & (k <= khi)
            gidx[:, q] = np.where(ok, (off[pc] - lo[pc] - b) + cols, sentinel)
            if b == 0:
                cost[:, q] = p.skip_cost
            elif ok.any():
                cost[:, q] = _costs(src, tgt, steps, chunk, rows, cols, a, b, ok, p, anchors)
            else:
                cost[:, q] = 0.0
        np.putmask(cost, np.isnan(cost), np.inf)  # a NaN step never wins (as a failed `<` test)
        for i in range(s, e):
            wi, r, o = int(width[i]), i - s, int(off[i])
            cand = D[gidx[r, :, :wi]]
            cand += cost[r, :, :wi]
            best = cand.min(axis=0)
            arg = tmap[cand.argmin(axis=0)]
            if i == 0 and lo[0] == 0:
                best[0] = 0.0
            # 0-1 steps within the row: D[j] = min(X[j], D[j-1] + skip), via a running minimum
            if t01 is not None and wi > 1:
                via = np.minimum.accumulate(best - iskip[:wi]) + iskip[:wi]
                moved = via < best - 1e-12
                np.copyto(best, via, where=moved)
                np.copyto(arg, t01, where=moved)
            D[o : o + wi] = best
            B[o : o + wi] = arg
    B[np.isinf(D[:-1])] = -1  # unreachable cells, as the start cell, have no step
    if lo[0] == 0 and width[0]:
        B[0] = -1
    if hi[n] < m or not np.isfinite(D[off[n] + m - lo[n]]):
        raise RuntimeError("alignment band lost the path")
    beads: list[tuple[list[int], list[int]]] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(B[off[i] + j - lo[i]])
        if t < 0:
            raise RuntimeError("broken backtrace")
        a, b = types[t]
        beads.append((list(range(i - a, i)), list(range(j - b, j))))
        i, j = i - a, j - b
    beads.reverse()
    return beads


def _downsample(emb1: np.ndarray, f: int) -> np.ndarray:
    n = len(emb1)
    k = (n + f - 1) // f
    out = np.zeros((k, emb1.shape[1]), dtype=np.float32)
    for s in range(f):
        part = emb1[s::f]
        out[: len(part)] += part
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return out / norms


def _downsample_lengths(lengths, f: int):
    if lengths is None:
        return None
    lens = np.asarray(lengths, dtype=np.float64)
    pad = np.zeros((len(lens) + f - 1) // f * f)
    pad[: len(lens)] = lens
    return pad.reshape(-1, f).sum(axis=1).tolist()


def _band_from_coarse(beads, f: int, n: int, m: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for src_idx, tgt_idx in beads:
        # the coarse cell's fine extents (a coarse skip still covers its own rows/cols)
        rows = (src_idx[0] * f, (src_idx[-1] + 1) * f) if src_idx else None
        cols = (tgt_idx[0] * f, (tgt_idx[-1] + 1) * f) if tgt_idx else None
        if rows is None:
            continue
        c0, c1 = cols if cols else (None, None)
        for r in range(rows[0], min(rows[1], n) + 1):
            a = c0 if c0 is not None else _last_col(lo, hi, r)
            b = c1 if c1 is not None else a
            lo[r] = min(lo[r], max(0, a - w))
            hi[r] = max(hi[r], min(m, b + w))
    # rows not touched inherit neighbours; then make windows monotone and connected
    for r in range(n + 1):
        if lo[r] > hi[r]:
            lo[r], hi[r] = (lo[r - 1], hi[r - 1]) if r else (0, min(m, w))
    lo[0] = 0
    hi[n] = m
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return lo, hi


def _last_col(lo, hi, r):
    return int(hi[r - 1]) if r > 0 else 0


def align_embeddings(
    src_emb: list[np.ndarray],
    tgt_emb: list[np.ndarray],
    src_paragraphs: list[int] | None = None,
    tgt_paragraphs: list[int] | None = None,
    params: AlignParams | None = None,
    src_lengths: list[int] | None = None,
    tgt_lengths: list[int] | None = None,
    *,
    src_texts: list[str] | None = None,
    tgt_texts: list[str] | None = None,
) -> Alignment:
    """Align two documents given `embed_overlaps` output; lengths (characters) enable the length factor,
    sentence texts the lexical anchors (`AlignParams.anchor_weight`)."""
    p = params or AlignParams()
    n, m = len(src_emb[0]), len(tgt_emb[0])
    if n == 0 or m == 0:
        beads = [([i], []) for i in range(n)] + [([], [j]) for j in range(m)]
        return Alignment(beads)
    src = _Axis(src_emb, src_paragraphs or [1] * n, src_lengths)
    tgt = _Axis(tgt_emb, tgt_paragraphs or [1] * m, tgt_lengths)
    if (n + 1) * (m + 1) <= p.max_cells:
        lo = np.zeros(n + 1, dtype=np.int64)
        hi = np.full(n + 1, m, dtype=np.int64)
    else:
        f = 2
        while ((n + f - 1) // f + 1) * ((m + f - 1) // f + 1) > p.max_cells:
            f *= 2
        coarse = align_embeddings(
            [_downsample(src_emb[0], f)],
            [_downsample(tgt_emb[0], f)],
            None,
            None,
            replace(p, paragraph_penalty=0.0),
            _downsample_lengths(src_lengths, f),
            _downsample_lengths(tgt_lengths, f),
        )
        lo, hi = _band_from_coarse(coarse.beads, f, n, m, p.band + f)
    types = tuple(t for t in ALIGNMENT_TYPES if t[0] <= len(src_emb) and t[1] <= len(tgt_emb))
    anchors = None
    if p.anchor_weight and src_texts is not None and tgt_texts is not None:
        if len(src_texts) != n or len(tgt_texts) != m:
            raise ValueError("src_texts/tgt_texts must have one entry per sentence")
        anchors = Anchors(src_texts, tgt_texts)
    with one_blas_thread():
        return Alignment(_dp(src, tgt, lo, hi, types, p, anchors))


def align_sentences(
    encoder,
    src_sentences: list[str],
    tgt_sentences: list[str],
    src_paragraphs: list[int] | None = None,
    tgt_paragraphs: list[int] | None = None,
    params: AlignParams | None = None,
) -> Alignment:
    src_emb = embed_overlaps(encoder, src_sentences)
    tgt_emb = embed_overlaps(encoder, tgt_sentences)
    return align_embeddings(
        src_emb,
        tgt_emb,
        src_paragraphs,
        tgt_paragraphs,
        params,
        [len(s) for s in src_sentences],
        [len(t) for t in tgt_sentences],
        src_texts=src_sentences,
        tgt_texts=tgt_sentences,
    )
