"""CheckContext (mtqa.checks.context): the per-run memo, which ends the id()-keyed cache of
entities.lower_words (a freed text's id handed to a new text of the same length never returns the old
text's words), the target index, and the encoder the checks embed words with."""

from __future__ import annotations

import pytest

from mtqa.checks import CheckContext, run_check
from mtqa.checks.context import Same, memo_key
from mtqa.lang.entities import extract_mentions, lower_words
from mtqa.report import Segment
from tests import golden_cases as G
from tests.fakes import make_context

ALPHA = "alpha Betas " * 40
GAMMA = "gamma Delta " * 40  # as long as ALPHA, other words


def _text(base: str, k: int) -> str:
    """A new string object (one allocation, no interned constant)."""
    return base + str(k)


def test_lower_words_of_a_new_text_are_its_own_even_where_an_id_is_reused():
    for k in range(200):
        a = _text(ALPHA, k)
        assert lower_words(a) == {"alpha"}
        del a  # CPython hands the freed block (and so its id) to the next string of this size
        b = _text(GAMMA, k)
        assert lower_words(b) == {"gamma"}


def test_memo_computes_once_per_context_and_keys_texts_by_content():
    ctx = make_context(["Un chat dort."], ["A cat sleeps."], "fr")
    calls = []

    def words(text: str) -> set[str]:
        calls.append(text)
        return lower_words(text)

    a, b = _text(ALPHA, 1), _text(GAMMA, 1)
    assert ctx.memo(words, a) == {"alpha"}
    assert ctx.memo(words, "".join([a])) == {"alpha"}  # an equal text, another object: no new call
    assert ctx.memo(words, b) == {"gamma"}  # same length, other words: its own entry
    assert calls == [a, b]
    other = make_context(["Un chat dort."], ["A cat sleeps."], "fr")
    assert other.memo(words, a) == {"alpha"} and len(calls) == 3  # per context, not per process


def test_memo_keys_unhashable_values_by_identity_and_keeps_them_alive():
    ctx = make_context(["Angela Merkel parle."], ["Angela Merkel speaks."], "fr")
    key = memo_key(ctx.source)
    assert isinstance(key, Same) and key == memo_key(ctx.source) and key != memo_key(ctx.target)
    assert memo_key("text") == "text"
    first = ctx.mentions(ctx.source)
    again = ctx.mentions(ctx.source)
    assert first == again and first is not again  # a new list each call, one extraction
    assert [m.text for m in first] == [m.text for m in extract_mentions(ctx.source)] == ["Angela Merkel"]
    assert sum(1 for k in ctx.memos if k[0] is extract_mentions) == 1
    assert any(isinstance(part, Same) and part.value is ctx.source for k in ctx.memos for part in k)


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


class _RecordingEncoder:
    """Wraps an encoder and records the words the checks embed with it."""

    name = "recording"

    def __init__(self, inner):
        self.inner, self.seen = inner, []

    def encode(self, texts):
        self.seen += list(texts)
        return self.inner.encode(texts)

    def signature(self):
        return self.inner.signature()


@pytest.mark.models
def test_checks_embed_words_with_the_context_encoder():
    from mtqa.encoders import get_encoder

    src = ["Bataille clé", "Trêve violée"] + [f"Phrase numéro {k} du texte source." for k in range(6)]
    tgt = ["Battled key", "Truce violated"] + [f"Sentence number {k} of the source text." for k in range(6)]
    ctx = make_context(src, tgt, scores=[0.85, 0.24] + [0.96, 0.97, 0.95, 0.96, 0.98, 0.955])
    ctx.encoder = _RecordingEncoder(get_encoder("use-m3"))
    assert [i.target_paragraph for i in run_check("mistranslation", ctx)] == [1]
    assert "Battled" in ctx.encoder.seen and "Bataille" in ctx.encoder.seen
