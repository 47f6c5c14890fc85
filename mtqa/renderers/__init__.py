"""The report renderers, in one registry: text, json, html, sarif, junit and github; `base` (Renderer),
`location` (line/column, excerpts), one module per format. Imported by pipeline, batch and cli.

Every renderer takes document results (`mtqa.gate.DocResult`: a report and its gate result) and returns
the text to write. `mtqa score` renders one result (`gate.verdict_result`); `mtqa check` renders many.
"""

from __future__ import annotations

from collections.abc import Sequence

from mtqa.errors import MtqaError
from mtqa.gate import DocResult
from mtqa.registry import Registry
from mtqa.renderers.base import Renderer

#: the renderers by format name (each module's RENDERER, imported on first use)
RENDERERS: Registry[Renderer] = Registry("format", {
    "text": "mtqa.renderers.text:RENDERER",
    "json": "mtqa.renderers.json_report:RENDERER",
    "html": "mtqa.renderers.html:RENDERER",
    "sarif": "mtqa.renderers.sarif:RENDERER",
    "junit": "mtqa.renderers.junit:RENDERER",
    "github": "mtqa.renderers.github:RENDERER",
})
#: the formats `mtqa score --format` offers
FORMATS = RENDERERS.names()


def render(fmt: str, results: Sequence[DocResult], *, color: bool | None = None) -> str:
    """Render document results in the named format."""
    if fmt not in RENDERERS:
        raise MtqaError(f"unknown format {fmt!r}; expected one of {', '.join(RENDERERS)}")
    renderer = RENDERERS[fmt]
    if renderer.one_document and len(results) != 1:
        raise MtqaError(f"--format {fmt} renders one document, not {len(results)}")
    return renderer.render(results, color=color)


__all__ = ["FORMATS", "RENDERERS", "Renderer", "render"]
