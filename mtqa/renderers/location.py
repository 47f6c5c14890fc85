"""Where an issue is: line and column in the translation file, and its span in the source file."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from mtqa.report import Issue, Report

#: longest source excerpt shown inline (text, JUnit, GitHub annotations); HTML shows it whole
EXCERPT_CHARS = 120


@dataclass
class Location:
    start: int  # offsets into the file text, end-exclusive
    end: int
    start_line: int  # 1-based
    start_column: int  # 1-based, in code points
    end_line: int
    end_column: int  # the column after the last character


def file_text(report: Report) -> str | None:
    """The translation file's own text (the offsets of issues point into it)."""
    return _original(report.target_doc)


def source_file_text(report: Report) -> str | None:
    """The source file's own text (`source_start`/`source_end` point into it)."""
    return _original(report.source_doc)


def _original(doc) -> str | None:
    if doc is None:
        return None
    return doc.original if doc.original is not None else doc.text


def locate(text: str, start: int, end: int) -> Location:
    """Line and column of a span of `text` (offsets clamped into the text)."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    sl, sc = line_col(starts, start)
    el, ec = line_col(starts, end)
    return Location(start, end, sl, sc, el, ec)


def line_col(starts: list[int], offset: int) -> tuple[int, int]:
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
    return locate(text, start, end)


def source_location(report: Report, issue: Issue) -> Location | None:
    """Where the issue is in the source file, when it has a source span."""
    text = source_file_text(report)
    if text is None or issue.source_start is None or issue.source_end is None:
        return None
    return locate(text, issue.source_start, issue.source_end)


def source_excerpt(report: Report, issue: Issue, limit: int | None = EXCERPT_CHARS) -> str | None:
    """The source text the issue points at (one line, shortened to `limit` characters), or None."""
    loc = source_location(report, issue)
    if loc is None:
        return None
    text = " ".join((source_file_text(report) or "")[loc.start:loc.end].split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def source_note(report: Report, issue: Issue, source_path: str | None) -> str:
    """' [source PATH:LINE:COL «excerpt»]' for an issue with a source span, else ''."""
    loc = source_location(report, issue)
    if loc is None:
        return ""
    return f" [source {source_path or '<stdin>'}:{loc.start_line}:{loc.start_column} " \
           f"«{source_excerpt(report, issue)}»]"


def issue_notes(issue: Issue) -> str:
    """' → SDF' for an issue with a suggested fix, ' [major reported as minor: ...]' when the precision
    floor demoted it, then ' [waived: REASON]' or ' [known]' (in the baseline), for the one-line and
    tabular reports."""
    out = f" → {issue.suggestion.text}" if issue.suggestion is not None else ""
    if issue.demoted:
        out += f" [{issue.demoted}]"
    if issue.waived is not None:
        out += f" [waived: {issue.waived}]"
    elif issue.baseline == "unchanged":
        out += " [known]"
    return out


def issue_line(report: Report, issue: Issue, translation: str, source: str | None) -> str:
    """'FILE:LINE:COL: severity type: message → FIX [source ...]': one issue on one line."""
    loc = issue_location(report, issue)
    where = f"{translation}:{loc.start_line}:{loc.start_column}" if loc else translation
    return (f"{where}: {issue.severity} {issue.type}: {issue.message}{issue_notes(issue)}"
            f"{source_note(report, issue, source)}")
