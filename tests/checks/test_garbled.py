"""The garbled family: broken-off sentences, model artefacts, repeated phrases."""

from __future__ import annotations

import pytest

from tests.fakes import check_spans

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
    found = check_spans(check, src, tgt, lang)
    if expected is None:
        assert found == [], [i.message for i, _, _ in found]
        return
    severity, tspan, sspan = expected
    hits = [(i, t, s) for i, t, s in found if i.severity == severity]
    assert hits, [(i.severity, i.message) for i, _, _ in found]
    issue, t, s = hits[0]
    assert t == tspan, issue.message
    if sspan is not None:
        assert s == sspan, issue.message
    assert issue.source_start is not None or check == "garbled"
