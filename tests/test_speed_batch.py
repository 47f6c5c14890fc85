"""`mtqa batch` workers (issue 28): started once for the whole manifest, and gone when `mtqa batch` is killed
(`kill -9`, as a CI timeout sends); a resumed run with the same -o completes every row once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

N_DOCS = 40
FR = "Le ministre a visité {city} lundi. Il a rencontré {n} élus de la région."
EN = "The minister visited {city} on Monday. He met {n} elected officials of the region."
CITIES = ["Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Bordeaux", "Lille", "Rennes"]


def _manifest(tmp_path: Path) -> Path:
    rows = []
    for i in range(N_DOCS):
        city, n = CITIES[i % len(CITIES)], 10 + i
        (tmp_path / f"d{i}.fr").write_text(FR.format(city=city, n=n) + "\n", encoding="utf-8")
        (tmp_path / f"d{i}.en").write_text(EN.format(city=city, n=n) + "\n", encoding="utf-8")
        rows.append({"source": f"d{i}.fr", "translation": f"d{i}.en", "src_lang": "fr", "tgt_lang": "en"})
    path = tmp_path / "manifest.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _children(pid: int) -> set[int]:
    """Every living descendant of `pid` (psutil when installed, else /proc)."""
    try:
        import psutil

        try:
            return {c.pid for c in psutil.Process(pid).children(recursive=True)}
        except psutil.NoSuchProcess:
            return set()
    except ImportError:
        parents = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        found, todo = set(), [pid]
        while todo:
            p = todo.pop()
            kids = {c for c, pp in parents.items() if pp == p}
            found |= kids
            todo += list(kids)
        return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


def _rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_batch_leaves_no_workers_and_resumes(tmp_path):
    manifest = _manifest(tmp_path)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "mtqa.cli", "batch", str(manifest), "-o", str(out), "-j", "2",
           "--profile", "fast"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 600
        while len(_rows(out)) < 3:
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:] if proc.stderr else ""
            assert time.monotonic() < deadline, "no rows after 10 minutes"
            time.sleep(0.2)
        workers = _children(proc.pid)
        assert len(workers) >= 2, workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:  # do not leave them to the rest of the suite
        os.kill(w, signal.SIGKILL)
    assert not left, f"workers {left} outlived their killed parent"
    done = len(_rows(out))
    assert 3 <= done < N_DOCS, done

    again = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1200)
    assert again.returncode == 0, again.stderr[-2000:]
    rows = _rows(out)
    assert len(rows) == N_DOCS
    assert sorted(r["row"] for r in rows) == list(range(N_DOCS))
    assert all(r["ok"] for r in rows), [r.get("error") for r in rows if not r["ok"]][:3]


def test_worker_ends_when_its_parent_does(tmp_path):
    """end_with_parent in a grandchild: killing its parent ends it (no pool, no models: quick)."""
    code = (
        "import os, sys, time\n"
        "from mtqa.batch import end_with_parent\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    end_with_parent(os.getppid(), interval=0.1)\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "print(pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        child = int(proc.stdout.readline())
        time.sleep(0.5)  # the child arms its watch
        assert _alive(child)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 5
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child)
    finally:
        if proc.poll() is None:
            proc.kill()
