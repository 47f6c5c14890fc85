"""The one-pass overlap embeddings equal USE's embedding of each joined text."""

from __future__ import annotations

import uuid

import numpy as np
import pytest

from mtqa.encoders import overlaps
from mtqa.encoders.use import USEEncoder

pytestmark = pytest.mark.models  # the real USE encoder

SENTENCES = [
    "Bataille clé",
    "Les forces du régime ont avancé vers Maarat al-Nouman, selon l'OSDH.",
    "Oui.",
    "x",
    "Plus de 235 000 personnes ont fui depuis le 1er décembre 2019 , d'après l'ONU.",
    "Die Kämpfe gingen  weiter,   trotz der Waffenruhe.",
    "停火协议于周日生效。",
    "Non !",
    "« Nous n'avons nulle part où aller », a déclaré un habitant d'Idleb à l'AFP.",
]


@pytest.fixture(scope="module")
def encoder() -> USEEncoder:
    return USEEncoder()


def test_overlaps_match_embedding_the_joined_texts(encoder):
    from mtqa.encoders.use_overlaps import OverlapUSE

    fast = OverlapUSE(encoder._model).overlaps(SENTENCES, 3)
    for k, block in enumerate(fast, start=1):
        reference = encoder._encode(overlaps(SENTENCES, k))
        assert block.shape == reference.shape == (len(SENTENCES) - k + 1, 512)
        cosines = (block * reference).sum(axis=1)
        assert cosines.min() > 0.99999, (k, cosines)


def test_encode_overlaps_serves_the_same_vectors_as_encode(encoder):
    blocks = encoder.encode_overlaps(SENTENCES[:5], 3)
    assert [len(b) for b in blocks] == [5, 4, 3]
    again = encoder.encode(overlaps(SENTENCES[:5], 2))  # now served from the per-process memo
    np.testing.assert_allclose(again, blocks[1], atol=1e-6)


def test_an_edited_sentence_only_embeds_what_changed(encoder, monkeypatch):
    encoder.encode_overlaps(SENTENCES, 3)
    # a sentence no earlier run has embedded (the suite's cache may be kept: MTQA_TEST_CACHE_DIR)
    edited = [*SENTENCES[:-1], f"Un seul paragraphe a changé ({uuid.uuid4().hex[:8]})."]
    seen: list[str] = []
    plain = encoder._encode

    def spy(texts):
        seen.extend(texts)
        return plain(texts)

    monkeypatch.setattr(encoder, "_encode", spy)
    blocks = encoder.encode_overlaps(edited, 3)
    assert sorted(seen) == sorted({t for t in (*overlaps(edited, 1), *overlaps(edited, 2),
                                               *overlaps(edited, 3)) if "Un seul" in t})
    assert len(blocks[2]) == len(edited) - 2


def test_unusual_inputs_fall_back_to_the_plain_path(encoder):
    blocks = encoder.encode_overlaps(["Bonjour.", "   ", "Au revoir."], 2)
    assert [b.shape for b in blocks] == [(3, 512), (2, 512)]
    assert [len(b) for b in encoder.encode_overlaps([], 3)] == [0, 0, 0]


def test_short_documents_and_short_last_sentences(encoder):
    from mtqa.encoders.use_overlaps import OverlapUSE

    fast = OverlapUSE(encoder._model)
    for sentences in (["Oui."], ["Oui.", "Non."], [SENTENCES[1], "Ah."], ["Ah.", SENTENCES[4], "Oh."]):
        for k, block in enumerate(fast.overlaps(sentences, 3), start=1):
            reference = encoder._encode(overlaps(sentences, k))
            assert block.shape == reference.shape
            if len(block):
                assert (block * reference).sum(axis=1).min() > 0.99999


def test_long_documents_are_done_in_blocks_with_the_same_result(encoder, monkeypatch):
    import mtqa.encoders.use_overlaps as uo

    sentences = [f"{s} ({i})" for i, s in enumerate(SENTENCES * 3)]
    fast = uo.OverlapUSE(encoder._model)
    whole = fast.overlaps(sentences, 3)
    for block in (4, 5, 7):
        monkeypatch.setattr(uo, "_BLOCK", block)
        blocked = fast.overlaps(sentences, 3)
        assert [len(b) for b in blocked] == [len(sentences) - k for k in range(3)]
        for a, b in zip(whole, blocked, strict=True):
            np.testing.assert_allclose(a, b, atol=1e-5)
