"""`mtqa checks`: the checks with their issue type, MQM category and help text."""

from __future__ import annotations

import sys

import click


@click.command("checks")
@click.option("--langs", is_flag=True,
              help="List the languages each per-language word list has (the others borrow English's).")
def list_checks(langs: bool) -> None:
    """List the checks with their issue type, MQM category and help text."""
    from mtqa.checks import load_checks

    if langs:
        _list_langs(load_checks())
        return
    for info in load_checks().values():
        click.echo(f"{info.name:<22} {info.issue_type:<20} {info.mqm}\n    {info.help}")


def _list_langs(checks: dict) -> None:
    """Each word table of mtqa.lang.lexicon with its languages, and the checks whose module reads it."""
    from mtqa.lang.lexicon import FALLBACK_LANG, WORD_TABLES

    click.echo(f"word lists (mtqa.lang.lexicon); a language a list lacks borrows the '{FALLBACK_LANG}' list:")
    for name, table in WORD_TABLES.items():
        readers = sorted(info.name for info in checks.values()
                         if any(v is table for v in vars(sys.modules[info.fn.__module__]).values()))
        click.echo(f"  {name:<16} {' '.join(sorted(table))}")
        if readers:
            click.echo(f"  {'':<16} read by the checks {', '.join(readers)}, and by entity extraction")
