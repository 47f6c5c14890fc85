"""Recall gaps of issue 29 (What to build, item 5), closed with the guards that stay quiet.

Each case is one sentence pair on a hand-built context (tests/fakes.sentence_context): the check it is
about, and the finding expected (its severity, message start and the offsets of its spans) or none.

* French negation with an elided ne ("n'ont pas", "n'est plus", "n'a jamais"), both directions;
* German "kein-" dropped or added, de -> en and en -> de;
* a short English sentence that language identification takes for French (or German);
* (further sections below: names spelled one letter off, keep versus change).
"""

from __future__ import annotations

import fakes
import pytest

from mtqa.checks import run_check
from mtqa.lang.langid import words_agree
from mtqa.pipeline import Options, run
from tests.fakes import sentence_context


def _issues(check: str, sl: str, tl: str, src: str, tgt: str):
    ctx = sentence_context([src], [tgt], sl, tl)
    return ctx, run_check(check, ctx)


def _span(text: str, start: int | None, end: int | None) -> str:
    assert start is not None and end is not None
    return text[start:end]


def assert_dropped(sl: str, tl: str, src: str, tgt: str, cue: str) -> None:
    """One major "negation dropped" on the whole translation, its source span the negation `cue`."""
    ctx, found = _issues("polarity", sl, tl, src, tgt)
    assert [(i.check, i.severity) for i in found] == [("polarity", "major")], found
    (issue,) = found
    assert issue.message.startswith(f'negation dropped: "{cue}"')
    assert _span(ctx.source.text, issue.source_start, issue.source_end) == cue
    assert (issue.source_start, issue.source_end) == (src.index(cue), src.index(cue) + len(cue))
    assert _span(ctx.target.text, issue.target_start, issue.target_end) == tgt


def assert_added(sl: str, tl: str, src: str, tgt: str, cue: str) -> None:
    """One major "negation added", its target span the negation `cue`, its source span the sentence."""
    ctx, found = _issues("polarity", sl, tl, src, tgt)
    assert [(i.check, i.severity) for i in found] == [("polarity", "major")], found
    (issue,) = found
    assert issue.message.startswith(f'negation added: "{cue}"')
    assert (issue.target_start, issue.target_end) == (tgt.index(cue), tgt.index(cue) + len(cue))
    assert _span(ctx.source.text, issue.source_start, issue.source_end) == src


def assert_quiet(check: str, sl: str, tl: str, src: str, tgt: str) -> None:
    _, found = _issues(check, sl, tl, src, tgt)
    assert found == [], [i.message for i in found]


# --- French negation with an elided ne --------------------------------------------------------------

FR_DROPPED = [
    ("Les autorités n'ont pas confirmé le bilan.", "The authorities confirmed the toll.", "n'ont pas"),
    ("Le ministre n'est plus favorable à cette réforme.", "The minister is in favour of this reform.",
     "n'est plus"),
    ("Il n'a jamais visité la Syrie.", "He visited Syria.", "n'a jamais"),
    ("L'armée n'a pas exclu une offensive.", "The army ruled out an offensive.", "n'a pas"),
    ("Il n'y a aucun blessé selon la police.", "There are injured people, according to the police.",
     "n'y a aucun"),
    ("Les rebelles n’ont rien obtenu.", "The rebels obtained everything.", "n’ont rien"),  # typographic ’
]
FR_RENDERED = [
    ("Les autorités n'ont pas confirmé le bilan.", "The authorities did not confirm the toll."),
    ("Le ministre n'a pas exclu une hausse.", "The minister did not rule out an increase."),
    ("Le ministre n'est plus favorable à cette réforme.",
     "The minister is no longer in favour of this reform."),
    ("Il n'a jamais visité la Syrie.", "He has never visited Syria."),
    ("Il n'y a aucun blessé selon la police.", "There are no injuries, according to the police."),
    # "ne ... plus que" is "only": no negation on either side
    ("Il n'y a plus que deux candidats.", "There are only two candidates left."),
    ("N'importe qui peut voter.", "Anyone can vote."),
]


@pytest.mark.parametrize(("src", "tgt", "cue"), FR_DROPPED)
def test_french_elided_negation_dropped(src, tgt, cue):
    assert_dropped("fr", "en", src, tgt, cue)


@pytest.mark.parametrize(("src", "tgt"), FR_RENDERED)
def test_french_elided_negation_rendered_is_quiet(src, tgt):
    """A correct "did not rule out", "is no longer", "has never": no "negation added"."""
    assert_quiet("polarity", "fr", "en", src, tgt)


@pytest.mark.parametrize(("en", "fr"), [(t, s) for s, t in FR_RENDERED[:5]])
def test_french_elided_negation_in_the_translation_is_quiet(en, fr):
    """en -> fr: the negation "n'a pas exclu" renders "did not rule out" (no "negation dropped")."""
    assert_quiet("polarity", "en", "fr", en, fr)


def test_french_elided_negation_added_and_dropped_en_fr():
    assert_added("en", "fr", "The authorities confirmed the toll.",
                 "Les autorités n'ont pas confirmé le bilan.", "n'ont pas")
    assert_dropped("en", "fr", "The minister is no longer in favour of this reform.",
                   "Le ministre est favorable à cette réforme.", "no")


# --- German kein- --------------------------------------------------------------------------------------

DE_DROPPED = [
    ("Die Bank plant keine neuen Filialen.", "The bank plans new branches.", "keine"),
    ("Der Minister nannte keinen Grund für den Rücktritt.", "The minister gave a reason for his resignation.",
     "keinen"),
    ("Die Regierung hat keinerlei Pläne für eine Steuererhöhung.", "The government has plans for a tax rise.",
     "keinerlei"),
    ("Die Polizei meldete keine Verletzten.", "The police reported injuries.", "keine"),
]
DE_RENDERED = [
    ("Die Bank plant keine neuen Filialen.", "The bank plans no new branches."),
    ("Die Bank plant keine neuen Filialen.", "The bank does not plan any new branches."),
    ("Der Minister nannte keinen Grund für den Rücktritt.",
     "The minister gave no reason for his resignation."),
    ("Die Polizei meldete keine Verletzten.", "The police did not report any injuries."),
]


@pytest.mark.parametrize(("src", "tgt", "cue"), DE_DROPPED)
def test_german_kein_dropped(src, tgt, cue):
    assert_dropped("de", "en", src, tgt, cue)


@pytest.mark.parametrize(("src", "tgt"), DE_RENDERED)
def test_german_kein_rendered_is_quiet(src, tgt):
    assert_quiet("polarity", "de", "en", src, tgt)
    assert_quiet("untranslated", "de", "en", src, tgt)  # "The bank plans no new branches." is English


@pytest.mark.parametrize(("en", "de"), [(t, s) for s, t in DE_RENDERED])
def test_german_kein_in_the_translation_is_quiet(en, de):
    assert_quiet("polarity", "en", "de", en, de)


@pytest.mark.parametrize(("en", "de", "cue"), [
    ("The bank plans no new branches.", "Die Bank plant neue Filialen.", "no"),
    ("The bank does not plan any new branches.", "Die Bank plant neue Filialen.", "not"),
])
def test_german_kein_dropped_en_de(en, de, cue):
    assert_dropped("en", "de", en, de, cue)


@pytest.mark.parametrize(("en", "de", "cue"), [
    ("The bank plans new branches.", "Die Bank plant keine neuen Filialen.", "keine"),
    ("The minister gave a reason.", "Der Minister nannte keinen Grund.", "keinen"),
])
def test_german_kein_added_en_de(en, de, cue):
    assert_added("en", "de", en, de, cue)


# --- a short English sentence read as French -----------------------------------------------------------

SHORT_ENGLISH = [
    ("fr", "Le ministre n'est plus favorable à cette réforme.", "The minister is in favour of this reform."),
    ("fr", "Le ministre n'est plus favorable à cette réforme.",
     "The minister is no longer in favour of this reform."),
    ("de", "Die Bank plant keine neuen Filialen.", "The bank plans no new branches."),
    ("de", "Die Bank plant keine neuen Filialen.", "The bank plans new branches."),
]


@pytest.mark.parametrize(("sl", "src", "tgt"), SHORT_ENGLISH)
def test_short_english_sentence_is_not_left_untranslated(sl, src, tgt):
    assert_quiet("untranslated", sl, "en", src, tgt)


def test_short_english_sentence_gets_the_dropped_negation():
    src, tgt = SHORT_ENGLISH[0][1:]
    assert_dropped("fr", "en", src, tgt, "n'est plus")


@pytest.mark.parametrize(("sl", "tl", "src", "left"), [
    ("fr", "en", "Le ministre n'est plus favorable à cette réforme.",
     "Le ministre n'est plus favorable à cette réforme."),
    ("fr", "en", "Les forces du régime mènent une contre-attaque dans le sud.",
     "Les forces du régime mènent une contre-attaque dans le sud."),
    ("de", "en", "Die Bank plant keine neuen Filialen in der Stadt.",
     "Die Bank plant keine neuen Filialen in der Stadt."),
    ("en", "de", "The bank plans no new branches in the city.",
     "The bank plans no new branches in the city."),
    ("es", "en", "Las fuerzas del régimen lanzaron una contraofensiva en el sur del país.",
     "Las fuerzas del régimen lanzaron una contraofensiva en el sur del país."),
])
def test_sentence_left_in_the_source_language_is_still_found(sl, tl, src, left):
    ctx, found = _issues("untranslated", sl, tl, src, left)
    (issue,) = found
    assert (issue.check, issue.severity) == ("untranslated", "major")
    assert issue.message.startswith(f"segment left in the source language ({sl}")
    assert _span(ctx.target.text, issue.target_start, issue.target_end) == left


@pytest.mark.parametrize(("text", "lang", "rival", "agree"), [
    ("The minister is in favour of this reform.", "fr", "en", False),
    ("Le ministre est favorable à cette réforme.", "fr", "en", True),
    ("The bank plans no new branches.", "de", "en", False),
    ("Die Bank plant keine neuen Filialen.", "de", "en", True),
    ("Die Bank plant keine neuen Filialen.", "en", "de", False),
    # only the rival has word lists: a third of English function words is English
    ("The minister is in favour of this reform.", "pt", "en", False),
    ("O ministro já não apoia esta reforma.", "pt", "en", True),
    # only the language has word lists
    ("The minister is in favour of this reform.", "en", "pt", True),
    ("O ministro já não apoia esta reforma.", "en", "pt", False),
    # neither: nothing to go by
    ("Министр больше не поддерживает реформу.", "ru", "uk", True),
])
def test_words_agree(text, lang, rival, agree):
    assert words_agree(text, lang, rival) is agree


def test_pipeline_short_sentence_negation_not_untranslated(tmp_path, monkeypatch):
    """Through the product path (hash encoder): the dropped "n'est plus" is reported, and the English
    sentence is not called French."""
    fakes.install(monkeypatch)
    src, tgt = tmp_path / "src.fr.txt", tmp_path / "mt.en.txt"
    src.write_text("Le ministre n'est plus favorable à cette réforme.\n", encoding="utf-8")
    tgt.write_text("The minister is in favour of this reform.\n", encoding="utf-8")
    report = run(str(src), str(tgt), Options(profile="fast", scorers=["use-cosine"]))
    assert [i.check for i in report.issues if i.check == "untranslated"] == []
    (pol,) = [i for i in report.issues if i.check == "polarity"]
    assert pol.message.startswith('negation dropped: "n\'est plus"')
    assert pol.source_start == 12 and pol.source_end == 22
