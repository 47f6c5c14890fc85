"""GitHub Actions annotations: `::error file=...,line=...,col=...::message` workflow commands."""

from __future__ import annotations

from collections.abc import Sequence

from mtqa.gate import FAILING_SEVERITIES, DocResult, accepted
from mtqa.renderers.base import Renderer
from mtqa.renderers.location import issue_location, issue_notes, source_note


def escape(value: str, prop: bool = False) -> str:
    """Escape a workflow-command message (or, with prop, a property value)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github_annotations(results: list[DocResult]) -> list[str]:
    """One annotation per issue (error when it fails the gate, warning when major or critical and not
    accepted, else notice)
    and one error per document that fails. An issue with a source span names it in its message."""
    out = []
    for res in results:
        file = escape(res.translation, prop=True)
        if res.report is not None:
            for k, issue in enumerate(res.report.issues):
                level = "error" if k in res.failing_issues else (
                    "warning" if issue.severity in FAILING_SEVERITIES and not accepted(issue) else "notice")
                loc = issue_location(res.report, issue)
                props = f"file={file}"
                if loc is not None:
                    props += (f",line={loc.start_line},endLine={loc.end_line}"
                              f",col={loc.start_column},endColumn={loc.end_column}")
                title = escape(f"mtqa {issue.type} ({issue.severity})", prop=True)
                message = issue.message + issue_notes(issue) + source_note(res.report, issue, res.source)
                out.append(f"::{level} {props},title={title}::{escape(message)}")
        if res.status != "pass":
            msg = res.error or "; ".join(res.reasons)
            out.append(f"::error file={file},title=mtqa::{escape(f'{res.translation}: {msg}')}")
    return out


def render_github(results: list[DocResult]) -> str:
    lines = github_annotations(results)
    return "".join(line + "\n" for line in lines)


def _render(results: Sequence[DocResult], *, color: bool | None = None) -> str:
    return render_github(list(results))


RENDERER = Renderer("github", _render, False, "GitHub Actions workflow commands (::error file=...)")
