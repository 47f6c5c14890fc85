"""Many documents: the manifest of `mtqa batch` and its engines (local processes or Ray), and the
configured documents of `mtqa check` scored against their thresholds. No command-line code here."""

from __future__ import annotations

import csv
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from mtqa.baseline import Baseline
from mtqa.config import FAIL_MQM, Config, DocumentPair
from mtqa.errors import MtqaError
from mtqa.gate import DocResult, gate_result
from mtqa.threads import default_workers, worker_threads

MANIFEST_FIELDS = ("source", "translation", "src_lang", "tgt_lang", "reference")


# --- manifest ---------------------------------------------------------------------------------------


def read_batch_manifest(path: str) -> list[dict]:
    """Rows of a JSONL or CSV manifest (by extension; else sniffed), relative paths resolved against its
    folder. Each row gets `row` (0-based position among the manifest's rows)."""
    p = Path(path)
    if not p.is_file():
        raise MtqaError(f"{path}: no such manifest file")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MtqaError(f"{path}: manifest is not valid UTF-8 (byte {exc.start})") from None
    is_json = p.suffix.lower() in (".jsonl", ".ndjson", ".json") or (
        p.suffix.lower() != ".csv" and text.lstrip().startswith("{"))
    raw: list[tuple[int, dict]] = []
    if is_json:
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise MtqaError(f"{path}:{lineno}: not a JSON object ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise MtqaError(f"{path}:{lineno}: each line must be a JSON object")
            raw.append((lineno, obj))
    else:
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or not {"source", "translation"} <= {f.strip() for f in reader.fieldnames}:
            raise MtqaError(f"{path}: a CSV manifest needs a header with 'source' and 'translation' columns")
        for lineno, rec in enumerate(reader, 2):
            raw.append((lineno, {(k or "").strip(): (v or "").strip() for k, v in rec.items()}))
    base = p.resolve().parent
    rows = []
    for lineno, obj in raw:
        if not obj.get("source") or not obj.get("translation"):
            raise MtqaError(f"{path}:{lineno}: 'source' and 'translation' are required")
        row = {"row": len(rows)}
        for key in MANIFEST_FIELDS:
            value = obj.get(key)
            if value in (None, ""):
                row[key] = None
            elif key in ("source", "translation", "reference"):
                row[key] = os.path.normpath(base / str(value))
            else:
                row[key] = str(value)
        if "id" in obj:
            row["id"] = obj["id"]
        rows.append(row)
    return rows


# --- one document (the function both engines run) -----------------------------------------------------


def score_row(row: dict, options: dict) -> dict:
    """Score one manifest row; never raises: a failing row gives an error record."""
    from mtqa.pipeline import Options, run

    record = {k: row.get(k) for k in ("row", "id", "source", "translation") if k in row}
    t0 = time.perf_counter()
    try:
        opts = Options(src_lang=row.get("src_lang"), tgt_lang=row.get("tgt_lang"),
                       reference=row.get("reference"), **options)
        report = run(row["source"], row["translation"], opts)
        record["ok"] = True
        record["report"] = report.to_json(timing=False)
    except MtqaError as exc:
        record["ok"] = False
        record["error"] = " ".join(str(exc).split("\n"))
    except Exception as exc:  # noqa: BLE001 - one row must not stop the batch
        record["ok"] = False
        record["error"] = f"internal error: {type(exc).__name__}: {' '.join(str(exc).splitlines())}"
    record["seconds"] = round(time.perf_counter() - t0, 3)
    return record


def _row_key(rec: dict) -> tuple:
    return (rec.get("row"), rec.get("source"), rec.get("translation"))


def done_rows(output: Path) -> set[tuple]:
    """Rows already in an output file. A torn last line (a crash mid-write) is cut off."""
    if not output.exists():
        return set()
    data = output.read_bytes()
    if data and not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
        with open(output, "r+b") as fh:
            fh.truncate(cut)
        data = data[:cut]
    done = set()
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(rec, dict):
            done.add(_row_key(rec))
    return done


# --- engines ----------------------------------------------------------------------------------------


def _init_worker(parent: int, threads: int) -> None:
    """Once per worker process, which then scores document after document with its models loaded: its
    inference and BLAS on its share of the cores (workers do not fight over them), and its end tied to the
    parent's (a `kill -9` of `mtqa batch`, as a CI timeout sends, leaves no orphan scoring on)."""
    end_with_parent(parent)
    from mtqa.threads import THREADS_VAR

    os.environ[THREADS_VAR] = str(threads)  # the e5-qe session and torch, as BLAS
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(threads)


def end_with_parent(parent: int, interval: float = 0.5) -> None:
    """End this process when process `parent` ends: PR_SET_PDEATHSIG on Linux (the kernel sends SIGKILL),
    and everywhere a daemon thread that polls the parent's pid (re-parented: the parent is gone)."""
    import signal
    import sys
    import threading

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="mtqa-parent-watch", daemon=True).start()


def run_local(rows: list[dict], options: dict, jobs: int) -> Iterator[dict]:
    """Score rows here (one job) or on a pool of `jobs` worker processes started once for the whole
    manifest: each worker keeps its loaded models, memos and the gazetteer from one document to the next,
    and ends when this process does."""
    if jobs <= 1 or len(rows) <= 1:
        for row in rows:
            yield score_row(row, options)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    workers = min(jobs, len(rows))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(os.getpid(), worker_threads(workers))) as pool:
        futures = [pool.submit(score_row, row, options) for row in rows]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise


def run_ray(rows: list[dict], options: dict, jobs: int) -> Iterator[dict]:
    try:
        import ray
    except ImportError:
        raise MtqaError("--engine ray needs Ray: pip install 'ray>=2.9'") from None
    started = False
    if not ray.is_initialized():
        address = os.environ.get("RAY_ADDRESS")
        if address:  # an existing cluster, e.g. ray://head:10001
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=max(1, jobs), include_dashboard=False, log_to_driver=False,
                     ignore_reinit_error=True)
        started = True
    try:
        task = ray.remote(num_cpus=1)(score_row)
        pending = [task.remote(row, options) for row in rows]
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            for ref in ready:
                yield ray.get(ref)
    finally:
        if started:
            ray.shutdown()


ENGINES = {"local": run_local, "ray": run_ray}


def _progress(enabled: bool):
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    return Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), transient=True, console=Console(stderr=True))


def run_batch(manifest: str, output: str, *, engine: str = "local", jobs: int | None = None,
              options: dict | None = None, show_progress: bool = False) -> dict:
    """Score every row not yet in `output`, appending one JSON record per line (flushed)."""
    rows = read_batch_manifest(manifest)
    out = Path(output)
    if not out.parent.is_dir():
        raise MtqaError(f"{output}: folder {out.parent} does not exist")
    done = done_rows(out)
    todo = [r for r in rows if _row_key(r) not in done]
    jobs = jobs or default_workers()
    counts = {"rows": len(rows), "skipped": len(rows) - len(todo), "ok": 0, "errors": 0}
    if not todo:
        return counts
    progress = _progress(show_progress)
    with open(out, "a", encoding="utf-8") as fh:
        bar = None
        if progress is not None:
            progress.start()
            bar = progress.add_task("scoring", total=len(todo))
        try:
            for rec in ENGINES[engine](todo, options or {}, jobs):
                fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=False) + "\n")
                fh.flush()
                counts["ok" if rec.get("ok") else "errors"] += 1
                if progress is not None:
                    progress.advance(bar)
        finally:
            if progress is not None:
                progress.stop()
    return counts


# --- mtqa check: the configured documents against their thresholds ----------------------------------


def display_path(path: Path | None) -> str:
    """A path as reports show it: relative to the working folder when it lies under it."""
    if path is None:
        return ""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def selected(doc: DocumentPair, paths: list[Path]) -> bool:
    """Whether the document's source or translation is (or lies under) one of `paths` (all if none)."""
    if not paths:
        return True
    mine = [doc.source.resolve()] + ([doc.translation.resolve()] if doc.translation else [])
    return any(m == p or p in m.parents for p in paths for m in mine)


def document_key(doc: DocumentPair, config: Config) -> str:
    """A document's key in baselines: its translation (or bilingual file) relative to the config's folder."""
    path = doc.translation or doc.source
    try:
        return path.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_document(doc: DocumentPair, config: Config, profile: str | None = None,
                   use_cache: bool = True, baseline: Baseline | None = None) -> DocResult | None:
    """Score one configured document and evaluate its gate (after the configuration's waivers and the
    baseline, when given); None when its translation is missing and the configuration allows that."""
    from mtqa.pipeline import Options, run

    rule = doc.rule
    src_disp = display_path(doc.source)
    tgt_disp = display_path(doc.translation) if doc.translation else src_disp
    if doc.translation is not None and not doc.translation.exists():
        if config.allow_missing:
            return None
        return DocResult(src_disp, tgt_disp, None, False, [f"translation missing for {src_disp}"])
    glossary = rule.glossary or config.glossary
    opts = Options(
        src_lang=rule.src_lang or config.src_lang, tgt_lang=rule.tgt_lang or config.tgt_lang,
        profile=profile or config.profile, encoder=config.encoder,
        glossary=str(config.root / glossary) if glossary else None,
        max_chars=config.max_chars, disabled_checks=list(config.disable), use_cache=use_cache,
        pass_mqm=config.thresholds.pass_mqm,
        fail_mqm=FAIL_MQM if config.thresholds.max_mqm is None else config.thresholds.max_mqm,
    )
    try:
        report = run(str(doc.source), None if doc.translation is None else str(doc.translation), opts)
    except MtqaError as exc:
        return DocResult(src_disp, tgt_disp, None, False, [], error=str(exc))
    report.source.path = src_disp
    report.translation.path = tgt_disp
    return gate_result(src_disp, tgt_disp, report, config.thresholds, waivers=config.waivers,
                       baseline=baseline, key=document_key(doc, config))


def gate_setup(config: Config, baseline_file: str | None, write_baseline: str | None) -> tuple[
        Baseline | None, Baseline | None]:
    """(the baseline the run is gated with, the baseline file being rewritten, if it exists): `--baseline`
    (relative to the working folder), else the configuration's `baseline` (relative to its folder); with
    `--write-baseline` every finding of the run is accepted. Waiver types are checked here."""
    from mtqa.baseline import load_baseline
    from mtqa.checks import load_checks
    from mtqa.gate import validate_waivers

    validate_waivers(config.waivers, load_checks())
    if write_baseline:
        previous = load_baseline(write_baseline) if Path(write_baseline).is_file() else None
        return Baseline(previous.documents if previous else {}, accept_all=True), previous
    path = baseline_file or (str(config.root / config.baseline) if config.baseline else None)
    return (load_baseline(path) if path else None), None


def gate_finish(config: Config, results: list[DocResult], *, write_baseline: str | None,
                previous: Baseline | None, partial: bool, strict_waivers: bool) -> list[str]:
    """After a `mtqa check` run: write the baseline (`--write-baseline`), refuse waivers that matched
    nothing (`--strict-waivers`); the lines to print."""
    from mtqa.baseline import updated
    from mtqa.gate import counts_for_gate, unmatched_waivers
    from mtqa.output import write_atomic

    lines: list[str] = []
    if write_baseline:
        checked = {r.key: [i for i in r.report.issues if counts_for_gate(i) and i.waived is None]
                   for r in results if r.report is not None and r.key}
        baseline = updated(previous if partial else None, checked)
        write_atomic(write_baseline, baseline.dumps())
        n = sum(len(v) for v in baseline.documents.values())
        docs = sum(1 for v in baseline.documents.values() if v)
        lines.append(f"mtqa check: wrote {write_baseline}: {n} finding{'s' if n != 1 else ''} in "
                     f"{docs} document{'s' if docs != 1 else ''}")
    if strict_waivers:
        unmatched = unmatched_waivers(config.waivers, results)
        if unmatched:
            more = f" (and {len(unmatched) - 1} more)" if len(unmatched) > 1 else ""
            raise MtqaError(f"{unmatched[0].describe()} matched no issue (--strict-waivers){more}")
    return lines
