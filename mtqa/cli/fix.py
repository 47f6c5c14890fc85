"""`mtqa fix`: the safe suggested fixes of a document pair, as a unified diff or applied in place."""

from __future__ import annotations

import click

from mtqa.cli.options import document_options, profile_option

#: the issue types `mtqa fix` has a rule for (mtqa.suggest.RULES, imported only when fixing: its entity
#: table and date words would double `mtqa --help`'s start-up; tests/test_cli_fix_types.py keeps them equal)
FIXABLE = ("date-mismatch", "entity-inconsistency", "glossary", "number-mismatch", "untranslated")


@click.command()
@click.argument("source")
@click.argument("translation")
@document_options
@click.option("--apply", "apply_", is_flag=True,
              help="Write the fixes into TRANSLATION (atomically; every other byte is left as it is).")
@click.option("--only", "only", multiple=True, type=click.Choice(FIXABLE), metavar="TYPE",
              help=f"Only fixes of this issue type (repeatable): {', '.join(FIXABLE)}.")
@click.option("--glossary", metavar="FILE", help="CSV (source,target header) or TBX termbase to enforce.")
@profile_option()
@click.option("--disable", "disabled", multiple=True, metavar="CHECK", help="Skip a check (repeatable).")
def fix(source, translation, src_lang, tgt_lang, output, max_chars, encoder, no_cache, quiet, verbose,
        apply_, only, glossary, profile, disabled) -> None:
    """Print the deterministic fixes for TRANSLATION as a unified diff; --apply writes them.

    Fixes: an entity rendered unlike the rest of the document (SDS -> SDF), a glossary term, a changed
    number or month written the source's way, a source acronym kept. Plain text, Markdown and HTML.
    """
    from mtqa.fixing import fix_document
    from mtqa.output import emit
    from mtqa.pipeline import Options

    opts = Options(src_lang=src_lang, tgt_lang=tgt_lang, profile=profile, encoder=encoder, glossary=glossary,
                   max_chars=max_chars, disabled_checks=list(disabled), use_cache=not no_cache)
    result = fix_document(source, translation, opts, only=only, apply=apply_)
    if result.diff:
        emit(result.diff, output)
    if not quiet:
        n = len(result.edits)
        if not n:
            click.echo("mtqa fix: no safe fix to suggest", err=True)
        elif result.written:
            click.echo(f"mtqa fix: applied {n} fix{'es' if n != 1 else ''} to {translation}", err=True)
        else:
            click.echo(f"mtqa fix: {n} fix{'es' if n != 1 else ''} (use --apply to write them)", err=True)
