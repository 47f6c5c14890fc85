"""mtqa[ner] (mtqa.lang.ner): the named-entity models can be turned off, the English model's contract,
and the report names the model. How the entity-fidelity check uses them: tests/checks/test_fidelity.py."""

from __future__ import annotations

import pytest

from mtqa.lang import ner

SRC = ["O seu sucessor tem vindo a adoptar esta perspectiva.", "O banco central reuniu-se ontem em Lisboa."]
TGT = ["His successor, Joel Hudson, has come to embody this view.",
       "The central bank met in Lisbon yesterday."]


def test_models_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("MTQA_NER", "off")
    assert not ner.available("en") and ner.model_name("en") is None
    assert ner.persons(["Angela Merkel met Joe Biden."], "en") == [[]]
    assert not ner.available("de")  # nothing ships for German


@pytest.mark.models
def test_the_english_model_contract():
    pytest.importorskip(ner.MODELS["en"])
    texts = ["Angela Merkel met Joe Biden in Berlin on Monday.", "Prices rose."]
    found = ner.persons(texts, "en-GB")
    assert ner.model_name("en") == ner.MODELS["en"] and len(found) == len(texts)
    # spans inside their text, over capitalised words (which names a model finds is not asserted)
    for text, spans in zip(texts, found, strict=True):
        assert all(0 <= s < e <= len(text) and text[s].isupper() for s, e in spans)
    assert found[1] == []


@pytest.mark.models
def test_the_report_names_the_model(tmp_path):
    """A report says which named-entity model read the translation, so its findings can be reproduced."""
    pytest.importorskip(ner.MODELS["en"])
    from mtqa.pipeline import Options, run

    src, tgt = tmp_path / "a.pt.txt", tmp_path / "b.en.txt"
    src.write_text("\n".join(SRC) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(TGT) + "\n", encoding="utf-8")
    names = [m.name for m in run(str(src), str(tgt), Options(bitext=True, profile="fast")).models]
    assert f"ner:{ner.MODELS['en']}" in names
