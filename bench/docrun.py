"""Run a split of the MQM documents (bench/mqm_docs.py) through `mtqa batch`, the product path, and read
the rows back joined to their MQM records. Shared by bench/documents.py and bench/flag_precision.py.

The batch manifest puts the source documents in a seeded random order, all translations of one source
document together, so `--max-groups N` (the first N source documents) is a seeded subset that a later,
larger run extends: `mtqa batch` resumes on the same output and skips the rows already there.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from mqm_docs import load_docs  # noqa: E402


def run_parser(description: str | None) -> argparse.ArgumentParser:
    """The options every document bench shares: where the documents are, which split, pairs and profile,
    and how `mtqa batch` runs."""
    ap = argparse.ArgumentParser(description=description,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, default=Path("/work/docbench"))
    ap.add_argument("--split", default="dev", choices=("dev", "train"))
    ap.add_argument("--pairs", default="en-de,zh-en")
    ap.add_argument("--profile", default="accurate", choices=("accurate", "fast"))
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--bitext", action="store_true", help="run batch with --bitext (one segment per line)")
    ap.add_argument("--max-groups", type=int, default=None, help="a seeded subset: the first N source docs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-run", action="store_true", help="report on what the batch output holds")
    return ap


def run_folder(root: Path, split: str, profile: str, bitext: bool) -> Path:
    return root / "runs" / f"{split}-{profile}{'-bitext' if bitext else ''}"


def ordered_rows(folder: Path, seed: int, max_groups: int | None) -> list[dict]:
    """The split's manifest rows (absolute paths), source documents in a seeded order."""
    with open(folder / "manifest.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    groups = sorted({r["id"].split("/")[0] for r in rows})
    random.Random(seed).shuffle(groups)
    keep = groups[:max_groups] if max_groups else groups
    rank = {g: k for k, g in enumerate(keep)}
    out = [dict(r, source=str(folder / r["source"]), translation=str(folder / r["translation"]))
           for r in rows if r["id"].split("/")[0] in rank]
    out.sort(key=lambda r: (rank[r["id"].split("/")[0]], r["id"]))
    return out


def read_results(path: Path) -> dict[str, dict]:
    """Batch records by manifest id (the last one wins)."""
    out: dict[str, dict] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            out[rec.get("id")] = rec
    return out


def run_pair(root: Path, split: str, pair: str, *, profile: str = "accurate", jobs: int = 2,
             bitext: bool = False, seed: int = 0, max_groups: int | None = None,
             run: bool = True) -> tuple[Path, dict]:
    """Score the pair's documents with `mtqa batch` unless its output already holds them all; the output
    path and {"rows", "done", "seconds", "segments"} (seconds: wall time of this call's batch, 0 if
    skipped)."""
    out_dir = run_folder(root, split, profile, bitext)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = ordered_rows(root / split / pair, seed, max_groups)
    manifest, output = out_dir / f"{pair}.manifest.jsonl", out_dir / f"{pair}.jsonl"
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if not manifest.exists() or manifest.read_text(encoding="utf-8") != text:
        manifest.write_text(text, encoding="utf-8")
    wanted = {r["id"] for r in rows}
    done = {k for k, v in read_results(output).items() if v.get("ok")} & wanted
    seconds = 0.0
    if run and done != wanted:
        cmd = [sys.executable, "-m", "mtqa.cli", "batch", str(manifest), "-o", str(output), "-j", str(jobs),
               "--profile", profile, "--quiet"] + (["--bitext"] if bitext else [])
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, env=dict(os.environ))
        seconds = time.perf_counter() - t0
    results = read_results(output)
    return output, {"rows": len(rows), "done": len({k for k, v in results.items() if v.get("ok")} & wanted),
                    "seconds": seconds}


def joined(root: Path, split: str, pair: str, output: Path) -> list[tuple[dict, dict]]:
    """(MQM record, batch report) of every document scored without error."""
    results = read_results(output)
    return [(d, results[d["id"]]["report"]) for d in load_docs(root / split / pair)
            if d["id"] in results and results[d["id"]].get("ok")]
