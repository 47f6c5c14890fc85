"""Issue 29: a check's majors stay major only where their measured precision earns it, and model spans are
shown only from the confidence measured to beat chance (mtqa.precision, mtqa/data/flag-precision.json)."""

from __future__ import annotations

import json

import pytest

from mtqa import precision
from mtqa.renderers.location import issue_notes
from mtqa.report import Issue

TABLE = json.loads(precision.PRECISION_FILE.read_text(encoding="utf-8"))
FLOOR = precision.floor()


def below_floor(row: dict) -> bool:
    if row["flags"] < FLOOR.min_flags:  # few flags: only when even the 95% interval's top is under the floor
        return precision.wilson_upper(row["precision"], row["flags"]) < FLOOR.precision
    return row["precision"] < FLOOR.precision or row["precision"] < row["chance"] + FLOOR.over_chance


def test_the_data_file_holds_the_floor_and_the_measurements() -> None:
    assert (FLOOR.precision, FLOOR.over_chance, FLOOR.min_flags) == (0.8, 0.15, 10)  # the issue's floor
    assert {"en-de", "zh-en"} <= set(TABLE["rule_majors"])
    assert "newstest2020" in precision.measured_on()  # the estimate's training documents, not its dev set
    # German polarity majors on rated news were below chance: the reason the floor exists
    assert below_floor(TABLE["rule_majors"]["en-de"]["polarity"]["negation added"])
    assert TABLE["rule_majors"]["en-de"]["polarity"]["negation added"]["flags"] >= FLOOR.min_flags


def test_few_flags_decide_only_when_even_the_interval_is_under_the_floor() -> None:
    assert precision.wilson_upper(0.0, 7) < 0.8 < precision.wilson_upper(1.0, 3)
    assert precision.wilson_upper(0.5, 2) > 0.8  # one hit in two flags proves nothing either way
    assert 0.0 < precision.wilson_upper(0.0, 100) < 0.05


@pytest.mark.parametrize("pair", ["en-de", "zh-en"])
def test_every_measured_row_decides_its_checks_majors(pair: str) -> None:
    for check, kinds in TABLE["rule_majors"][pair].items():
        for kind, row in kinds.items():
            kept, why = precision.major_kept(check, kind, pair)
            assert kept == (not below_floor(row)), (check, kind, row)
            assert bool(why) == (not kept)
            if not kept:
                assert check in why and "in " + pair in why


@pytest.mark.parametrize(("message", "kind"), [
    ('negation dropped: "nicht" of the source has no negation in the translation', "negation dropped"),
    ("number changed: 10100 in the source, 10 in the translation", "number changed"),
    ("number 70 not in the source", "number not in the source"),
    ('"the "separation of three" said twice; the source says it once', "said twice"),
    ('entity replaced: "Damas" in the source, "Beirut" in its place', "entity replaced"),
    ("text with no source counterpart in its paragraph (10 words; aligned with ¶2)",
     "text with no source counterpart in its paragraph"),
    ("QE score 0.40 far below the document (z=-3.8); suspect words: schickt",
     "QE score far below the document"),
])
def test_a_findings_kind_is_its_messages_lead_phrase(message: str, kind: str) -> None:
    assert precision.kind_of(message) == kind


def _issue(check: str, severity: str = "major", origin: str = "rule", message: str = "x", **kw) -> Issue:
    return Issue("mistranslation", severity, message, 1, check=check, origin=origin, **kw)


ADDED = 'negation added: "nicht" in the translation, none in the source'
SWAPPED = 'entity replaced: "Damas" in the source, "Beirut" in its place'



def test_apply_floor_demotes_only_majors_measured_below_the_floor() -> None:
    issues = [
        _issue("polarity", message=ADDED),              # de: this kind measured below the floor
        _issue("polarity", "critical", message=ADDED),  # critical is not the floor's to change
        _issue("glossary"),                             # the user's own terms
        _issue("entity-split"),                         # never measured: its language knowledge decides
        _issue("polarity", "minor", message=ADDED),
    ]
    precision.apply_floor(issues, precision.pair_of("en-GB", "de-AT"))  # regional codes: their language
    assert [i.severity for i in issues] == ["minor", "critical", "major", "major", "minor"]
    assert issues[0].demoted and "polarity majors in en-de" in issues[0].demoted
    assert [i.demoted is None for i in issues] == [False, True, True, True, True]
    assert issues[0].to_json()["demoted"] == issues[0].demoted
    assert "demoted" not in issues[2].to_json()
    assert f"[{issues[0].demoted}]" in issue_notes(issues[0])  # the text and one-line reports say why
    kept = [_issue("untranslated"), _issue("entity-fidelity", message=SWAPPED)]
    precision.apply_floor(kept, "zh-en")  # never measured in zh-en; few flags, the interval reaches 80%
    assert [(i.severity, i.demoted) for i in kept] == [("major", None), ("major", None)]
    unmeasured = [_issue("polarity", message=ADDED)]
    precision.apply_floor(unmeasured, "fr-en")  # no rated data for the pair: the check's knowledge decides
    assert unmeasured[0].severity == "major"


@pytest.mark.parametrize(("pair", "why"), [("en-de", "hit a rated error"), ("zh-en", "no confidence"),
                                           ("ko-en", "never measured")])
def test_a_model_span_is_major_only_where_its_spans_reach_the_floor(pair: str, why: str) -> None:
    """The QE model's spans are flags too: major (confidence 0.8) only where the shown spans' measured
    precision reaches the floor; en-de's (0.54) does not, zh-en has no shown spans, ko-en was never rated."""
    spans = [_issue("e5-qe", origin="model", confidence=0.9), _issue("e5-qe", "minor", origin="model")]
    precision.apply_floor(spans, pair)
    assert [s.severity for s in spans] == ["minor", "minor"]
    assert spans[0].demoted and why in spans[0].demoted and spans[1].demoted is None
    rule = precision.span_rule("en-de")
    assert rule is not None and rule.precision < FLOOR.precision  # the data behind en-de's demotion


def test_model_spans_are_shown_from_the_measured_confidence_top_two_a_segment() -> None:
    rule = precision.span_rule("en-de")
    assert rule is not None and rule.precision >= rule.chance + FLOOR.over_chance
    t = rule.min_confidence
    confs = [t + 0.2, t + 0.1, t + 0.05, t - 0.05]  # one segment: the third is over t but over the cap too
    spans = [_issue("e5-qe", origin="model", segment=0, confidence=c) for c in confs]
    other = [_issue("e5-qe", origin="model", segment=1, confidence=t - 0.01)]
    rules = [_issue("polarity")]
    precision.mark_shown_spans(spans + other + rules, "en-de")
    assert [s.shown for s in spans] == [True, True, False, False]
    assert other[0].shown is False
    assert rules[0].shown is True
    assert spans[2].to_json()["shown"] is False and "shown" not in rules[0].to_json()
    # no measured confidence for the language: no span is shown, all stay in the JSON
    far = [_issue("e5-qe", origin="model", segment=0, confidence=0.99)]
    precision.mark_shown_spans(far, "ko-en")
    assert precision.span_rule("ko-en") is None and far[0].shown is False


def test_span_thresholds_meet_the_issues_density_target_on_the_data_they_were_set_on() -> None:
    for lang, row in TABLE["model_spans"]["by_pair"].items():
        if row["min_confidence"] is None:
            continue
        assert row["shown_per_10_segments"] <= 5, lang
        assert row["precision"] >= row["chance"] + FLOOR.over_chance, lang
    assert TABLE["model_spans"]["per_segment"] == precision.spans_per_segment() == 2


def test_checks_langs_lists_each_checks_measured_precision_and_what_the_floor_makes_of_it() -> None:
    from click.testing import CliRunner

    from mtqa.cli import cli

    out = CliRunner().invoke(cli, ["checks", "--langs"])
    assert out.exit_code == 0, out.output
    lines = {line.split(":")[0].strip(): line for line in out.output.splitlines() if line.startswith("    ")}
    de = TABLE["rule_majors"]["en-de"]["polarity"]["negation added"]
    assert (f"en-de {de['precision']:.0%} (chance {de['chance']:.0%}, {de['flags']} flags: minor)"
            in lines["negation added"])
    assert any(line.split() == ["glossary", "not", "measured"] for line in out.output.splitlines())
    rule = precision.span_rule("en-de")
    assert f"en-de: from {rule.min_confidence:.2f}" in out.output and "zh-en: none shown" in out.output


def test_an_unmeasured_pair_keeps_a_major_only_where_the_check_knows_both_languages() -> None:
    changed = "number changed: 300000 in the source, 3000 in the translation"
    known = [_issue("number-mismatch", message=changed)]
    precision.apply_floor(known, "ar-en")  # Arabic-Indic digits and ألف are read (mtqa.lang.numerals)
    assert known[0].severity == "major" and known[0].demoted is None
    unknown = [_issue("number-mismatch", message=changed)]
    precision.apply_floor(unknown, "sw-en")  # no Swahili scale words: elfu, milioni are not read
    assert unknown[0].severity == "minor"
    assert unknown[0].demoted == ("major reported as minor: number-mismatch has no numerals and scale words "
                                  "for sw (mtqa checks --langs)")
    other = [_issue("polarity", message=ADDED)]
    precision.apply_floor(other, "sw-en")  # a check that needs none of the listed knowledge
    assert other[0].severity == "major"
