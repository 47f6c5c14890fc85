"""`mtqa batch --engine ray` through the CLI, on a real local Ray instance (issue 12): the same reports as
the local engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.models  # `mtqa batch` scores in a subprocess (fast profile)

pytest.importorskip("ray")

DOCS = [("The cat sat on the mat. It was happy.\n\nThe weather is nice today.\n",
         "Le chat était assis sur le tapis. Il était content.\n\nIl fait beau aujourd'hui.\n"),
        ("We went to Paris by train. The journey took three hours.\n",
         "Nous sommes allés à Paris en train. Le voyage a duré trois heures.\n"),
        ("Prices rose by 5% in March. Shops were busy.\n",
         "Les prix ont augmenté de 5 % en mars. Les magasins étaient pleins.\n")]


def _manifest(tmp_path: Path) -> Path:
    rows = []
    for i, (en, fr) in enumerate(DOCS):
        (tmp_path / f"s{i}.en").write_text(en, encoding="utf-8")
        (tmp_path / f"t{i}.fr").write_text(fr, encoding="utf-8")
        rows.append({"source": f"s{i}.en", "translation": f"t{i}.fr", "src_lang": "en", "tgt_lang": "fr"})
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return manifest


def _batch(manifest: Path, out: Path, engine: str) -> list[dict]:
    mtqa = Path(sys.executable).parent / "mtqa"
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}  # a fresh local Ray instance
    cmd = [str(mtqa), "batch", str(manifest), "-o", str(out), "--engine", engine, "--jobs", "1",
           "--profile", "fast"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, cwd=manifest.parent)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "3 scored" in proc.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return sorted(({k: v for k, v in r.items() if k != "seconds"} for r in records), key=lambda r: r["row"])


@pytest.mark.slow
def test_cli_batch_on_ray_writes_the_reports_of_the_local_engine(tmp_path):
    manifest = _manifest(tmp_path)
    local = _batch(manifest, tmp_path / "local.jsonl", "local")
    ray = _batch(manifest, tmp_path / "ray.jsonl", "ray")
    assert len(local) == 3 and all(r["ok"] and r["report"]["segments"] for r in local)
    assert ray == local
