"""Offline guarantee (issue 7): `mtqa score` works with every network connection refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MTQA = ROOT / ".venv" / "bin" / "mtqa"

SITECUSTOMIZE = '''
import socket

class NetworkRefused(OSError):
    pass

def _refuse(*args, **kwargs):
    raise NetworkRefused(111, "mtqa offline test: network access attempted")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.socket.sendto = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
'''

EN = "The cat sat on the mat. It was happy.\n\nThe weather is nice today. We went to Paris by train.\n"
FR = ("Le chat était assis sur le tapis. Il était content.\n\n"
      "Il fait beau aujourd'hui. Nous sommes allés à Paris en train.\n")


def _unshare_prefix() -> list[str]:
    """`unshare -n` (no network namespace at all) when this machine allows it."""
    exe = shutil.which("unshare")
    if not exe:
        return []
    ok = subprocess.run([exe, "-n", "true"], capture_output=True).returncode == 0
    if not ok:
        ok = subprocess.run([exe, "-rn", "true"], capture_output=True).returncode == 0
        return [exe, "-rn"] if ok else []
    return [exe, "-n"]


def _env(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    env["PYTHONPATH"] = str(site) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("HTTP_PROXY", None)
    env.pop("HTTPS_PROXY", None)
    return env


def test_sockets_really_refused(tmp_path):
    env = _env(tmp_path)
    probe = ("import socket\ntry:\n socket.create_connection(('127.0.0.1', 9))\n"
             "except OSError as e:\n print(e)")
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert "network access attempted" in out.stdout


@pytest.mark.models
def test_score_runs_with_network_refused(tmp_path):
    (tmp_path / "en.txt").write_text(EN)
    (tmp_path / "fr.txt").write_text(FR)
    env = _env(tmp_path)
    cmd = [*_unshare_prefix(), str(MTQA), "score", "en.txt", "fr.txt", "--profile", "fast",
           "--format", "json"]
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "network access attempted" not in proc.stderr
    report = json.loads(proc.stdout)
    assert report["source"]["lang"] == "en" and report["translation"]["lang"] == "fr"
    assert report["segments"] and all(s["score"] is not None for s in report["segments"])


def test_cli_sets_hub_offline(monkeypatch):
    from mtqa.cli import main

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    try:
        main(["--version"])
    except SystemExit:
        pass
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
