"""Recall gaps of issue 29 (What to build, item 5), closed with the guards that stay quiet.

Each case is one sentence pair on a hand-built context (tests/fakes.sentence_context): the check it is
about, and the finding expected (its severity, message start and the offsets of its spans) or none.

* French negation with an elided ne ("n'ont pas", "n'est plus", "n'a jamais"), both directions;
* German "kein-" dropped or added, de -> en and en -> de;
* a short English sentence that language identification takes for French (or German);
* a person's name spelled one letter off in a same-script pair (Dupont -> Dupond), while the names German
  respells from another script (Selenskyj, Nawalny) and a pronoun for a repeated name stay quiet;
* keeping against changing ("mantuvo los precios" -> "raised prices") as a reversal, like rise / fall.
"""

from __future__ import annotations

import pytest

from mtqa.checks import run_check
from mtqa.lang.langid import words_agree
from mtqa.pipeline import Options, run
from tests.fakes import HashEncoder, install, sentence_context


def _context(src: list[str], tgt: list[str], sl: str, tl: str):
    """The check context of sentence pairs, with the hash encoder for words and names: the findings here
    come from rules, no model is loaded."""
    ctx = sentence_context(src, tgt, sl, tl)
    ctx.encoder = ctx.name_encoder = HashEncoder()
    return ctx


def _issues(check: str, sl: str, tl: str, src: str, tgt: str):
    ctx = _context([src], [tgt], sl, tl)
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
    install(monkeypatch)
    src, tgt = tmp_path / "src.fr.txt", tmp_path / "mt.en.txt"
    src.write_text("Le ministre n'est plus favorable à cette réforme.\n", encoding="utf-8")
    tgt.write_text("The minister is in favour of this reform.\n", encoding="utf-8")
    report = run(str(src), str(tgt), Options(profile="fast", scorers=["use-cosine"]))
    assert [i.check for i in report.issues if i.check == "untranslated"] == []
    (pol,) = [i for i in report.issues if i.check == "polarity"]
    assert pol.message.startswith('negation dropped: "n\'est plus"')
    assert pol.source_start == 12 and pol.source_end == 22


# --- a person's name one letter off ---------------------------------------------------------------------

# (source language, target language, source, translation, the source's name, its spelling in the translation)
NAME_ALTERED = [
    ("fr", "en", "Selon Jean Dupont, la réforme est prête.", "According to Jean Dupond, the reform is ready.",
     "Jean Dupont", "Dupond"),
    ("fr", "en", "M. Dupont a démissionné mardi.", "Mr Dupond resigned on Tuesday.", "Dupont", "Dupond"),
    ("fr", "en", "Selon le ministre Dupont, tout va bien.", "According to Minister Dupond, all is well.",
     "Dupont", "Dupond"),
    # the letters German writes for names from another script tell names apart between other languages
    ("fr", "en", "Selon Anna Jansen, la réforme est prête.", "According to Anna Yansen, the reform is ready.",
     "Anna Jansen", "Yansen"),
    ("es", "en", "Según Piotr Kowalski, la reforma está lista.",
     "According to Piotr Kovalski, the reform is ready.", "Piotr Kowalski", "Kovalski"),
    ("pt", "en", "A reforma está pronta, segundo Anna Jansen.",
     "The reform is ready, according to Anna Yansen.", "Anna Jansen", "Yansen"),
    ("it", "en", "La riforma è pronta, secondo Jean Dupont.",
     "The reform is ready, according to Jean Dupond.", "Jean Dupont", "Dupond"),
    ("en", "fr", "According to Jean Dupont, the reform is ready.", "Selon Jean Dupond, la réforme est prête.",
     "Jean Dupont", "Dupond"),
    ("en", "es", "According to Piotr Kowalski, the reform is ready.",
     "Según Piotr Kovalski, la reforma está lista.", "Piotr Kowalski", "Kovalski"),
    # and in German: it writes w for a v, j for a y, not the reverse
    ("en", "de", "According to Piotr Kowalski, the reform is ready.",
     "Laut Piotr Kovalski ist die Reform fertig.", "Piotr Kowalski", "Kovalski"),
    ("en", "de", "According to Anna Jansen, the reform is ready.", "Laut Anna Yansen ist die Reform fertig.",
     "Anna Jansen", "Yansen"),
    ("en", "de", "According to Jean Dupont, the reform is ready.", "Laut Jean Dupond ist die Reform fertig.",
     "Jean Dupont", "Dupond"),
    ("en", "de", "That is what my research with Carmen Reinhart suggests.",
     "Das legen meine Forschungen mit Carmen Reinhard nahe.", "Carmen Reinhart", "Reinhard"),
]
# transliterations: German respells names from Russian, Ukrainian, Arabic or Hebrew; French and English
# transliterate Arabic names each their own way
NAME_RESPELT = [
    ("en", "de", "President Zelensky met the press.", "Präsident Selenskyj traf die Presse."),
    ("de", "en", "Präsident Selenskyj traf die Presse.", "President Zelensky met the press."),
    ("en", "de", "Now came Alexei Navalny.", "Jetzt kam Alexei Nawalny."),
    ("en", "de", "The wife of Olena Zelenska spoke.", "Die Frau von Olena Selenska sprach."),
    ("en", "de", "Now came Benjamin Netanyahu.", "Jetzt kam Benjamin Netanjahu."),
    ("en", "de", "Now came Boris Yeltsin.", "Jetzt kam Boris Jelzin."),
    ("en", "de", "Now came Mikhail Khodorkovsky.", "Jetzt kam Mikhail Chodorkowski."),
    ("en", "de", "Now came Yevgeny Prigozhin.", "Jetzt kam Yevgeny Prigoschin."),
    ("en", "de", "His successor, Gurbanguly Berdymukhammedov, stayed.",
     "Sein Nachfolger, Gurbanguly Berdimuhammedow, blieb."),
    ("en", "de", "The call of Ayatollah Ali Khamenei came.", "Der Ruf von Ajatollah Ali Chamenei kam."),
    ("fr", "en", "Selon Rami Abdel Rahmane, les combats continuent.",
     "According to Rami Abdel Rahman, the fighting continues."),
    ("fr", "en", "Le groupe Hayat Tahrir al-Cham domine.", "The Hayat Tahrir al-Sham group dominates."),
    ("fr", "en", "Selon Piotr Tchaïkovski, tout va bien.", "According to Piotr Tchaikovsky, all is well."),
    # a case ending is no other spelling (German genitive, Russian cases)
    ("en", "de", "This is the plan of Angela Merkel.", "Das ist der Plan von Angela Merkels Regierung."),
    ("en", "ru", "This is the plan of Angela Merkel.", "Это план Ангелы Меркель."),
    # a pope's or a monarch's name is translated, not spelled
    ("fr", "en", "Selon le pape François, la paix est possible.",
     "According to Pope Francis, peace is possible."),
    ("it", "en", "Secondo papa Francesco, la pace è possibile.",
     "According to Pope Francis, peace is possible."),
]


@pytest.mark.parametrize(("sl", "tl", "src", "tgt", "name", "shown"), NAME_ALTERED)
def test_name_spelled_one_letter_off(sl, tl, src, tgt, name, shown):
    ctx, found = _issues("entity-fidelity", sl, tl, src, tgt)
    assert [(i.check, i.severity) for i in found] == [("entity-fidelity", "major")], found
    (issue,) = found
    assert issue.message == f'name altered: "{name}" spelled "{shown}" in the translation'
    assert (issue.target_start, issue.target_end) == (tgt.index(shown), tgt.index(shown) + len(shown))
    assert (issue.source_start, issue.source_end) == (src.index(name), src.index(name) + len(name))
    assert issue.evidence[:2] == [shown, name]


@pytest.mark.parametrize(("sl", "tl", "src", "tgt"), NAME_RESPELT)
def test_name_respelt_or_transliterated_is_quiet(sl, tl, src, tgt):
    _, found = _issues("entity-fidelity", sl, tl, src, tgt)
    assert [i.message for i in found if "altered" in i.message] == []


@pytest.mark.parametrize(("sl", "tl", "src", "tgt"), [
    ("fr", "en", ["Selon Jean Dupont, la réforme est prête.", "Pour Dupont, elle sera votée en mai."],
     ["According to Jean Dupont, the reform is ready.", "For him, it will be voted on in May."]),
    ("de", "en", ["Laut Jean Dupont ist die Reform fertig.", "Nach Dupont wird sie im Mai verabschiedet."],
     ["According to Jean Dupont, the reform is ready.", "He said it would be passed in May."]),
    ("en", "de", ["According to Piotr Kowalski, the reform is ready.", "Kowalski added that it would pass."],
     ["Laut Piotr Kowalski ist die Reform fertig.", "Er fügte hinzu, sie werde verabschiedet."]),
])
def test_pronoun_for_a_repeated_name_is_quiet(sl, tl, src, tgt):
    ctx = _context(src, tgt, sl, tl)
    for check in ("entity-fidelity", "entity-inconsistency"):
        assert [i.message for i in run_check(check, ctx)] == []


# --- keeping against changing --------------------------------------------------------------------------

# (source language, target language, source, translation, the source's cue, the translation's cue, what
# the source says, what the translation says)
KEEP_REVERSED = [
    ("es", "en", "La empresa mantuvo los precios.", "The company raised prices.", "mantuvo", "raised",
     "no change", "increase"),
    ("es", "en", "La empresa mantuvo los precios.", "The company cut prices.", "mantuvo", "cut",
     "no change", "decrease"),
    ("pt", "en", "O banco central manteve a taxa de juros.", "The central bank raised the interest rate.",
     "manteve", "raised", "no change", "increase"),
    ("fr", "en", "La banque centrale a maintenu ses taux.", "The central bank lowered its rates.",
     "maintenu", "lowered", "no change", "decrease"),
    ("de", "en", "Die Zentralbank hat die Zinsen beibehalten.", "The central bank increased interest rates.",
     "beibehalten", "increased", "no change", "increase"),
    ("zh", "en", "央行维持利率。", "The central bank raised interest rates.", "维持", "raised",
     "no change", "increase"),
    ("ru", "en", "Центробанк сохранил ключевую ставку.", "The central bank cut its key rate.", "сохранил",
     "cut", "no change", "decrease"),
    ("en", "de", "The central bank kept interest rates unchanged.", "Die Zentralbank erhöhte die Zinsen.",
     "kept interest rates unchanged", "erhöhte", "no change", "increase"),
    ("en", "es", "The company maintained prices.", "La empresa subió los precios.", "maintained prices",
     "subió", "no change", "increase"),
    ("en", "pt", "The bank held interest rates at 2%.", "O banco reduziu as taxas de juros para 2%.",
     "held interest rates", "reduziu", "no change", "decrease"),
    # and the other way round
    ("es", "en", "Los precios subieron.", "Prices remained unchanged.", "subieron", "remained unchanged",
     "increase", "no change"),
    ("en", "de", "The central bank raised interest rates.", "Die Zentralbank behielt die Zinsen bei.",
     "raised", "behielt die Zinsen bei", "increase", "no change"),
]
KEEP_RENDERED = [
    ("es", "en", "La empresa mantuvo los precios.", "The company kept prices unchanged."),
    ("es", "en", "La empresa mantuvo los precios.", "The company held prices."),
    ("es", "en", "La empresa mantuvo los precios.", "The company kept its prices."),
    ("pt", "en", "O banco central manteve a taxa de juros.",
     "The central bank kept the interest rate unchanged."),
    ("fr", "en", "La banque centrale a maintenu ses taux.", "The central bank held its rates."),
    ("de", "en", "Die Zentralbank behielt die Zinsen bei.",
     "The central bank kept interest rates unchanged."),
    ("zh", "en", "央行维持利率不变。", "The central bank kept interest rates unchanged."),
    ("ru", "en", "Центробанк сохранил ключевую ставку без изменений.",
     "The central bank kept its key rate unchanged."),
    ("en", "de", "The central bank kept interest rates unchanged.",
     "Die Zentralbank ließ die Zinsen unverändert."),
    ("en", "es", "The company maintained prices.", "La empresa mantuvo los precios."),
    # keeping words in other senses
    ("en", "fr", "The committee maintained that prices rose.",
     "Le comité a soutenu que les prix ont augmenté."),
    ("fr", "en", "Il faut maintenant augmenter les prix.", "Prices must now be raised."),
    ("en", "de", "Sanctions, Trump has long maintained, would force Iran to negotiate.",
     "Sanktionen, so behauptet Trump seit langem, würden den Iran zum Verhandeln zwingen."),
    ("en", "de", "The plan helps maintain security as tensions grow.",
     "Der Plan hilft, die Sicherheit zu wahren, während die Spannungen wachsen."),
    ("en", "de", "Networks cut across national borders.", "Netzwerke überschreiten nationale Grenzen."),
]


@pytest.mark.parametrize(("sl", "tl", "src", "tgt", "s_cue", "t_cue", "said", "says"), KEEP_REVERSED)
def test_keeping_changed_is_a_reversal(sl, tl, src, tgt, s_cue, t_cue, said, says):
    ctx, found = _issues("polarity", sl, tl, src, tgt)
    assert [(i.check, i.severity) for i in found] == [("polarity", "major")], found
    (issue,) = found
    assert issue.message == (f'meaning reversed: the source says {said} ("{s_cue}"), '
                             f'the translation {says} ("{t_cue}")')
    assert (issue.source_start, issue.source_end) == (src.index(s_cue), src.index(s_cue) + len(s_cue))
    assert (issue.target_start, issue.target_end) == (tgt.index(t_cue), tgt.index(t_cue) + len(t_cue))


@pytest.mark.parametrize(("sl", "tl", "src", "tgt"), KEEP_RENDERED)
def test_keeping_rendered_is_quiet(sl, tl, src, tgt):
    assert_quiet("polarity", sl, tl, src, tgt)
