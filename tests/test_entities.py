from mtqa.document import Document, Sentence
from mtqa.glossary import read_glossary
from mtqa.lang.entities import acronym_definitions, extract_mentions, spells
from mtqa.lang.lexicon import fold
from mtqa.lang.numbers import find_months, find_numbers, parse_number


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


def test_numbers_locale():
    assert parse_number("1 200", "fr") == 1200 and parse_number("1,200", "en") == 1200
    assert parse_number("1.200", "de") == 1200 and parse_number("2,5", "fr") == 2.5
    assert parse_number("1.234,5", "de") == 1234.5
    assert [n.value for n in find_numbers("le 1er décembre, 70 % et 400 000 personnes", "fr")] == [
        1,
        70,
        400000,
    ]
    assert [n.value for n in find_numbers("on December 1, 70% and 400,000 people", "en")] == [1, 70, 400000]
    assert find_months("le 1er décembre", "fr")[0][0] == 12


def test_glossary_csv_and_errors(tmp_path):
    import pytest

    from mtqa.errors import MtqaError

    ok = tmp_path / "g.csv"
    ok.write_text("source,target\nLeitzins,key interest rate\n")
    assert read_glossary(ok) == [("Leitzins", "key interest rate")]
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target\nLeitzins\n")
    with pytest.raises(MtqaError, match="line 2"):
        read_glossary(bad)
    nohead = tmp_path / "nohead.csv"
    nohead.write_text("a,b\n")
    with pytest.raises(MtqaError, match="line 1, column 1"):
        read_glossary(nohead)
    tbx = tmp_path / "g.tbx"
    tbx.write_text(
        '<?xml version="1.0"?><martif><text><body><termEntry>'
        '<langSet xml:lang="de"><tig><term>Leitzins</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>key interest rate</term></tig></langSet>'
        "</termEntry></body></text></martif>"
    )
    assert read_glossary(tbx) == [("Leitzins", "key interest rate")]
    broken = tmp_path / "b.tbx"
    broken.write_text("<martif>\n<termEntry>\n</martif>")
    with pytest.raises(MtqaError, match="line 3, column"):
        read_glossary(broken)


def test_phonetic_name_keys():
    from mtqa.lang.lexicon import phonetic, similarity

    assert phonetic("Roglič") == phonetic("Roglitsch") == "roglic"
    assert phonetic("Rahmane") == phonetic("Rahman")
    assert phonetic("Syria") != phonetic("Syrian") and phonetic("Hama") != phonetic("Homs")
    assert similarity("Roglič", "Roglitsch") >= 90 and similarity("Hama", "Homs") < 75


def test_sentence_initial_name_is_a_mention():
    doc = _doc("Roglitsch keeps the red jersey.", "en")
    assert [m.text for m in extract_mentions(doc)] == ["Roglitsch"]
