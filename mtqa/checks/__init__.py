"""Rule and entity checks: `registry` (the decorator, load_checks, run_checks, run_check), `context`
(CheckContext), `kit/` (helpers the families share) and `families/` (one module per family, found
automatically). Imported by gate, renderers, pipeline and above; a family imports only the kit."""

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
