"""Baselines: the fingerprints of the findings a publication has accepted, per document.

`mtqa check --write-baseline FILE` writes them as readable, sorted JSON (each with its type, check,
severity and message, so a reviewer can read the diff); `--baseline FILE` (or `baseline = "FILE"` in
mtqa.toml) then counts only the findings that are not in it toward the thresholds. Matching is a multiset
per document: a fingerprint written twice covers two findings, a third one is new.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mtqa.errors import MtqaError
from mtqa.report import Issue

BASELINE_SCHEMA = "mtqa.baseline/1"


@dataclass(frozen=True, order=True)
class BaselineEntry:
    type: str
    message: str
    fingerprint: str
    check: str = ""
    severity: str = ""


@dataclass
class BaselineCounts:
    """Findings of a document (or a run) against a baseline."""

    known: int = 0
    new: int = 0
    fixed: int = 0

    def __add__(self, other: BaselineCounts) -> BaselineCounts:
        return BaselineCounts(self.known + other.known, self.new + other.new, self.fixed + other.fixed)

    def __str__(self) -> str:
        return f"{self.known} known, {self.new} new, {self.fixed} fixed"


@dataclass
class Baseline:
    #: document key (translation path relative to the configuration's folder) -> its accepted findings
    documents: dict[str, list[BaselineEntry]] = field(default_factory=dict)
    #: a baseline being written: every finding of this run is accepted (`documents`: the previous one)
    accept_all: bool = False

    def known(self, key: str) -> Counter[str]:
        return Counter(e.fingerprint for e in self.documents.get(key, []))

    def match(self, key: str, issues: list[Issue]) -> BaselineCounts:
        """Mark each issue `unchanged` or `new` (multiset match on fingerprints); the counts."""
        left = self.known(key)
        if self.accept_all:  # a baseline being rewritten: all known; what the old one had more, fixed
            for issue in issues:
                issue.baseline = "unchanged"
                left[issue.fingerprint] -= 1
            return BaselineCounts(known=len(issues), fixed=sum(n for n in left.values() if n > 0))
        counts = BaselineCounts()
        for issue in issues:
            if left[issue.fingerprint] > 0:
                left[issue.fingerprint] -= 1
                issue.baseline = "unchanged"
                counts.known += 1
            else:
                issue.baseline = "new"
                counts.new += 1
        counts.fixed = sum(left.values())
        return counts

    def dumps(self) -> str:
        docs = {key: [asdict(e) for e in sorted(entries)] for key, entries in sorted(self.documents.items())
                if entries}
        return json.dumps({"schema": BASELINE_SCHEMA, "documents": docs}, ensure_ascii=False, indent=2) + "\n"


def entries(issues: Iterable[Issue]) -> list[BaselineEntry]:
    return [BaselineEntry(i.type, i.message, i.fingerprint, i.check or "", i.severity) for i in issues]


def updated(previous: Baseline | None, checked: dict[str, list[Issue]]) -> Baseline:
    """The baseline to write: the findings of the documents checked now, and the previous baseline's
    entries for the documents not checked in this run (a run on some paths keeps the others)."""
    docs = {k: list(v) for k, v in (previous.documents.items() if previous else ())}
    for key, issues in checked.items():
        docs[key] = entries(issues)
    return Baseline(docs)


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline file; a missing or malformed one is one line of error."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise MtqaError(f"{path}: no such baseline; write one with mtqa check --write-baseline {path}") \
            from None
    except OSError as exc:
        raise MtqaError(f"{path}: cannot read the baseline ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f":{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise MtqaError(f"{path}{where}: not a baseline JSON file ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA or \
            not isinstance(data.get("documents"), dict):
        raise MtqaError(f"{path}: not an mtqa baseline (expected \"schema\": \"{BASELINE_SCHEMA}\" and "
                        "\"documents\")")
    docs: dict[str, list[BaselineEntry]] = {}
    for key, items in data["documents"].items():
        if not isinstance(items, list) or not all(
                isinstance(i, dict) and isinstance(i.get("fingerprint"), str) for i in items):
            raise MtqaError(f"{path}: document {key!r}: expected a list of entries with a \"fingerprint\"")
        docs[key] = [BaselineEntry(str(i.get("type", "")), str(i.get("message", "")), i["fingerprint"],
                                   str(i.get("check", "")), str(i.get("severity", ""))) for i in items]
    return Baseline(docs)


__all__ = ["BASELINE_SCHEMA", "Baseline", "BaselineCounts", "BaselineEntry", "load_baseline", "updated"]
