"""SARIF 2.1.0: one rule per issue type (with the help text of the checks that report it), one
result per issue, located in the translation file (line/column in code points, 1-based)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from mtqa import __version__
from mtqa.fingerprint import FINGERPRINT_KEY
from mtqa.gate import DocResult
from mtqa.renderers.base import Renderer
from mtqa.renderers.location import file_text, issue_location, locate, source_location
from mtqa.report import ISSUE_TYPES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "major": "warning", "minor": "note"}
_DEFAULT_HELP = {
    "mistranslation": "Segments whose meaning differs from the source (low quality-estimation score).",
    "fluency": "Segments that read badly in the target language.",
    "untranslated": "Source-language text left in the translation.",
    "number-mismatch": "Numbers, dates or amounts that differ between source and translation.",
    "entity-inconsistency": "Names of people, places or organisations rendered inconsistently.",
    "glossary": "Terms not translated as the glossary requires.",
    "punctuation": "Punctuation that does not follow the target language's conventions.",
    "length-ratio": "Segments much longer or shorter than their source.",
    "omission": "Source text with no counterpart in the translation.",
    "addition": "Translation text with no counterpart in the source.",
}
DOCUMENT_RULE = "document-threshold"


def rules() -> list[dict]:
    from mtqa.checks import load_checks

    by_type: dict[str, list] = {}
    for info in load_checks().values():
        by_type.setdefault(info.issue_type, []).append(info)
    out = []
    for issue_type in ISSUE_TYPES:
        infos = by_type.get(issue_type, [])
        help_text = " ".join(i.help for i in infos if i.help) or _DEFAULT_HELP.get(issue_type, issue_type)
        mqm = infos[0].mqm if infos else ""
        out.append({
            "id": issue_type,
            "name": "".join(w.capitalize() for w in issue_type.split("-")),
            "shortDescription": {"text": f"{issue_type}" + (f" ({mqm})" if mqm else "")},
            "fullDescription": {"text": help_text},
            "help": {"text": help_text},
            "defaultConfiguration": {"level": "warning"},
            "properties": {"checks": [i.name for i in infos], "mqm": mqm, "tags": ["translation-quality"]},
        })
    out.append({
        "id": DOCUMENT_RULE,
        "name": "DocumentThreshold",
        "shortDescription": {"text": "document below the configured thresholds"},
        "fullDescription": {"text": "The document's MQM estimate, score or issue counts are outside the "
                                    "thresholds set in mtqa.toml (max_mqm, min_score, max_issues, "
                                    "fail_on)."},
        "help": {"text": "Raise the translation's quality or adjust the thresholds in mtqa.toml."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"checks": [], "mqm": "", "tags": ["translation-quality"]},
    })
    return out


def artifact_uri(path: str | None) -> str:
    if not path:
        return "stdin"
    p = Path(path)
    return p.resolve().as_uri() if p.is_absolute() else p.as_posix()


def region(loc) -> dict:
    return {
        "startLine": loc.start_line, "startColumn": loc.start_column,
        "endLine": loc.end_line, "endColumn": loc.end_column,
        "charOffset": loc.start, "charLength": loc.end - loc.start,
    }


def related_source(res: DocResult, issue) -> list[dict]:
    """The issue's span in the source file, as a SARIF related location (none without a source span)."""
    loc = None if res.report is None else source_location(res.report, issue)
    if loc is None:
        return []
    return [{
        "id": 1,
        "physicalLocation": {"artifactLocation": {"uri": artifact_uri(res.source)}, "region": region(loc)},
        "message": {"text": "source text"},
    }]


def fixes(res: DocResult, issue, uri: str) -> list[dict]:
    """The issue's suggested fix as a SARIF fix: one replacement in the translation file."""
    text = None if res.report is None else file_text(res.report)
    sug = issue.suggestion
    if sug is None or text is None:
        return []
    loc = locate(text, sug.start, sug.end)
    return [{
        "description": {"text": f"Replace \"{text[sug.start:sug.end]}\" with \"{sug.text}\""},
        "artifactChanges": [{
            "artifactLocation": {"uri": uri},
            "replacements": [{"deletedRegion": region(loc), "insertedContent": {"text": sug.text}}],
        }],
    }]


def mark_result(result: dict, issue) -> None:
    """Fingerprint, baseline state and waiver (an accepted suppression) of one result."""
    if issue.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: issue.fingerprint}
    if issue.baseline is not None:
        result["baselineState"] = issue.baseline
    if issue.waived is not None:
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": issue.waived}]


def sarif_log(results: list[DocResult]) -> dict:
    rule_list = rules()
    index = {r["id"]: k for k, r in enumerate(rule_list)}
    sarif_results = []
    for res in results:
        uri = artifact_uri(res.translation)
        report = res.report
        if report is not None:
            for k, issue in enumerate(report.issues):
                loc = issue_location(report, issue)
                physical: dict = {"artifactLocation": {"uri": uri}}
                if loc is not None:
                    physical["region"] = region(loc)
                level = "error" if k in res.failing_issues else LEVELS[issue.severity]
                props = {"severity": issue.severity, "mqm": issue.mqm, "confidence": issue.confidence,
                         "evidence": issue.evidence, "segment": issue.segment,
                         "targetParagraph": issue.target_paragraph}
                result = {
                    "ruleId": issue.type, "ruleIndex": index[issue.type], "level": level,
                    "message": {"text": f"{issue.severity}: {issue.message}"},
                    "locations": [{"physicalLocation": physical}],
                    "properties": props,
                }
                mark_result(result, issue)
                fix = fixes(res, issue, uri)
                if fix:
                    result["fixes"] = fix
                related = related_source(res, issue)
                if related:
                    result["relatedLocations"] = related
                    result["message"]["text"] += " (source: [source text](1))"
                sarif_results.append(result)
        if not res.passed:
            text = "; ".join(res.reasons) or (res.error or "document failed")
            sarif_results.append({
                "ruleId": DOCUMENT_RULE, "ruleIndex": index[DOCUMENT_RULE], "level": "error",
                "message": {"text": f"{res.translation}: {text}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                "properties": {"score": None if report is None else round(report.score, 4),
                               "source": res.source},
            })
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mtqa", "version": __version__, "semanticVersion": __version__,
                "informationUri": "https://pypi.org/project/mtqa/", "rules": rule_list,
            }},
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    }


def render_sarif(results: list[DocResult]) -> str:
    return json.dumps(sarif_log(results), ensure_ascii=False, indent=2) + "\n"


def _render(results: Sequence[DocResult], *, color: bool | None = None) -> str:
    return render_sarif(list(results))


RENDERER = Renderer("sarif", _render, False, "SARIF 2.1.0 for code scanning")
