"""One way to register: encoders, scorers, renderers and check families are name -> "module:object" tables
(mtqa.registry), loaded on first use and loud about a broken module; the profiles are defined once."""

from __future__ import annotations

import sys

import pytest

from mtqa.checks.registry import family_modules
from mtqa.encoders import ENCODER_CLASSES
from mtqa.errors import MtqaError
from mtqa.profiles import PROFILE_TABLE, PROFILES, USE_M3, USE_M3_STATIC, profile_named, profiles_running
from mtqa.registry import Registry
from mtqa.renderers import FORMATS, RENDERERS
from mtqa.scorers import SCORERS


def test_registry_loads_lazily_and_fails_loudly(monkeypatch):
    reg: Registry[object] = Registry("thing", {"path": "os:path", "broken": "mtqa_no_such_module:x",
                                               "missing": "os:no_such_attribute"})
    assert list(reg) == ["path", "broken", "missing"] and "path" in reg and not reg.loaded
    import os

    assert reg["path"] is os.path and set(reg.loaded) == {"path"}
    with pytest.raises(ImportError, match="mtqa_no_such_module"):
        reg["broken"]
    with pytest.raises(AttributeError):
        reg["missing"]
    with pytest.raises(ImportError):
        reg.load_all()


def test_each_table_entry_is_what_its_name_says():
    assert {name: cls.name for name, cls in SCORERS.load_all().items()} == {n: n for n in SCORERS}
    assert {name: r.name for name, r in RENDERERS.load_all().items()} == {n: n for n in FORMATS}
    assert {name: cls.name for name, cls in ENCODER_CLASSES.load_all().items() if name != "e5-small"} == {
        USE_M3: USE_M3, USE_M3_STATIC: USE_M3_STATIC}
    families = family_modules()
    assert len(families) == 13 and all(m.__name__.endswith("." + n) for n, m in families.load_all().items())


def test_profiles_name_their_encoders_and_scorers_once(monkeypatch):
    assert PROFILES == ("accurate", "fast")
    accurate, fast = profile_named("accurate"), profile_named("fast")
    assert (accurate.encoder, fast.encoder) == (USE_M3, USE_M3_STATIC)
    assert accurate.check_encoder == fast.check_encoder == USE_M3
    assert accurate.name_encoder == fast.name_encoder == USE_M3_STATIC
    for profile in PROFILE_TABLE.values():
        assert set(profile.scorers) <= set(SCORERS)
        assert {name for name, _ in profile.configured_scorers} <= set(SCORERS)
    monkeypatch.delenv("MTQA_HF_REGRESSION_DIR", raising=False)
    assert accurate.scorer_names() == ["use-cosine", "e5-qe"] and profiles_running("hf-regression") == []
    monkeypatch.setenv("MTQA_HF_REGRESSION_DIR", "/models/hf")
    assert accurate.scorer_names() == ["use-cosine", "e5-qe", "hf-regression"]
    assert profiles_running("use-cosine") == ["fast", "accurate"]  # cheapest first, as always listed
    with pytest.raises(MtqaError, match="unknown profile 'slow'"):
        profile_named("slow")


def test_a_broken_renderer_module_is_an_error(monkeypatch):
    monkeypatch.setattr(RENDERERS, "loaded", {})
    monkeypatch.setitem(sys.modules, "mtqa.renderers.sarif", None)
    with pytest.raises(ImportError):
        RENDERERS["sarif"]


def test_a_broken_scorer_module_is_an_error(monkeypatch):
    import mtqa.scorers

    assert mtqa.scorers.SCORERS["e5-qe"].name == "e5-qe"  # loads fine
    monkeypatch.setattr(mtqa.scorers.SCORERS, "loaded", {})
    monkeypatch.delattr(mtqa.scorers, "transformers_scorers", raising=False)
    monkeypatch.setitem(sys.modules, "mtqa.scorers.transformers_scorers", None)  # an import that fails
    with pytest.raises(ImportError):
        mtqa.scorers.build_scorers("accurate")
