"""The per-run memo of the checks (CheckContext.memo) and the end of the id()-keyed cache of
entities.lower_words: a freed text's id handed to a new text of the same length never returns the old
text's words."""

from __future__ import annotations

from mtqa.checks.context import Same, memo_key
from mtqa.lang.entities import extract_mentions, lower_words
from tests.fakes import sentence_context

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
    ctx = sentence_context(["Un chat dort."], ["A cat sleeps."], "fr")
    calls = []

    def words(text: str) -> set[str]:
        calls.append(text)
        return lower_words(text)

    a, b = _text(ALPHA, 1), _text(GAMMA, 1)
    assert ctx.memo(words, a) == {"alpha"}
    assert ctx.memo(words, "".join([a])) == {"alpha"}  # an equal text, another object: no new call
    assert ctx.memo(words, b) == {"gamma"}  # same length, other words: its own entry
    assert calls == [a, b]
    other = sentence_context(["Un chat dort."], ["A cat sleeps."], "fr")
    assert other.memo(words, a) == {"alpha"} and len(calls) == 3  # per context, not per process


def test_memo_keys_unhashable_values_by_identity_and_keeps_them_alive():
    ctx = sentence_context(["Angela Merkel parle."], ["Angela Merkel speaks."], "fr")
    key = memo_key(ctx.source)
    assert isinstance(key, Same) and key == memo_key(ctx.source) and key != memo_key(ctx.target)
    assert memo_key("text") == "text"
    first = ctx.mentions(ctx.source)
    again = ctx.mentions(ctx.source)
    assert first == again and first is not again  # a new list each call, one extraction
    assert [m.text for m in first] == [m.text for m in extract_mentions(ctx.source)] == ["Angela Merkel"]
    assert sum(1 for k in ctx.memos if k[0] is extract_mentions) == 1
    assert any(isinstance(part, Same) and part.value is ctx.source for k in ctx.memos for part in k)
