"""The glossary family: a source term whose required rendering is absent from the aligned translation."""

from __future__ import annotations

from mtqa.checks import run_check
from tests.fakes import make_context


def test_glossary():
    g = [("cessez-le-feu", "ceasefire")]
    src = ["Le cessez-le-feu tient."]
    assert run_check("glossary", make_context(src, ["The ceasefire holds."], glossary=g)) == []
    (issue,) = run_check("glossary", make_context(src, ["The truce holds."], glossary=g))
    assert issue.type == "glossary" and issue.evidence[0] == "The truce holds."
