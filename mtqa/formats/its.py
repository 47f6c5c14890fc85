"""Findings back into XLIFF: ITS 2.0 Localization Quality Issue annotations and MT Confidence.

`mtqa score FILE.xlf --annotate OUT.xlf` copies the file and, inside each translated `<target>`:

* wraps the target's content in a `<mrk>` carrying the segment's score as `its:mtConfidence` (with
  `its:annotatorsRef`, which ITS requires for that data category);
* marks each finding with `its:locQualityIssueType`, `…Comment` and `…Severity` (0-100): a `<mrk>` around
  the flagged text, nested in order; in XLIFF 2.x a span that crosses inline codes or another finding is
  an `<sm>`/`<em>` pair instead, and in XLIFF 1.2 (where `<mrk>` must nest) such a finding, or one with no
  place in the target, marks the whole target. A unit without a translated target gets no annotation.

XLIFF 2.x markers have `type="its:any"` and an `id`; XLIFF 1.2 markers `mtype="x-its"`. The root element
declares the ITS namespace and `its:version="2.0"`. Nothing else in the file changes: the annotations are
inserted into the file's text, so the units' text reads back exactly as before.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from mtqa.errors import MtqaError
from mtqa.report import Issue, Report

ITS_NS = "http://www.w3.org/2005/11/its"
MTQA_IRI = "https://pypi.org/project/mtqa/"
#: mtqa issue types -> ITS 2.0 localization quality issue types
LQI_TYPES = {
    "entity-inconsistency": "inconsistent-entities",
    "untranslated": "untranslated",
    "number-mismatch": "numbers",
    "omission": "omission",
    "addition": "addition",
    "mistranslation": "mistranslation",
    "fluency": "grammar",
    "glossary": "terminology",
    "punctuation": "typographical",
    "length-ratio": "length",
    "entity-mismatch": "mistranslation",
    "date-mismatch": "locale-violation",
    "polarity": "mistranslation",
}
LQI_SEVERITY = {"minor": 30, "major": 70, "critical": 100}
_TARGET = re.compile(r"<(?:[\w.-]+:)?target\b[^>]*?(/?)>", re.S)
_ROOT = re.compile(r"<(?:[\w.-]+:)?xliff\b([^>]*)>", re.S)


@dataclass
class _Marker:
    start: int
    end: int
    attrs: dict[str, str]
    spanning: bool = False  # XLIFF 2.x <sm>/<em> instead of <mrk>
    outer: bool = False  # the segment's confidence wrapper: opens first, closes last


def _targets(raw: str) -> list[tuple[int, int]]:
    """(content start, content end) of every non-empty <target> element."""
    out = []
    for m in _TARGET.finditer(raw):
        if m.group(1):
            continue
        close = re.compile(r"</(?:[\w.-]+:)?target\s*>").search(raw, m.end())
        if close:
            out.append((m.end(), close.start()))
    return out


def _enclosing(targets: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The <target> content holding [start, end), if one does."""
    return next(((a, b) for a, b in targets if a <= start and end <= b), None)


def _issue_attrs(issue: Issue) -> dict[str, str]:
    comment = f"{issue.type}: {issue.message}"
    if issue.suggestion is not None:
        comment += f" → {issue.suggestion.text}"
    return {"its:locQualityIssueType": LQI_TYPES.get(issue.type, "other"),
            "its:locQualityIssueComment": comment,
            "its:locQualityIssueSeverity": str(LQI_SEVERITY[issue.severity])}


def _markers(raw: str, report: Report, v2: bool) -> list[_Marker]:
    doc = report.target_doc
    targets = _targets(raw)
    markers: list[_Marker] = []
    para_target: dict[int, tuple[int, int]] = {}
    for seg in report.segments:
        if seg.target_start is None or seg.target_end is None or doc is None:
            continue
        s, e = doc.original_span(seg.target_start, seg.target_end)
        where = _enclosing(targets, s, e)
        if where is None:
            continue
        for p in seg.target_paragraphs:
            para_target[p] = where
        if seg.score is not None:
            markers.append(_Marker(*where, {"its:mtConfidence": f"{seg.score:.4f}",
                                            "its:annotatorsRef": f"mt-confidence|{MTQA_IRI}"}, outer=True))
    seg_paras = {seg.id: seg.target_paragraphs for seg in report.segments}
    placed: list[tuple[int, int]] = []
    for issue in report.issues:
        attrs = _issue_attrs(issue)
        s, e = issue.target_start, issue.target_end
        # the unit: its segment's (an omission's 1-0 segment has none), else its paragraph's
        paras = seg_paras.get(issue.segment, [issue.target_paragraph or 0])
        whole = para_target.get(paras[0]) if paras else None
        if whole is None:
            continue  # no translated target to mark (an empty or missing <target>)
        if s is None or e is None or not (whole[0] <= s <= e <= whole[1]) or s == e:
            markers.append(_Marker(*whole, attrs))
            continue
        where = whole
        crossing = "<" in raw[s:e] or any(a < s < b < e or s < a < e < b for a, b in placed)
        if crossing and not v2:
            markers.append(_Marker(*where, attrs))
            continue
        markers.append(_Marker(s, e, attrs, spanning=crossing))
        if not crossing:
            placed.append((s, e))
    return markers


def _attr_text(attrs: dict[str, str]) -> str:
    return "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())


def annotate_xliff(raw: str, report: Report) -> str:
    """The XLIFF file's text with the report's findings and segment scores as ITS 2.0 annotations."""
    root = _ROOT.search(raw)
    if root is None:
        raise MtqaError("--annotate: not an XLIFF file (no <xliff> element)")
    v2 = re.search(r"(?<![\w:.-])version\s*=\s*[\"']2\.", root.group(1)) is not None
    inserts: list[tuple[int, int, tuple, str]] = []
    for n, mk in enumerate(_markers(raw, report, v2), 1):
        ident = f"mtqa-{n}"
        if v2:
            head = f'id="{ident}" type="its:any"'
        else:
            head = 'mtype="x-its"'
        attrs = _attr_text(mk.attrs)
        if mk.spanning:
            opening, closing = f"<sm {head}{attrs}/>", f'<em startRef="{ident}"/>'
        else:
            opening, closing = f"<mrk {head}{attrs}>", "</mrk>"
        if mk.start == mk.end:  # an empty target or span: the marker holds nothing
            inserts.append((mk.start, 1, (0, not mk.outer, n), opening + closing))
            continue
        # at one position: closings before openings; the longer span opens first and closes last
        inserts.append((mk.start, 1, (-mk.end, not mk.outer, n), opening))
        inserts.append((mk.end, 0, (-mk.start, mk.outer, -n), closing))
    out, pos = [], 0
    for at, _kind, _order, text in sorted(inserts, key=lambda t: (t[0], t[1], t[2])):
        out.append(raw[pos:at])
        out.append(text)
        pos = at
    out.append(raw[pos:])
    text = "".join(out)
    declare = ""
    if "xmlns:its=" not in root.group(1):
        declare += f' xmlns:its="{ITS_NS}"'
    if "its:version" not in root.group(1):
        declare += ' its:version="2.0"'
    at = root.start() + len(root.group(0)) - (2 if root.group(0).endswith("/>") else 1)
    return text[:at] + declare + text[at:]


def annotate_file(path: str, report: Report, out: str) -> None:
    """Write `path` (an XLIFF file scored into `report`) to `out` with the ITS annotations."""
    from mtqa.document import read_text
    from mtqa.formats import format_of
    from mtqa.output import write_atomic

    if format_of(path) != "xliff":
        raise MtqaError(f"--annotate: {path} is not an XLIFF file (.xlf, .xliff)")
    raw = read_text(path)
    if report.target_doc is None or report.target_doc.original != raw:
        raise MtqaError(f"--annotate: {path} changed while it was scored")
    write_atomic(out, annotate_xliff(raw, report))


__all__ = ["ITS_NS", "LQI_SEVERITY", "LQI_TYPES", "annotate_file", "annotate_xliff"]
