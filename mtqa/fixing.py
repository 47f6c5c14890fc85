"""`mtqa fix`: the deterministic suggestions of a report (mtqa.suggest) as a unified diff, or applied.

Applying replaces exactly the characters of each suggestion's range in the translation file's text and
leaves every other byte as it was (line endings, a UTF-8 byte-order mark, markup); the file is replaced
atomically. Plain text, Markdown and HTML are supported; DOCX and bilingual files are not (yet).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mtqa.errors import MtqaError
from mtqa.pipeline import Options, run
from mtqa.report import Report

#: the formats whose files `mtqa fix --apply` rewrites
FIXABLE_FORMATS = ("text", "markdown", "html")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Edit:
    start: int  # offsets into the translation file's text
    end: int
    old: str
    new: str
    issue_type: str
    message: str


@dataclass
class FixResult:
    path: str
    edits: list[Edit] = field(default_factory=list)
    diff: str = ""
    written: bool = False


def plan_edits(report: Report, text: str, only: Sequence[str] = ()) -> list[Edit]:
    """The report's suggestions (of the `only` issue types, when given) that do not overlap, in order."""
    edits: list[Edit] = []
    chosen = [i for i in report.issues if i.suggestion is not None and (not only or i.type in only)]
    candidates = sorted(chosen, key=lambda i: (i.suggestion.start, i.suggestion.end))
    for issue in candidates:
        sug = issue.suggestion
        if edits and sug.start < edits[-1].end:
            continue  # overlaps the previous edit: the first one wins
        edits.append(Edit(sug.start, sug.end, text[sug.start:sug.end], sug.text, issue.type, issue.message))
    return edits


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """`text` with every edit's range replaced (edits sorted and disjoint)."""
    out, pos = [], 0
    for e in edits:
        out.append(text[pos:e.start])
        out.append(e.new)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def _diff_name(side: str, path: str) -> str:
    return path if Path(path).is_absolute() else f"{side}/{Path(path).as_posix()}"


def unified_diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=_diff_name("a", path), tofile=_diff_name("b", path))
    eof = "\n\\ No newline at end of file\n"
    return "".join(line if line.endswith("\n") else line + eof for line in lines)


def _file_text(path: str, report: Report) -> tuple[str, bool]:
    """(the translation file's text as the report's offsets see it, whether it starts with a UTF-8 BOM)."""
    doc = report.target_doc
    fmt = getattr(doc, "format", "text")
    if fmt not in FIXABLE_FORMATS:
        raise MtqaError(f"{path}: mtqa fix supports plain text, Markdown and HTML, not {fmt.upper()}")
    text = doc.original if doc.original is not None else doc.text
    raw = Path(path).read_bytes()
    bom = raw.startswith(_BOM)
    if raw[len(_BOM) if bom else 0:] != text.encode("utf-8"):
        raise MtqaError(f"{path}: only UTF-8 files can be fixed in place (or it changed while it was read)")
    return text, bom


def fix_document(source: str, translation: str, opts: Options, *, only: Sequence[str] = (),
                 apply: bool = False) -> FixResult:
    """Score the pair, plan the safe suggestions and return their diff; with `apply`, write them."""
    if translation == "-":
        raise MtqaError("mtqa fix needs the translation as a file, not standard input")
    report = run(source, translation, opts)
    text, bom = _file_text(translation, report)
    edits = plan_edits(report, text, only)
    after = apply_edits(text, edits)
    result = FixResult(translation, edits, unified_diff(translation, text, after))
    if apply and edits:
        from mtqa.output import write_atomic

        write_atomic(translation, ("\ufeff" if bom else "") + after)
        result.written = True
    return result


__all__ = ["Edit", "FIXABLE_FORMATS", "FixResult", "apply_edits", "fix_document", "plan_edits",
           "unified_diff"]
