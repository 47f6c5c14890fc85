"""mtqa[ner]: a named-entity model tells which names of an English translation are people's; the entity check
then reports a person's full name the source lacks. The check's logic is tested with a stand-in model (a
real model mislabels some mentions), the real model only for its contract."""

from __future__ import annotations

import pytest

from mtqa.checks import run_check
from mtqa.lang import ner
from tests.fakes import sentence_context

SRC = ["O seu sucessor tem vindo a adoptar esta perspectiva.", "O banco central reuniu-se ontem em Lisboa."]
TGT = ["His successor, Joel Hudson, has come to embody this view.",
       "The central bank met in Lisbon yesterday."]


def _fake_people(names: list[str]):
    def persons(texts: list[str], lang: str) -> list[list[tuple[int, int]]]:
        return [[(t.index(n), t.index(n) + len(n)) for n in names if n in t] for t in texts]

    return persons


def _fidelity(src, tgt):
    return [(i.segment, i.severity, i.message) for i in run_check("entity-fidelity",
        sentence_context(src, tgt, "pt"))]


def test_a_person_the_source_lacks_is_major(monkeypatch):
    monkeypatch.setattr(ner, "persons", _fake_people(["Joel Hudson"]))
    assert _fidelity(SRC, TGT) == [(0, "major", 'entity not in the source: "Joel Hudson"')]
    # the same name in the source: rendered, nothing to say
    src = ["O seu sucessor, Joel Hudson, tem vindo a adoptar esta perspectiva.", SRC[1]]
    assert _fidelity(src, TGT) == []


def test_a_person_for_another_is_a_replacement(monkeypatch):
    monkeypatch.setattr(ner, "persons", _fake_people(["Joel Hudson"]))
    src = ["O seu sucessor, Mark Carney, tem vindo a adoptar esta perspectiva.", SRC[1]]
    assert _fidelity(src, TGT) == [
        (0, "major", 'entity replaced: "Mark Carney" in the source, "Joel Hudson" in its place')]


def test_without_a_model_an_unknown_name_is_not_reported(monkeypatch):
    # no model (or a model that sees no person): an organisation's name may be a free rendering
    monkeypatch.setattr(ner, "persons", _fake_people([]))
    assert _fidelity(SRC, TGT) == []


def test_models_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("MTQA_NER", "off")
    assert not ner.available("en") and ner.model_name("en") is None
    assert ner.persons(["Angela Merkel met Joe Biden."], "en") == [[]]
    assert not ner.available("de")  # nothing ships for German


def test_the_english_model_contract():
    pytest.importorskip(ner.MODELS["en"])
    texts = ["Angela Merkel met Joe Biden in Berlin on Monday.", "Prices rose."]
    found = ner.persons(texts, "en-GB")
    assert ner.model_name("en") == ner.MODELS["en"] and len(found) == len(texts)
    # spans inside their text, over capitalised words (which names a model finds is not asserted)
    for text, spans in zip(texts, found, strict=True):
        assert all(0 <= s < e <= len(text) and text[s].isupper() for s, e in spans)
    assert found[1] == []


def test_the_report_names_the_model(tmp_path):
    """A report says which named-entity model read the translation, so its findings can be reproduced."""
    pytest.importorskip(ner.MODELS["en"])
    from mtqa.pipeline import Options, run

    src, tgt = tmp_path / "a.pt.txt", tmp_path / "b.en.txt"
    src.write_text("\n".join(SRC) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(TGT) + "\n", encoding="utf-8")
    names = [m.name for m in run(str(src), str(tgt), Options(bitext=True, profile="fast")).models]
    assert f"ner:{ner.MODELS['en']}" in names
