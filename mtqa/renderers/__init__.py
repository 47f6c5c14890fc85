"""The report renderers, in one registry: json, text, html, sarif, junit and github.

Every renderer takes document results (`mtqa.gate.DocResult`: a report and its gate result) and returns
the text to write. `mtqa score` renders one result (`gate.verdict_result`); `mtqa check` renders many.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mtqa.errors import MtqaError
from mtqa.gate import DocResult
from mtqa.renderers.github import render_github
from mtqa.renderers.html import render_html
from mtqa.renderers.junit import render_junit
from mtqa.renderers.sarif import render_sarif
from mtqa.renderers.text import render_text


@dataclass(frozen=True)
class Renderer:
    name: str
    render: Callable[..., str]  # (results, *, color) -> text
    #: True: renders exactly one document (json, text, html); False: any number (sarif, junit, github)
    one_document: bool
    description: str


def _json(results: Sequence[DocResult], *, color: bool | None = None) -> str:
    return _report(results).dumps()


def _text(results: Sequence[DocResult], *, color: bool | None = None) -> str:
    return render_text(_report(results), color=color)


def _html(results: Sequence[DocResult], *, color: bool | None = None) -> str:
    return render_html(_report(results), results[0])


def _report(results: Sequence[DocResult]):
    report = results[0].report
    if report is None:
        raise MtqaError(f"{results[0].translation}: no report to render ({results[0].error})")
    return report


RENDERERS: dict[str, Renderer] = {
    r.name: r
    for r in (
        Renderer("text", _text, True, "terminal tables: segments, issues, entities, verdict"),
        Renderer("json", _json, True, "the mtqa.report/1 JSON (mtqa/report.schema.json)"),
        Renderer("html", _html, True, "a self-contained HTML page, issues highlighted in place"),
        Renderer("sarif", lambda results, *, color=None: render_sarif(list(results)), False,
                 "SARIF 2.1.0 for code scanning"),
        Renderer("junit", lambda results, *, color=None: render_junit(list(results)), False,
                 "JUnit XML: a testcase per check and one for the gate, per document"),
        Renderer("github", lambda results, *, color=None: render_github(list(results)), False,
                 "GitHub Actions workflow commands (::error file=...)"),
    )
}
#: the formats `mtqa score --format` offers
FORMATS = tuple(RENDERERS)


def render(fmt: str, results: Sequence[DocResult], *, color: bool | None = None) -> str:
    """Render document results in the named format."""
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise MtqaError(f"unknown format {fmt!r}; expected one of {', '.join(RENDERERS)}")
    if renderer.one_document and len(results) != 1:
        raise MtqaError(f"--format {fmt} renders one document, not {len(results)}")
    return renderer.render(results, color=color)


__all__ = ["FORMATS", "RENDERERS", "Renderer", "render"]
