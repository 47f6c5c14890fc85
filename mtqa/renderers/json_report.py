"""The mtqa.report/1 JSON of one document (mtqa/report.schema.json)."""

from __future__ import annotations

from collections.abc import Sequence

from mtqa.gate import DocResult
from mtqa.renderers.base import Renderer, one_report


def render_json(results: Sequence[DocResult], *, color: bool | None = None) -> str:
    return one_report(results).dumps()


RENDERER = Renderer("json", render_json, True, "the mtqa.report/1 JSON (mtqa/report.schema.json)")
