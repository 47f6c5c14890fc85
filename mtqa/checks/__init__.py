"""Rule and entity checks: one small documented function per check, registered by name.

Each check receives a CheckContext and yields Issues. The docstring of a check is its help text
(shown by `mtqa checks` and in SARIF rules); `category` is its issue type and MQM path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mtqa.document import Document
from mtqa.report import Issue, Segment


@dataclass
class CheckContext:
    source: Document
    target: Document
    segments: list[Segment]
    glossary: list[tuple[str, str]] = field(default_factory=list)
    #: per-segment combined QE score; None for 1-0 / 0-1
    scores: list[float | None] = field(default_factory=list)
    #: shared scratch space between checks (e.g. the entity table)
    shared: dict = field(default_factory=dict)


CheckFn = Callable[[CheckContext], Iterable[Issue]]


@dataclass
class CheckInfo:
    name: str
    issue_type: str
    mqm: str
    fn: CheckFn
    profiles: tuple[str, ...]

    @property
    def help(self) -> str:
        return " ".join((self.fn.__doc__ or "").split())


CHECKS: dict[str, CheckInfo] = {}


def check(name: str, *, issue_type: str, mqm: str, profiles: tuple[str, ...] = ("fast", "accurate")):
    """Register a check function under `name`."""

    def deco(fn: CheckFn) -> CheckFn:
        CHECKS[name] = CheckInfo(name, issue_type, mqm, fn, profiles)
        return fn

    return deco


def load_checks() -> dict[str, CheckInfo]:
    from mtqa.checks import alignment  # noqa: F401

    try:
        from mtqa.checks import rules  # noqa: F401
    except ImportError:
        pass
    try:
        from mtqa.checks import entity  # noqa: F401
    except ImportError:
        pass
    # fidelity against the source (issue 14): dates, polarity, entities, garbled sentences
    from mtqa.checks import dates, fidelity, garbled, omission, polarity  # noqa: F401

    return CHECKS


def run_checks(ctx: CheckContext, profile: str = "accurate", disabled: Iterable[str] = ()) -> list[Issue]:
    issues: list[Issue] = []
    skip = set(disabled)
    for info in load_checks().values():
        if info.name in skip or profile not in info.profiles:
            continue
        for issue in info.fn(ctx):
            if not issue.mqm:
                issue.mqm = info.mqm
            if issue.check is None:
                issue.check = info.name
            issues.append(issue)
    issues.sort(key=lambda i: (i.target_start if i.target_start is not None else 10**12, i.type))
    return issues
