"""Verdict policy, document results and the `mtqa check` gate, each defined once.

The pipeline takes the verdict of a report from here; the renderers take the score bands and the
document results from here; `mtqa check` evaluates its configured thresholds here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mtqa.config import Thresholds
from mtqa.report import Issue, Report

#: segment and document scores are calibrated P(better than an average MT): clean documents score ~0.7
PASS_THRESHOLD = 0.6
FAIL_THRESHOLD = 0.4
#: the severities that by themselves make a document fail or warn
FAIL_SEVERITY = "critical"
WARN_SEVERITY = "major"
#: the severities that make a check's JUnit testcase fail
FAILING_SEVERITIES = ("critical", "major")


def score_band(score: float, pass_threshold: float = PASS_THRESHOLD,
               fail_threshold: float = FAIL_THRESHOLD) -> str:
    """"pass", "warn" or "fail" for a score alone (renderers colour segment scores with it)."""
    if score < fail_threshold:
        return "fail"
    if score < pass_threshold:
        return "warn"
    return "pass"


def counts_for_gate(issue: Issue) -> bool:
    """Whether an issue weighs in the verdict, the MQM penalty and `mtqa check` thresholds: rule issues do;
    a learned scorer's error spans (origin "model") are advisory, their evidence already in the segment
    scores."""
    return issue.origin == "rule"


def verdict_for(score: float, issues: Iterable[Issue], pass_threshold: float = PASS_THRESHOLD,
                fail_threshold: float = FAIL_THRESHOLD) -> str:
    """`fail` below fail_threshold or with a critical issue, `warn` below pass_threshold or with a major
    issue, else `pass` (advisory model spans aside)."""
    severities = {i.severity for i in issues if counts_for_gate(i)}
    band = score_band(score, pass_threshold, fail_threshold)
    if band == "fail" or FAIL_SEVERITY in severities:
        return "fail"
    if band == "warn" or WARN_SEVERITY in severities:
        return "warn"
    return "pass"


@dataclass
class DocResult:
    """One document of a run: its report (None when it could not be scored) and its gate result."""

    source: str | None
    translation: str
    report: Report | None
    passed: bool
    reasons: list[str] = field(default_factory=list)
    error: str | None = None
    #: issues that by themselves make the document fail (index into report.issues)
    failing_issues: set[int] = field(default_factory=set)
    #: what to show instead of pass/fail (a single `mtqa score` report shows its pass/warn/fail verdict)
    label: str | None = None

    @property
    def status(self) -> str:
        return "error" if self.error else "pass" if self.passed else "fail"

    @property
    def shown_status(self) -> str:
        return self.label or self.status


def verdict_result(report: Report) -> DocResult:
    """The result of one `mtqa score` report: it fails when its verdict is `fail`."""
    failed = report.verdict == "fail"
    reasons = [f"verdict fail (score {report.score:.3f})"] if failed else []
    failing = {k for k, i in enumerate(report.issues) if i.severity == FAIL_SEVERITY}
    return DocResult(report.source.path, report.translation.path or "<stdin>", report, not failed, reasons,
                     failing_issues=failing, label=report.verdict)


def evaluate(report: Report, thresholds: Thresholds) -> tuple[bool, list[str], set[int]]:
    """(passed, reasons, indices of the issues that make it fail) against the configured thresholds."""
    reasons: list[str] = []
    failing: set[int] = set()
    if report.score < thresholds.min_score:
        reasons.append(f"score {report.score:.3f} < min_score {thresholds.min_score:g}")
    rule = {k for k, i in enumerate(report.issues) if counts_for_gate(i)}
    for sev, limit in thresholds.max_issues.items():
        idx = [k for k, i in enumerate(report.issues) if i.severity == sev and k in rule]
        if len(idx) > limit:
            reasons.append(f"{len(idx)} {sev} issue{'s' if len(idx) != 1 else ''} > max {limit}")
            failing.update(idx)
    for issue_type in thresholds.fail_on:
        idx = [k for k, i in enumerate(report.issues) if i.type == issue_type and k in rule]
        if idx:
            reasons.append(f"{issue_type} always fails ({len(idx)})")
            failing.update(idx)
    return not reasons, reasons, failing


def gate_result(source: str | None, translation: str, report: Report, thresholds: Thresholds) -> DocResult:
    """The result of one `mtqa check` document against its thresholds."""
    passed, reasons, failing = evaluate(report, thresholds)
    return DocResult(source, translation, report, passed, reasons, failing_issues=failing)
