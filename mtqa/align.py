"""Whole-document sentence alignment (bertalign/vecalign style).

Dynamic programming over multilingual embeddings of sentence *overlaps* (concatenations of up to three
consecutive sentences), with 1-0, 0-1, 1-1, 1-2, 2-1, 2-2, 1-3 and 3-1 steps. The score of a bead follows
bertalign (Liu & Zhu 2022): the cosine of the two blocks minus a *local margin* (the mean cosine of each
block with the sentences just before and after its partner block, so a pair scores high only if it beats
its neighbours), times a Gale-Church-like length factor log2(1 + min/max) of the block lengths in
characters (corrected by the document's length ratio; unlike bertalign, a negative score is divided by
the factor, so that a length mismatch never makes a bead more attractive). The DP maximises the summed
score (minimises its negative); an inserted or deleted sentence scores -skip_cost. Paragraph boundaries
are soft anchors: a block that joins sentences of different paragraphs pays a penalty. Long documents are
aligned coarse-to-fine (as bertalign's two passes): a downsampled 1-1/1-0/0-1 alignment fixes a band
around the path and the fine pass only fills cells inside it, so time and memory grow linearly with
document length.

Defaults were chosen on Text+Berg de-fr (bench/align_textberg.py); see that script's docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np
from anyascii import anyascii

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
MAX_OVERLAP = 3


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

    def pairs_text(self) -> str:
        return "\n".join(f"{s}:{t}" for s, t in self.beads)


def overlaps(sentences: list[str], k: int) -> list[str]:
    return [" ".join(sentences[i : i + k]) for i in range(max(0, len(sentences) - k + 1))]


def embed_overlaps(encoder, sentences: list[str], max_overlap: int = MAX_OVERLAP) -> list[np.ndarray]:
    """[E_1, E_2, ...]: E_k[i] embeds sentences i..i+k-1 joined (one encoder call for all)."""
    if hasattr(encoder, "encode_overlaps"):
        return encoder.encode_overlaps(sentences, max_overlap)
    texts: list[str] = []
    counts: list[int] = []
    for k in range(1, max_overlap + 1):
        block = overlaps(sentences, k)
        texts.extend(block)
        counts.append(len(block))
    vecs = encoder.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    out, pos = [], 0
    dim = vecs.shape[1] if vecs.ndim == 2 and len(vecs) else 1
    for c in counts:
        out.append(vecs[pos : pos + c] if c else np.zeros((0, dim), dtype=np.float32))
        pos += c
    return out


_NUM_RE = re.compile(r"\d+(?:[ '’.,]\d{3})*(?![\d])")
_WORD_RE = re.compile(r"[^\W\d_]+")
_PUNCT = {"?": "?", "!": "!", "(": "(", ")": "(", "[": "(", "]": "(", ":": ":", ";": ";", "%": "%"}
_QUOTES = set('"\u00ab\u00bb\u201c\u201d\u201e\u2039\u203a')


def anchor_features(text: str, prefix: int = 4, min_len: int = 5) -> set[str]:
    """Language-independent lexical anchors of a sentence (Hunalign/Bleualign style).

    Numbers with thousands separators normalised (1'000, 1 000, 1.000 -> 1000), capitalised words and
    long words folded to ASCII lower case (names, places; long words also by their first `prefix`
    letters, so that cognates such as direkt/directe match), and question/exclamation marks,
    parentheses, colons and quotation marks.
    """
    feats: set[str] = set()
    for m in _NUM_RE.finditer(text):
        feats.add("#" + re.sub(r"\D", "", m.group()).lstrip("0"))
    for w in _WORD_RE.findall(text):
        f = anyascii(w).lower()
        if len(f) >= 3 and w[0].isupper() and len(w) > 1 and not w.isupper() or w.isupper() and len(w) >= 2:
            feats.add("=" + f)
        if len(f) >= min_len:
            feats.add("~" + f[:prefix])
    for ch in text:
        if ch in _PUNCT:
            feats.add(_PUNCT[ch])
        elif ch in _QUOTES:
            feats.add('"')
    return feats


class _Anchors:
    """Shared lexical anchors of the two sides; row(i, r0, r1)[j - r0] = |F(src i) & F(tgt j)|."""

    def __init__(self, src_texts: list[str], tgt_texts: list[str]) -> None:
        sf = [anchor_features(t) for t in src_texts]
        tf = [anchor_features(t) for t in tgt_texts]
        post: dict[str, list[int]] = {}
        for j, fs in enumerate(tf):
            for f in fs:
                post.setdefault(f, []).append(j)
        self.post = {f: np.asarray(js, dtype=np.int64) for f, js in post.items()}
        self.src_feats = [[f for f in fs if f in self.post] for fs in sf]
        csum_s = np.concatenate([[0.0], np.cumsum([len(f) for f in sf])])
        csum_t = np.concatenate([[0.0], np.cumsum([len(f) for f in tf])])
        # cnt[k][i]: features (with repeats) in block i..i+k-1
        ks = range(1, MAX_OVERLAP + 1)
        self.src_cnt = [np.zeros(0)] + [csum_s[k:] - csum_s[: len(csum_s) - k] for k in ks]
        self.tgt_cnt = [np.zeros(0)] + [csum_t[k:] - csum_t[: len(csum_t) - k] for k in ks]
        self.cache: dict[int, tuple[int, np.ndarray]] = {}

    def row(self, i: int, r0: int, r1: int) -> np.ndarray:
        ent = self.cache.get(i)
        if ent is None or ent[0] > r0 or ent[0] + len(ent[1]) < r1:
            c0, c1 = max(0, r0 - 16), r1 + 16
            vec = np.zeros(c1 - c0)
            for f in self.src_feats[i]:
                js = self.post[f]
                a, b = np.searchsorted(js, [c0, c1])
                vec[js[a:b] - c0] += 1.0
            ent = (c0, vec)
            self.cache[i] = ent
        return ent[1][r0 - ent[0] : r1 - ent[0]]

    def dice(self, i0: int, a: int, j0: np.ndarray, b: int) -> np.ndarray:
        """Dice overlap of source block i0..i0+a-1 with target blocks j0..j0+b-1 (vector over j0)."""
        r0, r1 = int(j0.min()), int(j0.max()) + b
        vec = self.row(i0, r0, r1)
        for i in range(i0 + 1, i0 + a):
            vec = vec + self.row(i, r0, r1)
        cs = np.concatenate([[0.0], np.cumsum(vec)])
        inter = cs[j0 - r0 + b] - cs[j0 - r0]
        tot = self.src_cnt[a][i0] + self.tgt_cnt[b][j0]
        return np.where(tot > 0, np.minimum(2.0 * inter / np.maximum(tot, 1.0), 1.0), 0.0)


class _Side:
    """Embeddings of one side with block lengths and paragraph ids."""

    def __init__(self, emb: list[np.ndarray], paragraphs: list[int], lengths=None) -> None:
        self.emb = emb
        self.n = len(emb[0])
        para = np.asarray(paragraphs if paragraphs else [1] * self.n)
        # crosses[k][i]: block i..i+k-1 spans a paragraph boundary
        self.crosses = [np.zeros(0, dtype=bool)] + [
            (para[k - 1 :] != para[: len(para) - k + 1]) if k <= len(para) else np.zeros(0, dtype=bool)
            for k in range(1, MAX_OVERLAP + 1)
        ]
        self.has_lengths = lengths is not None
        lens = np.asarray(lengths if lengths is not None else [1.0] * self.n, dtype=np.float64)
        csum = np.concatenate([[0.0], np.cumsum(lens)])
        self.total_len = float(csum[-1]) or 1.0
        # blen[k][i]: characters in block i..i+k-1 (+1 so that empty sentences stay finite)
        self.blen = [np.zeros(0)] + [
            (csum[k:] - csum[: len(csum) - k]) + 1.0 for k in range(1, MAX_OVERLAP + 1)
        ]


def _cost(
    src: _Side,
    tgt: _Side,
    i0: int,
    a: int,
    j0: np.ndarray,
    b: int,
    p: AlignParams,
    row: dict | None = None,
    anchors: _Anchors | None = None,
) -> np.ndarray:
    """Cost (negative score) of source block i0..i0+a-1 against target blocks j0..j0+b-1 (vector over j0).

    `row` caches the cosines of the source block with nearby target sentences (key (i0, a) -> (first index,
    vector)); they serve as the target-side margins for every b.
    """
    x = src.emb[a - 1][i0]
    if len(j0) and j0[-1] - j0[0] + 1 == len(j0):  # contiguous (always, in _dp): a view, no copy
        ys = tgt.emb[b - 1][j0[0] : j0[-1] + 1]
    else:
        ys = tgt.emb[b - 1][j0]
    if not p.margin:
        score = ys @ x
    else:
        s1, n = src.emb[0], src.n
        cols = [x]
        if i0 > 0:
            cols.append(s1[i0 - 1])
        if i0 + a < n:
            cols.append(s1[i0 + a])
        sims = ys @ np.stack(cols, axis=1)
        score = sims[:, 0]
        s_nb = sims[:, 1:].mean(axis=1) if len(cols) > 1 else 0.0
        # target sentences just before / after each target block, compared with the source block
        m = tgt.n
        left, right = j0 - 1, j0 + b
        need0, need1 = max(0, int(left.min())), min(m, int(right.max()) + 1)
        ent = row.get((i0, a)) if row is not None else None
        if ent is None or ent[0] > need0 or ent[0] + len(ent[1]) < need1:
            r0, r1 = max(0, need0 - MAX_OVERLAP), min(m, need1 + MAX_OVERLAP)
            ent = (r0, tgt.emb[0][r0:r1] @ x)
            if row is not None:
                row[(i0, a)] = ent
        r0, tsim = ent
        has_l, has_r = left >= 0, right < m
        t_l = np.where(has_l, tsim[np.maximum(left - r0, 0)], 0.0)
        t_r = np.where(has_r, tsim[np.minimum(right - r0, len(tsim) - 1)], 0.0)
        t_nb = (t_l + t_r) / np.maximum(has_l.astype(np.float64) + has_r, 1.0)
        score = score - p.margin * 0.5 * (t_nb + s_nb)
    if anchors is not None and p.anchor_weight:
        score = score + p.anchor_weight * anchors.dice(i0, a, j0, b)
    if p.length_penalty and src.has_lengths and tgt.has_lengths:
        ratio = (src.blen[a][i0] / src.total_len) / (tgt.blen[b][j0] / tgt.total_len)
        fac = np.maximum(np.log2(1.0 + np.minimum(ratio, 1.0 / ratio)), 0.1)  # 1 when lengths match
        # a length mismatch only ever makes a bead worse: shrink a positive score, stretch a negative one
        score = np.where(score > 0, score * fac, score / fac)
    cost = -score
    if p.paragraph_penalty:
        pen = np.where(tgt.crosses[b][j0], p.paragraph_penalty, 0.0)
        if src.crosses[a][i0]:
            pen = pen + p.paragraph_penalty
        cost = cost + pen
    return cost


def _dp(src: _Side, tgt: _Side, lo: np.ndarray, hi: np.ndarray, types, p: AlignParams, anchors=None):
    """Fill the DP inside windows [lo[i], hi[i]] per source row; return beads by backtracking."""
    n, m = src.n, tgt.n
    INF = np.inf
    D: list[np.ndarray] = []
    B: list[np.ndarray] = []  # index into types, -1 = start
    for i in range(n + 1):
        js = np.arange(lo[i], hi[i] + 1)
        row: dict = {}
        best = np.full(len(js), INF)
        arg = np.full(len(js), -1, dtype=np.int16)
        if i == 0 and lo[0] == 0:
            best[0] = 0.0
        for t, (a, b) in enumerate(types):
            if a == 0 or i - a < 0:
                continue
            prev_lo, prev_hi = lo[i - a], hi[i - a]
            jprev = js - b
            ok = (jprev >= prev_lo) & (jprev <= prev_hi) & (jprev >= 0)
            if b > 0:
                ok &= jprev + b <= m
            if not ok.any():
                continue
            cand = np.full(len(js), INF)
            jp = jprev[ok]
            base = D[i - a][jp - prev_lo]
            if b == 0:
                step = np.full(len(jp), p.skip_cost)
            else:
                step = _cost(src, tgt, i - a, a, jp, b, p, row, anchors)
            cand[ok] = base + step
            better = cand < best
            best[better] = cand[better]
            arg[better] = t
        # 0-1 steps within the row: D[j] = min(X[j], D[j-1] + skip), via a running minimum
        if any(a == 0 for a, _ in types) and len(js) > 1:
            t01 = [k for k, (a, b) in enumerate(types) if a == 0][0]
            idx = np.arange(len(js))
            y = best - idx * p.skip_cost
            run = np.minimum.accumulate(y)
            via = run + idx * p.skip_cost
            moved = via < best - 1e-12
            best = np.where(moved, via, best)
            arg = np.where(moved, t01, arg).astype(np.int16)
        D.append(best)
        B.append(arg)
    if hi[n] < m or not np.isfinite(D[n][m - lo[n]]):
        raise RuntimeError("alignment band lost the path")
    beads: list[tuple[list[int], list[int]]] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(B[i][j - lo[i]])
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
    src = _Side(src_emb, src_paragraphs or [1] * n, src_lengths)
    tgt = _Side(tgt_emb, tgt_paragraphs or [1] * m, tgt_lengths)
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
        anchors = _Anchors(src_texts, tgt_texts)
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
