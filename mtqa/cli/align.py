"""`mtqa align`: the sentence alignment of a document pair only."""

from __future__ import annotations

import click

from mtqa.cli.options import document_options
from mtqa.renderers.alignment import ALIGNMENT_FORMATS


@click.command()
@click.argument("source")
@click.argument("translation")
@document_options
@click.option(
    "--split",
    type=click.Choice(["sentence", "none"]),
    default="sentence",
    show_default=True,
    help="'none': each non-empty line is one sentence (blank lines still separate paragraphs).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(ALIGNMENT_FORMATS)),
    default="pairs",
    show_default=True,
    help="pairs: '[0]:[0, 1]' per line, 0-based, as vecalign gold files.",
)
def align(source, translation, src_lang, tgt_lang, output, max_chars, encoder, no_cache, quiet, verbose,
          split, fmt) -> None:
    """Print the sentence alignment of SOURCE and TRANSLATION only."""
    from mtqa.output import emit
    from mtqa.pipeline import Options, align_only
    from mtqa.renderers.alignment import render_alignment

    opts = Options(src_lang=src_lang, tgt_lang=tgt_lang, split=split != "none", encoder=encoder,
                   max_chars=max_chars, use_cache=not no_cache)
    src, tgt, beads = align_only(source, translation, opts)
    emit(render_alignment(fmt, src, tgt, beads), output)
