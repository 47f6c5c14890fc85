"""Stable fingerprints of issues (`mtqa/v1`): the identity of a finding across commits.

A fingerprint hashes what the finding is about, never where it is: the check, the issue type, the
flagged translation text, the source text it answers to (a little context from the other side) and the
evidence, each normalised (Unicode NFKC, whitespace runs folded to one space). An edit elsewhere in the
document shifts every offset but changes no fingerprint; the same finding twice in one document has the
same fingerprint twice (baselines count them as a multiset).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from mtqa.report import Issue

#: the version of the recipe: the SARIF partialFingerprints key, and the first field hashed
FINGERPRINT_KEY = "mtqa/v1"
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC, whitespace runs as one space, trimmed; case and punctuation kept (SDS is not sds)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def _span(text: str | None, start: int | None, end: int | None) -> str:
    if text is None or start is None or end is None:
        return ""
    return normalise(text[start:end])


def fingerprint(issue: Issue, target_text: str | None = None, source_text: str | None = None) -> str:
    """The fingerprint of one issue; `target_text` and `source_text` are the texts its offsets point into
    (the extracted texts the checks ran on, or the files' texts)."""
    parts = [
        FINGERPRINT_KEY,
        issue.check or "",
        issue.type,
        _span(target_text, issue.target_start, issue.target_end),
        _span(source_text, issue.source_start, issue.source_end),
        [normalise(e) for e in issue.evidence],
    ]
    blob = json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def assign_fingerprints(issues: list[Issue], target_text: str | None, source_text: str | None) -> None:
    """Fill in the fingerprint of every issue (offsets still into `target_text` / `source_text`)."""
    for issue in issues:
        issue.fingerprint = fingerprint(issue, target_text, source_text)


__all__ = ["FINGERPRINT_KEY", "assign_fingerprints", "fingerprint", "normalise"]
