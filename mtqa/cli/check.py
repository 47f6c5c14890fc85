"""`mtqa check`: the CI gate over a tree of translated publications (see docs/check.md)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from mtqa.cli.options import no_cache_option, profile_option
from mtqa.errors import MtqaError
from mtqa.gate import DocResult


def html_name(translation: str, used: set[str]) -> str:
    """A file name for a document's HTML page, unique among `used` (and never index.html)."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", translation).strip("._") or "document"
    name, n = f"{base}.html", 1
    while name in used or name == "index.html":
        n += 1
        name = f"{base}-{n}.html"
    used.add(name)
    return name


def summary_line(res: DocResult) -> str:
    if res.error:
        return f"ERROR {res.translation}: {res.error}"
    rep = res.report
    if rep is None:
        return f"FAIL  {res.translation}: {'; '.join(res.reasons)}"
    counts = ", ".join(f"{sum(1 for i in rep.issues if i.severity == s)} {s}"
                       for s in ("critical", "major", "minor"))
    extra = "".join(f", {n} {what}" for n, what in ((res.waived, "waived"),) if n)
    if res.baseline is not None:
        extra += f"; {res.baseline}"
    line = f"{'PASS' if res.passed else 'FAIL'}  {rep.score:.3f}  {res.translation}  ({counts}{extra})"
    if res.reasons:
        line += ": " + "; ".join(res.reasons)
    return line


def write_reports(results: list[DocResult], sarif: str | None, junit: str | None,
                  html_dir: str | None) -> None:
    from mtqa.output import write_atomic
    from mtqa.renderers import render
    from mtqa.renderers.html import render_html, render_index

    if sarif:
        write_atomic(sarif, render("sarif", results))
    if junit:
        write_atomic(junit, render("junit", results))
    if html_dir:
        used: set[str] = set()
        links: dict[int, str] = {}
        for k, res in enumerate(results):
            if res.report is not None:
                links[k] = html_name(res.translation, used)
                write_atomic(Path(html_dir) / links[k], render_html(res.report, res))
        write_atomic(Path(html_dir) / "index.html", render_index(results, links))


def prepare_outputs(html_dir: str | None, files: tuple[str | None, ...]) -> None:
    """Make the --html folder (its parent must exist) and check the report files' folders exist."""
    if html_dir:
        hd = Path(html_dir)
        if not hd.parent.is_dir():
            raise MtqaError(f"--html {html_dir}: folder {hd.parent} does not exist")
        hd.mkdir(exist_ok=True)
    for out in files:
        if out and not Path(out).resolve().parent.is_dir():
            raise MtqaError(f"{out}: folder {Path(out).parent} does not exist")


def summarise_and_exit(results: list[DocResult]) -> None:
    """The run's summary line; exit 2 if a document could not be read, 1 if one failed."""
    from mtqa.gate import baseline_total

    failed = sum(1 for r in results if r.status == "fail")
    errors = sum(1 for r in results if r.status == "error")
    total = baseline_total(results)
    click.echo(f"mtqa check: {len(results)} document{'s' if len(results) != 1 else ''}, "
               f"{len(results) - failed - errors} passed, {failed} failed"
               + (f", {errors} could not be read" if errors else "")
               + (f"; {total}" if total is not None else ""))
    if errors:
        sys.exit(2)
    if failed:
        sys.exit(1)


def progress_bar(enabled: bool):
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.description}"), console=Console(file=sys.stdout), transient=True)


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--config", "config_file", metavar="FILE",
              help="Config file (default: ./mtqa.toml, else [tool.mtqa] in ./pyproject.toml).")
@click.option("--sarif", metavar="FILE", help="Write a SARIF 2.1.0 report (e.g. for GitHub code scanning).")
@click.option("--junit", metavar="FILE",
              help="Write a JUnit XML report: per document, a testcase per check and one for the gate.")
@click.option("--html", "html_dir", metavar="DIR", help="Write an HTML report per document and an index.")
@profile_option(configured=True)
@no_cache_option
@click.option("--baseline", "baseline_file", metavar="FILE",
              help="Count only findings not in this baseline toward the thresholds (default: the "
              "configured baseline).")
@click.option("--write-baseline", metavar="FILE",
              help="Write today's findings as the baseline (accepting them), then gate against it.")
@click.option("--strict-waivers", is_flag=True, help="A [[waive]] entry that matched no issue is an error.")
@click.option("--max-mqm", type=click.FloatRange(min=0), default=None, metavar="X",
              help="Fail a document whose estimated MQM penalty per 100 source words is above X "
                   "(overrides thresholds.max_mqm).")
@click.option("--quiet", is_flag=True, help="Print only failing documents and the summary.")
@click.option("--verbose", is_flag=True, help="Print every issue under its document.")
def check(paths, config_file, sarif, junit, html_dir, profile, no_cache, baseline_file, write_baseline,
          strict_waivers, max_mqm, quiet, verbose) -> None:
    """Check the publications configured in mtqa.toml; exit 1 if any document fails its thresholds.

    With PATHs, only the documents whose source or translation is (or lies under) one of them.
    """
    from mtqa.batch import check_document, display_path, gate_finish, gate_setup, selected
    from mtqa.config import load_config
    from mtqa.gate import expired_waivers
    from mtqa.renderers import render
    from mtqa.renderers.junit import issue_lines

    config = load_config(config_file)
    if max_mqm is not None:
        config.thresholds.max_mqm = max_mqm
    baseline, previous = gate_setup(config, baseline_file, write_baseline)
    for line in expired_waivers(config.waivers):
        click.echo(f"mtqa check: {line}", err=True)
    docs = config.documents()
    if not docs:
        raise MtqaError(f"{config.path}: no source files match "
                        + ", ".join(repr(r.source) for r in config.pairs) + " (after exclusions)")
    wanted = [Path(p).resolve() for p in paths]
    docs = [d for d in docs if selected(d, wanted)]
    if not docs:
        if not quiet:
            click.echo("mtqa check: none of the given paths is a configured document; nothing to check")
        return
    prepare_outputs(html_dir, (sarif, junit, write_baseline))

    progress = progress_bar(sys.stdout.isatty() and sys.stderr.isatty() and len(docs) > 1 and not quiet)

    def say(line: str) -> None:
        if progress is not None:
            progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(line)

    results: list[DocResult] = []
    task = None
    if progress is not None:
        progress.start()
        task = progress.add_task("", total=len(docs))
    try:
        for doc in docs:
            if progress is not None:
                progress.update(task, description=display_path(doc.translation or doc.source))
            res = check_document(doc, config, profile, use_cache=not no_cache, baseline=baseline)
            if res is None:
                if not quiet:
                    say(f"SKIP  {display_path(doc.translation)}: no translation yet (allow_missing)")
            else:
                results.append(res)
                if not quiet or res.status != "pass":
                    say(summary_line(res))
                    if verbose and res.report is not None:
                        for line in issue_lines(res):
                            say(f"      {line}")
            if progress is not None:
                progress.advance(task)
    finally:
        if progress is not None:
            progress.stop()

    write_reports(results, sarif, junit, html_dir)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        click.echo(render("github", results), nl=False)
    for line in gate_finish(config, results, write_baseline=write_baseline, previous=previous,
                            partial=bool(paths), strict_waivers=strict_waivers):
        click.echo(line)
    summarise_and_exit(results)
