"""Rule and entity checks: `registry` (@check, load_checks, run_checks), `context` (CheckContext), `kit/`
(helpers the families share), `families/` (one module per family). May be imported by estimate and above.

A family imports only the kit (and the floors below checks), never another family; nothing imports a family
by name: the registry finds them. Tests run one check with `run_check(name, ctx)`."""

from mtqa.checks.context import CheckContext
from mtqa.checks.registry import (
    ALIASES,
    CHECKS,
    CheckInfo,
    check,
    enabled_checks,
    expand_disabled,
    load_checks,
    run_check,
    run_checks,
)

__all__ = [
    "ALIASES", "CHECKS", "CheckContext", "CheckInfo", "check", "enabled_checks", "expand_disabled",
    "load_checks", "run_check", "run_checks",
]
