"""Waivers: `[[waive]]` entries of `mtqa.toml` (or `[[tool.mtqa.waive]]`), accepted findings.

    [[waive]]
    type = "entity-mismatch"            # an issue type or a check name (required)
    text = "Beirut"                     # the flagged translation text, exact (optional)
    source = "Damas"                    # the source evidence, exact (optional)
    path = "articles/en/2019/*"         # glob on the translation or source path (optional)
    reason = "checked with the desk"    # required
    until = 2027-06-30                  # optional: after that day the waiver is reported and not applied

A waived issue stays in every report, marked with the reason, and does not count toward the thresholds.
Errors name the file, line and column of the entry or key, like the other configuration errors.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

from mtqa.errors import MtqaError
from mtqa.report import Issue

WAIVE_KEYS = ("type", "text", "source", "path", "reason", "until")
_HEADER = re.compile(r"^\s*\[\[\s*(?:tool\s*\.\s*mtqa\s*\.\s*)?waive\s*\]\]")
_TABLE = re.compile(r"^\s*\[")
_KEY = re.compile(r"^(\s*)([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")


@dataclass
class Waiver:
    type: str
    reason: str
    text: str | None = None
    source: str | None = None
    path: str | None = None
    until: dt.date | None = None
    #: where it is written: "mtqa.toml:12:1"
    where: str = ""

    def expired(self, today: dt.date | None = None) -> bool:
        return self.until is not None and (today or dt.date.today()) > self.until

    def describe(self) -> str:
        what = self.type + "".join(f' {k}="{v}"' for k, v in (("text", self.text), ("source", self.source),
                                                              ("path", self.path)) if v)
        return f"{self.where}: waiver {what}"

    def matches(self, issue: Issue, flagged: str | None, source_text: str | None, paths: list[str]) -> bool:
        """Whether the waiver covers the issue; `flagged` is the issue's text in the translation,
        `source_text` its source text (where it has a span there), `paths` the document's paths."""
        if self.type not in (issue.type, issue.check):
            return False
        if self.text is not None and self.text not in {flagged, *issue.evidence[:1]}:
            return False
        if self.source is not None and self.source not in {source_text, *issue.evidence[1:]}:
            return False
        return self.path is None or any(fnmatch.fnmatch(p, self.path) for p in paths if p)


def positions(text: str) -> list[tuple[int, int, dict[str, tuple[int, int]]]]:
    """(line, column, {key: (line, column)}) of each `[[waive]]` table of a TOML text, in order."""
    out: list[tuple[int, int, dict[str, tuple[int, int]]]] = []
    current: dict[str, tuple[int, int]] | None = None
    for n, line in enumerate(text.splitlines(), 1):
        if _HEADER.match(line):
            current = {}
            out.append((n, len(line) - len(line.lstrip()) + 1, current))
            continue
        if _TABLE.match(line):
            current = None
            continue
        m = _KEY.match(line)
        if current is not None and m:
            current.setdefault(m.group(2).strip('"'), (n, len(m.group(1)) + 1))
    return out


def _date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise MtqaError(f"{where}: [[waive]]: 'until' must be a date, e.g. until = 2027-06-30")


def parse_waivers(raw: object, path: Path | None) -> list[Waiver]:
    """The waivers of a configuration's `waive` array; `path` is the configuration file (for positions)."""
    name = str(path) if path else "config"
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise MtqaError(f"{name}: 'waive' must be an array of tables ([[waive]])")
    try:
        found = positions(path.read_text(encoding="utf-8-sig")) if path and path.is_file() else []
    except (OSError, UnicodeDecodeError):
        found = []
    out: list[Waiver] = []
    for k, entry in enumerate(raw):
        line, col, keys = found[k] if k < len(found) else (None, None, {})
        at = f"{name}:{line}:{col}" if line else f"{name}: waive #{k + 1}"

        def key_at(key: str, at: str = at, keys: dict = keys) -> str:
            return f"{name}:{keys[key][0]}:{keys[key][1]}" if key in keys else at

        if not isinstance(entry, dict):
            raise MtqaError(f"{at}: each [[waive]] entry must be a table")
        bad = sorted(set(entry) - set(WAIVE_KEYS))
        if bad:
            raise MtqaError(f"{key_at(bad[0])}: [[waive]]: unknown key {bad[0]!r}; expected one of "
                            f"{', '.join(WAIVE_KEYS)}")
        for key in ("type", "reason"):
            if key not in entry:
                raise MtqaError(f"{at}: [[waive]]: '{key}' is required"
                                + (" (say why the finding is accepted)" if key == "reason" else ""))
        for key in ("type", "text", "source", "path", "reason"):
            if key in entry and (not isinstance(entry[key], str) or not entry[key].strip()):
                raise MtqaError(f"{key_at(key)}: [[waive]]: '{key}' must be a non-empty string")
        until = _date(entry["until"], key_at("until")) if "until" in entry else None
        out.append(Waiver(entry["type"], entry["reason"], entry.get("text"), entry.get("source"),
                          entry.get("path"), until, at))
    return out


__all__ = ["WAIVE_KEYS", "Waiver", "parse_waivers", "positions"]
