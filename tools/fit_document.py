"""Fit the document MQM estimate (mtqa/estimate.py) on MQM-rated documents scored by `mtqa batch`.

    python tools/fit_document.py cv --train RUN.jsonl:DOCS.jsonl [...]        # compare the methods
    python tools/fit_document.py fit --train RUN.jsonl:DOCS.jsonl [...] --method M --kind accurate|fast
                                     [--eval RUN.jsonl:DOCS.jsonl ...] [--out FILE]

RUN.jsonl is `mtqa batch` output (the full report of each document); DOCS.jsonl gives each document's id,
system, whether it is a human translation and its MQM per 100 source words (bench/mqm_docs.py writes
both). The features are computed by mtqa.estimate from the reports, the same code `mtqa score` runs.
`cv` prints each method's Spearman per pair with every source document left out of its own fit in turn;
`fit` writes the chosen one with its cut-scores. `--eval` prints Spearman, Kendall and the verdict table
on other documents (nothing is fitted or chosen on them)."""

from __future__ import annotations

import argparse
import json
import sys
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.estimate import EstimateModel, features, segment_evidence  # noqa: E402
from mtqa.gate import verdict_for  # noqa: E402
from mtqa.precision import apply_floor, kind_of, pair_of  # noqa: E402
from mtqa.report import Issue, Segment  # noqa: E402


def load(spec: str) -> list[dict]:
    """Documents of RUN.jsonl:DOCS.jsonl: pair, system, is_human, gold MQM/100w and the feature vector."""
    run_path, docs_path = spec.split(":")
    gold = {}
    for line in Path(docs_path).read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        gold[d["id"]] = d
    out: dict[str, dict] = {}  # by id: a document scored twice (a resumed run) counts once
    for line in Path(run_path).read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if not rec.get("ok") or rec["id"] not in gold:
            continue
        rep, g = rec["report"], gold[rec["id"]]
        segs = [Segment(**s) for s in rep["segments"]]
        issues = [Issue(**i) for i in rep["issues"]]
        # as the pipeline does, with the floor as it is now: a run made under another floor gets its
        # demoted issues back first
        for issue in issues:
            if issue.demoted:
                issue.severity, issue.demoted = "major", None
        apply_floor(issues, pair_of(rep["source"]["lang"], rep["translation"]["lang"]))
        ev = segment_evidence(segs, issues, rep["source"]["lang"], rep["translation"]["lang"])
        out[rec["id"]] = {"id": rec["id"], "pair": g["pair"], "group": g["group"], "system": g["system"],
                          "is_human": g["is_human"], "mqm": g["mqm_per_100w"], "x": features(ev),
                          "score": rep["document"]["score"], "issues": issues,
                          "tgt_lang": rep["translation"]["lang"]}
    return list(out.values())


def ranks(a: np.ndarray) -> np.ndarray:
    order = np.argsort(a, kind="mergesort")
    r = np.empty(len(a))
    r[order] = np.arange(len(a))
    for v in np.unique(a):  # average ranks for ties
        m = a == v
        r[m] = r[m].mean()
    return r


def spearman(a, b) -> float:
    return float(np.corrcoef(ranks(np.asarray(a, float)), ranks(np.asarray(b, float)))[0, 1])


def kendall(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    s = np.sign(a[:, None] - a[None, :]) * np.sign(b[:, None] - b[None, :])
    n = len(a)
    return float(s.sum() / (n * (n - 1))) if n > 1 else 0.0


def nnls(x: np.ndarray, y: np.ndarray) -> tuple[float, list[float]]:
    """Least squares with non-negative coefficients (more evidence of error never lowers the estimate):
    a feature whose coefficient comes out negative is dropped and the rest refitted."""
    keep = list(range(x.shape[1]))
    while True:
        a = np.column_stack([np.ones(len(x)), x[:, keep]])
        sol = np.linalg.lstsq(a, y, rcond=None)[0]
        neg = [keep[k] for k, c in enumerate(sol[1:]) if c < 0]
        if not neg:
            break
        keep.remove(min(neg, key=lambda j: sol[1 + keep.index(j)]))
    coef = [0.0] * x.shape[1]
    for k, j in enumerate(keep):
        coef[j] = float(sol[1 + k])
    return float(sol[0]), coef


METHODS = ("pooled", "pooled-log", "zscored", "scale-pairs-only")


def fit(docs: list[dict], method: str, scale_pairs: list[str], label: str) -> EstimateModel:
    """`pooled`: MQM on the features over every pair; `pooled-log`: log(1 + MQM); `zscored`: the direction
    from MQM z-scored within each pair (the rater pools' scales differ, so each pair weighs alike), the
    scale then fitted on `scale_pairs` alone; `scale-pairs-only`: fitted on `scale_pairs` alone."""
    x = np.array([d["x"] for d in docs])
    y = np.array([d["mqm"] for d in docs])
    on_scale = np.array([d["pair"] in scale_pairs for d in docs])
    if method in ("pooled", "pooled-log"):
        b, coef = nnls(x, np.log1p(y) if method == "pooled-log" else y)
        return EstimateModel(b, tuple(coef), method == "pooled-log", label)
    if method == "scale-pairs-only":
        b, coef = nnls(x[on_scale], y[on_scale])
        return EstimateModel(b, tuple(coef), False, label)
    z = np.zeros(len(y))
    for pair in {d["pair"] for d in docs}:
        m = np.array([d["pair"] == pair for d in docs])
        z[m] = (y[m] - y[m].mean()) / (y[m].std() or 1.0)
    _, direction = nnls(x, z)
    s = x[on_scale] @ np.asarray(direction)
    slope, intercept = np.polyfit(s, y[on_scale], 1) if s.std() > 0 else (0.0, 0.0)
    if slope <= 0:  # no direction that rises with MQM: the estimate is the scale pairs' mean
        slope, intercept = 0.0, float(y[on_scale].mean())
    return EstimateModel(float(intercept), tuple(slope * c for c in direction), False, label)


def cross_validated(docs: list[dict], method: str, scale_pairs: list[str]) -> dict[str, float]:
    """Per pair, Spearman of predictions made with each source document left out of the fit."""
    out = {}
    for pair in sorted({d["pair"] for d in docs}):
        pred, gold = [], []
        for group in sorted({d["group"] for d in docs if d["pair"] == pair}):
            model = fit([d for d in docs if d["group"] != group], method, scale_pairs, "")
            held = [d for d in docs if d["group"] == group]
            pred += list(model.predict(np.array([d["x"] for d in held])))
            gold += [d["mqm"] for d in held]
        out[pair] = spearman(pred, gold)
    return out


def pairwise(docs: list[dict], pred: np.ndarray, key: str) -> float:
    """Share of pairs (with different rated MQM) that the estimate orders as MQM does: pairs of
    translations of the same source document (key "group"), or of systems by their mean (key "system")."""
    if key == "system":
        systems = sorted({d["system"] for d in docs})
        items = [(np.mean([p for d, p in zip(docs, pred, strict=True) if d["system"] == s]),
                  np.mean([d["mqm"] for d in docs if d["system"] == s])) for s in systems]
        groups = [items]
    else:
        groups = [[(p, d["mqm"]) for d, p in zip(docs, pred, strict=True) if d["group"] == g]
                  for g in sorted({d["group"] for d in docs})]
    agree = total = 0.0
    for items in groups:
        for (p1, g1), (p2, g2) in combinations(items, 2):
            if g1 != g2:
                total += 1
                agree += 1.0 if (p1 - p2) * (g1 - g2) > 0 else 0.5 if p1 == p2 else 0.0
    return agree / total if total else float("nan")


def report(docs: list[dict], model: EstimateModel, title: str) -> None:
    print(f"\n{title}\n\n| pair | docs | Spearman | Kendall | pairwise, same source | system-level | "
          "Spearman, the report's own score |\n|---|---|---|---|---|---|---|")
    for pair in sorted({d["pair"] for d in docs}):
        sub = [d for d in docs if d["pair"] == pair]
        pred = model.predict(np.array([d["x"] for d in sub]))
        gold = [d["mqm"] for d in sub]
        print(f"| {pair} | {len(sub)} | {spearman(pred, gold):.3f} | {kendall(pred, gold):.3f} | "
              f"{pairwise(sub, pred, 'group'):.3f} | {pairwise(sub, pred, 'system'):.3f} | "
              f"{spearman([-d['score'] for d in sub], gold):.3f} |")


def cut_scores(docs: list[dict], model: EstimateModel, pairs: list[str]) -> tuple[float, float]:
    """(pass, fail) cut-scores, to a half point, from the professional human translations of `pairs`:
    80% of them pass (at or under the pass cut-score) and at most 5% fail (above the fail cut-score). The
    estimate does not separate them from the worst system's documents well enough to also make 70% of
    those fail (the worst system's share above each cut is printed), so the gate errs on the side of not
    failing publishable translations."""
    passes, fails = [], []
    for pair in pairs:
        sub = [d for d in docs if d["pair"] == pair]
        est = {d["id"]: float(model.predict(d["x"])) for d in sub}
        human = [est[d["id"]] for d in sub if d["is_human"]]
        systems = {d["system"] for d in sub if not d["is_human"]}
        worst = max(systems, key=lambda s: np.mean([d["mqm"] for d in sub if d["system"] == s]))
        passes.append(float(np.percentile(human, 80)))
        fails.append(float(np.percentile(human, 95)))
        worst_est = np.array([est[d["id"]] for d in sub if d["system"] == worst])
        print(f"{pair}: 80% of {len(human)} human translations at or under {passes[-1]:.2f}, 95% at or under "
              f"{fails[-1]:.2f}; {worst}'s documents above them: {np.mean(worst_est > passes[-1]):.0%}, "
              f"{np.mean(worst_est > fails[-1]):.0%}")
    return round(max(passes) * 2) / 2, round(max(fails) * 2) / 2


def verdicts(docs: list[dict], model: EstimateModel, cuts: tuple[float, float]) -> None:
    """mtqa's verdict (mtqa.gate.verdict_for, as the pipeline gives it: the estimate against the cut-scores,
    critical issues and the majors that warn on their own) against the verdict of the rated MQM at the same
    cut-scores (3x3), per pair."""
    names = ("pass", "warn", "fail")

    def verdict(v: float) -> str:
        return "pass" if v <= cuts[0] else "fail" if v > cuts[1] else "warn"

    for pair in sorted({d["pair"] for d in docs}):
        sub = [d for d in docs if d["pair"] == pair]
        mine = {d["id"]: verdict_for(float(model.predict(d["x"])), d["issues"], cuts[0], cuts[1])
                for d in sub}
        systems = {d["system"] for d in sub if not d["is_human"]}
        worst = max(systems, key=lambda s: np.mean([d["mqm"] for d in sub if d["system"] == s]))
        print(f"\n{pair}: mtqa's verdicts\n\n| documents | pass | warn | fail |\n|---|---|---|---|")
        for label, rows in (("human translations", [d for d in sub if d["is_human"]]),
                            (f"worst system ({worst})", [d for d in sub if d["system"] == worst]),
                            ("all", sub)):
            counts = [str(sum(mine[d["id"]] == v for d in rows)) for v in names]
            print(f"| {label} | " + " | ".join(counts) + " |")
        print(f"\n{pair}: rows = rated MQM verdict, columns = mtqa's "
              f"(cut-scores {cuts[0]:g} / {cuts[1]:g})\n")
        print("| rated \\ mtqa | pass | warn | fail |\n|---|---|---|---|")
        pairs = [(verdict(d["mqm"]), mine[d["id"]]) for d in sub]
        for gold in names:
            row = [pairs.count((gold, m)) for m in names]
            print(f"| {gold} | " + " | ".join(map(str, row)) + " |")


def rated_segments(gold_doc: dict) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """(start, end, rated error spans) of each target segment, at document offsets (Neutral left out)."""
    segs = []
    for s in gold_doc["segments"]:
        a = s["target_start"]
        rated = [(a + e["start"], a + e["end"]) for e in s["errors"]
                 if e["side"] == "target" and e["severity"] != "Neutral" and e["start"] is not None]
        segs.append((a, a + len(s["target"]), rated))
    return segs


def overlap_and_chance(segs, a: int, b: int, rng, draws: int) -> tuple[bool, float] | None:
    """Whether [a, b) overlaps a rated error of its segment, and how often the same span placed at random in
    that segment does; None when the span is in no segment."""
    seg = next((s for s in segs if s[0] <= a < s[1]), None)
    if seg is None:
        return None
    starts = rng.integers(seg[0], max(seg[0], seg[1] - (b - a)) + 1, size=draws)
    return (any(s < b and a < e for s, e in seg[2]),
            float(np.mean([any(s < x + b - a and x < e for s, e in seg[2]) for x in starts])))


def flag_precision(specs: list[str], draws: int = 20, seed: int = 0) -> tuple[dict, dict]:
    """Per language pair: (1) per check and kind (mtqa.precision.kind_of), how often its major rule flags
    (as the check raised them, before the precision floor) overlap an error a rater marked in the
    translation (any severity but Neutral), against chance: the same span placed at random in the same
    segment; (2) the model spans, the
    `per_segment` most confident of each segment, as (confidence, overlap, chance, segments) rows.
    RUN.jsonl:DOCS.jsonl as for `fit`; DOCS carries each segment's rated spans."""
    rng = np.random.default_rng(seed)
    majors: dict[str, dict[str, dict]] = {}
    spans: dict[str, dict] = {}
    for spec in specs:
        run_path, docs_path = spec.split(":")
        gold = {d["id"]: d for d in map(json.loads, Path(docs_path).read_text(encoding="utf-8").splitlines())}
        runs = {r["id"]: r for r in map(json.loads, Path(run_path).read_text(encoding="utf-8").splitlines())
                if r.get("ok") and r["id"] in gold}
        for doc_id, rec in runs.items():
            lang = gold[doc_id]["pair"]
            segs = rated_segments(gold[doc_id])
            lang_spans = spans.setdefault(lang, {"rows": [], "segments": 0})
            lang_spans["segments"] += len(segs)
            by_segment: dict[object, list[dict]] = {}
            for issue in rec["report"]["issues"]:
                a, b = issue.get("target_start"), issue.get("target_end")
                if a is None or b is None or b <= a:
                    continue
                if issue["origin"] == "model":
                    by_segment.setdefault(issue.get("segment"), []).append(issue)
                    continue
                if issue["severity"] != "major" and not issue.get("demoted"):
                    continue
                found = overlap_and_chance(segs, a, b, rng, draws)
                if found is None:
                    continue
                kinds = majors.setdefault(lang, {}).setdefault(issue["check"], {})
                row = kinds.setdefault(kind_of(issue["message"]), {"n": 0, "hits": 0, "chance": 0.0})
                row["n"] += 1
                row["hits"] += found[0]
                row["chance"] += found[1]
            for seg_spans in by_segment.values():
                seg_spans.sort(key=lambda i: -(i.get("confidence") or 0.0))
                for issue in seg_spans[:SPANS_PER_SEGMENT]:
                    found = overlap_and_chance(segs, issue["target_start"], issue["target_end"], rng, draws)
                    if found is not None:
                        lang_spans["rows"].append((issue.get("confidence") or 0.0, *found))
    table = {lang: {check: {kind: {"flags": r["n"], "precision": round(r["hits"] / r["n"], 3),
                                   "chance": round(r["chance"] / r["n"], 3)}
                            for kind, r in sorted(kinds.items())}
                    for check, kinds in sorted(checks.items())}
             for lang, checks in sorted(majors.items())}
    return table, spans


#: model spans shown per segment at most, and the least spans a confidence must keep to be measured
SPANS_PER_SEGMENT = 2
MIN_SPANS = 50
FLOOR = {"precision": 0.8, "over_chance": 0.15, "min_flags": 10}


def span_thresholds(spans: dict) -> dict[str, dict]:
    """Per language pair, the lowest span confidence (0.30, 0.35, ... 0.95) from which the shown spans'
    precision beats chance by the floor's margin, over at least MIN_SPANS spans; None when none does."""
    out = {}
    for lang, acc in sorted(spans.items()):
        rows = np.array(acc["rows"]) if acc["rows"] else np.zeros((0, 3))
        out[lang] = {"min_confidence": None, "segments": acc["segments"], "spans": len(rows)}
        for t in np.arange(0.30, 0.951, 0.05):
            sel = rows[rows[:, 0] >= t - 1e-9]
            if len(sel) < MIN_SPANS:
                break
            prec, chance = float(sel[:, 1].mean()), float(sel[:, 2].mean())
            if prec >= chance + FLOOR["over_chance"]:
                out[lang].update(min_confidence=round(float(t), 2), precision=round(prec, 3),
                                 chance=round(chance, 3), shown=len(sel),
                                 shown_per_10_segments=round(10 * len(sel) / acc["segments"], 2))
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=["fit", "cv", "precision"])
    ap.add_argument("--method", choices=METHODS, default="zscored")
    ap.add_argument("--kind", choices=["accurate", "fast"], default="accurate",
                    help="which of the shipped models to write (the profile the runs were scored with)")
    ap.add_argument("--cut-pairs", nargs="*", default=["en-de"],
                    help="pairs whose MQM scale the estimate takes and whose human translations and worst "
                         "system set the cut-scores (en-de: its human references are the best rated)")
    ap.add_argument("--train", nargs="+", required=True)
    ap.add_argument("--eval", nargs="*", default=[])
    ap.add_argument("--label", default="")
    ap.add_argument("--out", default=None, help="write the model here (default: print only)")
    args = ap.parse_args()
    if args.cmd == "precision":
        table, spans = flag_precision(args.train)
        data = {"measured_on": args.label, "floor": FLOOR, "rule_majors": table,
                "model_spans": {"per_segment": SPANS_PER_SEGMENT, "by_pair": span_thresholds(spans)}}
        print(json.dumps(data, indent=1))
        if args.out:
            Path(args.out).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        return
    train = [d for spec in args.train for d in load(spec)]
    if args.cmd == "cv":
        for method in METHODS:
            cv = cross_validated(train, method, args.cut_pairs)
            print(f"{method:18s} " + "  ".join(f"{p} {v:.3f}" for p, v in cv.items()))
        return
    model = fit(train, args.method, args.cut_pairs, args.label)
    print(json.dumps(model.to_json(), indent=1))
    report(train, model, "train (in-sample)")
    cuts = cut_scores(train, model, args.cut_pairs)
    if args.kind == "fast":  # one set of cut-scores: the accurate model's, which has the evidence to set them
        accurate = json.loads(Path(args.out).read_text(encoding="utf-8"))["accurate"] if args.out else None
        cuts = (accurate["pass_cut"], accurate["fail_cut"]) if accurate else cuts
    print(f"cut-scores: pass <= {cuts[0]:g}, fail > {cuts[1]:g}")
    verdicts(train, model, cuts)
    for spec in args.eval:
        docs = load(spec)
        report(docs, model, f"eval: {spec}")
        verdicts(docs, model, cuts)
    if args.out:
        out = Path(args.out)
        models = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        models[args.kind] = {**model.to_json(), "pass_cut": cuts[0], "fail_cut": cuts[1]}
        out.write_text(json.dumps(models, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
