"""Alignment quality on Text+Berg de-fr (7 documents, gold in vecalign format).

Strict and lax precision/recall/F1, micro-averaged over all documents as vecalign's score.py does:
alignments empty on both sides are dropped; 1-0 and 0-1 beads count. Prints F1 and time.

    python bench/align_textberg.py [--data ../shared/benchmarks/textberg-align]
"""

from __future__ import annotations

import argparse
import ast
import time
from collections import defaultdict
from pathlib import Path

from mtqa.align import AlignParams, align_embeddings, embed_overlaps
from mtqa.encoders import get_encoder

Bead = tuple[tuple[int, ...], tuple[int, ...]]


def read_gold(path: Path) -> list[Bead]:
    beads = []
    for line in path.read_text().splitlines():
        if line.strip():
            s, t = line.split(":", 1)
            beads.append((tuple(ast.literal_eval(s)), tuple(ast.literal_eval(t))))
    return beads


def _precision(gold: list[Bead], test: list[Bead]) -> tuple[int, int, int, int]:
    gold_set = {b for b in gold if b[0] or b[1]}
    test_set = {b for b in test if b[0] or b[1]}
    src_to_gold_tgt: dict[int, set[int]] = defaultdict(set)
    for s, t in gold_set:
        for i in s:
            src_to_gold_tgt[i].update(t)
        if not s:
            src_to_gold_tgt[-1].update(t)
    tps = fps = tpl = fpl = 0
    for s, t in test_set:
        if (s, t) in gold_set:
            tps += 1
            tpl += 1
            continue
        fps += 1
        gold_t = set().union(*(src_to_gold_tgt[i] for i in s)) if s else src_to_gold_tgt[-1]
        if set(t) & gold_t or (not t and s and any(not src_to_gold_tgt[i] for i in s)):
            tpl += 1
        else:
            fpl += 1
    return tps, fps, tpl, fpl


def score(golds: list[list[Bead]], tests: list[list[Bead]]) -> dict[str, float]:
    tp_p = fp_p = tp_r = fn_r = 0
    for g, t in zip(golds, tests, strict=True):
        a, b, _, _ = _precision(g, t)
        c, d, _, _ = _precision(t, g)
        tp_p, fp_p, tp_r, fn_r = tp_p + a, fp_p + b, tp_r + c, fn_r + d
    p = tp_p / max(1, tp_p + fp_p)
    r = tp_r / max(1, tp_r + fn_r)
    return {"precision": p, "recall": r, "f1": 2 * p * r / max(1e-9, p + r)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/benchmarks/textberg-align"))
    ap.add_argument("--skip-cost", type=float, default=None)
    ap.add_argument("--max-cells", type=int, default=None, help="force coarse-to-fine below this size")
    args = ap.parse_args()
    data = Path(args.data)
    params = AlignParams()
    if args.skip_cost is not None:
        params.skip_cost = args.skip_cost
    if args.max_cells is not None:
        params.max_cells = args.max_cells
    enc = get_encoder("use-m3")
    t0 = time.perf_counter()
    golds, tests = [], []
    embed_time = align_time = 0.0
    for gold_file in sorted((data / "gold").iterdir()):
        src = (data / "de" / gold_file.name).read_text().splitlines()
        tgt = (data / "fr" / gold_file.name).read_text().splitlines()
        t1 = time.perf_counter()
        se, te = embed_overlaps(enc, src), embed_overlaps(enc, tgt)
        t2 = time.perf_counter()
        ali = align_embeddings(se, te, params=params)
        align_time += time.perf_counter() - t2
        embed_time += t2 - t1
        golds.append(read_gold(gold_file))
        tests.append([(tuple(s), tuple(t)) for s, t in ali.beads])
        one = score([golds[-1]], [tests[-1]])
        print(f"{gold_file.name}: {len(src)}x{len(tgt)} sentences  F1 {one['f1']:.3f}")
    res = score(golds, tests)
    total = time.perf_counter() - t0
    print(f"strict P {res['precision']:.3f}  R {res['recall']:.3f}  F1 {res['f1']:.3f}   (bertalign: 0.936)")
    print(f"time: total {total:.2f}s, embed {embed_time:.2f}s, align {align_time:.2f}s")


if __name__ == "__main__":
    main()
