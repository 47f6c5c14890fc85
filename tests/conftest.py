from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_FR = SEEDS / "idlib-2019-12-01.fr.txt"
SEED_EN = SEEDS / "idlib-2019-12-01.en.txt"
SCHEMA = ROOT / "mtqa" / "report.schema.json"


def pytest_configure(config) -> None:
    """Keep the on-disk cache of this test session apart from the user's (subprocesses inherit it)."""
    import os
    import tempfile

    if "MTQA_CACHE_DIR" not in os.environ:
        os.environ["MTQA_CACHE_DIR"] = tempfile.mkdtemp(prefix="mtqa-test-cache-")


@pytest.fixture(scope="session")
def schema() -> dict:
    return json.loads(SCHEMA.read_text())


@pytest.fixture(scope="session")
def seed_report_fast():
    """The seed scored in-process with the fast profile (shared by many tests)."""
    from mtqa.pipeline import Options, run

    return run(str(SEED_FR), str(SEED_EN), Options(profile="fast"))
