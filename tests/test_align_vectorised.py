"""The alignment DP (mtqa.align) and the overlap embeddings it aligns stay exactly what they were: beads
and embedding projections compared with golden outputs (tests/data/golden/align_beads.json), obtained
through the public functions before the DP was vectorised and the encoders were moved into a package.

Random documents use small-integer embeddings, whose dot products are exact in any summation order, so
the beads (ties included) do not depend on BLAS. Real documents use the USE encoders. Set
MTQA_UPDATE_GOLDEN=1 to rewrite the golden file after an intended change (and say why in the commit)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from mtqa.align import AlignParams, align_embeddings
from mtqa.encoders import MAX_OVERLAP, embed_overlaps
from tests.conftest import ROOT, SEED_EN, SEED_FR

GOLDEN = ROOT / "tests" / "data" / "golden" / "align_beads.json"
UPDATE = bool(os.environ.get("MTQA_UPDATE_GOLDEN"))
_RESULTS: dict = {}


def _golden() -> dict:
    return json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}


def check(section: str, key: str, value) -> None:
    """value == the golden one (after a JSON round trip); with MTQA_UPDATE_GOLDEN, record it instead."""
    value = json.loads(json.dumps(value))
    if UPDATE:
        _RESULTS.setdefault(section, {})[key] = value
        return
    assert value == _golden()[section][key], (section, key)


@pytest.fixture(scope="module", autouse=True)
def _write_golden():
    yield
    if UPDATE and _RESULTS:
        data = _golden()
        for section, values in _RESULTS.items():
            data.setdefault(section, {}).update(values)
        GOLDEN.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n")


def beads(*args, **kwargs) -> str:
    """align_embeddings(...).beads as text ("0:0 1,2:1 3:" ...), or the error's text."""
    try:
        found = align_embeddings(*args, **kwargs).beads
    except RuntimeError as exc:
        return f"error: {exc}"
    return " ".join(f"{','.join(map(str, s))}:{','.join(map(str, t))}" for s, t in found)


# --- random documents with exact dot products -----------------------------------------------------------


def _overlaps_of(base: np.ndarray) -> list[np.ndarray]:
    """Overlap 'embeddings' of sentence vectors: sums of 1, 2, 3 consecutive rows."""
    n, dim = base.shape
    return [
        np.array([base[i : i + k].sum(axis=0) for i in range(n - k + 1)], dtype=np.float32).reshape(-1, dim)
        for k in range(1, MAX_OVERLAP + 1)
    ]


def _exact_overlaps(rng: np.random.Generator, n: int, dim: int = 8) -> list[np.ndarray]:
    """Entries in quarters: every dot product is exact in float32, whatever the summation order."""
    return _overlaps_of(rng.integers(-2, 3, size=(n, dim)).astype(np.float32) / 4)


_WORDS = "Piz Palü 1988 direkt Zürich Bahn ( ) ? ! Haus Berg 1'000 Gletscher".split()


@pytest.mark.parametrize("seed", range(6))
def test_random_documents_give_the_golden_beads(seed):
    rng = np.random.default_rng(seed)
    for trial in range(40):
        rng.choice([1, 3, 7, 64])  # (was the DP's row-chunk size: beads do not depend on it)
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
        got = beads(_exact_overlaps(rng, n), _exact_overlaps(rng, m), params=params, **kwargs)
        check("random", f"{seed}-{trial}", got)


def test_all_ties_break_as_before():
    """Identical sentences everywhere: every path costs the same, only the tie-break decides."""
    v = np.array([[0.5, -0.25, 0.0, 1.0]], dtype=np.float32)
    same, other = _overlaps_of(np.repeat(v, 30, axis=0)), _overlaps_of(np.repeat(v, 34, axis=0))
    for i, params in enumerate((AlignParams(), AlignParams(max_cells=200),
                                AlignParams(margin=0.0, length_penalty=False))):
        check("ties", str(i), beads(same, other, params=params))


def test_nan_embeddings_as_before():
    rng = np.random.default_rng(3)
    src, tgt = _exact_overlaps(rng, 12), _exact_overlaps(rng, 14)
    src[0][4] = np.nan
    tgt[1][6] = np.nan
    check("nan", "0", beads(src, tgt))


# --- real documents (USE encoders) ----------------------------------------------------------------------


def _encoder(spec: str):
    from mtqa.encoders import get_encoder

    return get_encoder(spec)


def _sentences(path, lang: str) -> tuple[list[str], list[int]]:
    from mtqa.pipeline import make_document
    from mtqa.sentences import split_document

    doc = make_document(path.read_text(encoding="utf-8"), str(path), lang, lines=False)
    split_document(doc, split=True)
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


def _projections(blocks: list[np.ndarray]) -> list:
    """Each overlap embedding projected on 6 fixed random directions, rounded to 1e-5: a small, exact
    enough fingerprint of the embeddings (a changed vector moves its projections by far more)."""
    dirs = np.random.default_rng(0).standard_normal((blocks[0].shape[1], 6)).astype(np.float64)
    return [np.round(np.asarray(b, dtype=np.float64) @ dirs, 5).tolist() for b in blocks]


def _assert_projections(section: str, key: str, blocks: list[np.ndarray]) -> None:
    got = _projections(blocks)
    if UPDATE:
        check(section, key, got)
        return
    want = _golden()[section][key]
    assert [len(b) for b in got] == [len(b) for b in want]
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(np.array(g).reshape(-1), np.array(w).reshape(-1), atol=3e-5)


@pytest.mark.models
@pytest.mark.parametrize("spec", ["use-m3", "use-m3-static"])
def test_seed_embeddings_and_beads_unchanged(spec):
    args, kwargs = _pair(_encoder(spec), SEED_FR, "fr", SEED_EN)
    _assert_projections("embeddings", f"{spec}:seed.fr", args[0])
    _assert_projections("embeddings", f"{spec}:seed.en", args[1])
    for i, params in enumerate((AlignParams(), AlignParams(max_cells=200, band=4))):
        got = beads(*args, params=params, **kwargs)
        check("seed", f"{spec}:{i}", got)
        if spec == "use-m3":
            assert got == " ".join(f"{s[0]}:{','.join(map(str, t))}" for s, t in SEED_BEADS)


@pytest.mark.models
def test_real_documents_give_the_golden_beads():
    encoder = _encoder("use-m3")
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
    for c, (args, kwargs) in enumerate(cases):
        for i, params in enumerate((
            AlignParams(),
            AlignParams(max_cells=300, band=3),
            AlignParams(margin=1.0, skip_cost=0.05),
            AlignParams(anchor_weight=0.3),
        )):
            check("real", f"{c}-{i}", beads(*args, params=params, **kwargs))
