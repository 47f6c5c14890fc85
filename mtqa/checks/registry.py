"""The check registry: the `@check` decorator, `load_checks` (every family module of `mtqa.checks.families`,
imported; an import error propagates), `run_checks` for a run and `run_check` for one check.

The docstring of a check is its help text (shown by `mtqa checks --verbose` and in SARIF rules);
`issue_type` is its issue type, `mqm` its MQM path. A check that needs an optional package names it in
`requires=` (and imports it inside the function); it is then skipped, and says so in its help, where that
package is not installed.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

from mtqa.checks.context import CheckContext
from mtqa.profiles import DEFAULT_PROFILE, PROFILES
from mtqa.registry import Registry
from mtqa.report import Issue

CheckFn = Callable[[CheckContext], Iterable[Issue]]

#: the package whose modules are the check families, one family per module
FAMILIES = "mtqa.checks.families"
#: the rank of a family module without an ORDER (a family's ORDER places its issues among equal ones)
LAST = 10**6


@dataclass
class CheckInfo:
    name: str
    issue_type: str
    mqm: str
    fn: CheckFn
    profiles: tuple[str, ...]
    #: optional packages (import names) the check needs
    requires: tuple[str, ...] = ()

    @property
    def missing(self) -> list[str]:
        """The required packages that are not installed."""
        return [mod for mod in self.requires if importlib.util.find_spec(mod) is None]

    @property
    def help(self) -> str:
        text = " ".join((self.fn.__doc__ or "").split())
        missing = self.missing
        return f"{text} [not run: needs {', '.join(missing)}]" if missing else text

    @property
    def family(self) -> str:
        """The family the check belongs to: its module's name (the module for checks defined elsewhere)."""
        module = self.fn.__module__
        return module.removeprefix(FAMILIES + ".")


CHECKS: dict[str, CheckInfo] = {}

#: former check names, still accepted by --disable and the config's `disable`
ALIASES: dict[str, tuple[str, ...]] = {"fluency": ("grammar-en", "calque")}


def check(
    name: str,
    *,
    issue_type: str,
    mqm: str,
    profiles: tuple[str, ...] = PROFILES,
    requires: tuple[str, ...] = (),
):
    """Register a check function under `name`."""

    def deco(fn: CheckFn) -> CheckFn:
        CHECKS[name] = CheckInfo(name, issue_type, mqm, fn, profiles, tuple(requires))
        return fn

    return deco


def family_modules() -> Registry[ModuleType]:
    """The family modules by name, discovered in the families package (the table of the registry pattern
    of mtqa.registry, its entries modules that register their checks when imported)."""
    families = importlib.import_module(FAMILIES)
    found = sorted(m.name for m in pkgutil.iter_modules(families.__path__) if not m.name.startswith("_"))
    return Registry("check family", {name: f"{FAMILIES}.{name}" for name in found})


@dataclass(frozen=True)
class Family:
    """A module of check families: its name, the first line of its docstring and the rest of it."""

    name: str
    title: str
    details: str
    checks: tuple[CheckInfo, ...]


def families() -> list[Family]:
    """The check families in run order, each with its checks."""
    by_module: dict[str, list[CheckInfo]] = {}
    for info in load_checks().values():
        by_module.setdefault(info.fn.__module__, []).append(info)
    out = []
    for module, infos in by_module.items():
        doc = (sys.modules[module].__doc__ or "").strip()
        title, _, details = doc.partition("\n")
        out.append(Family(infos[0].family, title.strip(), " ".join(details.split()), tuple(infos)))
    return out


def _rank(module: str) -> tuple[int, str]:
    loaded = sys.modules.get(module)
    return getattr(loaded, "ORDER", LAST), module


def load_checks() -> dict[str, CheckInfo]:
    """Every check of every family, its module imported (an import error propagates), in the order of the
    families' ORDER (then module name), each family's checks in the order they are defined."""
    family_modules().load_all()  # each family module registers its checks when imported
    ordered = sorted(CHECKS.values(), key=lambda info: _rank(info.fn.__module__))  # stable within a module
    CHECKS.clear()
    CHECKS.update((info.name, info) for info in ordered)
    return CHECKS


def expand_disabled(names: Iterable[str]) -> set[str]:
    """Check names to skip, former names (ALIASES) replaced by the checks they became."""
    out: set[str] = set()
    for name in names:
        out.update(ALIASES.get(name, (name,)))
    return out


def enabled_checks(profile: str = DEFAULT_PROFILE, disabled: Iterable[str] = ()) -> list[CheckInfo]:
    """The checks a run performs: those of its profile, not disabled, with their packages installed."""
    skip = expand_disabled(disabled)
    return [info for info in load_checks().values()
            if info.name not in skip and profile in info.profiles and not info.missing]


def _issues_of(info: CheckInfo, ctx: CheckContext) -> list[Issue]:
    """The issues of one check, with the check's MQM path and name filled in where the check left them."""
    out = []
    for issue in info.fn(ctx):
        if not issue.mqm:
            issue.mqm = info.mqm
        if issue.check is None:
            issue.check = info.name
        out.append(issue)
    return out


def run_check(name: str, ctx: CheckContext) -> list[Issue]:
    """The issues of the check `name` on a context, in the order the check yields them (tests)."""
    return _issues_of(load_checks()[name], ctx)


def run_checks(
    ctx: CheckContext, profile: str = DEFAULT_PROFILE, disabled: Iterable[str] = ()
) -> list[Issue]:
    """The issues of every enabled check, by position in the translation (then type)."""
    issues: list[Issue] = []
    for info in enabled_checks(profile, disabled):
        issues.extend(_issues_of(info, ctx))
    issues.sort(key=lambda i: (i.target_start if i.target_start is not None else 10**12, i.type))
    return issues
