"""The installed package is the product: a wheel built from this checkout, installed into a fresh virtual
environment and run outside the repository on an empty cache, scores the seed exactly as the checkout
does; the pre-commit hook, installed by pre-commit itself, fails on the seed's major issues.

Slow (two installs, three first runs): `.ci/run` runs it after `make test` with MTQA_INSTALL_TEST=1;
elsewhere it is skipped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED_FR = ROOT / "seeds" / "idlib-2019-12-01.fr.txt"
SEED_EN = ROOT / "seeds" / "idlib-2019-12-01.en.txt"
# the CPU build of torch that lies on this machine's disk (a bare `torch` would be a multi-GB CUDA build)
TORCH_PIN = "torch==2.13.0"

pytestmark = pytest.mark.skipif(
    os.environ.get("MTQA_INSTALL_TEST") != "1", reason="install-path test: set MTQA_INSTALL_TEST=1 (.ci/run)"
)


def clean_env(cache: Path, **extra: str) -> dict[str, str]:
    """A user's environment: no PYTHONPATH into the checkout, no mtqa cache settings, an empty cache root."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("MTQA_")}
    env.update(XDG_CACHE_HOME=str(cache), **extra)
    return env


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 1800) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def score_seed(mtqa: list[str], work: Path, env: dict[str, str], name: str) -> dict:
    fr, en = work / SEED_FR.name, work / SEED_EN.name
    shutil.copy(SEED_FR, fr)
    shutil.copy(SEED_EN, en)
    res = run([*mtqa, "score", fr.name, en.name, "--format", "json", "-o", f"{name}.json"], work, env)
    assert res.returncode == 0, res.stderr
    return json.loads((work / f"{name}.json").read_text())


def models_of(report: dict) -> list[tuple]:
    return [(m["name"], m.get("revision"), m.get("sha256")) for m in report["models"]]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A fresh venv holding the wheel of this checkout (CPU torch first, as the README says)."""
    tmp = tmp_path_factory.mktemp("install")
    pip_cache = tmp / "user-cache"  # shared by the installs below, as a user's pip cache is
    env = clean_env(pip_cache)
    dist = tmp / "dist"
    res = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)], tmp, env)
    assert res.returncode == 0, res.stderr
    wheel = next(dist.glob("mtqa-*.whl"))
    assert wheel.stat().st_size < 100 * 2**20, "PyPI refuses files over 100 MB"
    venv = tmp / "venv"
    assert run([sys.executable, "-m", "venv", str(venv)], tmp, env).returncode == 0
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    res = run([*pip, TORCH_PIN], tmp, env)
    assert res.returncode == 0, res.stderr
    res = run([*pip, str(wheel)], tmp, env)
    assert res.returncode == 0, res.stderr
    work = tmp / "work"  # outside the repository: nothing can be read from the checkout
    work.mkdir()
    return {"tmp": tmp, "venv": venv, "wheel": wheel, "work": work, "pip_cache": pip_cache}


@pytest.fixture(scope="module")
def checkout_report(tmp_path_factory) -> dict:
    """The seed scored by this checkout (`make demo`'s command), on its own empty cache."""
    tmp = tmp_path_factory.mktemp("checkout")
    return score_seed([sys.executable, "-m", "mtqa.cli"], tmp, clean_env(tmp / "cache"), "checkout")


def test_wheel_carries_the_model(installed) -> None:
    import zipfile

    names = zipfile.ZipFile(installed["wheel"]).namelist()
    for f in ("e5-qe-adapter.safetensors", "e5-qe.json", "manifest.json"):
        assert f"mtqa/models/{f}" in names


def test_installed_wheel_scores_the_seed_as_the_checkout(installed, checkout_report) -> None:
    mtqa = [str(installed["venv"] / "bin" / "mtqa")]
    env = clean_env(installed["tmp"] / "cache-wheel")
    wheel_report = score_seed(mtqa, installed["work"], env, "wheel")
    assert "e5-qe" in [m[0] for m in models_of(wheel_report)]
    assert models_of(wheel_report) == models_of(checkout_report)
    assert wheel_report["document"]["score"] == checkout_report["document"]["score"]
    assert wheel_report["document"]["verdict"] == checkout_report["document"]["verdict"]
    assert len(wheel_report["issues"]) == len(checkout_report["issues"])
    version = run([*mtqa, "--version"], installed["work"], env)
    assert version.returncode == 0 and version.stdout.startswith("mtqa ") and "e5-qe@" in version.stdout


def test_pre_commit_hook_fails_on_the_seed(installed, tmp_path) -> None:
    """`pre-commit try-repo` installs the hook from the checkout as pre-commit does for a user, and fails on
    the seed's major issues with the same summary as the installed `mtqa check`."""
    repo = tmp_path / "publication"
    (repo / "articles" / "fr").mkdir(parents=True)
    (repo / "articles" / "en").mkdir(parents=True)
    shutil.copy(SEED_FR, repo / "articles" / "fr" / "idlib.txt")
    shutil.copy(SEED_EN, repo / "articles" / "en" / "idlib.txt")
    (repo / "mtqa.toml").write_text(
        'src_lang = "fr"\ntgt_lang = "en"\n\n[[pairs]]\nsource = "articles/fr/*.txt"\n'
        'translation = "articles/en/{stem}.txt"\n\n[thresholds]\nmax_issues = { critical = 0, major = 0 }\n')
    env = clean_env(installed["pip_cache"])
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"],
                ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "seed"]):
        assert run(cmd, repo, env).returncode == 0
    direct = run([str(installed["venv"] / "bin" / "mtqa"), "check", "--quiet"], repo,
                 clean_env(installed["tmp"] / "cache-wheel"))
    assert direct.returncode == 1, direct.stdout + direct.stderr
    summary = next(line for line in direct.stdout.splitlines() if "articles/en/idlib.txt" in line)
    assert summary.startswith("FAIL")

    constraints = tmp_path / "constraints.txt"  # pre-commit's own venv takes the CPU torch too
    constraints.write_text(TORCH_PIN + "\n")
    pc_env = clean_env(installed["pip_cache"], PRE_COMMIT_HOME=str(tmp_path / "pre-commit"),
                       PIP_CONSTRAINT=str(constraints))
    hook = run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "mtqa-check", "--all-files"],
               repo, pc_env, timeout=3000)
    assert hook.returncode == 1, hook.stdout + hook.stderr
    assert "mtqa translation quality gate" in hook.stdout and "Failed" in hook.stdout
    assert summary in hook.stdout, hook.stdout


def test_missing_dependency_is_one_line_and_exit_2(installed) -> None:
    """Last, since it breaks the venv: without onnxruntime the default profile stops, naming what is missing,
    rather than silently scoring with fewer models; the fast profile still runs."""
    python = str(installed["venv"] / "bin" / "python")
    assert run([python, "-m", "pip", "uninstall", "-y", "-q", "onnxruntime"], installed["work"],
               clean_env(installed["pip_cache"])).returncode == 0
    mtqa = str(installed["venv"] / "bin" / "mtqa")
    env = clean_env(installed["tmp"] / "cache-wheel")
    res = run([mtqa, "score", SEED_FR.name, SEED_EN.name, "--quiet"], installed["work"], env)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "onnxruntime" in lines[0] and "--profile fast" in lines[0], res.stderr
    fast = run([mtqa, "score", SEED_FR.name, SEED_EN.name, "--profile", "fast", "--quiet"],
               installed["work"], env)
    assert fast.returncode in (0, 1), fast.stderr
