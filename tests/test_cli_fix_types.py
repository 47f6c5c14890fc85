"""`mtqa fix --only` lists its issue types without importing the fixing rules (start-up time): the list and
mtqa.suggest.RULES must stay the same."""

from __future__ import annotations

import subprocess
import sys

from mtqa.cli.fix import FIXABLE
from mtqa.suggest import RULES


def test_fixable_types_are_the_rules_of_mtqa_suggest() -> None:
    assert sorted(FIXABLE) == sorted(RULES)


def test_help_imports_no_fixing_rule_nor_gazetteer() -> None:
    code = "import sys; from mtqa.cli import main; print(sorted(m for m in sys.modules if m in " \
           "('mtqa.suggest', 'mtqa.entity_table', 'mtqa.lang.gazetteer')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
