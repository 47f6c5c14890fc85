from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_FR = SEEDS / "idlib-2019-12-01.fr.txt"
SEED_EN = SEEDS / "idlib-2019-12-01.en.txt"
SCHEMA = ROOT / "mtqa" / "report.schema.json"


_SESSION_CACHE: list[Path] = []

#: Where a real model is loaded or run: (module, class or None for a module function, attributes). A test
#: that reaches one of these (in its setup or its call) must be marked `models`, so that `pytest -m "not
#: models"` (`make test-fast`) stays quick; a test that does without the mark fails and says which model it
#: reached. Models run in a subprocess (the CLI run as a program) are not seen: mark those tests by hand.
MODEL_ENTRY_POINTS: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("mtqa.encoders.use", "USEEncoder", ("__init__", "encode", "encode_overlaps")),
    ("mtqa.encoders.use_static", "USEStaticEncoder", ("__init__", "encode", "encode_overlaps")),
    ("mtqa.encoders.use_static", None, ("build_tensors",)),
    ("mtqa.encoders.e5", "E5Encoder", ("__init__", "encode")),
    ("mtqa.encoders.local", "SentenceTransformerEncoder", ("__init__", "encode")),
    ("mtqa.qe.runtime", "E5QE", ("__init__", "raw", "raw_with_tokens")),
    ("mtqa.qe.convert", None, ("convert", "ensure_converted")),
    ("mtqa.qe.onnx_backend", None, ("ensure_exported",)),
    ("mtqa.scorers.transformers_scorers", "_LocalCheckpointScorer", ("_model_from",)),
    ("mtqa.lang.ner", None, ("_pipeline",)),
]
#: the model entry points the running test reached; None while nothing is recorded (between tests, and
#: while the session's derived models are built)
_MODELS_REACHED: list[str] | None = None
#: the model entry points reached while a fixture was set up, by fixture definition: a module- or
#: session-scoped fixture set up once hands its model to every later test that asks for it
_FIXTURE_MODELS: dict[int, list[str]] = {}


def _reached(name: str) -> None:
    if _MODELS_REACHED is not None and name not in _MODELS_REACHED:
        _MODELS_REACHED.append(name)


def _recording(name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _reached(name)
        return fn(*args, **kwargs)

    return wrapper


class _WatchedEncoders(dict):
    """mtqa.encoders.ENCODERS (the encoders loaded in this process, by spec), recording every real encoder
    handed out: one loaded by an earlier test is still a model this test uses."""

    def __getitem__(self, spec):
        value = super().__getitem__(spec)
        if type(value).__module__.startswith("mtqa.encoders"):  # not a stand-in of tests/fakes.py
            _reached(f"mtqa.encoders.ENCODERS[{spec!r}]")
        return value


def _watch_model_entry_points() -> None:
    """Wrap every entry point of MODEL_ENTRY_POINTS, and the table of loaded encoders, so that reaching one
    is recorded (behaviour unchanged)."""
    from mtqa import encoders
    from mtqa.encoders import registry

    watched = _WatchedEncoders(registry.ENCODERS)
    registry.ENCODERS = encoders.ENCODERS = watched
    for module_name, owner_name, attributes in MODEL_ENTRY_POINTS:
        module = importlib.import_module(module_name)
        owner = getattr(module, owner_name) if owner_name else module
        for attr in attributes:
            name = f"{module_name}.{owner_name + '.' if owner_name else ''}{attr}"
            raw = inspect.getattr_static(owner, attr)
            if isinstance(raw, staticmethod):
                setattr(owner, attr, staticmethod(_recording(name, raw.__func__)))
            else:
                setattr(owner, attr, _recording(name, raw))


@contextlib.contextmanager
def _models_unrecorded():
    global _MODELS_REACHED
    saved, _MODELS_REACHED = _MODELS_REACHED, None
    try:
        yield
    finally:
        _MODELS_REACHED = saved


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    global _MODELS_REACHED
    _MODELS_REACHED = []  # setup and call together: a fixture may load the model the test uses
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    global _MODELS_REACHED
    outer = _MODELS_REACHED
    if outer is None:
        return (yield)
    _MODELS_REACHED = []
    try:
        return (yield)
    finally:
        inner, _MODELS_REACHED = _MODELS_REACHED, outer
        if inner:
            _FIXTURE_MODELS[id(fixturedef)] = inner
            outer.extend(name for name in inner if name not in outer)


def _models_of_fixtures(item) -> list[str]:
    """The model entry points the fixtures of a test reached when they were set up (perhaps for another
    test)."""
    info = getattr(item, "_fixtureinfo", None)
    defs = [d for ds in info.name2fixturedefs.values() for d in ds] if info is not None else []
    return [name for d in defs for name in _FIXTURE_MODELS.get(id(d), ())]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    global _MODELS_REACHED
    try:
        result = yield
    finally:
        reached, _MODELS_REACHED = _MODELS_REACHED or [], None
    reached = list(dict.fromkeys(reached + _models_of_fixtures(item)))
    if reached and item.get_closest_marker("models") is None:
        pytest.fail(f"this test reaches a model ({', '.join(reached)}): mark it @pytest.mark.models",
                    pytrace=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    global _MODELS_REACHED
    _MODELS_REACHED = None
    return (yield)


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
    _watch_model_entry_points()


def pytest_unconfigure(config) -> None:
    import shutil

    for root in _SESSION_CACHE:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def derived_models(request) -> dict[str, Path]:
    """The derived models (static USE table, converted e5, its ONNX export, the gazetteer index), built once
    per session in the session's cache, before any test: tests that time a subprocess never time a first
    build, and no progress line of a build lands in a test's captured output. Not built where no test of the
    session is marked `models` (`pytest -m "not models"`): a test that reads them then fails."""
    if not any(item.get_closest_marker("models") for item in request.session.items):
        return _Unbuilt()
    with _models_unrecorded():
        return _build_derived_models()


class _Unbuilt(dict):
    """The derived models of a session without `models` tests: reading them fails the test that asks."""

    def _fail(self, *args):
        pytest.fail("the derived models are built only for tests marked `models`: mark this one",
                    pytrace=False)

    __getitem__ = __iter__ = __len__ = __contains__ = keys = values = items = get = _fail


def _build_derived_models() -> dict[str, Path]:
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
