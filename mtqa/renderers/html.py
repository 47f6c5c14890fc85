"""Self-contained HTML report: aligned segments side by side, issues highlighted at their offsets
(severity colours, message on hover), per-segment score bars, the entity table and the verdict.

No script at all: a Content-Security-Policy meta tag allows only the page's own stylesheet (by hash),
and every piece of document text is escaped."""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable, Sequence

from mtqa import __version__
from mtqa.estimate import score_of
from mtqa.gate import (
    FAIL_MQM,
    FAIL_THRESHOLD,
    PASS_MQM,
    PASS_THRESHOLD,
    DocResult,
    counts_for_gate,
    mqm_phrase,
    verdict_result,
)
from mtqa.renderers.base import Renderer, one_report
from mtqa.renderers.location import issue_location, issue_notes, source_excerpt, source_location
from mtqa.report import Issue, Report

SEV_RANK = {"critical": 3, "major": 2, "minor": 1}
#: score meters: red below the fail threshold, green from the pass threshold (mtqa.gate)
METER_RANGE = f'min="0" max="1" low="{FAIL_THRESHOLD:g}" high="{PASS_THRESHOLD:g}" optimum="1"'
#: the document score's meter: its bands are the scores of the verdict's MQM cut-scores
DOC_METER_RANGE = (f'min="0" max="1" low="{score_of(FAIL_MQM):.4g}" high="{score_of(PASS_MQM):.4g}" '
                   'optimum="1"')

STYLE = """
:root{--crit:#c62828;--major:#ef6c00;--minor:#f9a825;--ok:#2e7d32;--fg:#1c1c1c;--muted:#666}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:1.5rem;
max-width:1400px}
h1{font-size:1.4rem;margin:0 0 .4rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;
vertical-align:top;text-align:left}th{background:#f4f4f4;font-weight:600}
td.num{text-align:right;white-space:nowrap;color:var(--muted)}
td.src,td.tgt{width:42%;white-space:pre-wrap;overflow-wrap:anywhere}
.verdict{display:inline-block;padding:.15rem .7rem;border-radius:1rem;color:#fff;font-weight:700;
text-transform:uppercase;letter-spacing:.04em}
.verdict-pass{background:var(--ok)}.verdict-warn{background:var(--major)}.verdict-fail{background:var(--crit)}
.verdict-error{background:#555}
mark.issue{border-radius:2px;padding:0 1px;color:inherit;cursor:help}
mark.sev-critical{background:rgba(198,40,40,.25);border-bottom:2px solid var(--crit)}
mark.sev-major{background:rgba(239,108,0,.22);border-bottom:2px solid var(--major)}
mark.sev-minor{background:rgba(249,168,37,.28);border-bottom:2px solid var(--minor)}
mark.point::after{content:"\\2038"}
span.sev{font-weight:600}span.sev-critical{color:var(--crit)}span.sev-major{color:var(--major)}
span.sev-minor{color:#a67c00}
meter{width:6rem;height:.9rem;vertical-align:middle}
.missing{color:var(--muted);font-style:italic}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.6rem 0}
dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;overflow-wrap:anywhere}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def csp() -> str:
    digest = base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; script-src 'none'; "
            "object-src 'none'; base-uri 'none'; form-action 'none'")


def page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{esc(csp())}\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n"
        f"<footer>mtqa {esc(__version__)}</footer>\n</body>\n</html>\n"
    )


def _extracted_span(report: Report, issue: Issue) -> tuple[int, int] | None:
    """The issue's span in the analysed (extracted) text of the translation."""
    if issue.target_start is None or issue.target_end is None:
        return None
    doc = report.target_doc
    if doc is None or doc.offset_map is None:
        return issue.target_start, issue.target_end
    return doc.offset_map.inverse(issue.target_start, issue.target_end)


def _source_span(report: Report, issue: Issue) -> tuple[int, int] | None:
    """The issue's span in the analysed (extracted) text of the source, when it has one."""
    loc = source_location(report, issue)
    if loc is None:
        return None
    doc = report.source_doc
    if doc.offset_map is None:
        return loc.start, loc.end
    return doc.offset_map.inverse(loc.start, loc.end)


def _title(issues: list[Issue], ids: Iterable[int]) -> str:
    return "\n".join(f"{issues[i].severity} {issues[i].type}: {issues[i].message}" for i in ids)


def _mark(report: Report, ids: list[int], inner: str, extra: str = "") -> str:
    worst = max((report.issues[i].severity for i in ids), key=SEV_RANK.__getitem__)
    return (f'<mark class="issue sev-{worst}{extra}" title="{esc(_title(report.issues, ids))}" '
            f'data-issues="{" ".join(map(str, ids))}">{inner}</mark>')


def _highlight(report: Report, text: str, start: int, spans: list[tuple[int, int, int]]) -> str:
    """text = document text from `start`; spans = (issue index, start, end) in document offsets."""
    end = start + len(text)
    points = {start, end}
    zero: dict[int, list[int]] = {}
    for k, s, e in spans:
        if s == e:
            zero.setdefault(min(max(s, start), end), []).append(k)
            continue
        points.update((max(s, start), min(e, end)))
    cuts = sorted(points)
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a in zero:
            out.append(_mark(report, zero.pop(a), "", " point"))
        piece = esc(text[a - start:b - start])
        ids = [k for k, s, e in spans if s < e and s < b and e > a]
        out.append(_mark(report, ids, piece) if ids else piece)
    for pos in sorted(zero):
        out.append(_mark(report, zero[pos], "", " point"))
    return "".join(out)


def _segment_rows(report: Report) -> str:
    src_doc, tgt_doc = report.source_doc, report.target_doc
    # a model span below its shown confidence stays in the JSON only (mtqa.precision)
    spans = {k: _extracted_span(report, i) for k, i in enumerate(report.issues) if i.shown}
    src_spans = {k: _source_span(report, i) for k, i in enumerate(report.issues) if i.shown}
    placed: set[int] = set()
    rows = []
    for seg in report.segments:
        ts, te = seg.target_start, seg.target_end
        if tgt_doc is not None and ts is not None and te is not None:
            tgt_text = tgt_doc.text[ts:te]
            inside = [(k, s, e) for k, sp in spans.items() if sp is not None
                      for s, e in [sp] if (s < te and e > ts) or (s == e and ts <= s <= te)]
            whole = [k for k, i in enumerate(report.issues)
                     if k in spans and spans[k] is None and i.segment == seg.id]
            inside += [(k, ts, te) for k in whole]
            placed.update(k for k, _, _ in inside)
            tgt_html = _highlight(report, tgt_text, ts, inside)
        elif seg.target:
            tgt_html = esc(seg.target)
        else:
            tgt_html = '<span class="missing">(no translation)</span>'
        ss, se = seg.source_start, seg.source_end
        src_text = src_doc.text[ss:se] if src_doc is not None and ss is not None and se is not None \
            else seg.source
        src_html = esc(src_text) if src_text else '<span class="missing">(no source)</span>'
        in_source = [(k, s, e) for k, sp in src_spans.items() if sp is not None and ss is not None
                     and se is not None for s, e in [sp] if (s < se and e > ss) or (s == e and ss <= s <= se)]
        if in_source and src_text:
            src_html = _highlight(report, src_text, ss, in_source)
        elif ts is None:  # an omission: highlight the untranslated source text
            ids = [k for k, i in enumerate(report.issues)
                   if i.segment == seg.id and i.shown and k not in placed]
            if ids and src_text:
                src_html = _mark(report, ids, esc(src_text))
                placed.update(ids)
        score = "—" if seg.score is None else (
            f'<meter {METER_RANGE} value="{seg.score:.4f}">{seg.score:.2f}</meter> {seg.score:.2f}')
        paras = ",".join(map(str, seg.target_paragraphs or seg.source_paragraphs))
        rows.append(
            f'<tr id="seg-{seg.id}" class="seg"><td class="num">{seg.id}</td>'
            f'<td class="num">{esc(paras)}</td>'
            f'<td class="src" lang="{esc(report.source.lang)}">{src_html}</td>'
            f'<td class="tgt" lang="{esc(report.translation.lang)}">{tgt_html}</td>'
            f'<td class="num score">{score}</td></tr>'
        )
    return "\n".join(rows)


def _source_cell(report: Report, issue: Issue) -> str:
    """The source text an issue points at, under its message (nothing without a source span)."""
    excerpt = source_excerpt(report, issue, limit=None)
    if excerpt is None:
        return ""
    loc = source_location(report, issue)
    return (f'<br><small class="source-excerpt">source {loc.start_line}:{loc.start_column}: '
            f'<q lang="{esc(report.source.lang)}">{esc(excerpt)}</q></small>')


def _issue_rows(report: Report) -> str:
    rows = []
    for k, issue in enumerate(report.issues):
        if not issue.shown:
            continue
        loc = issue_location(report, issue)
        where = f"{loc.start_line}:{loc.start_column}" if loc else (
            f"¶{issue.target_paragraph}" if issue.target_paragraph else "—")
        seg = f'<a href="#seg-{issue.segment}">{issue.segment}</a>' if issue.segment is not None else "—"
        advisory = " (advisory, QE model)" if issue.origin == "model" else ""
        rows.append(
            f'<tr id="issue-{k}" class="issue-row origin-{esc(issue.origin)}"><td class="num">{k}</td>'
            f'<td><span class="sev sev-{esc(issue.severity)}">{esc(issue.severity)}</span></td>'
            f"<td>{esc(issue.type + advisory)}</td><td class=\"num\">{esc(where)}</td>"
            f"<td class=\"num\">{seg}</td>"
            f"<td>{esc(issue.message + issue_notes(issue))}{_source_cell(report, issue)}</td>"
            f"<td>{esc(', '.join(issue.evidence))}</td></tr>"
        )
    if not rows:
        return '<p class="missing">No issues.</p>'
    return ('<table class="issues"><thead><tr><th>#</th><th>severity</th><th>type</th><th>line:col</th>'
            "<th>segment</th><th>message</th><th>evidence</th></tr></thead><tbody>\n"
            + "\n".join(rows) + "\n</tbody></table>")


def _entity_table(entities) -> str:
    if entities is None:
        return '<p class="missing">No entity table (the entity checks did not run).</p>'
    if not entities:
        return '<p class="missing">No entities found.</p>'
    cols: list[str] = []
    for row in entities:
        for key in (row if isinstance(row, dict) else {}):
            if key not in cols:
                cols.append(key)

    def item(v) -> str:
        if isinstance(v, dict) and "text" in v:
            where = v.get("paragraphs")
            return f"{v['text']}" + (f" (¶{', '.join(map(str, where))})" if where else "")
        if isinstance(v, dict):
            return ", ".join(f"{a}: {b}" for a, b in v.items())
        return str(v)

    def cell(v) -> str:
        if isinstance(v, list | tuple):
            return esc("; ".join(item(x) for x in v))
        if isinstance(v, dict):
            return esc(", ".join(f"{a}: {b}" for a, b in v.items()))
        return esc(v)

    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    body = "\n".join("<tr>" + "".join(f"<td>{cell(row.get(c))}</td>" for c in cols) + "</tr>"
                     for row in entities if isinstance(row, dict))
    return f'<table class="entities"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>'


def document_body(report: Report, result: DocResult) -> str:
    src, tgt = report.source, report.translation
    status = result.shown_status
    rule = [i for i in report.issues if counts_for_gate(i)]
    counts = {s: sum(1 for i in rule if i.severity == s) for s in ("critical", "major", "minor")}
    advisory = sum(1 for i in report.issues if not counts_for_gate(i) and i.shown)
    reasons = "".join(f"<li>{esc(r)}</li>" for r in result.reasons)
    models = ", ".join(m.name for m in report.models) or "—"
    return (
        f'<header><h1>mtqa report: {esc(tgt.path or "<stdin>")}</h1>\n'
        f'<p><span class="verdict verdict-{status}" id="verdict">{esc(status)}</span> '
        f'document score <strong id="doc-score">{report.score:.3f}</strong> '
        f'<meter {DOC_METER_RANGE} value="{report.score:.4f}"></meter> '
        f"(mtqa verdict {esc(report.verdict)}; {esc(mqm_phrase(report))})</p>\n"
        + (f'<ul class="reasons">{reasons}</ul>\n' if reasons else "")
        + '<dl class="meta">'
        f"<dt>source</dt><dd>{esc(src.path or '<stdin>')} ({esc(src.lang)}"
        f"{', detected' if src.lang_detected else ''}; {src.paragraphs} ¶, {src.sentences} sentences)</dd>"
        f"<dt>translation</dt><dd>{esc(tgt.path or '<stdin>')} ({esc(tgt.lang)}"
        f"{', detected' if tgt.lang_detected else ''}; {tgt.paragraphs} ¶, {tgt.sentences} sentences)</dd>"
        f"<dt>issues</dt><dd>{counts['critical']} critical, {counts['major']} major, "
        f"{counts['minor']} minor; {advisory} advisory QE-model span(s)</dd>"
        f"<dt>models</dt><dd>{esc(models)}</dd></dl></header>\n"
        '<section id="segments"><h2>Segments</h2>\n<table class="segments"><thead><tr><th>#</th><th>¶</th>'
        f'<th>source ({esc(src.lang)})</th><th>translation ({esc(tgt.lang)})</th><th>score</th></tr></thead>'
        f"<tbody>\n{_segment_rows(report)}\n</tbody></table></section>\n"
        f'<section id="issues"><h2>Issues</h2>\n{_issue_rows(report)}</section>\n'
        f'<section id="entities"><h2>Entities</h2>\n{_entity_table(report.entities)}</section>'
    )


def render_html(report: Report, result: DocResult | None = None) -> str:
    result = result or verdict_result(report)
    return page(f"mtqa: {report.translation.path or 'report'}", document_body(report, result))


def render_index(results: list[DocResult], links: dict[int, str]) -> str:
    rows = []
    for k, res in enumerate(results):
        rep = res.report
        score = f"{rep.score:.3f}" if rep else "—"
        counts = ", ".join(f"{sum(1 for i in rep.issues if i.severity == s and counts_for_gate(i))} {s}"
                           for s in ("critical", "major", "minor")) if rep else esc(res.error or "")
        name = esc(res.translation)
        link = f'<a href="{esc(links[k])}">{name}</a>' if k in links else name
        rows.append(f'<tr><td><span class="verdict verdict-{res.status}">{res.status}</span></td>'
                    f"<td>{link}</td><td>{esc(res.source or '')}</td><td class=\"num\">{score}</td>"
                    f"<td>{counts}</td><td>{esc('; '.join(res.reasons))}</td></tr>")
    failed = sum(1 for r in results if r.status != "pass")
    body = (f"<header><h1>mtqa check: {len(results)} documents, {failed} failed</h1></header>\n"
            '<table class="index"><thead><tr><th>status</th><th>translation</th><th>source</th><th>score</th>'
            "<th>issues</th><th>reasons</th></tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>")
    return page("mtqa check", body)


def _render(results: Sequence[DocResult], *, color: bool | None = None) -> str:
    return render_html(one_report(results), results[0])


RENDERER = Renderer("html", _render, True, "a self-contained HTML page, issues highlighted in place")
