"""The grammar_en family (grammar-en): cheap agreement and morphology rules on an English translation."""

from __future__ import annotations

from mtqa.checks import run_check
from tests.fakes import make_context


def test_fluency_rules_english():
    from mtqa.checks.families.grammar_en import rule_hits

    def hits(text):
        return [text[s:e] for s, e, _ in rule_hits(text)]

    assert hits("Thousand of fans waited.") == ["Thousand of"]
    assert hits("A thousand of them waited; thousands of fans, two thousand of them.") == []
    assert hits("It will cost about 12 million euros.") == []
    assert hits("It will costed around 12 millions of euros.") == ["12 millions", "will costed"]
    assert hits("They will need help and could succeed; the will expired.") == []
    assert hits("It could not went") == ["could not went"]
    assert hits("The regime has chained the last two years victories.") == ["the last two years victories"]
    assert hits("In the last two years prices rose. Over the past two years was hard.") == []
    # the check: English targets only, offsets slice the evidence
    ctx = make_context(["Des milliers de fans attendaient."], ["Thousand of fans waited."])
    (issue,) = run_check("grammar-en", ctx)
    assert issue.type == "fluency" and issue.severity == "minor"
    assert ctx.target.text[issue.target_start : issue.target_end] == issue.evidence[0] == "Thousand of"
    french = make_context(["Thousand of fans waited."], ["Thousand of fans waited."], "en", "fr")
    assert run_check("grammar-en", french) == []
