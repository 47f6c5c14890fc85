"""How far each kind of flag is trusted, from its precision measured on MQM-rated documents.

One data file, `mtqa/data/flag-precision.json` (written by `tools/fit_document.py precision`), holds the
floors and the measurements. Two policies follow from it, both applied by the pipeline after the checks:

* **A precision floor decides severity.** Where a kind of rule check's `major` flags (`kind_of`: "negation
  dropped", "number changed"...) in a language pair was measured (at least `min_flags` of them on
  MQM-rated documents), they stay major only if they overlapped a
  rated error at least `precision` of the time and at least `over_chance` above the same spans placed at
  random (with fewer flags, only if the 95% interval still reaches the floor); below the floor the flag is
  reported as `minor`, and the issue says why (`demoted`). Where no
  rated data covers the pair, the checks' own language knowledge decides (a check without the numerals or
  names of a language raises no major there). Critical flags and the user's own glossary are not touched.
* **Model spans earn their place.** A learned scorer's span is major (confidence 0.8) only in a pair where
  its shown spans were measured to reach the same floor, else minor. It is shown in text and HTML only
  from the confidence at which its measured precision beat chance by the margin, at most `per_segment` a
  segment (the most confident); the others stay in the JSON with `shown: false`.

Imported by the pipeline, the gate and the CLI; it imports only the report model and mtqa.lang.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mtqa.lang.capabilities import CHECK_KNOWLEDGE, knows
from mtqa.lang.codes import primary
from mtqa.report import Issue

PRECISION_FILE = Path(__file__).resolve().parent / "data" / "flag-precision.json"
#: checks whose findings the user defined (a glossary term): their severity is the user's to set
USER_DEFINED_CHECKS = frozenset({"glossary"})
_ASIDE = re.compile(r"\([^)]*\)")
_QUOTED = re.compile(r"[\"“«].*[\"”»]")  # first quote to last: quoted text may hold quotes
_FIGURE = re.compile(r"¶\S*|[-+]?\d[\d.,]*%?")


def kind_of(message: str) -> str:
    """A finding's kind, the unit whose precision is measured: its message's lead phrase (up to the first
    colon or semicolon) without the quoted text, figures and asides, e.g. "negation dropped", "number not in
    the source", "said twice". One check raises several kinds, and they differ in precision."""
    lead = re.split(r"[:;]", _QUOTED.sub(" ", _ASIDE.sub(" ", message)), maxsplit=1)[0]
    return " ".join(_FIGURE.sub(" ", lead).split())


@dataclass(frozen=True)
class Floor:
    """What a check's major flags must reach to stay major."""

    precision: float
    over_chance: float
    min_flags: int


@dataclass(frozen=True)
class Measured:
    """One (check, kind, language pair) row: flags counted, their precision and chance precision."""

    flags: int
    precision: float
    chance: float


@dataclass(frozen=True)
class SpanRule:
    """From which confidence a scorer's spans are shown in one language pair, and what was measured."""

    min_confidence: float
    precision: float
    chance: float


@lru_cache(maxsize=1)
def _table() -> dict:
    return json.loads(PRECISION_FILE.read_text(encoding="utf-8"))


def floor() -> Floor:
    f = _table()["floor"]
    return Floor(float(f["precision"]), float(f["over_chance"]), int(f["min_flags"]))


def measured_on() -> str:
    """Which documents the precisions were measured on (for `mtqa checks --langs` and the reports)."""
    return str(_table()["measured_on"])


def pair_of(src_lang: str, tgt_lang: str) -> str:
    """The key of a language pair in the data file: "en-de" for en-GB → de-AT."""
    return f"{primary(src_lang)}-{primary(tgt_lang)}"


def measured_major(check: str, kind: str, pair: str) -> Measured | None:
    """The measured precision of one kind of `check`'s major flags in a language pair, or None."""
    row = _table()["rule_majors"].get(pair, {}).get(check, {}).get(kind)
    return Measured(int(row["flags"]), float(row["precision"]), float(row["chance"])) if row else None


def measured_kinds(check: str) -> dict[str, dict[str, Measured]]:
    """Kind -> language pair -> the measured precision of that kind of `check`'s major flags there."""
    out: dict[str, dict[str, Measured]] = {}
    for pair, checks in sorted(_table()["rule_majors"].items()):
        for kind, row in sorted(checks.get(check, {}).items()):
            out.setdefault(kind, {})[pair] = Measured(int(row["flags"]), float(row["precision"]),
                                                      float(row["chance"]))
    return out


def wilson_upper(p: float, n: int, z: float = 1.96) -> float:
    """The upper end of the 95% Wilson interval of a proportion p seen over n trials."""
    centre = p + z * z / (2 * n)
    spread = z * ((p * (1 - p) + z * z / (4 * n)) / n) ** 0.5
    return min(1.0, (centre + spread) / (1 + z * z / n))


def major_kept(check: str, kind: str, pair: str) -> tuple[bool, str]:
    """Whether one kind of `check`'s major flags stays major in a language pair, and if not, why."""
    if check in USER_DEFINED_CHECKS:
        return True, ""
    f, m = floor(), measured_major(check, kind, pair)
    if m is None:  # not measured: the check's own language knowledge decides
        unknown = [lang for lang in pair.split("-") if not knows(check, lang)]
        if unknown:
            need = " and ".join(CHECK_KNOWLEDGE[check]).replace("_", " ")
            return False, (f"major reported as minor: {check} has no {need} for {', '.join(unknown)} "
                           "(mtqa checks --langs)")
        return True, ""
    if m.flags < f.min_flags:  # too few to measure, unless even the best case is under the floor
        if wilson_upper(m.precision, m.flags) >= f.precision:
            return True, ""
        return False, (f"major reported as minor: these {check} majors in {pair} hit a rated error "
                       f"{round(m.precision * m.flags)} of {m.flags} times (floor {f.precision:.0%})")
    if _under(m.precision, m.chance, f):
        return False, _demoted_why(f"these {check} majors in {pair}", m.precision, m.chance, f)
    return True, ""


def _under(precision: float, chance: float, f: Floor) -> bool:
    return precision < f.precision or precision < chance + f.over_chance


def _demoted_why(whose: str, precision: float, chance: float, f: Floor) -> str:
    return (f"major reported as minor: {whose} hit a rated error {precision:.0%} of the time, chance "
            f"{chance:.0%} (floor {f.precision:.0%} and chance + {f.over_chance:.0%})")


def span_rule(pair: str) -> SpanRule | None:
    """The confidence from which model spans are shown in a language pair; None: none shown there."""
    row = _table()["model_spans"]["by_pair"].get(pair)
    if not row or row.get("min_confidence") is None:
        return None
    return SpanRule(float(row["min_confidence"]), float(row["precision"]), float(row["chance"]))


def measured_pairs() -> list[str]:
    """The language pairs the data file has measurements for."""
    return sorted(set(_table()["rule_majors"]) | set(_table()["model_spans"]["by_pair"]))


def spans_per_segment() -> int:
    return int(_table()["model_spans"]["per_segment"])


def span_major_kept(pair: str) -> tuple[bool, str]:
    """Whether a learned scorer's major spans stay major in a language pair: only where its shown spans
    were measured to reach the floor, as a rule check's majors must."""
    f, row = floor(), _table()["model_spans"]["by_pair"].get(pair)
    if row is None:
        return False, f"major reported as minor: the model's spans were never measured on rated {pair} data"
    rule = span_rule(pair)
    if rule is None:
        return False, (f"major reported as minor: no confidence of the model's spans in {pair} beat chance "
                       f"by {f.over_chance:.0%}")
    if _under(rule.precision, rule.chance, f):
        return False, _demoted_why(f"the model's shown spans in {pair}", rule.precision, rule.chance, f)
    return True, ""


def apply_floor(issues: Iterable[Issue], pair: str) -> None:
    """Demote, in place, the major issues whose kind has not earned major in the language pair: a rule
    check's kind, or a learned scorer's spans."""
    for issue in issues:
        if issue.severity != "major" or issue.origin not in ("rule", "model"):
            continue
        if issue.origin == "model":
            kept, why = span_major_kept(pair)
        else:
            kept, why = major_kept(issue.check or issue.type, kind_of(issue.message), pair)
        if not kept:
            issue.severity, issue.demoted = "minor", why


def mark_shown_spans(issues: Iterable[Issue], pair: str) -> None:
    """Set `shown` on the model spans: the most confident `spans_per_segment()` of a segment at or above the
    pair's confidence; none in a pair where no span confidence was measured to beat chance."""
    rule = span_rule(pair)
    by_segment: dict[object, list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.origin == "model":
            issue.shown = False
            by_segment[(issue.check, issue.segment)].append(issue)
    if rule is None:
        return
    for spans in by_segment.values():
        spans.sort(key=lambda i: -i.confidence)
        for issue in spans[: spans_per_segment()]:
            issue.shown = issue.confidence >= rule.min_confidence
