"""End-to-end throughput of `mtqa score` (issue 6), and the ratio to a CometKiwi-sized peer.

    .venv/bin/python bench/throughput.py                      # fast and accurate, 1k and 10k segments
    .venv/bin/python bench/throughput.py --profiles fast --sizes 1000 10000 --peer-pairs 32
    .venv/bin/python bench/throughput.py --profiles accurate --sizes 2000 --no-rerun --peer-pairs 0

Besides, per profile: `mtqa score` on a one-line pair and on one article of 10 one-line paragraphs (warm
cache, startup included, best of 3: the pre-commit case), and 150 such articles through `mtqa batch -j 2`
against the same 1,500 paragraphs as one document (each on an empty score cache holding the derived
models). Each timed document's checks print each check family's share of their CPU time.

Documents are built from WMT22 QE (task1_mqm/<pair>/test.2022.{src,mt}): consecutive lines form paragraphs
of ~5 lines; to reach N lines the set is cycled and every cycle after the first is made distinct ("[k] "
before every sentence on both sides) so nothing is served from a per-process memo. `--bitext N`: the same
N lines as line-aligned files (`mtqa score --bitext`), issue 28's headline case. Each measurement runs in a
fresh process through `mtqa.pipeline.run` (what `mtqa score` runs): one tiny warm-up document loads the models
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
import re
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
TARGETS = {"fast_segs": 500.0, "accurate_segs": 100.0, "accurate_peer_ratio": 25.0, "scaling": 10.5,
           "rss_gib": 1.5, "help_s": 0.3, "many_short": 2.0, "short_article_s": 3.0, "one_line_s": 2.0}
ARTICLES, ARTICLE_PARAS = 150, 10


def load_pair(pair: str) -> tuple[list[str], list[str]]:
    for task in ("task1_mqm", "task1_da"):
        d = WMT / task / pair
        if d.is_dir():
            src = (d / "test.2022.src").read_text(encoding="utf-8").splitlines()
            mt = (d / "test.2022.mt").read_text(encoding="utf-8").splitlines()
            keep = [(s.strip(), t.strip()) for s, t in zip(src, mt, strict=True) if s.strip() and t.strip()]
            return [s for s, _ in keep], [t for _, t in keep]
    raise SystemExit(f"no WMT22 QE pair {pair} under {WMT}")


# the end of a sentence inside a line (a space after Latin punctuation: 3.5 is no end), where a cycle's
# mark goes too
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。！？])\s*(?=\S)")


def mark(line: str, k: int) -> str:
    """`line` of the k-th cycle made distinct: "[k] " before it and before every sentence inside it (a
    mark at the line's head alone left a line's later sentences equal across cycles, so a document's
    per-process memos served them)."""
    return f"[{k}] " + _SENTENCE_END.sub(f" [{k}] ", line) if k else line


def build_lines(pair: str, n: int) -> tuple[list[str], list[str]]:
    src, mt = load_pair(pair)
    out_s, out_t = [], []
    for i in range(n):
        k, j = divmod(i, len(src))
        out_s.append(mark(src[j], k))
        out_t.append(mark(mt[j], k))
    return out_s, out_t


def as_document(lines: list[str]) -> str:
    paras = [" ".join(lines[i : i + PARA_LINES]) for i in range(0, len(lines), PARA_LINES)]
    return "\n\n".join(paras) + "\n"


# --- one measurement, in its own process ----------------------------------------------------------


def time_families() -> dict[str, float]:
    """CPU seconds per check family from now on in this process (wraps the registry's per-check call; a
    result memoised for the run is charged to the first family that asks for it)."""
    from mtqa.checks import registry

    spent: dict[str, float] = {}
    plain = registry._issues_of

    def timed(info, ctx):
        t0 = time.process_time()
        try:
            return plain(info, ctx)
        finally:
            spent[info.family] = spent.get(info.family, 0.0) + time.process_time() - t0

    registry._issues_of = timed
    return spent


def shares(spent: dict[str, float]) -> str:
    total = sum(spent.values()) or 1.0
    top = sorted(spent.items(), key=lambda kv: -kv[1])
    return f"checks {total:.1f} CPU-s: " + ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in top if v > 0)


def worker(args) -> None:
    from mtqa.pipeline import Options, run

    src_lang, tgt_lang = args.pair.split("-")
    opts = Options(profile=args.profile, src_lang=src_lang, tgt_lang=tgt_lang, bitext=args.bitext_files)
    t0 = time.perf_counter()
    run(args.warm_src, args.warm_tgt, opts)  # loads every model the profile uses
    from mtqa.lang.langid import detect

    for path in (args.warm_src, args.warm_tgt):  # lingua's per-language models, as detecting a document's
        detect(Path(path).read_text(encoding="utf-8"))  # language (no --src-lang) would have loaded
    load = time.perf_counter() - t0
    before = resource.getrusage(resource.RUSAGE_SELF)
    spent = time_families()
    t0 = time.perf_counter()
    report = run(args.src, args.tgt, opts)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rss = after.ru_maxrss * 1024
    print(json.dumps({"segments": len(report.segments), "src_sentences": report.source.sentences,
                      "tgt_sentences": report.translation.sentences, "wall": wall, "load": load,
                      "timing": report.timing, "rss": rss, "cpu": cpu,
                      "models": [m.name for m in report.models], "families": spent}))


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
            edited: bool = False, bitext: bool = False) -> dict:
    """One cold run (an empty cache of its own), or with `edited` a re-run after editing one paragraph
    of the translation, on the cache the cold run left. `bitext`: the lines as line-aligned files
    (`mtqa score --bitext`: one segment per line, no sentence alignment) instead of a document."""
    s, t = build_lines(pair, n)
    if edited:
        t = edit_one_paragraph(t)
    ws, wt = build_lines(pair, 10)
    files = {}
    kind = "bitext" if bitext else "doc"
    for name, lines in (("src", s), ("tgt", t), ("warm_src", ws), ("warm_tgt", wt)):
        files[name] = tmp / f"{name}-{kind}-{n}{'-edited' if edited else ''}.txt"
        text = "\n".join(lines) + "\n" if bitext else as_document(lines)
        files[name].write_text(text, encoding="utf-8")
    cmd = [sys.executable, __file__, "--worker", "--profile", profile, "--pair", pair,
           "--src", str(files["src"]), "--tgt", str(files["tgt"]),
           "--warm-src", str(files["warm_src"]), "--warm-tgt", str(files["warm_tgt"]),
           *(["--bitext-files"] if bitext else [])]
    env = dict(os.environ)
    cache = tmp / f"cache-{profile}-{kind}-{n}"
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
    res.update(profile=profile, lines=n, edited=edited, bitext=bitext,
               segs_per_s=res["segments"] / res["wall"],
               segs_per_cpu_s=res["segments"] / max(res["cpu"], 1e-9))
    return res


# --- the newsroom's day: many short articles, and one article while somebody waits -------------------


def cli(*args: str) -> list[str]:
    exe = ROOT / ".venv" / "bin" / "mtqa"
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "mtqa.cli", *args]


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):  # 1: a document failed its gate, as bad MT may
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def many_short(profile: str, pair: str, tmp: Path, jobs: int = 2, articles: int = ARTICLES) -> dict:
    """ARTICLES documents of ARTICLE_PARAS one-line paragraphs through `mtqa batch -j jobs` (jobs 0: batch's
    own default), against the same paragraphs as one document through `mtqa score`: wall times with startup,
    each on an empty score cache holding the derived models."""
    src, tgt = build_lines(pair, articles * ARTICLE_PARAS)
    folder = tmp / f"many-{profile}"
    folder.mkdir(parents=True, exist_ok=True)
    sl, tl = pair.split("-")
    rows = []
    for k in range(articles):
        part = slice(k * ARTICLE_PARAS, (k + 1) * ARTICLE_PARAS)
        for side, lines in (("src", src[part]), ("tgt", tgt[part])):
            (folder / f"a{k}.{side}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        rows.append({"source": f"a{k}.src.txt", "translation": f"a{k}.tgt.txt", "src_lang": sl,
                     "tgt_lang": tl})
    (folder / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for side, lines in (("src", src), ("tgt", tgt)):
        (folder / f"one.{side}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "MTQA_NO_CACHE"}
    out = {}
    out_file = folder / f"out-j{jobs}.jsonl"
    out_file.unlink(missing_ok=True)
    parallel = ["-j", str(jobs)] if jobs else []
    for name, cmd in (("batch", cli("batch", str(folder / "manifest.jsonl"), "-o", str(out_file), *parallel,
                                    "--profile", profile, "--quiet")),
                      ("one", cli("score", str(folder / "one.src.txt"), str(folder / "one.tgt.txt"),
                                  "--src-lang", sl, "--tgt-lang", tl, "--profile", profile,
                                  "-o", os.devnull))):
        cache = tmp / f"cache-many-{profile}-{name}-j{jobs}"
        share_derived_models(tmp / "models", cache)
        out[name] = timed(cmd, dict(env, MTQA_CACHE_DIR=str(cache)))
    return {"profile": profile, "articles": articles, "paragraphs": articles * ARTICLE_PARAS, "jobs": jobs,
            "batch_s": out["batch"][0], "batch_cpu": out["batch"][1], "one_s": out["one"][0],
            "one_cpu": out["one"][1], "ratio": out["batch"][0] / out["one"][0]}


def short_article(profile: str, pair: str, tmp: Path, repeat: int = 3) -> dict:
    """`mtqa score` on a one-line pair and on one article of ARTICLE_PARAS paragraphs, warm cache (a first
    untimed run fills it), wall time with startup: best of `repeat`, and its CPU time."""
    src, tgt = build_lines(pair, ARTICLE_PARAS)
    sl, tl = pair.split("-")
    cache = tmp / f"cache-short-{profile}"
    share_derived_models(tmp / "models", cache)
    env = dict({k: v for k, v in os.environ.items() if k != "MTQA_NO_CACHE"}, MTQA_CACHE_DIR=str(cache))
    out = {"profile": profile}
    for name, lines in (("one_line", 1), ("article", ARTICLE_PARAS)):
        for side, text in (("src", src[:lines]), ("tgt", tgt[:lines])):
            (tmp / f"short-{name}.{side}.txt").write_text("\n\n".join(text) + "\n", encoding="utf-8")
        cmd = cli("score", str(tmp / f"short-{name}.src.txt"), str(tmp / f"short-{name}.tgt.txt"),
                  "--src-lang", sl, "--tgt-lang", tl, "--profile", profile, "-o", os.devnull)
        timed(cmd, env)  # warms the cache
        best = min(timed(cmd, env) for _ in range(repeat))
        out[f"{name}_s"], out[f"{name}_cpu"] = best
    return out


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


def print_run(r: dict, what: str) -> None:
    """One timed run: its speed, stages and the check families' shares."""
    stages = " ".join(f"{k}={v:.1f}" for k, v in r["timing"].items() if k != "total")
    print(f"{r['profile']:<8} {what}  {r['segments']:>6} segs  {r['wall']:8.1f} s  "
          f"{r['segs_per_s']:7.1f} seg/s ({r['segs_per_cpu_s']:.1f}/CPU-s)  "
          f"rss {r['rss'] / 2**30:.2f} GiB  load {r['load']:.1f} s  [{stages}]  (cold cache)\n{'':<8} "
          f"{shares(r['families'])}", flush=True)


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
    ap.add_argument("--no-many", action="store_true", help="skip the short articles through batch")
    ap.add_argument("--articles", type=int, default=ARTICLES, help="short articles through batch")
    ap.add_argument("--jobs", type=int, nargs="+", default=[2],
                    help="mtqa batch -j for the short articles (0: its default, one worker per 2 CPUs)")
    ap.add_argument("--bitext", type=int, nargs="*", default=[2000], metavar="N",
                    help="also N lines as line-aligned files (mtqa score --bitext, issue 28's headline "
                         "case); none: skip")
    ap.add_argument("--no-short", action="store_true", help="skip one short article through mtqa score")
    # internal: one measurement in a fresh process
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    for opt in ("--profile", "--src", "--tgt", "--warm-src", "--warm-tgt"):
        ap.add_argument(opt, help=argparse.SUPPRESS)
    ap.add_argument("--bitext-files", action="store_true", help=argparse.SUPPRESS)
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
                print_run(r, f"{n:>6} lines")
                if not args.no_rerun:
                    e = measure(profile, args.pair, n, Path(tmp), args.blas_threads, edited=True)
                    results.setdefault("reruns", []).append(e)
                    stages = " ".join(f"{k}={v:.1f}" for k, v in e["timing"].items() if k != "total")
                    print(f"{'':<8} {'':>6} re-run after editing one paragraph: {e['wall']:.1f} s "
                          f"({r['wall'] / e['wall']:.1f}x faster)  [{stages}]", flush=True)
            for n in args.bitext:
                r = measure(profile, args.pair, n, Path(tmp), args.blas_threads, bitext=True)
                results["runs"].append(r)
                print_run(r, f"{n:>6} lines --bitext")
        for profile in args.profiles:
            if not args.no_short:
                r = short_article(profile, args.pair, Path(tmp))
                results.setdefault("short", []).append(r)
                print(f"{profile:<8} mtqa score, warm cache, startup included: one line "
                      f"{r['one_line_s']:.2f} s ({r['one_line_cpu']:.2f} CPU-s; target <= "
                      f"{TARGETS['one_line_s']} s), one article of {ARTICLE_PARAS} paragraphs "
                      f"{r['article_s']:.2f} s ({r['article_cpu']:.2f} CPU-s; target <= "
                      f"{TARGETS['short_article_s']} s)", flush=True)
            for jobs in [] if args.no_many else args.jobs:
                r = many_short(profile, args.pair, Path(tmp), jobs=jobs, articles=args.articles)
                results.setdefault("many", []).append(r)
                how = f"-j {jobs}" if jobs else "(default -j)"
                print(f"{profile:<8} {r['articles']} articles of {ARTICLE_PARAS} paragraphs, "
                      f"mtqa batch {how}: {r['batch_s']:.1f} s ({r['batch_cpu']:.1f} CPU-s); one document "
                      f"of {r['paragraphs']} paragraphs: {r['one_s']:.1f} s ({r['one_cpu']:.1f} CPU-s): "
                      f"x{r['ratio']:.2f} (target <= x{TARGETS['many_short']})", flush=True)
    if args.peer_pairs:
        results["peer"] = peer_throughput(args.pair, args.peer_pairs, threads=args.blas_threads)
        p = results["peer"]
        print(f"peer (XLM-R large, random weights): {p['pairs']} pairs in {p['seconds']:.1f} s = "
              f"{p['segs_per_s']:.2f} seg/s, {p['segs_per_cpu_s']:.2f}/CPU-s "
              f"(mean {p['mean_tokens']:.0f} tokens, {p['threads']} threads)")

    print("\n| profile | input | lines | segments | seconds | seg/s | seg/CPU-s | peak RSS GiB "
          "| ratio to peer (wall, CPU) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results["runs"]:
        peer = results["peer"]
        ratio = r["segs_per_s"] / peer["segs_per_s"] if peer else float("nan")
        cratio = r["segs_per_cpu_s"] / peer["segs_per_cpu_s"] if peer else float("nan")
        r["peer_ratio"], r["peer_ratio_cpu"] = ratio, cratio
        versus = f"{ratio:.1f}x, {cratio:.1f}x" if peer else "no peer run"
        kind = "bitext" if r["bitext"] else "document"
        print(f"| {r['profile']} | {kind} | {r['lines']} | {r['segments']} | {r['wall']:.1f} "
              f"| {r['segs_per_s']:.1f} | {r['segs_per_cpu_s']:.1f} | {r['rss'] / 2**30:.2f} | {versus} |")
    for profile in args.profiles:
        by = {r["lines"]: r for r in results["runs"] if r["profile"] == profile and not r["bitext"]}
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
