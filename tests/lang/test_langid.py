"""The language screen (mtqa.lang.langid): a cheap screen before the segment detector never drops one of its
detections."""

from __future__ import annotations

import pytest

from tests import golden_cases as G

PAIRS = [("en", "fr"), ("fr", "en"), ("en", "de"), ("de", "en"), ("es", "en"), ("ja", "en")]


@pytest.mark.parametrize("lang, rival", PAIRS)
def test_language_screen_never_drops_a_detection(lang, rival):
    """may_be_language keeps every text the segment detector assigns to `lang` with confidence >= 0.5."""
    from mtqa.lang.langid import detect_segment, may_be_language

    texts = G.sentences()
    keep = may_be_language(texts, lang, rival, 0.5)
    for text, kept in zip(texts, keep, strict=True):
        code, conf = detect_segment(text)
        if code == lang and conf >= 0.5:
            assert kept, text
    if lang != "ja":  # Latin-script texts are ruled out for Japanese by a rule: those are kept
        assert not all(keep)  # and it does screen


def test_language_screen_unknown_languages():
    from mtqa.lang.langid import may_be_language

    texts = ["Dies ist ein ganz normaler deutscher Satz über das Wetter."]
    assert may_be_language(texts, "km", "de") == [False]  # lingua never says km
    assert may_be_language(texts, "de", "km") == [True]  # no rival to screen against
