"""Terminal report: a table of segments (id, paragraphs, source, target, score) and the issues."""

from __future__ import annotations

import io
from collections.abc import Sequence

from mtqa.gate import DocResult, counts_for_gate, mqm_phrase, score_band
from mtqa.renderers.base import Renderer, one_report
from mtqa.renderers.location import issue_notes, source_excerpt
from mtqa.report import Report

_SEV_STYLE = {"critical": "bold red", "major": "red", "minor": "yellow"}
_VERDICT_STYLE = {"pass": "bold green", "warn": "bold yellow", "fail": "bold red"}
_BAND_STYLE = {"pass": "green", "warn": "yellow", "fail": "red"}


def _score_style(score: float | None) -> str:
    if score is None:
        return "dim"
    return _BAND_STYLE[score_band(score)]


def render_text(report: Report, *, width: int | None = None, color: bool | None = None) -> str:
    from rich.console import Console
    from rich.table import Table

    out = io.StringIO()
    console = Console(
        file=out,
        width=width or 160,
        force_terminal=color,
        no_color=color is False,
        highlight=False,
        soft_wrap=False,
    )
    src, tgt = report.source, report.translation
    console.print(
        f"[bold]mtqa[/bold] {src.path or '<stdin>'} ({src.lang}{', detected' if src.lang_detected else ''})"
        f" → {tgt.path or '<stdin>'} ({tgt.lang}{', detected' if tgt.lang_detected else ''})"
    )
    table = Table(show_lines=False, expand=True)
    table.add_column("seg", justify="right", no_wrap=True)
    table.add_column("¶", justify="right", no_wrap=True)
    table.add_column("source", ratio=1, overflow="fold")
    table.add_column("target", ratio=1, overflow="fold")
    table.add_column("align", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    for seg in report.segments:
        paras = ",".join(map(str, seg.target_paragraphs or seg.source_paragraphs))
        sc = "—" if seg.score is None else f"{seg.score:.2f}"
        table.add_row(
            str(seg.id), paras, seg.source, seg.target, seg.alignment, f"[{_score_style(seg.score)}]{sc}[/]"
        )
    console.print(table)
    _print_issues(console, report)
    if report.entities:
        et = Table(title="entities", expand=True)
        et.add_column("source entity", no_wrap=True)
        et.add_column("renderings (¶)", ratio=1, overflow="fold")
        for ent in report.entities:
            rend = "; ".join(
                f"{r['text']} ({','.join(map(str, r.get('paragraphs', [])))})"
                for r in ent.get("renderings", [])
            )
            et.add_row(ent.get("source", ""), rend)
        console.print(et)
    ref = ""
    if report.reference_metrics:
        ref = "  " + "  ".join(f"{k.upper()} {v:.1f}" for k, v in report.reference_metrics.items())
    console.print(
        f"document score [bold]{report.score:.3f}[/]  verdict [{_VERDICT_STYLE[report.verdict]}]"
        f"{report.verdict}[/]  {mqm_phrase(report)}{ref}"
    )
    return out.getvalue()


def _print_issues(console, report: Report) -> None:
    """The rule issues (one row each), then the model's advisory error spans (one row per paragraph)."""
    from rich.markup import escape
    from rich.table import Table

    rule_issues = [i for i in report.issues if counts_for_gate(i)]
    advisory = [i for i in report.issues if not counts_for_gate(i) and i.shown]
    if rule_issues:
        it = Table(title=f"{len(rule_issues)} issue(s)", expand=True)
        it.add_column("severity", no_wrap=True)
        it.add_column("type", no_wrap=True)
        it.add_column("¶", justify="right", no_wrap=True)
        it.add_column("offsets", no_wrap=True)
        it.add_column("message", ratio=1, overflow="fold")
        for issue in rule_issues:
            off = "" if issue.target_start is None else f"{issue.target_start}-{issue.target_end}"
            excerpt = source_excerpt(report, issue)
            source = "" if excerpt is None else (
                f"\n[dim]source {issue.source_start}-{issue.source_end}: «{escape(excerpt)}»[/]")
            it.add_row(
                f"[{_SEV_STYLE[issue.severity]}]{issue.severity}[/]",
                issue.type,
                str(issue.target_paragraph or ""),
                off,
                escape(issue.message + issue_notes(issue)) + source,
            )
        console.print(it)
    if advisory:
        # learned error spans: many and individually weak, so one row per paragraph, after the rule issues
        title = f"{len(advisory)} span(s) the QE model marks as likely errors (advisory)"
        at = Table(title=title, expand=True)
        at.add_column("¶", justify="right", no_wrap=True)
        at.add_column("spans (offsets)", ratio=1, overflow="fold")
        by_paragraph: dict[int | None, list[str]] = {}
        for issue in advisory:
            text = issue.evidence[0] if issue.evidence else ""
            style = _SEV_STYLE[issue.severity]
            excerpt = source_excerpt(report, issue)
            source = "" if excerpt is None else (
                f" [dim](source {issue.source_start}-{issue.source_end}: «{escape(excerpt)}»)[/]")
            by_paragraph.setdefault(issue.target_paragraph, []).append(
                f"[{style}]“{escape(text)}”[/] {issue.target_start}-{issue.target_end}{source}")
        for para, spans in by_paragraph.items():
            at.add_row(str(para or ""), ", ".join(spans))
        console.print(at)


def _render(results: Sequence[DocResult], *, color: bool | None = None) -> str:
    return render_text(one_report(results), color=color)


RENDERER = Renderer("text", _render, True, "terminal tables: segments, issues, entities, verdict")
