"""The shortcuts that make the checks fast on long documents give what the plain computation gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mtqa import entities
from mtqa.checks import CheckContext
from mtqa.checks.entity import _segment_of_sentence
from mtqa.checks.rules import word_evidence
from mtqa.document import Document, Paragraph, Sentence
from mtqa.report import Segment

ROOT = Path(__file__).resolve().parents[1]
TEXTS = {
    "en": [ROOT / "seeds" / "idlib-2019-12-01.en.txt", ROOT / "tests" / "data" / "ecb.en.txt"],
    "fr": [ROOT / "seeds" / "idlib-2019-12-01.fr.txt", ROOT / "tests" / "data" / "louvre.fr.txt"],
    "de": [ROOT / "tests" / "data" / "ecb.de.txt"],
    "es": [ROOT / "tests" / "data" / "vuelta.es.txt"],
}


def _sentences() -> list[str]:
    out = []
    for paths in TEXTS.values():
        for path in paths:
            text = path.read_text(encoding="utf-8")
            out += [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 5]
    # mixed-language texts: the first half of one sentence and the second half of another
    mixed = []
    for a, b in zip(out[::7], out[3::7], strict=False):
        wa, wb = a.split(), b.split()
        mixed.append(" ".join(wa[: len(wa) // 2] + wb[len(wb) // 2 :]))
    return out + mixed + ["東京は日本の首都です。 The capital has many museums and parks to visit."]


PAIRS = [("en", "fr"), ("fr", "en"), ("en", "de"), ("de", "en"), ("es", "en"), ("ja", "en")]


@pytest.mark.parametrize("lang, rival", PAIRS)
def test_language_screen_never_drops_a_detection(lang, rival):
    """may_be_language keeps every text the full detector assigns to `lang` with confidence >= 0.5."""
    from mtqa.langid import detect_segment, may_be_language

    texts = _sentences()
    keep = may_be_language(texts, lang, rival, 0.5)
    for text, kept in zip(texts, keep, strict=True):
        code, conf = detect_segment(text)
        if code == lang and conf >= 0.5:
            assert kept, text
    if lang != "ja":  # Latin-script texts are ruled out for Japanese by a rule: those are kept
        assert not all(keep)  # and it does screen


def test_language_screen_unknown_languages():
    from mtqa.langid import may_be_language

    texts = ["Dies ist ein ganz normaler deutscher Satz über das Wetter."]
    assert may_be_language(texts, "km", "de") == [False]  # lingua never says km
    assert may_be_language(texts, "de", "km") == [True]  # no rival to screen against


def test_memoised_fold_matches_plain_fold():
    for text in ["Al-Qaïda's", "Roglič", "Tchaïkovski", "l'Observatoire syrien", "U.S.-led"]:
        assert entities.fold(text) == entities.fold_text(text)


def _doc(sentences: list[str], lang: str) -> Document:
    text = " ".join(sentences)
    doc = Document(text=text, lang=lang)
    pos = 0
    for k, s in enumerate(sentences):
        doc.sentences.append(Sentence(k, 1, pos, pos + len(s), s))
        pos += len(s) + 1
    doc.paragraphs.append(Paragraph(1, 0, len(text), text))
    return doc


def test_segment_of_sentence_is_the_first_holding_segment():
    src = _doc(["Un.", "Deux.", "Trois."], "fr")
    tgt = _doc(["One.", "Two.", "Three.", "Four."], "en")
    segs = [
        Segment(0, "Un.", "One. Two.", [1], [1], "1-2", 0.9, source_sentences=[0], target_sentences=[0, 1]),
        Segment(1, "Deux.", "Two.", [1], [1], "1-1", 0.9, source_sentences=[1], target_sentences=[1]),
        Segment(2, "Trois.", "Three.", [1], [1], "1-1", 0.9, source_sentences=[2], target_sentences=[2]),
    ]
    ctx = CheckContext(src, tgt, segs)
    assert [_segment_of_sentence(ctx, j) for j in range(4)] == [0, 0, 2, None]


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
    full = word_evidence(src, tgt, src_lang, tgt_lang)
    light = word_evidence(src, tgt, src_lang, tgt_lang, unmatched=False)
    assert light["wrong_form"] == full["wrong_form"] and light["words"] == full["words"]
    assert "unmatched" not in light


def test_entity_table_work_grows_linearly(monkeypatch):
    """Mapping mentions compares a source mention with the mentions of its own segment only: twice the
    document, twice the comparisons."""
    calls = 0
    similarity = entities.similarity

    def counting(a: str, b: str) -> float:
        nonlocal calls
        calls += 1
        return similarity(a, b)

    monkeypatch.setattr(entities, "similarity", counting)

    def run(n: int) -> int:
        nonlocal calls
        names = [f"Marko Petrovic{k}" for k in range(n)]
        src = _doc([f"Le ministre {x} a parlé avec Anna Kowalska{k}." for k, x in enumerate(names)], "fr")
        tgt = _doc([f"Minister {x} spoke with Anna Kowalska{k}." for k, x in enumerate(names)], "en")
        segs = [Segment(k, "", "", [1], [1], "1-1", 0.9, source_sentences=[k], target_sentences=[k])
                for k in range(n)]
        calls = 0
        entities.build_entity_table(src, tgt, segs)
        return calls

    small, large = run(40), run(80)
    assert 0 < small and large <= 2.2 * small
