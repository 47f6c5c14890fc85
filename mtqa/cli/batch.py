"""`mtqa batch MANIFEST`: many document pairs, resumable, on local processes or Ray."""

from __future__ import annotations

import sys

import click

from mtqa.batch import ENGINES, run_batch
from mtqa.cli.options import encoder_option, max_chars_option, no_cache_option, profile_option, quiet_option


@click.command()
@click.argument("manifest")
@click.option("-o", "--output", metavar="FILE", required=True,
              help="JSONL results, one record per row; rows already there are skipped (resume).")
@click.option("--engine", type=click.Choice(sorted(ENGINES)), default="local", show_default=True,
              help="local: a pool of processes; ray: Ray tasks (a running cluster, or a local one).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes, documents scored at once (default: one per 2 CPUs; each uses its share "
                   "of the CPUs for inference).")
@profile_option()
@click.option("--bitext", is_flag=True, help="Every row's files are line-aligned bitext.")
@encoder_option
@max_chars_option
@no_cache_option
@quiet_option("No summary on standard error.")
def batch(manifest, output, engine, jobs, profile, bitext, encoder, max_chars, no_cache, quiet) -> None:
    """Score every document pair listed in MANIFEST (JSONL or CSV with columns source, translation and
    optional src_lang, tgt_lang, reference) into one JSON record per line in -o FILE.

    Restarting with the same -o resumes: rows already written are skipped. A row that fails gets an
    error record; the batch carries on.
    """
    options = {"profile": profile, "bitext": bitext, "encoder": encoder, "max_chars": max_chars,
               "use_cache": not no_cache}
    counts = run_batch(manifest, output, engine=engine, jobs=jobs, options=options,
                       show_progress=sys.stderr.isatty() and not quiet)
    if not quiet:
        click.echo(f"{counts['rows']} rows: {counts['ok']} scored, {counts['errors']} errors, "
                   f"{counts['skipped']} already done", err=True)
