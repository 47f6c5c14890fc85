"""The kit the families share (mtqa.checks.kit): word evidence."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.models  # word evidence from the real USE encoder


@pytest.mark.parametrize(
    "src, tgt, src_lang, tgt_lang",
    [
        ("Bataille clé", "Battled key", "fr", "en"),
        ("Les combats ont repris dans la province.", "The fightings resumed in the provinces.", "fr", "en"),
        ("Die Verhandlungen gingen gestern weiter.", "The negotiations continued yesterday.", "de", "en"),
    ],
)
def test_wrong_forms_without_unmatched_words(src, tgt, src_lang, tgt_lang):
    """Looking for wrong forms alone (segments not low enough to be flagged) finds the same ones."""
    from mtqa.checks.kit.words import word_evidence
    from mtqa.encoders import get_encoder

    enc = get_encoder("use-m3")
    full = word_evidence(src, tgt, src_lang, tgt_lang, encoder=enc)
    light = word_evidence(src, tgt, src_lang, tgt_lang, unmatched=False, encoder=enc)
    assert light.wrong_form == full.wrong_form and light.words == full.words
    assert light.unmatched is None and full.unmatched is not None
    if src_lang == "fr" and tgt.startswith("Battled"):
        assert full.wrong_form == ["Battled"]  # the evidence is not empty by construction
