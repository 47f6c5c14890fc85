"""The garbled family: broken-off sentences, model artefacts, repeated phrases."""

from __future__ import annotations

import pytest

from tests.fakes import assert_pass_fail

# issue 14's pass / fail pairs of this family: (check, source language, source, translation, expected):
# expected None = no issue of that check; else (severity, text of the target span, text of the
# source span or None)
CASES = [
    # --- garbled ------------------------------------------------------------------------------------------
    (
        "garbled",
        "pt",
        "Com um capital inicial de apenas 100 mil milhões de dólares, é demasiado pequeno.",
        "With initial capital of just $<extra_id_0> billion, it is too small.",
        ("major", "<extra_id_0>", None),
    ),
    (
        "garbled",
        "pt",
        "Não há dúvidas de que a China atravessa uma fase difícil.",
        "There is now little doubt that there is now little doubt that China is going through a hard phase.",
        ("major", "there is now little", None),
    ),
    (
        "garbled",
        "pt",
        "Não há dúvidas de que a China atravessa uma fase difícil.",
        "There is no doubt that China is going through a difficult phase.",
        None,
    ),
]


@pytest.mark.parametrize(("check", "lang", "src", "tgt", "expected"), CASES)
def test_pass_fail_pair(check, lang, src, tgt, expected):
    assert_pass_fail(check, lang, src, tgt, expected)
