"""The shortcuts that make the checks fast on long documents keep their results: outputs of public functions
on the cases of tests/golden_cases.py equal the golden files in tests/data/golden, made with the plain
implementations the shortcuts replaced. (The other equivalences of those shortcuts: tests/lang/test_langid.py,
tests/lang/test_lexicon.py, tests/checks/test_kit.py, tests/checks/test_context.py,
tests/test_entity_table.py.)"""

from __future__ import annotations

import json

import pytest

from tests import golden_cases as G


def _golden(name: str):
    return json.loads((G.GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", list(G.CASES))
def test_public_outputs_match_the_golden_files(case):
    """fold_text, tokens, months, written numbers and numerals of tricky strings and the test texts; the
    entity mentions of the test texts; the number-mismatch issues of 30 random segment pairs."""
    expected = _golden(case)
    got = G.normalised(G.CASES[case]())
    if case == "text_helpers":
        assert len(got["texts"]) == len(expected["texts"]) > 100
        for n, (g, e) in enumerate(zip(got["texts"], expected["texts"], strict=True)):
            assert g == e, n
    elif case == "mentions":
        assert sum(len(ms) for docs in expected.values() for ms in docs) > 500
        for lang in expected:
            assert got[lang] == expected[lang], lang
    else:
        kinds = {i["message"].split()[0] for trial in expected["trials"] for i in trial}
        assert {"number"} <= kinds  # every kind of finding is among the cases (months: date-mismatch)
        for n, (g, e) in enumerate(zip(got["trials"], expected["trials"], strict=True)):
            assert g == e, n
