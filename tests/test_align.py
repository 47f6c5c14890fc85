"""Sentence alignment on a small hand-written English/French document (real USE encoder)."""

from __future__ import annotations

import numpy as np
import pytest

from mtqa.align import AlignParams, align_embeddings, align_sentences
from mtqa.anchors import anchor_features
from mtqa.encoders import embed_overlaps

pytestmark = pytest.mark.models  # the real USE encoder

EN = [
    "The village lies at the foot of a steep mountain.",  # 0
    "Every morning the baker opens his shop at six o'clock.",  # 1
    "Children walk to school along the river.",  # 2
    "In winter the road to the pass is closed for several months.",  # 3  (dropped in the translation)
    "The old church was rebuilt after the fire of 1850.",  # 4
    "Tourists come mainly in summer to hike in the forests.",  # 5
    "The town council meets on the first Monday of each month.",  # 6
    # 7 (split in two in the translation)
    "After a long and difficult climb, the two friends finally reached the summit and admired the view.",
    "A small museum tells the history of the valley.",  # 8
    "The last train to the city leaves at ten in the evening.",  # 9
]

FR = [
    "Le village se trouve au pied d'une montagne escarpée.",  # 0 <- 0
    "Chaque matin, le boulanger ouvre sa boutique à six heures.",  # 1 <- 1
    "Les enfants vont à l'école à pied le long de la rivière.",  # 2 <- 2
    "La vieille église a été reconstruite après l'incendie de 1850.",  # 3 <- 4
    "Les touristes viennent surtout en été pour se promener dans les forêts.",  # 4 <- 5
    "Le conseil municipal se réunit le premier lundi de chaque mois.",  # 5 <- 6
    "Le marché aux fromages attire chaque automne des milliers de visiteurs.",  # 6  (added)
    "Après une longue et difficile ascension, les deux amis atteignirent enfin le sommet.",  # 7 <- 7
    "Ils y admirèrent longuement la vue.",  # 8 <- 7
    "Un petit musée raconte l'histoire de la vallée.",  # 9 <- 8
    "Le dernier train pour la ville part à dix heures du soir.",  # 10 <- 9
]

EXPECTED = [
    ([0], [0]),
    ([1], [1]),
    ([2], [2]),
    ([3], []),
    ([4], [3]),
    ([5], [4]),
    ([6], [5]),
    ([], [6]),
    ([7], [7, 8]),
    ([8], [9]),
    ([9], [10]),
]


class DedupEncoder:
    """Wraps an encoder and embeds each distinct text once (the long synthetic document repeats itself)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.cache: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        new = sorted({t for t in texts if t not in self.cache})
        if new:
            for t, v in zip(new, self.inner.encode(new), strict=True):
                self.cache[t] = v
        return np.stack([self.cache[t] for t in texts])


@pytest.fixture(scope="module")
def encoder():
    from mtqa.encoders import get_encoder

    return DedupEncoder(get_encoder("use-m3"))


@pytest.fixture(scope="module")
def small(encoder):
    return align_sentences(encoder, EN, FR)


def _check_partition(beads, n: int, m: int) -> None:
    """Every sentence exactly once, in order, on both sides; no empty bead."""
    src = [i for s, _ in beads for i in s]
    tgt = [j for _, t in beads for j in t]
    assert src == list(range(n))
    assert tgt == list(range(m))
    assert all(s or t for s, t in beads)
    for s, t in beads:
        assert s == list(range(s[0], s[0] + len(s))) if s else True
        assert t == list(range(t[0], t[0] + len(t))) if t else True


def test_small_document_exact(small):
    assert small.beads == EXPECTED


def test_deletion_and_insertion(small):
    assert ([3], []) in small.beads  # the winter-road sentence is missing from the translation
    assert ([], [6]) in small.beads  # the cheese-market sentence was added
    assert sum(1 for s, t in small.beads if not s or not t) == 2


def test_one_to_two_split(small):
    assert ([7], [7, 8]) in small.beads


def test_monotonic_and_covering(small):
    _check_partition(small.beads, len(EN), len(FR))


def test_paragraph_boundary_is_soft_anchor(encoder):
    # sentences 7 and 8 of the translation in different paragraphs: the 1-2 bead then costs a penalty but
    # the alignment must still cover everything exactly once
    src_par = [1] * 5 + [2] * 5
    tgt_par = [1] * 4 + [2] * 4 + [3] * 3
    ali = align_sentences(encoder, EN, FR, src_par, tgt_par)
    _check_partition(ali.beads, len(EN), len(FR))
    assert ([3], []) in ali.beads


def test_empty_sides():
    e = [np.zeros((0, 4), dtype=np.float32)] * 3
    f = [np.eye(4, dtype=np.float32)[:2], np.eye(4, dtype=np.float32)[:1], np.zeros((0, 4), dtype=np.float32)]
    assert align_embeddings(e, f).beads == [([], [0]), ([], [1])]
    assert align_embeddings(f, e).beads == [([0], []), ([1], [])]


def test_coarse_to_fine_matches_full_dp(encoder):
    reps = 25  # 250 x 275 sentences
    src = EN * reps
    tgt = FR * reps
    se, te = embed_overlaps(encoder, src), embed_overlaps(encoder, tgt)
    lengths = ([len(s) for s in src], [len(t) for t in tgt])
    full = align_embeddings(
        se, te, params=AlignParams(max_cells=10**7), src_lengths=lengths[0], tgt_lengths=lengths[1]
    )
    # 2_000 cells forces a 8x downsampled first pass and a banded second pass
    coarse = align_embeddings(
        se, te, params=AlignParams(max_cells=2_000), src_lengths=lengths[0], tgt_lengths=lengths[1]
    )
    assert coarse.beads == full.beads
    _check_partition(full.beads, len(src), len(tgt))
    # the repeated document aligns like the small one, block after block
    shifted = [
        ([i + k * len(EN) for i in s], [j + k * len(FR) for j in t]) for k in range(reps) for s, t in EXPECTED
    ]
    assert full.beads == shifted


def test_band_is_linear(encoder, monkeypatch):
    """The fine pass of coarse-to-fine fills O(n) cells, not n*m."""
    import mtqa.align as align

    seen = {}
    real_dp = align._dp

    def spy(src, tgt, lo, hi, types, p, *rest):
        if src.n > 100:
            seen["cells"] = int((hi - lo + 1).sum())
        return real_dp(src, tgt, lo, hi, types, p, *rest)

    monkeypatch.setattr(align, "_dp", spy)
    src, tgt = EN * 40, FR * 40
    se, te = embed_overlaps(encoder, src), embed_overlaps(encoder, tgt)
    align.align_embeddings(se, te, params=AlignParams(max_cells=2_000))
    n, m = len(src), len(tgt)
    assert seen["cells"] < 0.25 * (n + 1) * (m + 1)


def test_anchor_features_normalise_numbers_and_names():
    de = anchor_features("Am 9. September 1988 stiegen wir 1'000 m zum Piz Palü ( direkt ) auf ?")
    fr = anchor_features("Le 9 septembre 1988 , nous montons de 1 000 m au Piz Palu ( directe ) ?")
    for f in ("#9", "#1988", "#1000", "=palu", "~dire", "~sept", "(", "?"):
        assert f in de and f in fr
    assert "#1000" in anchor_features("1.000 Meter")


def _anchor_case(weight: float, with_texts: bool = True):
    # uninformative embeddings (source orthogonal to target, no margin): only the anchors can say which
    # target line is the insertion
    x, y = np.eye(2, dtype=np.float32)
    src = ["Am 12. Juli 1988 erreichten wir den Piz Palü .", "Abstieg über den Persgletscher ."]
    tgt = ["Le 12 juillet 1988 , nous atteignons le Piz Palü .", "Photo 141", "Descente par le Persglacier ."]
    emb = lambda v, n: [np.tile(v, (max(0, n - k + 1), 1)) for k in range(1, 4)]  # noqa: E731
    texts = {"src_texts": src, "tgt_texts": tgt} if with_texts else {}
    params = AlignParams(anchor_weight=weight, margin=0.0, skip_cost=0.01)
    return align_embeddings(emb(x, 2), emb(y, 3), params=params, **texts).beads


def test_anchors_pick_the_bead():
    gold = [([0], [0]), ([], [1]), ([1], [2])]
    assert _anchor_case(0.0) != gold  # embeddings alone cannot tell
    assert _anchor_case(1.0, with_texts=False) != gold  # no texts: anchors silently off
    assert _anchor_case(1.0) == gold
