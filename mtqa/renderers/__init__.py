"""Report renderers: HTML (self-contained page), SARIF 2.1.0 and JUnit XML.

`render(report, fmt)` renders one document for `mtqa score --format`; `mtqa check` renders many
documents at once through the functions of the submodules, using `DocResult`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from mtqa.report import Issue, Report


@dataclass
class DocResult:
    """One document of a check run: its report (None when it could not be scored) and the verdict
    against the thresholds."""

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


def single(report: Report) -> DocResult:
    failed = report.verdict == "fail"
    reasons = [f"verdict fail (score {report.score:.3f})"] if failed else []
    failing = {k for k, i in enumerate(report.issues) if i.severity == "critical"}
    return DocResult(report.source.path, report.translation.path or "<stdin>", report, not failed, reasons,
                     failing_issues=failing, label=report.verdict)


@dataclass
class Location:
    start: int  # offsets into the file text, end-exclusive
    end: int
    start_line: int  # 1-based
    start_column: int  # 1-based, in code points
    end_line: int
    end_column: int  # the column after the last character


def file_text(report: Report) -> str | None:
    doc = report.target_doc
    if doc is None:
        return None
    return doc.original if doc.original is not None else doc.text


def _line_col(starts: list[int], offset: int) -> tuple[int, int]:
    k = bisect.bisect_right(starts, offset) - 1
    return k + 1, offset - starts[k] + 1


def issue_location(report: Report, issue: Issue) -> Location | None:
    """Where the issue is in the translation file: its own offsets, else its target paragraph."""
    text = file_text(report)
    if text is None:
        return None
    if issue.target_start is not None and issue.target_end is not None:
        start, end = issue.target_start, issue.target_end
    elif issue.target_paragraph is not None and report.target_doc is not None:
        paras = [p for p in report.target_doc.paragraphs if p.index == issue.target_paragraph]
        if not paras:
            return None
        start, end = report.target_doc.original_span(paras[0].start, paras[0].end)
    else:
        return None
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    sl, sc = _line_col(starts, start)
    el, ec = _line_col(starts, end)
    return Location(start, end, sl, sc, el, ec)


def render(report: Report, fmt: str) -> str:
    if fmt == "html":
        from mtqa.renderers.html import render_html

        return render_html(report)
    if fmt == "sarif":
        from mtqa.renderers.sarif import render_sarif

        return render_sarif([single(report)])
    if fmt == "junit":
        from mtqa.renderers.junit import render_junit

        return render_junit([single(report)])
    raise ValueError(f"unknown format {fmt}")


__all__ = ["DocResult", "Location", "issue_location", "render", "single", "file_text"]
