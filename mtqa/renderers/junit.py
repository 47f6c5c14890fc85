"""JUnit XML: one testcase per document; a failing document's <failure> lists its issues."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from mtqa.renderers import DocResult, issue_location

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("\ufffd", text)


def issue_lines(res: DocResult) -> list[str]:
    report = res.report
    if report is None:
        return []
    lines = []
    for issue in report.issues:
        loc = issue_location(report, issue)
        where = f"{res.translation}:{loc.start_line}:{loc.start_column}" if loc else res.translation
        lines.append(f"{where}: {issue.severity} {issue.type}: {issue.message}")
    return lines


def render_junit(results: list[DocResult], name: str = "mtqa") -> str:
    failures = sum(1 for r in results if r.status == "fail")
    errors = sum(1 for r in results if r.status == "error")
    total_time = sum((r.report.timing.get("total", 0.0) if r.report else 0.0) for r in results)
    suites = ET.Element("testsuites", name=name, tests=str(len(results)), failures=str(failures),
                        errors=str(errors), time=f"{total_time:.3f}")
    suite = ET.SubElement(suites, "testsuite", name=name, tests=str(len(results)), failures=str(failures),
                          errors=str(errors), skipped="0", time=f"{total_time:.3f}")
    for res in results:
        case_time = res.report.timing.get("total", 0.0) if res.report else 0.0
        case = ET.SubElement(suite, "testcase", classname=f"{name}.translation", name=_clean(res.translation),
                             file=_clean(res.translation), time=f"{case_time:.3f}")
        lines = issue_lines(res)
        if res.error:
            err = ET.SubElement(case, "error", message=_clean(res.error), type="input")
            err.text = _clean(res.error)
        elif not res.passed:
            fail = ET.SubElement(case, "failure", message=_clean("; ".join(res.reasons) or "failed"),
                                 type="translation-quality")
            fail.text = _clean("\n".join(res.reasons + lines))
        if res.report is not None:
            rep = res.report
            out = ET.SubElement(case, "system-out")
            out.text = _clean(f"score {rep.score:.4f} verdict {rep.verdict} source {res.source}\n"
                              + "\n".join(lines))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
