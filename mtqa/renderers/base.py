"""What every renderer is (`Renderer`: a name, a function of document results, and how many documents it
renders) and the one report of a one-document format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mtqa.errors import MtqaError
from mtqa.gate import DocResult
from mtqa.report import Report


@dataclass(frozen=True)
class Renderer:
    name: str
    render: Callable[..., str]  # (results, *, color) -> text
    #: True: renders exactly one document (json, text, html); False: any number (sarif, junit, github)
    one_document: bool
    description: str


def one_report(results: Sequence[DocResult]) -> Report:
    """The report of the single document a one-document format renders."""
    report = results[0].report
    if report is None:
        raise MtqaError(f"{results[0].translation}: no report to render ({results[0].error})")
    return report
