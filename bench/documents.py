"""Document-level development benchmark (issue 25): does mtqa's document score track MQM, and what do its
verdicts say about professional translations?

    python bench/mqm_docs.py                       # once: the documents under /work/docbench
    python bench/documents.py [--split dev] [--pairs en-de,zh-en] [--profile accurate|fast] [-j 2]
                              [--max-groups N] [--pass-mqm 5 --fail-mqm 15] [--ref ref.A,...] [--no-run]

Every (system, document) goes through `mtqa batch` (bench/docrun.py; a finished output is reused). Per pair:
document Spearman and Kendall of the score against -MQM per 100 source words (higher score = better), the
same for the plain length-weighted mean of mtqa's segment scores, and for sacrebleu chrF of each document
against a human translation of the same source document (the first of --ref in its group other than
itself; a peer with more information); pairwise accuracy among translations of one source document;
system-level pairwise accuracy (on the source documents every system translated); verdict tables (all,
the human translations, the worst system by MQM, and mtqa's verdict against the verdict the human MQM
gives at --pass-mqm/--fail-mqm). The per-document features go to a CSV beside the batch output.
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from docrun import joined, read_results, run_folder, run_pair, run_parser  # noqa: E402
from rankstats import kendall, pairwise_accuracy, spearman, table  # noqa: E402

VERDICTS = ("pass", "warn", "fail")
REFS = "ref.A,ref.B,ref.C,ref.D,Human-A.0,Human-B.0,Human-P.0"


def mqm_verdict(mqm: float, pass_cut: float, fail_cut: float) -> str:
    """The verdict human MQM gives: pass up to pass_cut per 100 words, fail above fail_cut."""
    return "pass" if mqm <= pass_cut else "fail" if mqm > fail_cut else "warn"


def weighted_mean(values: list[tuple[float, float]]) -> float:
    den = sum(w for _, w in values)
    return sum(v * w for v, w in values) / den if den else float("nan")


def features(meta: dict, report: dict) -> dict:
    """One document's row of the features CSV, from its MQM record and its batch report."""
    from mtqa.lang.wordseg import word_count

    sl, tl = meta["pair"].split("-")
    segs = report["segments"]
    scored, per_scorer = [], defaultdict(list)
    omitted_chars = added_chars = omitted_words = added_words = n_src_only = n_tgt_only = 0
    for s in segs:
        src, tgt = s.get("source") or "", s.get("target") or ""
        if src and not tgt:
            n_src_only += 1
            omitted_chars += len(src)
            omitted_words += word_count(src, sl)
        elif tgt and not src:
            n_tgt_only += 1
            added_chars += len(tgt)
            added_words += word_count(tgt, tl)
        w = max(1, word_count(src, sl) if src else word_count(tgt, tl))
        if s.get("score") is not None:
            scored.append((s["score"], w))
        for name, v in (s.get("scores") or {}).items():
            if v is not None:
                per_scorer[name].append((v, w))
    vals = [v for v, _ in scored]
    row = {
        "id": meta["id"], "pair": meta["pair"], "year": meta["year"], "doc": meta["doc"],
        "group": meta["group"], "system": meta["system"], "is_human": int(meta["is_human"]),
        "mqm_per_100w": meta["mqm_per_100w"], "mqm_penalty": meta["penalty"],
        "source_words": meta["source_words"], "n_segments": meta["n_segments"],
        "score": report["document"]["score"], "verdict": report["document"]["verdict"],
        "mtqa_penalty_per_100w": report["document"]["mqm_penalty"],
        "n_mtqa_segments": len(segs), "n_scored": len(vals),
        "lw_mean": weighted_mean(scored), "mean_seg": statistics.fmean(vals) if vals else float("nan"),
        "min_seg": min(vals) if vals else float("nan"),
        "n_seg_below_0.3": sum(v < 0.3 for v in vals),
        "n_source_only": n_src_only, "n_target_only": n_tgt_only,
        "omitted_chars": omitted_chars, "added_chars": added_chars,
        "omitted_words": omitted_words, "added_words": added_words,
        "source_chars": sum(len(s["source"]) for s in meta["segments"]),
        "target_chars": sum(len(s["target"]) for s in meta["segments"]),
    }
    for name, pairs in sorted(per_scorer.items()):
        row[f"lw_{name}"] = weighted_mean(pairs)
    model = [i for i in report["issues"] if i.get("origin") == "model"]
    row["model_spans"] = len(model)
    row["model_major"] = sum(i["severity"] == "major" for i in model)
    row["model_conf_mean"] = statistics.fmean(i["confidence"] for i in model) if model else float("nan")
    row["model_span_chars"] = sum((i.get("target_end") or 0) - (i.get("target_start") or 0) for i in model)
    for i in report["issues"]:
        if i.get("origin") == "rule":
            key = f"rule:{i.get('check') or i['type']}:{i['severity']}"
            row[key] = row.get(key, 0) + 1
    return row


def paragraph_scores(meta: dict, report: dict) -> list[tuple[float, float]]:
    """(mtqa paragraph score, -MQM penalty) per rated segment (one paragraph each): the word-weighted mean
    of the scores of mtqa's segments drawn from that source paragraph; unscored paragraphs left out."""
    from mtqa.lang.wordseg import word_count

    sl = meta["pair"].split("-")[0]
    acc: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for s in report["segments"]:
        if s.get("score") is None or not s.get("source_paragraphs"):
            continue
        w = max(1, word_count(s["source"], sl))
        for p in s["source_paragraphs"]:
            acc[p].append((s["score"], w))
    return [(weighted_mean(acc[k + 1]), -seg["penalty"]) for k, seg in enumerate(meta["segments"])
            if acc.get(k + 1)]


def chrf_scores(metas: list[dict], refs: list[str]) -> dict[str, tuple[float, str]]:
    """Document id -> (chrF against a human translation of the same source document, its system)."""
    import sacrebleu

    by_group: dict[str, dict[str, dict]] = defaultdict(dict)
    for m in metas:
        by_group[m["group"]][m["system"]] = m
    out = {}
    for m in metas:
        ref = next((r for r in refs if r in by_group[m["group"]] and r != m["system"]), None)
        if ref is None:
            continue
        hyps = [s["target"] for s in m["segments"]]
        gold = [s["target"] for s in by_group[m["group"]][ref]["segments"]]
        out[m["id"]] = (sacrebleu.corpus_chrf(hyps, [gold]).score, ref)
    return out


def correlation_rows(rows: list[dict], label: str, measures: list[str]) -> list[list[object]]:
    out = []
    for key in measures:
        keep = [r for r in rows if r.get(key) == r.get(key) and r.get(key) is not None]
        x, y = [r[key] for r in keep], [-r["mqm_per_100w"] for r in keep]
        acc, npairs = pairwise_accuracy([(r["group"], r[key], -r["mqm_per_100w"]) for r in keep])
        out.append([label, key, len(keep), spearman(x, y), kendall(x, y), acc, npairs])
    return out


def system_level(rows: list[dict], key: str) -> tuple[float, int, int]:
    """Pairwise accuracy of systems (mean of `key` against MQM per 100 words, over the source documents
    that every system translated): (accuracy, pairs, documents per system)."""
    systems = {r["system"] for r in rows}
    per_group = defaultdict(set)
    for r in rows:
        per_group[r["group"]].add(r["system"])
    common = {g for g, s in per_group.items() if s == systems}
    agg: dict[str, list] = defaultdict(lambda: [0.0, 0.0, []])
    for r in rows:
        if r["group"] in common:
            a = agg[r["system"]]
            a[0] += r["mqm_penalty"]
            a[1] += r["source_words"]
            a[2].append(r[key])
    items = [("all", statistics.fmean(a[2]), -100.0 * a[0] / a[1]) for a in agg.values()]
    acc, n = pairwise_accuracy(items)
    return acc, n, len(common)


def verdict_counts(rows: list[dict]) -> list[int]:
    c = Counter(r["verdict"] for r in rows)
    return [c[v] for v in VERDICTS] + [len(rows)]


def report_pair(pair: str, rows: list[dict], args, paras: list[tuple[float, float]]) -> str:
    out = []
    mt = [r for r in rows if not r["is_human"] and r.get("chrf") is not None]
    measures = ["score", "lw_mean"] + sorted(k for k in rows[0] if k.startswith("lw_") and k != "lw_mean")
    corr = correlation_rows(rows, "all documents", measures)
    corr += correlation_rows(mt, "MT documents with a human reference", measures + ["chrf"])
    out.append(f"### {pair}: document score vs -MQM per 100 source words\n")
    out.append(table(["documents", "measure", "n", "Spearman", "Kendall", "pairwise acc. (same source)",
                      "pairs"], corr))
    px, py = [x for x, _ in paras], [y for _, y in paras]
    out.append(f"\n{pair}: paragraph (rated segment) level, mtqa paragraph score vs -MQM penalty: "
               f"Spearman {spearman(px, py):.3f}, Kendall {kendall(px, py):.3f}, n = {len(paras)}")
    sys_rows = [[k, *system_level(rows, k)] for k in ("score", "lw_mean")]
    if mt:
        sys_rows.append(["chrf (MT systems)", *system_level(mt, "chrf")])
        sys_rows.append(["score (MT systems)", *system_level(mt, "score")])
    out.append(f"\n{pair}: system-level pairwise accuracy (systems: {len({r['system'] for r in rows})})\n")
    out.append(table(["measure", "accuracy", "system pairs", "source docs per system"], sys_rows))
    by_sys = defaultdict(list)
    for r in rows:
        by_sys[r["system"]].append(r)
    worst = max((s for s in by_sys if not by_sys[s][0]["is_human"]),
                key=lambda s: statistics.fmean(r["mqm_per_100w"] for r in by_sys[s]))
    vrows = [["all", *verdict_counts(rows)], ["MT", *verdict_counts([r for r in rows if not r["is_human"]])],
             ["human", *verdict_counts([r for r in rows if r["is_human"]])]]
    vrows += [[f"human: {s}", *verdict_counts(v)] for s, v in sorted(by_sys.items()) if v[0]["is_human"]]
    vrows.append([f"worst MT system by MQM: {worst}", *verdict_counts(by_sys[worst])])
    out.append(f"\n{pair}: mtqa verdicts\n")
    out.append(table(["documents", "pass", "warn", "fail", "n"], vrows))
    cuts = f"pass ≤ {args.pass_mqm}, fail > {args.fail_mqm} MQM per 100 source words"
    grid = Counter((r["verdict"], mqm_verdict(r["mqm_per_100w"], args.pass_mqm, args.fail_mqm)) for r in rows)
    out.append(f"\n{pair}: mtqa verdict (rows) vs human-MQM verdict (columns; {cuts})\n")
    out.append(table(["mtqa \\ MQM", *VERDICTS, "n"],
                     [[v, *[grid[(v, h)] for h in VERDICTS], sum(grid[(v, h)] for h in VERDICTS)]
                      for v in VERDICTS]))
    hv = Counter((r["is_human"], mqm_verdict(r["mqm_per_100w"], args.pass_mqm, args.fail_mqm)) for r in rows)
    worst_v = Counter(mqm_verdict(r["mqm_per_100w"], args.pass_mqm, args.fail_mqm) for r in by_sys[worst])
    out.append(f"\n{pair}: human-MQM verdicts at those cut-scores\n")
    out.append(table(["documents", *VERDICTS], [["human", *[hv[(1, v)] for v in VERDICTS]],
                                                ["MT", *[hv[(0, v)] for v in VERDICTS]],
                                                [f"worst: {worst}", *[worst_v[v] for v in VERDICTS]]]))
    q = [statistics.quantiles([r["mqm_per_100w"] for r in rows if r["is_human"] == h], n=10) for h in (1, 0)]
    out.append(f"\n{pair}: MQM per 100 words, deciles 1/5/9: "
               f"human {q[0][0]:.2f}/{q[0][4]:.2f}/{q[0][8]:.2f}, "
               f"MT {q[1][0]:.2f}/{q[1][4]:.2f}/{q[1][8]:.2f}")
    return "\n".join(out)


def write_csv(rows: list[dict], path: Path) -> None:
    keys = {k for r in rows for k in r}
    fixed = [k for k in rows[0] if not k.startswith("rule:")]
    extra = sorted(keys - set(fixed))  # the rule issue counts, check:severity
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fixed + extra, restval=0)
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    from mtqa.config import FAIL_MQM, PASS_MQM

    ap = run_parser(__doc__)
    ap.add_argument("--pass-mqm", type=float, default=PASS_MQM, help="cut-scores of the rated MQM's verdict")
    ap.add_argument("--fail-mqm", type=float, default=FAIL_MQM)
    ap.add_argument("--ref", default=REFS, help="human reference systems for chrF, in order of preference")
    args = ap.parse_args(argv)
    all_rows: list[dict] = []
    for pair in args.pairs.split(","):
        output, stats = run_pair(args.root, args.split, pair, profile=args.profile, jobs=args.jobs,
                                 bitext=args.bitext, seed=args.seed, max_groups=args.max_groups,
                                 run=not args.no_run)
        pairs = joined(args.root, args.split, pair, output)
        if not pairs:
            print(f"{pair}: no scored documents in {output}")
            continue
        chrf = chrf_scores([m for m, _ in pairs], args.ref.split(","))
        rows, paras = [], []
        for meta, rep in pairs:
            paras += paragraph_scores(meta, rep)
            row = features(meta, rep)
            row["chrf"], row["chrf_ref"] = chrf.get(meta["id"], (None, ""))
            rows.append(row)
        n_seg = sum(r["n_segments"] for r in rows)
        print(f"\n## {pair} ({args.split}, profile {args.profile}{', bitext' if args.bitext else ''}): "
              f"{len(rows)} documents of {stats['rows']} scored, {n_seg} MQM segments, "
              f"{len({r['group'] for r in rows})} source documents, "
              f"{len({r['system'] for r in rows})} systems"
              + (f"; this call's batch took {stats['seconds']:.0f} s" if stats["seconds"] else "") + "\n")
        busy = sum(r["seconds"] for r in read_results(output).values() if r.get("ok"))
        n_mtqa = sum(r["n_mtqa_segments"] for r in rows)
        print(f"speed: the rows' own times sum to {busy:.0f} s for {n_seg} rated segments ({n_mtqa} mtqa "
              f"segments): {n_seg / busy:.2f} rated segments/s per worker\n")
        print(report_pair(pair, rows, args, paras))
        all_rows += rows
    if all_rows:
        path = run_folder(args.root, args.split, args.profile, args.bitext) / f"features-{args.split}.csv"
        write_csv(all_rows, path)
        print(f"\nper-document features: {path}")


if __name__ == "__main__":
    main()
