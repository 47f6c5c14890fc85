from __future__ import annotations

import pytest

from mtqa.document import decode, split_lines, split_paragraphs
from mtqa.errors import MtqaError
from mtqa.sentences import split_sentences_in


def test_paragraphs_split_at_blank_lines_with_offsets():
    text = "First para line one.\nline two.\n\n\n  Second para.  \n \nThird.\n"
    paras = split_paragraphs(text)
    assert [p.index for p in paras] == [1, 2, 3]
    assert [p.text for p in paras] == ["First para line one.\nline two.", "Second para.", "Third."]
    for p in paras:
        assert text[p.start : p.end] == p.text


def test_crlf_and_cr_paragraphs():
    text = "Un.\r\n\r\nDeux.\r\rTrois."
    paras = split_paragraphs(text)
    assert [p.text for p in paras] == ["Un.", "Deux.", "Trois."]
    assert all(text[p.start : p.end] == p.text for p in paras)


def test_split_lines_keeps_empty_lines_as_paragraphs():
    text = "a\n\nb\n"
    paras = split_lines(text)
    assert [p.text for p in paras] == ["a", "", "b"]
    assert text[paras[2].start : paras[2].end] == "b"


def test_decode_bom_and_refusals():
    assert decode("\ufeffhé".encode(), "f") == "hé"
    assert decode("hé".encode("utf-16"), "f") == "hé"
    with pytest.raises(MtqaError, match="not valid UTF-8"):
        decode("hé".encode("latin-1"), "f")
    with pytest.raises(MtqaError, match="binary"):
        decode(b"\x00\x01\x02abc", "f")


@pytest.mark.parametrize(
    "lang,text,count",
    [
        ("en", "Mr. Smith arrived at 3 p.m. on Monday. He left early! Did he?", 3),
        ("fr", "M. Dupont est arrivé. Il est reparti tôt ! Pourquoi ?", 3),
        ("de", "Dr. Müller kam am 3. Oktober an. Er ging früh.", 2),
        ("es", "¿Dónde está? Está en casa. Bien.", 3),
        ("zh", "你好。我很好！谢谢。", 3),
        ("ja", "こんにちは。元気です。", 2),
        ("ru", "Привет. Как дела? Хорошо.", 3),
        ("ar", "مرحبا. كيف حالك؟ بخير.", 3),
    ],
)
def test_sentence_splitting_per_language(lang, text, count):
    spans = split_sentences_in(text, lang)
    assert len(spans) == count
    assert all(text[s:e].strip() == text[s:e] and text[s:e] for s, e in spans)
