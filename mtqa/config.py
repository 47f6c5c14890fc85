"""`mtqa check` configuration: `mtqa.toml`, or `[tool.mtqa]` in `pyproject.toml`.

    src_lang = "fr"                      # optional: detected when omitted
    tgt_lang = "en"
    glossary = "glossary.csv"            # optional; paths are relative to the config file
    profile = "fast"                     # accurate (default) | fast
    encoder = "use-m3"                   # optional: default use-m3-static for fast, use-m3 for accurate
    exclude = ["articles/fr/drafts/*"]   # glob patterns on source or translation paths

    [[pairs]]                            # or `source` / `translation` at the top level for one pair
    source = "articles/fr/*.md"
    translation = "articles/en/{stem}.md"   # {stem} {name} {suffix} {parent} {relpath} {relstem}

    [[pairs]]
    files = "l10n/*.xlf"                 # bilingual XLIFF / PO / TMX: both sides in one file

    [thresholds]
    max_mqm = 10                         # most estimated MQM penalty per 100 source words (default FAIL_MQM)
    pass_mqm = 5                         # the verdict's publishable cut-score (default PASS_MQM)
    min_score = 0.5                      # minimum document score (default: none)
    max_issues = { critical = 0, major = 10 }   # most issues allowed per severity
    fail_on = ["entity-inconsistency"]   # issue types that always fail a document

    baseline = ".mtqa-baseline.json"     # optional: accepted findings (mtqa check --write-baseline)
    [[waive]]                            # accepted findings, one by one (mtqa.waivers)
    type = "entity-mismatch"
    reason = "checked with the desk"
"""

from __future__ import annotations

import fnmatch
import glob
import re
from dataclasses import dataclass, field
from pathlib import Path

from mtqa.document import DEFAULT_MAX_CHARS
from mtqa.errors import MtqaError
from mtqa.profiles import DEFAULT_PROFILE, PROFILES
from mtqa.report import ISSUE_TYPES, SEVERITY_WEIGHTS
from mtqa.waivers import Waiver, parse_waivers

TOP_KEYS = {"src_lang", "tgt_lang", "glossary", "profile", "exclude", "pairs", "source", "translation",
            "files", "thresholds", "encoder", "disable", "max_chars", "allow_missing", "baseline",
            "waive"}
PAIR_KEYS = {"source", "translation", "files", "src_lang", "tgt_lang", "glossary"}
THRESHOLD_KEYS = {"min_score", "max_issues", "fail_on", "max_mqm", "pass_mqm"}
#: the verdict's MQM cut-scores (estimated penalty per 100 source words; mtqa.gate applies them), chosen on
#: the training part of the document benchmark so that professional human translations pass and the worst
#: systems' documents fail (tools/fit_document.py)
PASS_MQM = 11.0
FAIL_MQM = 14.5


@dataclass
class Thresholds:
    #: a document fails the gate when its estimated MQM per 100 source words is above this (None: never)
    max_mqm: float | None = FAIL_MQM
    #: the verdict's publishable cut-score (reports show pass/warn/fail with it)
    pass_mqm: float = PASS_MQM
    min_score: float = 0.0
    max_issues: dict[str, int] = field(default_factory=lambda: {"critical": 0})
    fail_on: list[str] = field(default_factory=list)


@dataclass
class PairRule:
    source: str  # glob, relative to the config's folder
    translation: str | None  # template; None for bilingual files
    src_lang: str | None = None
    tgt_lang: str | None = None
    glossary: str | None = None


@dataclass
class DocumentPair:
    source: Path
    translation: Path | None  # None: bilingual file (source holds both sides)
    rule: PairRule


@dataclass
class Config:
    root: Path
    path: Path | None
    pairs: list[PairRule]
    thresholds: Thresholds = field(default_factory=Thresholds)
    exclude: list[str] = field(default_factory=list)
    src_lang: str | None = None
    tgt_lang: str | None = None
    glossary: str | None = None
    profile: str = DEFAULT_PROFILE
    encoder: str | None = None  # None: the profile's (mtqa.profiles)
    disable: list[str] = field(default_factory=list)
    max_chars: int = DEFAULT_MAX_CHARS
    allow_missing: bool = False
    baseline: str | None = None  # relative to root
    waivers: list[Waiver] = field(default_factory=list)

    def documents(self) -> list[DocumentPair]:
        return expand(self)


def _toml_error(path: Path, exc: Exception, text: str) -> MtqaError:
    """One line with the file, line and column of a TOML syntax error."""
    msg = str(exc)
    line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if line is None and "(at end of document)" in msg:
        line, col = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1
        msg = msg.replace("(at end of document)", "(at end of file)")
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)", msg)
    if m:
        line, col = int(m.group(1)), int(m.group(2))
        msg = msg[:m.start()] + msg[m.end():]
    msg = (getattr(exc, "msg", None) or msg).strip()
    if line is None:
        return MtqaError(f"{path}: invalid TOML: {msg}")
    return MtqaError(f"{path}:{line}:{col}: invalid TOML at line {line}, column {col}: {msg}")


def _load_toml(path: Path) -> dict:
    import tomllib

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MtqaError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MtqaError(f"{path}: not valid UTF-8 at byte {exc.start}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(path, exc, text) from None


def find_config(explicit: str | None = None, cwd: Path | None = None) -> tuple[Path, dict]:
    """(config file, the mtqa table) from --config, else ./mtqa.toml, else ./pyproject.toml [tool.mtqa]."""
    cwd = cwd or Path.cwd()
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise MtqaError(f"{explicit}: no such config file")
        data = _load_toml(path)
        if path.name == "pyproject.toml" or ("tool" in data and "mtqa" in data.get("tool", {})):
            table = data.get("tool", {}).get("mtqa")
            if table is None:
                raise MtqaError(f"{explicit}: no [tool.mtqa] table")
            return path, table
        return path, data
    path = cwd / "mtqa.toml"
    if path.is_file():
        return path, _load_toml(path)
    path = cwd / "pyproject.toml"
    if path.is_file():
        table = _load_toml(path).get("tool", {}).get("mtqa")
        if table is not None:
            return path, table
    raise MtqaError(f"no mtqa.toml (or [tool.mtqa] in pyproject.toml) in {cwd}; create one "
                    "(see docs/check.md) or give --config FILE")


def _unknown(where: str, keys, allowed: set[str]) -> None:
    bad = sorted(set(keys) - allowed)
    if bad:
        raise MtqaError(f"{where}: unknown key{'s' if len(bad) > 1 else ''} {', '.join(map(repr, bad))}; "
                        f"expected one of {', '.join(sorted(allowed))}")


def _str(where: str, key: str, value, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise MtqaError(f"{where}: '{key}' must be a non-empty string")
    return value


def _langs(where: str, table: dict) -> tuple[str | None, str | None]:
    return _str(where, "src_lang", table.get("src_lang")), _str(where, "tgt_lang", table.get("tgt_lang"))


def _pair(where: str, table) -> PairRule:
    if not isinstance(table, dict):
        raise MtqaError(f"{where}: each [[pairs]] entry must be a table")
    _unknown(where, table, PAIR_KEYS)
    if "files" in table:
        if "source" in table or "translation" in table:
            raise MtqaError(f"{where}: give either 'files' (bilingual) or 'source' and 'translation'")
        return PairRule(_str(where, "files", table["files"], optional=False), None,
                        *_langs(where, table),
                        _str(where, "glossary", table.get("glossary")))
    if "source" not in table or "translation" not in table:
        raise MtqaError(f"{where}: needs 'source' and 'translation' (e.g. source = \"articles/fr/*.md\", "
                        "translation = \"articles/en/{stem}.md\"), or 'files' for bilingual files")
    return PairRule(_str(where, "source", table["source"], optional=False),
                    _str(where, "translation", table["translation"], optional=False),
                    *_langs(where, table),
                    _str(where, "glossary", table.get("glossary")))


def parse_config(table: dict, path: Path | None, root: Path) -> Config:
    where = str(path) if path else "config"
    if not isinstance(table, dict):
        raise MtqaError(f"{where}: the mtqa configuration must be a table")
    _unknown(where, table, TOP_KEYS)
    pairs: list[PairRule] = []
    if any(k in table for k in ("source", "translation", "files")):
        pairs.append(_pair(where, {k: table[k] for k in ("source", "translation", "files") if k in table}))
    raw_pairs = table.get("pairs", [])
    if not isinstance(raw_pairs, list):
        raise MtqaError(f"{where}: 'pairs' must be an array of tables ([[pairs]])")
    for k, entry in enumerate(raw_pairs, 1):
        pairs.append(_pair(f"{where}: pairs #{k}", entry))
    if not pairs:
        raise MtqaError(f"{where}: no documents configured; add source = \"...\" and translation = \"...\" "
                        "(or [[pairs]] entries)")
    th = table.get("thresholds", {})
    if not isinstance(th, dict):
        raise MtqaError(f"{where}: [thresholds] must be a table")
    _unknown(f"{where}: [thresholds]", th, THRESHOLD_KEYS)
    thresholds = Thresholds()
    if "min_score" in th:
        v = th["min_score"]
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1:
            raise MtqaError(f"{where}: thresholds.min_score must be a number between 0 and 1")
        thresholds.min_score = float(v)
    for key in ("max_mqm", "pass_mqm"):
        if key in th:
            v = th[key]
            if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
                raise MtqaError(f"{where}: thresholds.{key} must be a number >= 0 (MQM points per 100 words)")
            setattr(thresholds, key, float(v))
    if "max_issues" in th:
        mi = th["max_issues"]
        if not isinstance(mi, dict):
            raise MtqaError(f"{where}: thresholds.max_issues must be a table, "
                            "e.g. { critical = 0, major = 5 }")
        _unknown(f"{where}: thresholds.max_issues", mi, set(SEVERITY_WEIGHTS))
        for sev, n in mi.items():
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise MtqaError(f"{where}: thresholds.max_issues.{sev} must be a whole number >= 0")
        thresholds.max_issues = dict(mi)
    if "fail_on" in th:
        fo = th["fail_on"]
        if not isinstance(fo, list) or not all(isinstance(x, str) for x in fo):
            raise MtqaError(f"{where}: thresholds.fail_on must be a list of issue types")
        bad = [x for x in fo if x not in ISSUE_TYPES]
        if bad:
            raise MtqaError(f"{where}: thresholds.fail_on: unknown issue type {bad[0]!r}; "
                            f"expected one of {', '.join(ISSUE_TYPES)}")
        thresholds.fail_on = list(fo)
    exclude = table.get("exclude", [])
    if isinstance(exclude, str):
        exclude = [exclude]
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        raise MtqaError(f"{where}: 'exclude' must be a list of glob patterns")
    profile = table.get("profile", DEFAULT_PROFILE)
    if profile not in PROFILES:
        raise MtqaError(f"{where}: 'profile' must be " + " or ".join(f'"{p}"' for p in PROFILES))
    disable = table.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(x, str) for x in disable):
        raise MtqaError(f"{where}: 'disable' must be a list of check names")
    max_chars = table.get("max_chars", DEFAULT_MAX_CHARS)
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars <= 0:
        raise MtqaError(f"{where}: 'max_chars' must be a positive whole number")
    allow_missing = table.get("allow_missing", False)
    if not isinstance(allow_missing, bool):
        raise MtqaError(f"{where}: 'allow_missing' must be true or false")
    return Config(
        root=root, path=path, pairs=pairs, thresholds=thresholds, exclude=list(exclude),
        src_lang=_langs(where, table)[0], tgt_lang=_langs(where, table)[1],
        glossary=_str(where, "glossary", table.get("glossary")), profile=profile,
        encoder=_str(where, "encoder", table.get("encoder")) or None, disable=list(disable),
        max_chars=max_chars, allow_missing=allow_missing,
        baseline=_str(where, "baseline", table.get("baseline")),
        waivers=parse_waivers(table.get("waive"), path),
    )


def load_config(explicit: str | None = None, cwd: Path | None = None) -> Config:
    path, table = find_config(explicit, cwd)
    return parse_config(table, path, path.parent)


def _static_prefix(pattern: str) -> str:
    parts = []
    for part in pattern.split("/"):
        if glob.has_magic(part):
            break
        parts.append(part)
    else:
        parts = parts[:-1]
    return "/".join(parts)


def excluded(rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.rstrip("/") + "/*") for p in patterns)


def expand(config: Config) -> list[DocumentPair]:
    """The document pairs the configuration names, in a stable order, exclusions applied."""
    out: list[DocumentPair] = []
    seen: set[tuple[str, str | None]] = set()
    for rule in config.pairs:
        pattern = rule.source.replace("\\", "/")
        prefix = _static_prefix(pattern)
        matches = sorted(glob.glob(pattern, root_dir=config.root, recursive=True))
        for rel in matches:
            rel = rel.replace("\\", "/")
            if (config.root / rel).is_dir():
                continue
            p = Path(rel)
            relpath = rel[len(prefix) + 1:] if prefix and rel.startswith(prefix + "/") else rel
            fields = {"stem": p.stem, "name": p.name, "suffix": p.suffix, "parent": p.parent.as_posix(),
                      "relpath": relpath, "relstem": relpath[: len(relpath) - len(p.suffix)] if p.suffix
                      else relpath}
            tgt_rel = None
            if rule.translation is not None:
                try:
                    tgt_rel = rule.translation.format_map(fields)
                except KeyError as exc:
                    raise MtqaError(
                        f"translation = {rule.translation!r}: unknown placeholder {{{exc.args[0]}}}; "
                        "use {stem}, {name}, {suffix}, {parent}, {relpath} or {relstem}") from None
                except (ValueError, IndexError) as exc:
                    raise MtqaError(f"translation = {rule.translation!r}: {exc}") from None
            if excluded(rel, config.exclude) or (tgt_rel and excluded(tgt_rel, config.exclude)):
                continue
            key = (rel, tgt_rel)
            if key in seen:
                continue
            seen.add(key)
            tgt_path = None if tgt_rel is None else config.root / tgt_rel
            out.append(DocumentPair(config.root / rel, tgt_path, rule))
    return out
