"""Critical-error detection: does "the segment has a major or critical issue" find the BAD segments?

Goes through the product path (`mtqa.pipeline.run`, what `mtqa score SRC MT --bitext` calls) on

* WMT22 CED dev (`../shared/benchmarks/wmt22-ced-dev`): MCC of the major-issue call against BAD, per pair,
  with precision and recall, and per check how many segments it flagged major and how many were BAD;
* MQM error-free segments (`No-error` from every rater, `../shared/benchmarks/wmt-mqm` raw TSVs): the
  false-flag rate, the share of those segments that get a major issue, and which checks raised them.

    python bench/critical_errors.py [--limit N] [--pairs en-de,pt-en] [--mqm-pairs en-de,zh-en,en-ru]
                                    [--mqm-limit N] [--profile fast|accurate] [--show K] [--missed K]
                                    [--no-precision-floor]

--limit takes a seeded random subset of lines (the BAD share stays about the same).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import math
import random
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.pipeline import Options, run  # noqa: E402

BENCH = ROOT.parent / "shared" / "benchmarks"
SERIOUS = {"major", "critical"}


def mcc(tp: int, fp: int, fn: int, tn: int) -> float:
    den = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / den if den else 0.0


def rule(issue) -> str:
    """The check and the kind of finding ("polarity: negation added"), for the counts."""
    head = issue.message.split(":")[0] if ":" in issue.message[:40] else ""
    plain = not head or head.startswith(("QE", '"', "name spelled"))
    return issue.check if plain else f"{issue.check}: {head}"


def clean(line: str) -> str:
    return " ".join(line.replace("\t", " ").split()) or "-"


def flagged_segments(src: list[str], mt: list[str], lp: str, profile: str,
                     precision_floor: bool = True) -> tuple[dict[int, list], float]:
    """Run mtqa on the bitext; line index -> the major/critical issues on it, and seconds taken."""
    sl, tl = lp.split("-")
    with tempfile.TemporaryDirectory() as tmp:
        sp, tp = Path(tmp) / f"src.{sl}.txt", Path(tmp) / f"mt.{tl}.txt"
        sp.write_text("\n".join(map(clean, src)) + "\n", encoding="utf-8")
        tp.write_text("\n".join(map(clean, mt)) + "\n", encoding="utf-8")
        t0 = time.perf_counter()
        report = run(str(sp), str(tp), Options(src_lang=sl, tgt_lang=tl, bitext=True, profile=profile,
                                               precision_floor=precision_floor))
        secs = time.perf_counter() - t0
    # bitext: paragraph p (1-based) is line p - 1
    line_of = {seg.id: seg.source_paragraphs[0] - 1 for seg in report.segments if seg.source_paragraphs}
    out: dict[int, list] = {}
    for issue in report.issues:
        if issue.severity in SERIOUS and issue.segment is not None and issue.segment in line_of:
            out.setdefault(line_of[issue.segment], []).append(issue)
    return out, secs


def ced(pair: str, args) -> dict:
    d = BENCH / "wmt22-ced-dev" / pair
    src = gzip.open(d / "dev.src.gz", "rt", encoding="utf-8").read().split("\n")
    mt = gzip.open(d / "dev.mt.gz", "rt", encoding="utf-8").read().split("\n")
    labels = (d / "dev.label").read_text().split()
    n = len(labels)
    idx = list(range(n))
    if args.limit and args.limit < n:
        idx = sorted(random.Random(args.seed).sample(idx, args.limit))
    flags, secs = flagged_segments([src[i] for i in idx], [mt[i] for i in idx], pair, args.profile,
                                   args.precision_floor)
    tp = fp = fn = tn = 0
    per_check: dict[str, Counter] = {}
    shown = missed = 0
    for k, i in enumerate(idx):
        bad = labels[i] == "BAD"
        hit = k in flags
        tp += hit and bad
        fp += hit and not bad
        fn += bad and not hit
        tn += not bad and not hit
        for name in {rule(x) for x in flags.get(k, [])}:
            per_check.setdefault(name, Counter())["bad" if bad else "ok"] += 1
        if args.missed and bad and not hit and missed < args.missed:
            missed += 1
            print(f"  MISSED [{pair}:{i}]\n     {src[i][:200]}\n     {mt[i][:200]}")
        if args.show and hit and not bad and shown < args.show:
            shown += 1
            print(
                f"  FP [{pair}:{i}] {flags[k][0].check}: {flags[k][0].message}\n"
                f"     {src[i][:160]}\n     {mt[i][:160]}"
            )
    return {
        "pair": pair,
        "n": len(idx),
        "bad": tp + fn,
        "mcc": mcc(tp, fp, fn, tn),
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "per_check": per_check,
        "seconds": secs,
    }


def error_free(pair: str, limit: int, seed: int) -> list[tuple[str, str]]:
    """(source, target) of system outputs every rater marked No-error, from the raw MQM TSVs."""
    rows: dict[tuple, list] = {}
    for tgz in sorted((BENCH / "wmt-mqm" / "train" / pair).glob("*.tar.gz")):
        with tarfile.open(tgz) as tar:
            for member in tar.getmembers():
                if not member.name.endswith(".tsv") or "/._" in member.name:
                    continue
                f = tar.extractfile(member)
                assert f is not None
                reader = csv.reader(
                    io.TextIOWrapper(f, encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE
                )
                header = next(reader)
                col = {h: k for k, h in enumerate(header)}
                for r in reader:
                    if len(r) < len(header) - 1:
                        continue
                    key = (member.name, r[col["system"]], r[col["doc"]], r[col["seg_id"]], r[col["source"]])
                    rows.setdefault(key, []).append(
                        (r[col["source"]], r[col["target"]], r[col["category"]].lower() == "no-error")
                    )
    good = sorted({(v[0][0], v[0][1]) for v in rows.values() if all(ok for _, _, ok in v)})
    good = [(s, t) for s, t in good if s.strip() and t.strip() and "<v>" not in s + t]
    random.Random(seed).shuffle(good)
    return good[:limit]


def mqm(pair: str, args) -> dict:
    pairs = error_free(pair, args.mqm_limit, args.seed)
    flags, secs = flagged_segments([s for s, _ in pairs], [t for _, t in pairs], pair, args.profile,
                                   args.precision_floor)
    per_check = Counter(name for issues in flags.values() for name in {rule(x) for x in issues})
    shown = 0
    for k, issues in sorted(flags.items()):
        if shown < args.show:
            shown += 1
            print(
                f"  false flag [{pair}] {issues[0].check}: {issues[0].message}\n     {pairs[k][0][:160]}\n"
                f"     {pairs[k][1][:160]}"
            )
    return {"pair": pair, "n": len(pairs), "flagged": len(flags), "per_check": per_check, "seconds": secs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", default="en-de,pt-en")
    ap.add_argument("--mqm-pairs", default="en-de,zh-en,en-ru")
    ap.add_argument("--limit", type=int, default=0, help="random subset of CED lines per pair (0: all)")
    ap.add_argument("--mqm-limit", type=int, default=1000, help="error-free segments per MQM pair")
    ap.add_argument("--profile", default="fast", choices=("fast", "accurate"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--show", type=int, default=0, help="print this many false flags per set")
    ap.add_argument("--missed", type=int, default=0, help="print this many missed BAD lines per CED pair")
    ap.add_argument("--no-precision-floor", dest="precision_floor", action="store_false",
                    help="the checks' own severities, as `mtqa score --no-precision-floor`")
    args = ap.parse_args()
    print(f"profile {args.profile}, precision floor {'on' if args.precision_floor else 'off'}")
    results = [ced(p, args) for p in args.pairs.split(",") if p]
    print("\n| CED dev pair | lines | BAD | MCC | precision | recall | seconds |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['pair']} | {r['n']} | {r['bad']} | {r['mcc']:.3f} | {r['precision']:.3f} | "
            f"{r['recall']:.3f} | {r['seconds']:.0f} |"
        )
    for r in results:
        print(f"\nmajor flags per check, CED {r['pair']} (segments: BAD / OK)")
        for name, c in sorted(r["per_check"].items(), key=lambda kv: -sum(kv[1].values())):
            print(f"  {name:44s} {c['bad']:5d} / {c['ok']:5d}")
    mq = [mqm(p, args) for p in args.mqm_pairs.split(",") if p]
    if mq:
        print("\n| MQM error-free pair | segments | with a major issue | rate |")
        print("|---|---|---|---|")
        for r in mq:
            print(f"| {r['pair']} | {r['n']} | {r['flagged']} | {r['flagged'] / max(1, r['n']):.1%} |")
        tot_n, tot_f = sum(r["n"] for r in mq), sum(r["flagged"] for r in mq)
        print(f"| all | {tot_n} | {tot_f} | {tot_f / max(1, tot_n):.1%} |")
        for r in mq:
            print(
                f"\nmajor flags per check, MQM error-free {r['pair']}: "
                + ", ".join(f"{k} {v}" for k, v in r["per_check"].most_common())
            )


if __name__ == "__main__":
    main()
