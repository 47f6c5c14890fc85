from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_FR = SEEDS / "idlib-2019-12-01.fr.txt"
SEED_EN = SEEDS / "idlib-2019-12-01.en.txt"
SCHEMA = ROOT / "mtqa" / "report.schema.json"


_SESSION_CACHE: list[Path] = []


def pytest_configure(config) -> None:
    """Hermetic: the whole session (and its subprocesses, which inherit the environment) gets its own empty
    cache root, set before any test imports mtqa, and removed at the end; the user's cache is never read
    or written. MTQA_TEST_CACHE_DIR names a folder to keep and reuse across runs instead (for quick
    local iterations; its derived models are then built once)."""
    import os
    import tempfile

    keep = os.environ.get("MTQA_TEST_CACHE_DIR")
    root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="mtqa-test-cache-"))
    root.mkdir(parents=True, exist_ok=True)
    if not keep:
        _SESSION_CACHE.append(root)
    os.environ["MTQA_CACHE_DIR"] = str(root / "mtqa")
    os.environ["XDG_CACHE_HOME"] = str(root / "xdg")  # anything else that caches (platformdirs users)
    os.environ.pop("MTQA_NO_CACHE", None)


def pytest_unconfigure(config) -> None:
    import shutil

    for root in _SESSION_CACHE:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def derived_models() -> dict[str, Path]:
    """The derived models (static USE table, converted e5, its ONNX export, the gazetteer index), built once
    per session in the session's cache, before any test: tests that time a subprocess never time a first
    build, and no progress line of a build lands in a test's captured output."""
    from mtqa.encoders.use_static import ensure_table
    from mtqa.errors import MtqaError
    from mtqa.lang import gazetteer

    out = {"use-m3-static": ensure_table()[0], "gazetteer": gazetteer.ensure_index()}
    try:
        from mtqa.qe import onnx_backend
        from mtqa.qe.convert import ensure_converted
        from mtqa.qe.runtime import E5QE

        out["e5-small"] = ensure_converted()
        if onnx_backend.available():
            E5QE(int8=True, backend="onnx")
    except (ImportError, MtqaError):  # without the hf extra there is no QE model to build
        pass
    return out


@pytest.fixture(scope="session")
def schema() -> dict:
    return json.loads(SCHEMA.read_text())


@pytest.fixture(scope="session")
def seed_report_fast():
    """The seed scored in-process with the fast profile (shared by many tests)."""
    from mtqa.pipeline import Options, run

    return run(str(SEED_FR), str(SEED_EN), Options(profile="fast"))
