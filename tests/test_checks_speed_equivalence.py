"""The shortcuts that make the checks fast on long documents keep their results: outputs of the public
functions on the cases below equal the golden files in tests/data/golden, made (tests/golden_cases.py)
with the plain implementations the shortcuts replaced."""

from __future__ import annotations

import json

import pytest

from mtqa import entity_table
from mtqa.checks import CheckContext
from mtqa.lang import lexicon
from mtqa.report import Segment
from tests import golden_cases as G


def _golden(name: str):
    return json.loads((G.GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


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


def test_memoised_fold_matches_plain_fold():
    for text in ["Al-Qaïda's", "Roglič", "Tchaïkovski", "l'Observatoire syrien", "U.S.-led"]:
        assert lexicon.fold(text) == lexicon.fold_text(text)


def test_to_ascii_matches_anyascii():
    from anyascii import anyascii

    for text in G.texts():
        assert lexicon.to_ascii(text) == anyascii(text)


def test_segment_of_target_is_the_first_holding_segment():
    src = G.make_doc(["Un.", "Deux.", "Trois."], "fr")
    tgt = G.make_doc(["One.", "Two.", "Three.", "Four."], "en")
    segs = [
        Segment(0, "Un.", "One. Two.", [1], [1], "1-2", 0.9, source_sentences=[0], target_sentences=[0, 1]),
        Segment(1, "Deux.", "Two.", [1], [1], "1-1", 0.9, source_sentences=[1], target_sentences=[1]),
        Segment(2, "Trois.", "Three.", [1], [1], "1-1", 0.9, source_sentences=[2], target_sentences=[2]),
    ]
    ctx = CheckContext(src, tgt, segs)
    assert [ctx.segment_of_target(j) for j in range(4)] == [0, 0, 2, None]


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


def test_entity_table_work_grows_linearly(monkeypatch):
    """Mapping mentions compares a source mention with the mentions of its own segment only: twice the
    document, twice the comparisons."""
    calls = 0
    similarity = lexicon.similarity

    def counting(a: str, b: str) -> float:
        nonlocal calls
        calls += 1
        return similarity(a, b)

    monkeypatch.setattr(entity_table, "similarity", counting)

    def run(n: int) -> int:
        nonlocal calls
        names = [f"Marko Petrovic{k}" for k in range(n)]
        src_sents = [f"Le ministre {x} a parlé avec Anna Kowalska{k}." for k, x in enumerate(names)]
        src = G.make_doc(src_sents, "fr")
        tgt = G.make_doc([f"Minister {x} spoke with Anna Kowalska{k}." for k, x in enumerate(names)], "en")
        segs = [
            Segment(k, "", "", [1], [1], "1-1", 0.9, source_sentences=[k], target_sentences=[k])
            for k in range(n)
        ]
        calls = 0
        entity_table.build_entity_table(src, tgt, segs)
        return calls

    small, large = run(40), run(80)
    assert 0 < small and large <= 2.2 * small


@pytest.mark.parametrize("case", list(G.CASES))
def test_public_outputs_match_the_golden_files(case):
    """fold_text, tokens, months, written numbers and numerals of tricky strings and the test texts; the
    entity mentions of the test texts; the number-mismatch issues of 30 random segment pairs."""
    expected = _golden(case)
    got = G.normalised(G.CASES[case]())
    if case == "text_helpers":
        assert len(got["texts"]) == len(expected["texts"]) > 100
        for n, (g, e) in enumerate(zip(got["texts"], expected["texts"], strict=True)):
            assert g == e, n
    elif case == "mentions":
        assert sum(len(ms) for docs in expected.values() for ms in docs) > 500
        for lang in expected:
            assert got[lang] == expected[lang], lang
    else:
        kinds = {i["message"].split()[0] for trial in expected["trials"] for i in trial}
        assert {"number"} <= kinds  # every kind of finding is among the cases (months: date-mismatch)
        for n, (g, e) in enumerate(zip(got["trials"], expected["trials"], strict=True)):
            assert g == e, n
