"""The names encoder's memo (mtqa.encoders.base.WordMemo): the same vectors as the encoder, each new text
encoded once, and a full memo started again without losing the texts of the call that filled it."""

from __future__ import annotations

import numpy as np

from mtqa.encoders.base import WordMemo


class Counting:
    name = "counting"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen += texts
        return np.array([[len(t), ord(t[0])] for t in texts], dtype=np.float32).reshape(-1, 2)

    def signature(self):
        return None


def test_each_text_is_encoded_once_with_the_encoders_vectors() -> None:
    inner = Counting()
    memo = WordMemo(inner)
    first = memo.encode(["Berlin", "sagte", "Berlin"])
    again = memo.encode(["sagte", "Paris"])
    assert inner.seen == ["Berlin", "sagte", "Paris"]
    assert np.array_equal(first, inner.encode(["Berlin", "sagte", "Berlin"]))
    assert np.array_equal(again, inner.encode(["sagte", "Paris"]))
    assert memo.encode([]).shape == (0, 2)


def test_a_full_memo_starts_again_with_the_whole_call() -> None:
    memo = WordMemo(Counting(), max_items=3)
    memo.encode(["a1", "b22", "c333"])
    out = memo.encode(["a1", "d4444"])  # one new text overflows: "a1" must survive the clearing
    assert out[:, 0].tolist() == [2, 5]
