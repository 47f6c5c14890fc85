"""Verdict policy, document results and the `mtqa check` gate, each defined once.

The pipeline takes the verdict of a report from here; the renderers take the score bands and the
document results from here; `mtqa check` evaluates its configured thresholds here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mtqa.baseline import Baseline, BaselineCounts
from mtqa.config import FAIL_MQM, PASS_MQM, Thresholds
from mtqa.errors import MtqaError
from mtqa.report import ISSUE_TYPES, Issue, Report
from mtqa.waivers import Waiver

#: segment scores are calibrated P(better than an average MT): clean translations score ~0.7; these bands
#: colour segment scores in the reports
PASS_THRESHOLD = 0.6
FAIL_THRESHOLD = 0.4
# The document verdict's MQM cut-scores (PASS_MQM, FAIL_MQM, defined with the configuration's defaults),
# as MQM scorecards use them, on the estimated MQM penalty per 100 source words (mtqa.estimate): `pass` at
# or under PASS_MQM (publishable), `fail` above FAIL_MQM (reject), `warn` between.
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


def accepted(issue: Issue) -> bool:
    """Whether a finding has been accepted: a waiver covers it, or it is in the baseline."""
    return issue.waived is not None or issue.baseline == "unchanged"


def counts_toward_thresholds(issue: Issue) -> bool:
    """Whether an issue counts toward the `mtqa check` thresholds: a rule issue that is not accepted (the
    score and verdict still weigh it)."""
    return counts_for_gate(issue) and not accepted(issue)


def major_warns(issue: Issue) -> bool:
    """Whether an issue makes the verdict at least `warn` on its own: a major rule issue. (The precision
    floor, mtqa.precision, has already reported as minor the majors of checks not precise enough.)"""
    return issue.severity == WARN_SEVERITY and counts_for_gate(issue)


def verdict_for(mqm: float, issues: Iterable[Issue], pass_mqm: float = PASS_MQM, fail_mqm: float = FAIL_MQM,
                critical_fails: bool = True) -> str:
    """`fail` when the estimated MQM per 100 source words is above `fail_mqm` (or, with `critical_fails`,
    a rule issue is critical), `warn` above `pass_mqm` or with a major rule issue, else `pass`. A learned
    scorer's spans are advisory; they weigh in through the estimate."""
    issues = list(issues)
    if mqm > fail_mqm or (critical_fails and any(i.severity == FAIL_SEVERITY for i in issues
                                                 if counts_for_gate(i))):
        return "fail"
    if mqm > pass_mqm or any(major_warns(i) for i in issues):
        return "warn"
    return "pass"


def mqm_phrase(report: Report) -> str:
    """How the reports state the estimate: "MQM ≈ 4.7 (80%: 4.3-5.0) per 100 words; rule issues 4.1"."""
    rule = f"rule issues {report.mqm_penalty:.1f}"
    est = report.mqm_estimate
    if est is None:
        return f"MQM penalty {report.mqm_penalty:.1f}/100 words"
    return f"MQM ≈ {est.value:.1f} (80%: {est.low:.1f}-{est.high:.1f}) per 100 words; {rule}"


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
    #: the document's key in baselines: its translation path relative to the configuration's folder
    key: str | None = None
    #: under a baseline: its findings known, new and fixed
    baseline: BaselineCounts | None = None
    #: indices (into the configuration's waivers) of the waivers that covered an issue
    waivers_used: set[int] = field(default_factory=set)

    @property
    def waived(self) -> int:
        return 0 if self.report is None else sum(1 for i in self.report.issues if i.waived is not None)

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
    mqm = report.mqm_estimate.value if report.mqm_estimate else None
    if thresholds.max_mqm is not None and mqm is not None and mqm > thresholds.max_mqm:
        reasons.append(f"estimated MQM {mqm:.1f} per 100 words > max_mqm {thresholds.max_mqm:g}")
    rule = {k for k, i in enumerate(report.issues) if counts_toward_thresholds(i)}
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


def _slice(doc, start: int | None, end: int | None) -> str | None:
    if doc is None or start is None or end is None:
        return None
    text = doc.original if getattr(doc, "original", None) is not None else doc.text
    return text[start:end]


def apply_waivers(report: Report, waivers: Sequence[Waiver], paths: list[str],
                  today: dt.date | None = None) -> set[int]:
    """Mark the rule issues the (unexpired) waivers cover with the waiver's reason; the waivers used."""
    used: set[int] = set()
    for issue in report.issues:
        if not counts_for_gate(issue):
            continue
        flagged = _slice(report.target_doc, issue.target_start, issue.target_end)
        source = _slice(report.source_doc, issue.source_start, issue.source_end)
        for k, waiver in enumerate(waivers):
            if not waiver.expired(today) and waiver.matches(issue, flagged, source, paths):
                issue.waived = waiver.reason
                used.add(k)
                break
    return used


def gate_result(source: str | None, translation: str, report: Report, thresholds: Thresholds, *,
                waivers: Sequence[Waiver] = (), baseline: Baseline | None = None, key: str | None = None,
                today: dt.date | None = None) -> DocResult:
    """The result of one `mtqa check` document against its thresholds, after its waivers and baseline."""
    key = key or translation
    used = apply_waivers(report, waivers, [key, translation, source or ""], today)
    counts = None
    if baseline is not None:
        counts = baseline.match(key, [i for i in report.issues if counts_for_gate(i) and i.waived is None])
    passed, reasons, failing = evaluate(report, thresholds)
    return DocResult(source, translation, report, passed, reasons, failing_issues=failing, key=key,
                     baseline=counts, waivers_used=used)


def validate_waivers(waivers: Sequence[Waiver], check_names: Iterable[str]) -> None:
    """Refuse a waiver whose `type` is neither an issue type nor a check name (with its position)."""
    known = set(ISSUE_TYPES) | set(check_names)
    for w in waivers:
        if w.type not in known:
            raise MtqaError(f"{w.where}: [[waive]]: unknown issue type or check {w.type!r}; expected an "
                            f"issue type ({', '.join(ISSUE_TYPES)}) or a check name (mtqa checks)")


def expired_waivers(waivers: Sequence[Waiver], today: dt.date | None = None) -> list[str]:
    """One line per expired waiver: reported, and no longer applied."""
    return [f"{w.describe()} expired on {w.until}; it no longer applies" for w in waivers if w.expired(today)]


def unmatched_waivers(waivers: Sequence[Waiver], results: Sequence[DocResult],
                      today: dt.date | None = None) -> list[Waiver]:
    """The unexpired waivers that covered no issue of the run (`--strict-waivers`)."""
    used = set().union(*(r.waivers_used for r in results)) if results else set()
    return [w for k, w in enumerate(waivers) if k not in used and not w.expired(today)]


def baseline_total(results: Sequence[DocResult]) -> BaselineCounts | None:
    """The run's findings against its baseline (None without one)."""
    counts = [r.baseline for r in results if r.baseline is not None]
    return sum(counts, BaselineCounts()) if counts else None
