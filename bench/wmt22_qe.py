"""WMT22 QE shared task: mtqa vs the official CometKiwi and baseline submissions, sentence and word level,
plus critical-error detection (CED) on the WMT22 task-3 dev sets.

Runs `mtqa score SRC MT --bitext --format json` (a subprocess: mtqa sees only the source and MT lines, never
the gold scores or the submissions), then computes Spearman and Kendall (tau-b) per language pair against the
gold, and recomputes the same figures for the "IST-Unbabel" (CometKiwi) and "OrganizersBaselines" (OpenKiwi)
submissions on the same lines, in the same run.

Word level (MQM pairs): the report's issues with origin "model" (the QE model's error spans, character
offsets into the translation file) are mapped onto the `mt_tok` tokens (a token is BAD if it overlaps a span);
MCC over all tokens against `task1_word-level` gold, beside the submissions' word tags (missing = OK).

Detached translations (MQM pairs, `--no-detached` skips): every source is scored once more against another
test line's translation (a seeded derangement), through the same command; the figure is the share of lines
whose own translation scores higher. A fluent text that says something else must not pass: a model can rank
MQM scores well and still fail this.

CED (`--ced-root`, default wmt22-ced-dev): a seeded random sample of `--ced-limit` lines per pair through the
same command; a segment is called BAD when its score is below a threshold. The threshold is chosen by 2-fold
cross-validation on the sample (chosen on one half, measured on the other, both ways; MCC averaged), and
also reported with "or a model span of confidence >= 0.8" added.

    python bench/wmt22_qe.py [--root /work/shared/benchmarks/wmt22-qe] [--limit N] [--pairs en-de,en-ru]
                             [--profile accurate] [--scorer e5-qe ...] [--ced-limit 2000] [--no-ced]

Gold: MQM pairs use test.2022.<lp>.mqm_z_score (the WMT22 official target), DA pairs the DA z-scores.
en-yo is skipped by default: Yoruba is not among the XLM-R / multilingual-e5 languages.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import math
import os
import random
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


def mtqa_scores(src: list[str], mt: list[str], lp: str, args) -> tuple[dict[str, list], float, dict, list]:
    """Run the CLI on the bitext: ({'mtqa': combined scores, 'mtqa:<scorer>': ...}, seconds, timings, per
    line the model's error spans as (start, end, confidence) character offsets into that line)."""
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
        line_starts = [0]
        for line in t.read_text(encoding="utf-8").split("\n"):
            line_starts.append(line_starts[-1] + len(line) + 1)
    spans: list[list[tuple[int, int, float]]] = [[] for _ in mt]
    for issue in report["issues"]:
        if issue.get("origin") == "model" and issue.get("target_start") is not None:
            k = max(0, _bisect(line_starts, issue["target_start"]) - 1)
            if k < len(mt):
                spans[k].append((issue["target_start"] - line_starts[k], issue["target_end"] - line_starts[k],
                                 issue["confidence"]))
    segs = report["segments"]
    if len(segs) != len(src):
        raise SystemExit(f"{lp}: mtqa returned {len(segs)} segments for {len(src)} lines")
    out = {"mtqa": [seg["score"] for seg in segs]}
    names = sorted({k for seg in segs for k in seg["scores"]})
    for name in names:
        out[f"mtqa:{name}"] = [seg["scores"].get(name) for seg in segs]
    return out, secs, report.get("timing", {}), spans


def _bisect(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset)


def mcc(gold: list[bool], pred: list[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    tn = sum(not g and not p for g, p in zip(gold, pred, strict=True))
    fp = sum(not g and p for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    den = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / den if den else 0.0


def token_spans(line: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Character ranges of the tokenised words in the raw line (tokenisation only inserted spaces); tokens
    that cannot be placed get an empty range."""
    out, pos = [], 0
    for tok in tokens:
        tok = html.unescape(tok)
        while pos < len(line) and line[pos].isspace():
            pos += 1
        if line.startswith(tok, pos):
            out.append((pos, pos + len(tok)))
            pos += len(tok)
        else:
            hit = line.find(tok, pos)
            if hit >= 0 and hit - pos < 10:
                out.append((hit, hit + len(tok)))
                pos = hit + len(tok)
            else:
                out.append((pos, pos))
    return out


def word_level(root: Path, lp: str, mt: list[str], spans: list, n: int) -> dict[str, float]:
    """Word-level MCC of mtqa's model spans and of the submissions on the first n lines."""
    d = root / "task1_word-level" / lp
    gold = [line.split() for line in read_lines(d / f"test.2022.{lp}.tags")][:n]
    toks = [line.split() for line in read_lines(d / "test.2022.mt_tok")][:n]
    g_all, ours = [], []
    for i, (g, tk) in enumerate(zip(gold, toks, strict=True)):
        ranges = token_spans(mt[i], tk[:-1]) + [(len(mt[i]), len(mt[i]))]  # the last token is <EOS>
        for tag, (a, b) in zip(g, ranges, strict=True):
            g_all.append(tag == "BAD")
            ours.append(b > a and any(a < e and s < b for s, e, _ in spans[i]))
    out = {"mtqa": mcc(g_all, ours)}
    for who in SUBMITTERS:
        sub = {}
        for line in (root / "submissions" / "task1_word-level" / lp / f"{who}.txt").read_text().splitlines():
            p = line.split("\t")
            if len(p) >= 7 and p[0] == lp:
                sub[(int(p[3]), int(p[4]))] = p[6] == "BAD"
        out[who] = mcc(g_all, [sub.get((i, k), False) for i, g in enumerate(gold) for k in range(len(g))])
    return out


def ced(args) -> list[dict]:
    """Critical-error detection on a seeded sample of the WMT22 task-3 dev sets (module docstring)."""
    rows = []
    for lp in ("en-de", "pt-en"):
        d = Path(args.ced_root) / lp
        if not d.exists():
            continue
        with gzip.open(d / "dev.src.gz", "rt", encoding="utf-8") as fh:
            src = fh.read().split("\n")
        with gzip.open(d / "dev.mt.gz", "rt", encoding="utf-8") as fh:
            mt = fh.read().split("\n")
        labels = read_lines(d / "dev.label")
        src, mt = src[: len(labels)], mt[: len(labels)]
        idx = sorted(random.Random(13).sample(range(len(labels)), min(args.ced_limit, len(labels))))
        s, t, g = [src[i] for i in idx], [mt[i] for i in idx], [labels[i].strip() == "BAD" for i in idx]
        systems, secs, _, spans = mtqa_scores(s, t, lp, args)
        strong = [any(c >= 0.8 for _, _, c in sp) for sp in spans]
        half = [k % 2 for k in range(len(idx))]
        for system, pred in systems.items():
            if not system.startswith("mtqa"):
                continue
            score = [1.0 if p is None else p for p in pred]
            for with_spans in (False, True) if system == "mtqa" else (False,):
                folds = []
                for fold in (0, 1):
                    fit = [k for k in range(len(idx)) if half[k] != fold]
                    test = [k for k in range(len(idx)) if half[k] == fold]
                    flags = [with_spans and x for x in strong]
                    grid = sorted({round(score[k], 3) for k in fit})
                    best = max(grid, key=lambda th, fit=fit, flags=flags: mcc(
                        [g[k] for k in fit], [score[k] < th or flags[k] for k in fit]))
                    folds.append(mcc([g[k] for k in test], [score[k] < best or flags[k] for k in test]))
                rows.append({"pair": lp, "system": system + (" +spans" if with_spans else ""), "n": len(idx),
                             "bad": sum(g), "mcc": sum(folds) / 2, "seconds": secs})
    return rows


def detached(src: list[str], mt: list[str], lp: str, systems: dict[str, list], args) -> dict[str, float]:
    """The share of lines whose own translation outscores another line's translation of the same test set
    (a fluent text that says something else), per mtqa system; each source gets one other line's MT
    (a seeded derangement) through the same `mtqa score --bitext` run."""
    rng = random.Random(13)
    order = list(range(len(mt)))
    rng.shuffle(order)
    other = {order[k]: order[(k + 1) % len(order)] for k in range(len(order))}
    keep = [i for i in range(len(mt)) if mt[other[i]] != mt[i]]
    swapped, _, _, _ = mtqa_scores([src[i] for i in keep], [mt[other[i]] for i in keep], lp, args)
    out = {}
    for name, own in systems.items():
        pairs = [(own[i], v) for i, v in zip(keep, swapped.get(name, []), strict=True)
                 if own[i] is not None and v is not None]
        out[name] = sum(a > b for a, b in pairs) / len(pairs) if pairs else float("nan")
    return out


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
    ap.add_argument("--ced-root", default="/work/shared/benchmarks/wmt22-ced-dev")
    ap.add_argument("--ced-limit", type=int, default=2000, help="random lines per CED pair (seed 13)")
    ap.add_argument("--no-ced", action="store_true", help="skip the critical-error detection part")
    ap.add_argument("--no-detached", action="store_true",
                    help="skip the detached-translation guard (own translation vs another line's)")
    args = ap.parse_args()
    root = Path(args.root)
    rows, speed, words, guards = [], [], [], []
    for lp in [p.strip() for p in args.pairs.split(",") if p.strip()]:
        task = "task1_mqm" if lp in MQM else "task1_da"
        d = root / task / lp
        src, mt = read_lines(d / "test.2022.src"), read_lines(d / "test.2022.mt")
        gold = [float(x) for x in read_lines(gold_file(d, lp))]
        if not (len(src) == len(mt) == len(gold)):
            raise SystemExit(f"{lp}: {len(src)} sources, {len(mt)} translations, {len(gold)} gold scores")
        n = min(len(src), args.limit) if args.limit else len(src)
        src, mt, gold = src[:n], mt[:n], gold[:n]
        systems, secs, timings, spans = mtqa_scores(src, mt, lp, args)
        speed.append((lp, n, secs, timings.get("score")))
        if lp in MQM:
            words.append({"pair": lp, "n": n, **word_level(root, lp, mt, spans, n)})
            if not args.no_detached:
                guards.append({"pair": lp, "n": n, **detached(src, mt, lp, systems, args)})
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
    if words:
        print(f"\nword level (MCC over mt_tok tokens): {'pair':<6} {'n':>5} "
              + " ".join(f"{k:>20}" for k in ("mtqa", *SUBMITTERS)))
        for w in words:
            print(f"{'':<36}{w['pair']:<6} {w['n']:>5} "
                  + " ".join(f"{w[k]:>20.3f}" for k in ("mtqa", *SUBMITTERS)))
    if guards:
        names = [k for k in guards[0] if k not in ("pair", "n")]
        print(f"\ndetached translations (share of lines whose own MT outscores another line's): {'pair':<6} "
              + " ".join(f"{k:>18}" for k in names))
        for g in guards:
            print(f"{'':<78}{g['pair']:<6} " + " ".join(f"{g[k]:>18.3f}" for k in names))
    ced_rows = [] if args.no_ced else ced(args)
    if ced_rows:
        print("\ncritical-error detection (WMT22 task-3 dev, seeded sample; MCC, threshold by 2-fold CV):")
        for r in ced_rows:
            print(f"  {r['pair']:<6} {r['system']:<20} n={r['n']:>5} BAD={r['bad']:>4} MCC {r['mcc']:.3f}")
    print("\nmtqa wall time per pair (subprocess, incl. model loading) / scoring stage:")
    for lp, n, secs, score_secs in speed:
        extra = f", score stage (incl. model loading) {score_secs:.1f}s" if score_secs else ""
        print(f"  {lp}: {n} lines in {secs:.1f}s{extra}")
    if args.json:
        Path(args.json).write_text(json.dumps({"limit": args.limit, "rows": rows, "speed": speed,
                                               "word_level": words, "detached": guards,
                                               "ced": ced_rows}, indent=2))


if __name__ == "__main__":
    main()
