"""`mtqa batch MANIFEST` (many document pairs, resumable, local processes or Ray) and `mtqa cache`.

Imported by `mtqa.cli._load_plugins`, which registers these commands on the `cli` group.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click

from mtqa.cli import cli
from mtqa.errors import MtqaError

MANIFEST_FIELDS = ("source", "translation", "src_lang", "tgt_lang", "reference")


# --- manifest ---------------------------------------------------------------------------------------


def read_manifest(path: str) -> list[dict]:
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


def _init_worker() -> None:
    """A worker per core: keep each one's BLAS single-threaded so workers do not fight over cores."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(1)


def run_local(rows: list[dict], options: dict, jobs: int) -> Iterator[dict]:
    if jobs <= 1 or len(rows) <= 1:
        for row in rows:
            yield score_row(row, options)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=min(jobs, len(rows)), initializer=_init_worker) as pool:
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
    rows = read_manifest(manifest)
    out = Path(output)
    if not out.parent.is_dir():
        raise MtqaError(f"{output}: folder {out.parent} does not exist")
    done = done_rows(out)
    todo = [r for r in rows if _row_key(r) not in done]
    jobs = jobs or os.cpu_count() or 1
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


@cli.command()
@click.argument("manifest")
@click.option("-o", "--output", metavar="FILE", required=True,
              help="JSONL results, one record per row; rows already there are skipped (resume).")
@click.option("--engine", type=click.Choice(sorted(ENGINES)), default="local", show_default=True,
              help="local: a pool of processes; ray: Ray tasks (a running cluster, or a local one).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel documents (default: number of CPUs).")
@click.option("--profile", type=click.Choice(["accurate", "fast"]), default="accurate", show_default=True)
@click.option("--bitext", is_flag=True, help="Every row's files are line-aligned bitext.")
@click.option("--encoder", default=None,
              help="Sentence encoder (default: use-m3-static for --profile fast, else use-m3).")
@click.option("--max-chars", type=int, default=20_000_000, show_default=True)
@click.option("--no-cache", is_flag=True, help="Do not read or write the on-disk model-output cache.")
@click.option("--quiet", is_flag=True, help="No summary on standard error.")
def batch(manifest, output, engine, jobs, profile, bitext, encoder, max_chars, no_cache, quiet) -> None:
    """Score every document pair listed in MANIFEST (JSONL or CSV with columns source, translation and
    optional src_lang, tgt_lang, reference) into one JSON record per line in -o FILE.

    Restarting with the same -o resumes: rows already written are skipped. A row that fails gets an
    error record; the batch carries on.
    """
    if no_cache:
        os.environ["MTQA_NO_CACHE"] = "1"
    options = {"profile": profile, "bitext": bitext, "encoder": encoder, "max_chars": max_chars}
    counts = run_batch(manifest, output, engine=engine, jobs=jobs, options=options,
                       show_progress=sys.stderr.isatty() and not quiet)
    if not quiet:
        click.echo(f"{counts['rows']} rows: {counts['ok']} scored, {counts['errors']} errors, "
                   f"{counts['skipped']} already done", err=True)


# --- cache ------------------------------------------------------------------------------------------


@cli.group()
def cache() -> None:
    """The on-disk cache: model outputs and derived models (MTQA_CACHE_DIR moves it)."""


def _human(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


@cache.command("info")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def cache_info(fmt) -> None:
    """Where the cache is, its entries per model, the derived models and their sizes."""
    from mtqa.cache import Cache

    info = Cache().info()
    if fmt == "json":
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"path     {info['path']}")
    click.echo(f"entries  {info['entries']}  ({_human(info['bytes'])} of data, "
               f"{_human(info['file_bytes'])} on disk, bound {_human(info['max_bytes'])})")
    for sig, d in info["signatures"].items():
        click.echo(f"  {d['entries']:>8}  {_human(d['bytes']):>10}  {sig}")
    click.echo(f"models   {len(info['artefacts'])} derived  "
               f"({_human(info['artefact_bytes'])} in {info['root']})")
    for a in info["artefacts"]:
        click.echo(f"  {a['state']:>8}  {_human(a['bytes']):>10}  {a['kind']}/{a['key']}")
    if info.get("error"):
        click.echo(f"warning: cache unusable: {info['error']}", err=True)


@cache.command("clear")
def cache_clear() -> None:
    """Delete every cached entry."""
    from mtqa.cache import Cache

    n = Cache().clear()
    click.echo(f"removed {n} cached entries")
