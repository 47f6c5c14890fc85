"""JUnit XML: a testsuite per document holding one testcase per check and one for the gate.

A check's testcase fails when the check raised a major or critical issue that is not accepted (waived or
in the baseline; those and its minor issues go to the testcase's output); the gate's testcase fails when
the document fails its thresholds (`mtqa check`) or its verdict is `fail` (`mtqa score`), and is an error
when the document could not be read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from mtqa.gate import FAILING_SEVERITIES, DocResult, accepted
from mtqa.renderers.base import Renderer
from mtqa.renderers.location import issue_line
from mtqa.report import Issue

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
GATE_CASE = "gate"


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("\ufffd", text)


def issue_lines(res: DocResult, issues: list[Issue] | None = None) -> list[str]:
    """One line per issue ('FILE:LINE:COL: severity type: message [source ...]'); all issues by default."""
    report = res.report
    if report is None:
        return []
    chosen = report.issues if issues is None else issues
    return [issue_line(report, issue, res.translation, res.source) for issue in chosen]


def check_names(res: DocResult) -> list[str]:
    """The checks of a document: those that ran, then any other that raised an issue, in order."""
    if res.report is None:
        return []
    names = list(res.report.checks)
    for issue in res.report.issues:
        name = issue.check or issue.type
        if name not in names:
            names.append(name)
    return names


def _case(suite: ET.Element, res: DocResult, name: str, seconds: float = 0.0) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=_clean(res.translation), name=_clean(name),
                         file=_clean(res.translation), time=f"{seconds:.3f}")


def _check_case(suite: ET.Element, res: DocResult, name: str) -> bool:
    """The testcase of one check; True when it fails."""
    report = res.report
    assert report is not None
    raised = [i for i in report.issues if (i.check or i.type) == name]
    failing = [i for i in raised if i.severity in FAILING_SEVERITIES and not accepted(i)]
    case = _case(suite, res, name)
    if failing:
        counts = ", ".join(f"{sum(1 for i in failing if i.severity == s)} {s}" for s in FAILING_SEVERITIES
                           if any(i.severity == s for i in failing))
        fail = ET.SubElement(case, "failure", message=_clean(f"{name}: {counts}"),
                             type=_clean(failing[0].type))
        fail.text = _clean("\n".join(issue_lines(res, failing)))
    others = [i for i in raised if i not in failing]  # minor or accepted (waived, in the baseline)
    if others:
        ET.SubElement(case, "system-out").text = _clean("\n".join(issue_lines(res, others)))
    return bool(failing)


def _gate_case(suite: ET.Element, res: DocResult) -> None:
    seconds = res.report.timing.get("total", 0.0) if res.report else 0.0
    case = _case(suite, res, GATE_CASE, seconds)
    if res.error:
        err = ET.SubElement(case, "error", message=_clean(res.error), type="input")
        err.text = _clean(res.error)
    elif not res.passed:
        fail = ET.SubElement(case, "failure", message=_clean("; ".join(res.reasons) or "failed"),
                             type="translation-quality")
        fail.text = _clean("\n".join(res.reasons + issue_lines(res)))
    if res.report is not None:
        rep = res.report
        summary = f"score {rep.score:.4f} verdict {rep.verdict} source {res.source}"
        ET.SubElement(case, "system-out").text = _clean("\n".join([summary, *issue_lines(res)]))


def render_junit(results: list[DocResult], name: str = "mtqa") -> str:
    suites = ET.Element("testsuites", name=name)
    totals = {"tests": 0, "failures": 0, "errors": 0}
    total_time = 0.0
    for res in results:
        seconds = res.report.timing.get("total", 0.0) if res.report else 0.0
        total_time += seconds
        suite = ET.SubElement(suites, "testsuite", name=_clean(res.translation))
        failures = sum(_check_case(suite, res, check) for check in check_names(res))
        _gate_case(suite, res)
        failures += res.status == "fail"
        counts = {"tests": len(suite), "failures": failures, "errors": int(res.status == "error")}
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("skipped", "0")
        suite.set("time", f"{seconds:.3f}")
    for key, value in totals.items():
        suites.set(key, str(value))
    suites.set("time", f"{total_time:.3f}")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _render(results: Sequence[DocResult], *, color: bool | None = None) -> str:
    return render_junit(list(results))


RENDERER = Renderer(
    "junit", _render, False, "JUnit XML: a testcase per check and one for the gate, per document"
)
