"""`mtqa check`: the CI gate over a tree of translated publications (see docs/check.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from mtqa.cli import cli
from mtqa.errors import MtqaError


def _display(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _selected(doc, paths: list[Path]) -> bool:
    if not paths:
        return True
    mine = [doc.source.resolve()] + ([doc.translation.resolve()] if doc.translation else [])
    for p in paths:
        for m in mine:
            if m == p or p in m.parents:
                return True
    return False


def evaluate(report, thresholds) -> tuple[bool, list[str], set[int]]:
    """(passed, reasons, indices of the issues that make it fail) against the configured thresholds."""
    reasons: list[str] = []
    failing: set[int] = set()
    if report.score < thresholds.min_score:
        reasons.append(f"score {report.score:.3f} < min_score {thresholds.min_score:g}")
    rule = {k for k, i in enumerate(report.issues) if i.origin == "rule"}  # model spans: advisory
    for sev, limit in thresholds.max_issues.items():
        idx = [k for k, i in enumerate(report.issues) if i.severity == sev and k in rule]
        if len(idx) > limit:
            reasons.append(f"{len(idx)} {sev} issue{'s' if len(idx) != 1 else ''} > max {limit}")
            failing.update(idx)
    for issue_type in thresholds.fail_on:
        idx = [k for k, i in enumerate(report.issues) if i.type == issue_type and k in rule]
        if idx:
            reasons.append(f"{issue_type} always fails ({len(idx)})")
            failing.update(idx)
    return not reasons, reasons, failing


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github_annotations(results) -> list[str]:
    """`::error file=...,line=...,col=...::message` workflow commands for GitHub Actions."""
    from mtqa.renderers import issue_location

    out = []
    for res in results:
        file = _gh_escape(res.translation, prop=True)
        if res.report is not None:
            for k, issue in enumerate(res.report.issues):
                level = "error" if k in res.failing_issues else (
                    "warning" if issue.severity in ("critical", "major") else "notice")
                loc = issue_location(res.report, issue)
                props = f"file={file}"
                if loc is not None:
                    props += (f",line={loc.start_line},endLine={loc.end_line}"
                              f",col={loc.start_column},endColumn={loc.end_column}")
                title = _gh_escape(f"mtqa {issue.type} ({issue.severity})", prop=True)
                out.append(f"::{level} {props},title={title}::{_gh_escape(issue.message)}")
        if res.status != "pass":
            msg = res.error or "; ".join(res.reasons)
            out.append(f"::error file={file},title=mtqa::{_gh_escape(f'{res.translation}: {msg}')}")
    return out


def _html_name(translation: str, used: set[str]) -> str:
    import re

    base = re.sub(r"[^A-Za-z0-9._-]+", "_", translation).strip("._") or "document"
    name, n = f"{base}.html", 1
    while name in used or name == "index.html":
        n += 1
        name = f"{base}-{n}.html"
    used.add(name)
    return name


def summary_line(res) -> str:
    if res.error:
        return f"ERROR {res.translation}: {res.error}"
    rep = res.report
    if rep is None:
        return f"FAIL  {res.translation}: {'; '.join(res.reasons)}"
    counts = ", ".join(f"{sum(1 for i in rep.issues if i.severity == s)} {s}"
                       for s in ("critical", "major", "minor"))
    line = f"{'PASS' if res.passed else 'FAIL'}  {rep.score:.3f}  {res.translation}  ({counts})"
    if res.reasons:
        line += ": " + "; ".join(res.reasons)
    return line


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--config", "config_file", metavar="FILE",
              help="Config file (default: ./mtqa.toml, else [tool.mtqa] in ./pyproject.toml).")
@click.option("--sarif", metavar="FILE", help="Write a SARIF 2.1.0 report (e.g. for GitHub code scanning).")
@click.option("--junit", metavar="FILE", help="Write a JUnit XML report: one testcase per document.")
@click.option("--html", "html_dir", metavar="DIR", help="Write an HTML report per document and an index.")
@click.option("--profile", type=click.Choice(["accurate", "fast"]), default=None,
              help="Override the configured profile.")
@click.option("--quiet", is_flag=True, help="Print only failing documents and the summary.")
@click.option("--verbose", is_flag=True, help="Print every issue under its document.")
def check(paths, config_file, sarif, junit, html_dir, profile, quiet, verbose) -> None:
    """Check the publications configured in mtqa.toml; exit 1 if any document fails its thresholds.

    With PATHs, only the documents whose source or translation is (or lies under) one of them.
    """
    from mtqa.config import load_config
    from mtqa.output import write_atomic
    from mtqa.pipeline import Options, run
    from mtqa.renderers import DocResult

    config = load_config(config_file)
    docs = config.documents()
    if not docs:
        raise MtqaError(f"{config.path}: no source files match "
                        + ", ".join(repr(r.source) for r in config.pairs) + " (after exclusions)")
    wanted = [Path(p).resolve() for p in paths]
    docs = [d for d in docs if _selected(d, wanted)]
    if not docs:
        if not quiet:
            click.echo("mtqa check: none of the given paths is a configured document; nothing to check")
        return
    if html_dir:
        hd = Path(html_dir)
        if not hd.parent.is_dir():
            raise MtqaError(f"--html {html_dir}: folder {hd.parent} does not exist")
        hd.mkdir(exist_ok=True)
    for out in (sarif, junit):
        if out and not Path(out).resolve().parent.is_dir():
            raise MtqaError(f"{out}: folder {Path(out).parent} does not exist")

    progress = None
    if sys.stdout.isatty() and sys.stderr.isatty() and len(docs) > 1 and not quiet:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        progress = Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("{task.description}"), console=Console(file=sys.stdout),
                            transient=True)

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
            rule = doc.rule
            src_disp = _display(doc.source)
            tgt_disp = _display(doc.translation) if doc.translation else src_disp
            if progress is not None:
                progress.update(task, description=tgt_disp)
            if doc.translation is not None and not doc.translation.exists():
                if config.allow_missing:
                    if not quiet:
                        say(f"SKIP  {tgt_disp}: no translation yet (allow_missing)")
                    if progress is not None:
                        progress.advance(task)
                    continue
                res = DocResult(src_disp, tgt_disp, None, False, [f"translation missing for {src_disp}"])
            else:
                glossary = rule.glossary or config.glossary
                opts = Options(
                    src_lang=rule.src_lang or config.src_lang, tgt_lang=rule.tgt_lang or config.tgt_lang,
                    profile=profile or config.profile, encoder=config.encoder,
                    glossary=str(config.root / glossary) if glossary else None,
                    max_chars=config.max_chars, disabled_checks=list(config.disable),
                )
                try:
                    report = run(str(doc.source), None if doc.translation is None else str(doc.translation),
                                 opts)
                except MtqaError as exc:
                    res = DocResult(src_disp, tgt_disp, None, False, [], error=str(exc))
                else:
                    report.source.path = src_disp
                    report.translation.path = tgt_disp
                    passed, reasons, failing = evaluate(report, config.thresholds)
                    res = DocResult(src_disp, tgt_disp, report, passed, reasons, failing_issues=failing)
            results.append(res)
            if not quiet or res.status != "pass":
                say(summary_line(res))
                if verbose and res.report is not None:
                    from mtqa.renderers.junit import issue_lines

                    for line in issue_lines(res):
                        say(f"      {line}")
            if progress is not None:
                progress.advance(task)
    finally:
        if progress is not None:
            progress.stop()

    if sarif:
        from mtqa.renderers.sarif import render_sarif

        write_atomic(sarif, render_sarif(results))
    if junit:
        from mtqa.renderers.junit import render_junit

        write_atomic(junit, render_junit(results))
    if html_dir:
        from mtqa.renderers.html import render_html, render_index

        used: set[str] = set()
        links: dict[int, str] = {}
        for k, res in enumerate(results):
            if res.report is not None:
                links[k] = _html_name(res.translation, used)
                write_atomic(Path(html_dir) / links[k], render_html(res.report, res))
        write_atomic(Path(html_dir) / "index.html", render_index(results, links))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for line in github_annotations(results):
            click.echo(line)

    failed = sum(1 for r in results if r.status == "fail")
    errors = sum(1 for r in results if r.status == "error")
    click.echo(f"mtqa check: {len(results)} document{'s' if len(results) != 1 else ''}, "
               f"{len(results) - failed - errors} passed, {failed} failed"
               + (f", {errors} could not be read" if errors else ""))
    if errors:
        sys.exit(2)
    if failed:
        sys.exit(1)
