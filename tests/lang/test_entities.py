"""Entity mentions, acronyms and their definitions (mtqa.lang.entities)."""

from __future__ import annotations

from mtqa.document import Document, Sentence
from mtqa.lang.entities import acronym_definitions, extract_mentions, spells
from mtqa.lang.lexicon import fold


def _doc(text: str, lang: str) -> Document:
    doc = Document(text=text, lang=lang)
    doc.sentences = [Sentence(0, 1, 0, len(text), text)]
    return doc


def test_fold_and_spells():
    assert fold("Al-Qaïda's") == "al qaida"
    assert spells("OSDH", "Observatoire syrien des droits de l'homme".split(), "fr")
    assert spells("EZB", ["Europäische", "Zentralbank"], "de")
    assert not spells("OSDH", "Syrian Observatory for Human Rights".split(), "en")
    assert spells("SDF", "Syrian Democratic Forces".split(), "en")


def test_mentions_and_definitions():
    doc = _doc("According to the Syrian Observatory for Human Rights (OSDH), Rami Abdel Rahman spoke.", "en")
    texts = [m.text for m in extract_mentions(doc)]
    assert "Syrian Observatory for Human Rights" in texts and "OSDH" in texts and "Rami Abdel Rahman" in texts
    assert "According" not in texts
    (d,) = acronym_definitions(doc)
    assert d.acronym == "OSDH" and d.initials == "SOHR" and not d.matches


def test_sentence_initial_name_is_a_mention():
    doc = _doc("Roglitsch keeps the red jersey.", "en")
    assert [m.text for m in extract_mentions(doc)] == ["Roglitsch"]


def test_clause_initial_common_word_is_no_mention():
    text = ('The theme was "Rabies: Vaccinate to eliminate". Owners must vaccinate dogs. '
            "He wrote: Khashoggi died.")
    doc = Document(text=text, lang="en")
    for i, s in enumerate(text.split(". ")):
        start = text.index(s)
        doc.sentences.append(Sentence(i, 1, start, start + len(s), s))
    texts = [m.text for m in extract_mentions(doc)]
    # "Vaccinate" after a colon, written in lower case elsewhere, is a word; a name after a colon stays one
    assert "Vaccinate" not in texts and "Khashoggi" in texts and "Rabies" in texts
