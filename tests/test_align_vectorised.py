"""The vectorised alignment DP (mtqa.align._dp) decodes exactly the beads of the former per-row
implementation, kept here as the reference (_ref_cost / _ref_dp, verbatim but for names).

Random documents use small-integer embeddings, whose dot products are exact in any summation order: the
two implementations then compute bit-identical costs, so even exact ties must break the same way. Real
documents (USE embeddings) are compared too, with the full DP and with the coarse-to-fine path."""

from __future__ import annotations

import numpy as np
import pytest

import mtqa.align as align
from mtqa.align import AlignParams, align_embeddings, embed_overlaps
from tests.conftest import ROOT, SEED_EN, SEED_FR

# --- the reference: the per-row implementation the vectorised DP replaced ------------------------------


def _ref_cost(
    src: align._Side,
    tgt: align._Side,
    i0: int,
    a: int,
    j0: np.ndarray,
    b: int,
    p: align.AlignParams,
    row: dict | None = None,
    anchors: align._Anchors | None = None,
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
            r0, r1 = max(0, need0 - align.MAX_OVERLAP), min(m, need1 + align.MAX_OVERLAP)
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
        pen = np.where(tgt.crosses[b][j0], p.paragraph_penalty * tgt.paragraph_weight, 0.0)
        if src.crosses[a][i0]:
            pen = pen + p.paragraph_penalty * src.paragraph_weight
        cost = cost + pen
    return cost


def _ref_dp(
    src: align._Side,
    tgt: align._Side,
    lo: np.ndarray,
    hi: np.ndarray,
    types,
    p: align.AlignParams,
    anchors=None,
):
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
                step = _ref_cost(src, tgt, i - a, a, jp, b, p, row, anchors)
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


def _both(*args, **kwargs):
    """(vectorised beads, reference beads) of align_embeddings(*args, **kwargs); errors as strings."""
    out = []
    for dp in (align._dp, _ref_dp):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(align, "_dp", dp)
            try:
                out.append(align_embeddings(*args, **kwargs).beads)
            except RuntimeError as exc:
                out.append(str(exc))
    return out[0], out[1]


# --- random documents with exact dot products -----------------------------------------------------------


def _overlaps_of(base: np.ndarray) -> list[np.ndarray]:
    """Overlap 'embeddings' of sentence vectors: sums of 1, 2, 3 consecutive rows."""
    n, dim = base.shape
    return [
        np.array([base[i : i + k].sum(axis=0) for i in range(n - k + 1)], dtype=np.float32).reshape(-1, dim)
        for k in range(1, align.MAX_OVERLAP + 1)
    ]


def _exact_overlaps(rng: np.random.Generator, n: int, dim: int = 8) -> list[np.ndarray]:
    """Entries in quarters: every dot product is exact in float32, whatever the summation order."""
    return _overlaps_of(rng.integers(-2, 3, size=(n, dim)).astype(np.float32) / 4)


_WORDS = "Piz Palü 1988 direkt Zürich Bahn ( ) ? ! Haus Berg 1'000 Gletscher".split()


@pytest.mark.parametrize("seed", range(6))
def test_random_documents_same_beads_as_reference(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    for trial in range(40):
        monkeypatch.setattr(align, "_CHUNK_ROWS", int(rng.choice([1, 3, 7, 64])))
        n, m = (int(x) for x in rng.integers(0, 6 if trial % 4 == 0 else 90, size=2))
        kwargs: dict = {
            "src_paragraphs": sorted(int(x) for x in rng.integers(1, 4, n)),
            "tgt_paragraphs": sorted(int(x) for x in rng.integers(1, 4, m)),
        }
        if rng.random() < 0.8:
            kwargs["src_lengths"] = [int(x) for x in rng.integers(0, 50, n)]
            kwargs["tgt_lengths"] = [int(x) for x in rng.integers(0, 50, m)]
        if rng.random() < 0.3:
            kwargs["src_texts"] = [" ".join(rng.choice(_WORDS, 3)) for _ in range(n)]
            kwargs["tgt_texts"] = [" ".join(rng.choice(_WORDS, 3)) for _ in range(m)]
        params = AlignParams(
            max_cells=int(rng.choice([10**6, 60, 300, 2000])),
            band=int(rng.integers(1, 5)),
            margin=float(rng.choice([0.0, 0.5, 1.0])),
            skip_cost=float(rng.choice([0.05, 0.1, 0.5])),
            paragraph_penalty=float(rng.choice([0.0, 0.1])),
            length_penalty=bool(rng.random() < 0.8),
            anchor_weight=float(rng.choice([0.0, 0.3])),
        )
        new, ref = _both(_exact_overlaps(rng, n), _exact_overlaps(rng, m), params=params, **kwargs)
        assert new == ref, (seed, trial, n, m, params)


def test_all_ties_break_as_reference():
    """Identical sentences everywhere: every path costs the same, only the tie-break decides."""
    v = np.array([[0.5, -0.25, 0.0, 1.0]], dtype=np.float32)
    same, other = _overlaps_of(np.repeat(v, 30, axis=0)), _overlaps_of(np.repeat(v, 34, axis=0))
    for params in (AlignParams(), AlignParams(max_cells=200), AlignParams(margin=0.0, length_penalty=False)):
        new, ref = _both(same, other, params=params)
        assert new == ref


def test_nan_embeddings_as_reference():
    rng = np.random.default_rng(3)
    src, tgt = _exact_overlaps(rng, 12), _exact_overlaps(rng, 14)
    src[0][4] = np.nan
    tgt[1][6] = np.nan
    new, ref = _both(src, tgt)
    assert new == ref


# --- real documents (USE encoder) -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def encoder():
    from mtqa.encoders import get_encoder

    return get_encoder("use-m3")


def _sentences(path, lang: str) -> tuple[list[str], list[int]]:
    from mtqa.pipeline import make_document
    from mtqa.segment import segment_document

    doc = make_document(path.read_text(encoding="utf-8"), str(path), lang, lines=False)
    segment_document(doc, split=True)
    return [s.text for s in doc.sentences], [s.paragraph for s in doc.sentences]


# beads of the seed computed by the per-row implementation (before vectorisation)
SEED_BEADS = [([i], [i]) for i in range(18)] + [([18], [18, 19])] + [([i], [i + 1]) for i in range(19, 24)]

DOCS = [
    ("louvre.fr.txt", "fr", "louvre.damaged.en.txt"),
    ("vuelta.es.txt", "es", "vuelta.damaged.en.txt"),
    ("ecb.de.txt", "de", "ecb.damaged.en.txt"),
]


def _pair(encoder, src_path, src_lang, tgt_path) -> tuple[list, dict]:
    src, src_par = _sentences(src_path, src_lang)
    tgt, tgt_par = _sentences(tgt_path, "en")
    args = [embed_overlaps(encoder, src), embed_overlaps(encoder, tgt), src_par, tgt_par]
    kwargs = {"src_lengths": [len(s) for s in src], "tgt_lengths": [len(t) for t in tgt]}
    kwargs.update(src_texts=src, tgt_texts=tgt)
    return args, kwargs


def test_seed_beads_unchanged(encoder):
    args, kwargs = _pair(encoder, SEED_FR, "fr", SEED_EN)
    for params in (AlignParams(), AlignParams(max_cells=200, band=4)):
        new, ref = _both(*args, params=params, **kwargs)
        assert new == ref == SEED_BEADS


def test_real_documents_same_beads_as_reference(encoder):
    data = ROOT / "tests" / "data"
    cases = [_pair(encoder, data / s, lang, data / t) for s, lang, t in DOCS]
    # the three documents one after the other, one translation sentence moved to the end
    src: list[str] = []
    tgt: list[str] = []
    src_par: list[int] = []
    tgt_par: list[int] = []
    for args, kwargs in cases:
        src_par += [p + max(src_par, default=0) for p in args[2]]
        tgt_par += [p + max(tgt_par, default=0) for p in args[3]]
        src += kwargs["src_texts"]
        tgt += kwargs["tgt_texts"]
    tgt = tgt[:5] + tgt[6:] + tgt[5:6]
    joined = [embed_overlaps(encoder, src), embed_overlaps(encoder, tgt), src_par, tgt_par]
    lengths = {"src_lengths": [len(x) for x in src], "tgt_lengths": [len(x) for x in tgt]}
    cases.append((joined, {**lengths, "src_texts": src, "tgt_texts": tgt}))
    for args, kwargs in cases:
        for params in (
            AlignParams(),
            AlignParams(max_cells=300, band=3),
            AlignParams(margin=1.0, skip_cost=0.05),
            AlignParams(anchor_weight=0.3),
        ):
            new, ref = _both(*args, params=params, **kwargs)
            assert new == ref
