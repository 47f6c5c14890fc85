"""WMT22 QE shared task (sentence level): mtqa vs the official CometKiwi and baseline submissions.

Runs `mtqa score SRC MT --bitext --format json` (a subprocess: mtqa sees only the source and MT lines, never
the gold scores or the submissions), then computes Spearman and Kendall (tau-b) per language pair against the
gold, and recomputes the same figures for the "IST-Unbabel" (CometKiwi) and "OrganizersBaselines" (OpenKiwi)
submissions on the same lines, in the same run.

    python bench/wmt22_qe.py [--root /work/shared/benchmarks/wmt22-qe] [--limit N] [--pairs en-de,en-ru]
                             [--profile accurate] [--scorer e5-qe ...]

Gold: MQM pairs use test.2022.<lp>.mqm_z_score (the WMT22 official target), DA pairs the DA z-scores.
en-yo is skipped by default: Yoruba is not among the XLM-R / multilingual-e5 languages.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.qe.stats import kendall, spearman  # noqa: E402

MQM = ("en-de", "en-ru", "zh-en")
DA = ("en-cs", "en-ja", "en-mr", "km-en", "ps-en")
SUBMITTERS = ("IST-Unbabel", "OrganizersBaselines")


def gold_file(task_dir: Path, lp: str) -> Path:
    for pattern in (f"*{lp}.mqm_z_score", f"*{lp}.da_score"):
        hits = sorted(task_dir.glob(pattern))
        if hits:
            return hits[0]
    raise SystemExit(f"no gold file for {lp} in {task_dir}")


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1] if path.stat().st_size else []


def read_submission(path: Path, lp: str) -> dict[int, float]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and parts[0] == lp:
            out[int(parts[2])] = float(parts[3])
    return out


def mtqa_scores(src: list[str], mt: list[str], lp: str, args) -> tuple[dict[str, list], float, dict]:
    """Run the CLI on the bitext: ({'mtqa': combined scores, 'mtqa:<scorer>': ...}, seconds, timings)."""
    sl, tl = lp.split("-")
    exe = Path(sys.executable).parent / "mtqa"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c", "from mtqa.cli import main; main()"]
    with tempfile.TemporaryDirectory() as tmp:
        s, t, o = Path(tmp, "src.txt"), Path(tmp, "mt.txt"), Path(tmp, "out.json")
        s.write_text("\n".join(x.replace("\u2028", " ") for x in src) + "\n", encoding="utf-8")
        t.write_text("\n".join(x.replace("\u2028", " ") for x in mt) + "\n", encoding="utf-8")
        cmd += ["score", str(s), str(t), "--bitext", "--src-lang", sl, "--tgt-lang", tl, "--format", "json",
                "-o", str(o), "--profile", args.profile, "--quiet"]
        for name in args.scorer or []:
            cmd += ["--scorer", name]
        t0 = time.perf_counter()
        res = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ))
        secs = time.perf_counter() - t0
        if not o.exists():
            raise SystemExit(f"mtqa failed on {lp} (exit {res.returncode}): {res.stderr.strip()[-2000:]}")
        report = json.loads(o.read_text())
    segs = report["segments"]
    if len(segs) != len(src):
        raise SystemExit(f"{lp}: mtqa returned {len(segs)} segments for {len(src)} lines")
    out = {"mtqa": [seg["score"] for seg in segs]}
    names = sorted({k for seg in segs for k in seg["scores"]})
    for name in names:
        out[f"mtqa:{name}"] = [seg["scores"].get(name) for seg in segs]
    return out, secs, report.get("timing", {})


def correlations(pred: list, gold: list[float]) -> tuple[float, float, int]:
    pairs = [(p, g) for p, g in zip(pred, gold, strict=True) if p is not None]
    if len(pairs) < 3:
        return float("nan"), float("nan"), len(pairs)
    p, g = zip(*pairs, strict=True)
    return spearman(p, g), kendall(p, g), len(pairs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default="/work/shared/benchmarks/wmt22-qe")
    ap.add_argument("--limit", type=int, default=None, help="first N lines of each pair")
    ap.add_argument("--pairs", default=",".join(MQM + DA))
    ap.add_argument("--profile", default="accurate", choices=["accurate", "fast"])
    ap.add_argument("--scorer", action="append", help="run only these mtqa scorers (repeatable)")
    ap.add_argument("--json", help="also write the table as JSON here")
    args = ap.parse_args()
    root = Path(args.root)
    rows, speed = [], []
    for lp in [p.strip() for p in args.pairs.split(",") if p.strip()]:
        task = "task1_mqm" if lp in MQM else "task1_da"
        d = root / task / lp
        src, mt = read_lines(d / "test.2022.src"), read_lines(d / "test.2022.mt")
        gold = [float(x) for x in read_lines(gold_file(d, lp))]
        if not (len(src) == len(mt) == len(gold)):
            raise SystemExit(f"{lp}: {len(src)} sources, {len(mt)} translations, {len(gold)} gold scores")
        n = min(len(src), args.limit) if args.limit else len(src)
        src, mt, gold = src[:n], mt[:n], gold[:n]
        systems, secs, timings = mtqa_scores(src, mt, lp, args)
        speed.append((lp, n, secs, timings.get("score")))
        for who in SUBMITTERS:
            sub = read_submission(root / "submissions" / task / lp / f"{who}.txt", lp)
            systems[who] = [sub.get(i) for i in range(n)]
        for system, pred in systems.items():
            rho, tau, used = correlations(pred, gold)
            rows.append({"task": task.split("_")[1], "pair": lp, "system": system, "n": n, "scored": used,
                         "spearman": rho, "kendall": tau})
    print(f"WMT22 QE sentence level, first {args.limit or 'all'} lines per pair, profile={args.profile}"
          + (f", scorers={','.join(args.scorer)}" if args.scorer else ""))
    print(f"{'task':<5} {'pair':<6} {'system':<22} {'n':>5} {'spearman':>9} {'kendall':>8}")
    for r in rows:
        print(f"{r['task']:<5} {r['pair']:<6} {r['system']:<22} {r['scored']:>5} {r['spearman']:>9.3f} "
              f"{r['kendall']:>8.3f}")
    print("\nmtqa wall time per pair (subprocess, incl. model loading) / scoring stage:")
    for lp, n, secs, score_secs in speed:
        extra = f", score stage (incl. model loading) {score_secs:.1f}s" if score_secs else ""
        print(f"  {lp}: {n} lines in {secs:.1f}s{extra}")
    if args.json:
        Path(args.json).write_text(json.dumps({"limit": args.limit, "rows": rows, "speed": speed}, indent=2))


if __name__ == "__main__":
    main()
