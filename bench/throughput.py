"""End-to-end throughput of `mtqa score` (issue 6), and the ratio to a CometKiwi-sized peer.

    .venv/bin/python bench/throughput.py                      # fast and accurate, 1k and 10k segments
    .venv/bin/python bench/throughput.py --profiles fast --sizes 1000 10000 --peer-pairs 32

Documents are built from WMT22 QE (task1_mqm/<pair>/test.2022.{src,mt}): consecutive lines form paragraphs
of ~5 lines; to reach N lines the set is cycled and every cycle after the first is made distinct ("[k] "
prefixed on both sides) so nothing is served from a per-process memo. Each measurement runs in a fresh
process through `mtqa.pipeline.run` (what `mtqa score` runs): one tiny warm-up document loads the models
(reported as `load`), then the timed document; peak RSS is that process's ru_maxrss. Each timed run starts
from an empty cache of its own (MTQA_CACHE_DIR in the temporary folder) holding only the derived models a
machine builds once (linked in from one untimed first run), then a second process re-runs the
document after one paragraph of the translation was edited, on the cache the first left: the incremental
re-check time. The peer is XLM-R large (CometKiwi's encoder: 24 layers, hidden 1024, 16 heads, FFN 4096, vocab
250002) with random weights, batch 16, torch.inference_mode, over the same pairs tokenised "src </s> mt"
with one random id per whitespace word times SUBWORD_FACTOR (XLM-R's sentencepiece gives ~1.3 pieces per
word on WMT news), extrapolated to segments/s.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WMT = Path(os.environ.get("MTQA_WMT22_QE", "/work/shared/benchmarks/wmt22-qe"))
PARA_LINES = 5
SUBWORD_FACTOR = 1.3
TARGETS = {"fast_segs": 300.0, "accurate_segs": 25.0, "accurate_peer_ratio": 20.0, "scaling": 11.0,
           "rss_gib": 1.5, "help_s": 0.3}


def load_pair(pair: str) -> tuple[list[str], list[str]]:
    for task in ("task1_mqm", "task1_da"):
        d = WMT / task / pair
        if d.is_dir():
            src = (d / "test.2022.src").read_text(encoding="utf-8").splitlines()
            mt = (d / "test.2022.mt").read_text(encoding="utf-8").splitlines()
            keep = [(s.strip(), t.strip()) for s, t in zip(src, mt, strict=True) if s.strip() and t.strip()]
            return [s for s, _ in keep], [t for _, t in keep]
    raise SystemExit(f"no WMT22 QE pair {pair} under {WMT}")


def build_lines(pair: str, n: int) -> tuple[list[str], list[str]]:
    src, mt = load_pair(pair)
    out_s, out_t = [], []
    for i in range(n):
        k, j = divmod(i, len(src))
        prefix = f"[{k}] " if k else ""
        out_s.append(prefix + src[j])
        out_t.append(prefix + mt[j])
    return out_s, out_t


def as_document(lines: list[str]) -> str:
    paras = [" ".join(lines[i : i + PARA_LINES]) for i in range(0, len(lines), PARA_LINES)]
    return "\n\n".join(paras) + "\n"


# --- one measurement, in its own process ----------------------------------------------------------


def worker(args) -> None:
    from mtqa.pipeline import Options, run

    src_lang, tgt_lang = args.pair.split("-")
    opts = Options(profile=args.profile, src_lang=src_lang, tgt_lang=tgt_lang)
    t0 = time.perf_counter()
    run(args.warm_src, args.warm_tgt, opts)  # loads every model the profile uses
    from mtqa.lang.langid import detect

    for path in (args.warm_src, args.warm_tgt):  # lingua's per-language models, as detecting a document's
        detect(Path(path).read_text(encoding="utf-8"))  # language (no --src-lang) would have loaded
    load = time.perf_counter() - t0
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    report = run(args.src, args.tgt, opts)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rss = after.ru_maxrss * 1024
    print(json.dumps({"segments": len(report.segments), "src_sentences": report.source.sentences,
                      "tgt_sentences": report.translation.sentences, "wall": wall, "load": load,
                      "timing": report.timing, "rss": rss, "cpu": cpu,
                      "models": [m.name for m in report.models]}))


def edit_one_paragraph(lines: list[str]) -> list[str]:
    """The same translation with one paragraph (the middle one) changed, as after a reviewer's fix."""
    out = list(lines)
    mid = (len(lines) // PARA_LINES // 2) * PARA_LINES
    out[mid] = "(revised) " + out[mid]
    return out


def share_derived_models(models: Path, cache: Path) -> None:
    """Give a cold cache the derived models (converted e5, its ONNX export, the static USE table), which a
    machine builds once, not per run: every folder of `models` linked in; the score and embedding cache
    (the SQLite files) stays empty. `models` is filled by one untimed run first."""
    if not models.exists():
        s, t = build_lines("en-de", 10)
        for name, lines in (("src", s), ("tgt", t)):
            (models.parent / f"models-{name}.txt").write_text(as_document(lines), encoding="utf-8")
        env = dict(os.environ, MTQA_CACHE_DIR=str(models))
        for profile in ("fast", "accurate"):
            subprocess.run([sys.executable, "-m", "mtqa.cli", "score", str(models.parent / "models-src.txt"),
                            str(models.parent / "models-tgt.txt"), "--profile", profile, "--quiet",
                            "-o", os.devnull], env=env, check=True, capture_output=True)
    cache.mkdir(parents=True, exist_ok=True)
    for folder in models.iterdir():
        if folder.is_dir() and not (cache / folder.name).exists():
            (cache / folder.name).symlink_to(folder, target_is_directory=True)


def measure(profile: str, pair: str, n: int, tmp: Path, blas_threads: int | None = None,
            edited: bool = False) -> dict:
    """One cold run (an empty cache of its own), or with `edited` a re-run after editing one paragraph
    of the translation, on the cache the cold run left."""
    s, t = build_lines(pair, n)
    if edited:
        t = edit_one_paragraph(t)
    ws, wt = build_lines(pair, 10)
    files = {}
    for name, lines in (("src", s), ("tgt", t), ("warm_src", ws), ("warm_tgt", wt)):
        files[name] = tmp / f"{name}-{n}{'-edited' if edited else ''}.txt"
        files[name].write_text(as_document(lines), encoding="utf-8")
    cmd = [sys.executable, __file__, "--worker", "--profile", profile, "--pair", pair,
           "--src", str(files["src"]), "--tgt", str(files["tgt"]),
           "--warm-src", str(files["warm_src"]), "--warm-tgt", str(files["warm_tgt"])]
    env = dict(os.environ)
    cache = tmp / f"cache-{profile}-{n}"
    env["MTQA_CACHE_DIR"] = str(cache)
    env.pop("MTQA_NO_CACHE", None)
    if not edited:
        share_derived_models(tmp / "models", cache)
    if blas_threads:
        env.update(OPENBLAS_NUM_THREADS=str(blas_threads), OMP_NUM_THREADS=str(blas_threads),
                   MKL_NUM_THREADS=str(blas_threads))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"worker failed ({profile}, {n}):\n{proc.stderr[-3000:]}")
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res.update(profile=profile, lines=n, edited=edited, segs_per_s=res["segments"] / res["wall"],
               segs_per_cpu_s=res["segments"] / max(res["cpu"], 1e-9))
    return res


# --- peer: CometKiwi-sized XLM-R large, random weights ----------------------------------------------


def peer_throughput(pair: str, n_pairs: int, batch: int = 16, threads: int | None = None) -> dict:
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    if threads:
        torch.set_num_threads(threads)
    src, mt = build_lines(pair, n_pairs)
    lengths = [min(512, math.ceil(SUBWORD_FACTOR * (len(s.split()) + len(t.split()))) + 4)
               for s, t in zip(src, mt, strict=True)]
    config = XLMRobertaConfig(vocab_size=250002, hidden_size=1024, num_hidden_layers=24,
                              num_attention_heads=16, intermediate_size=4096, max_position_embeddings=514,
                              type_vocab_size=1)
    t0 = time.perf_counter()
    torch.manual_seed(0)
    model = XLMRobertaModel(config, add_pooling_layer=False).eval()
    build = time.perf_counter() - t0
    gen = torch.Generator().manual_seed(0)
    order = sorted(range(len(lengths)), key=lengths.__getitem__)  # length-sorted batches, as COMET does
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    with torch.inference_mode():
        for k in range(0, len(order), batch):
            idx = order[k : k + batch]
            width = max(lengths[i] for i in idx)
            ids = torch.randint(5, 250000, (len(idx), width), generator=gen)
            mask = torch.zeros((len(idx), width), dtype=torch.long)
            for row, i in enumerate(idx):
                mask[row, : lengths[i]] = 1
            ids[mask == 0] = 1  # <pad>
            model(input_ids=ids, attention_mask=mask)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    return {"pairs": n_pairs, "seconds": elapsed, "segs_per_s": n_pairs / elapsed, "build_s": build,
            "cpu": cpu, "segs_per_cpu_s": n_pairs / max(cpu, 1e-9),
            "mean_tokens": sum(lengths) / len(lengths), "threads": torch.get_num_threads()}


def help_time(repeat: int = 3) -> float:
    exe = ROOT / ".venv" / "bin" / "mtqa"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "mtqa.cli"]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([*cmd, "--help"], capture_output=True, check=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profiles", nargs="*", default=["fast", "accurate"], help="none: peer only")
    ap.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000],
                    help="lines (segments) per document")
    ap.add_argument("--pair", default="en-de")
    ap.add_argument("--peer-pairs", type=int, default=64, help="0 skips the peer")
    ap.add_argument("--blas-threads", type=int, default=None,
                    help="OPENBLAS/OMP_NUM_THREADS for the measured process (default: as the environment)")
    ap.add_argument("--json", metavar="FILE", help="also write all results there")
    ap.add_argument("--no-rerun", action="store_true",
                    help="skip the re-run after editing one paragraph (incremental re-check)")
    # internal: one measurement in a fresh process
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    for opt in ("--profile", "--src", "--tgt", "--warm-src", "--warm-tgt"):
        ap.add_argument(opt, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return

    results = {"help_s": help_time(), "runs": [], "peer": None}
    print(f"mtqa --help: {results['help_s']:.3f} s (target < {TARGETS['help_s']} s)")
    with tempfile.TemporaryDirectory(prefix="mtqa-bench-") as tmp:
        for profile in args.profiles:
            for n in sorted(args.sizes):
                r = measure(profile, args.pair, n, Path(tmp), args.blas_threads)
                results["runs"].append(r)
                stages = " ".join(f"{k}={v:.1f}" for k, v in r["timing"].items() if k != "total")
                print(f"{profile:<8} {n:>6} lines  {r['segments']:>6} segs  {r['wall']:8.1f} s  "
                      f"{r['segs_per_s']:7.1f} seg/s ({r['segs_per_cpu_s']:.1f}/CPU-s)  "
                      f"rss {r['rss'] / 2**30:.2f} GiB  load {r['load']:.1f} s"
                      f"  [{stages}]  (cold cache)", flush=True)
                if not args.no_rerun:
                    e = measure(profile, args.pair, n, Path(tmp), args.blas_threads, edited=True)
                    results.setdefault("reruns", []).append(e)
                    stages = " ".join(f"{k}={v:.1f}" for k, v in e["timing"].items() if k != "total")
                    print(f"{'':<8} {'':>6} re-run after editing one paragraph: {e['wall']:.1f} s "
                          f"({r['wall'] / e['wall']:.1f}x faster)  [{stages}]", flush=True)
    if args.peer_pairs:
        results["peer"] = peer_throughput(args.pair, args.peer_pairs, threads=args.blas_threads)
        p = results["peer"]
        print(f"peer (XLM-R large, random weights): {p['pairs']} pairs in {p['seconds']:.1f} s = "
              f"{p['segs_per_s']:.2f} seg/s, {p['segs_per_cpu_s']:.2f}/CPU-s "
              f"(mean {p['mean_tokens']:.0f} tokens, {p['threads']} threads)")

    print("\n| profile | lines | segments | seconds | seg/s | seg/CPU-s | peak RSS GiB | ratio to peer "
          "(wall, CPU) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results["runs"]:
        peer = results["peer"]
        ratio = r["segs_per_s"] / peer["segs_per_s"] if peer else float("nan")
        cratio = r["segs_per_cpu_s"] / peer["segs_per_cpu_s"] if peer else float("nan")
        r["peer_ratio"], r["peer_ratio_cpu"] = ratio, cratio
        print(f"| {r['profile']} | {r['lines']} | {r['segments']} | {r['wall']:.1f} "
              f"| {r['segs_per_s']:.1f} | {r['segs_per_cpu_s']:.1f} | {r['rss'] / 2**30:.2f} "
              f"| {ratio:.1f}x, {cratio:.1f}x |")
    for profile in args.profiles:
        by = {r["lines"]: r for r in results["runs"] if r["profile"] == profile}
        if len(by) >= 2:
            lo, hi = min(by), max(by)
            ratio = by[hi]["wall"] / by[lo]["wall"]
            results[f"scaling_{profile}"] = ratio
            print(f"{profile}: {hi // lo}x document took {ratio:.2f}x the time "
                  f"(target <= {TARGETS['scaling']}x)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
