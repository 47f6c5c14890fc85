"""Options shared by several commands, each defined once."""

from __future__ import annotations

from collections.abc import Callable

import click

from mtqa.config import DEFAULT_PROFILE, PROFILES
from mtqa.document import DEFAULT_MAX_CHARS


def profile_option(*, configured: bool = False) -> Callable:
    """--profile; with `configured`, it overrides the configuration's profile and has no default."""
    if configured:
        return click.option("--profile", type=click.Choice(PROFILES), default=None,
                            help="Override the configured profile.")
    return click.option("--profile", type=click.Choice(PROFILES), default=DEFAULT_PROFILE, show_default=True)


max_chars_option = click.option(
    "--max-chars", type=int, default=DEFAULT_MAX_CHARS, show_default=True,
    help="Refuse documents longer than this many characters.",
)
encoder_option = click.option(
    "--encoder", default=None,
    help="Sentence encoder for alignment and the cosine scorer: use-m3, use-m3-static (its static piece "
    "vectors: much faster, a little less accurate) or st:/path/to/local/model. Default: use-m3-static for "
    "--profile fast, else use-m3.",
)
no_cache_option = click.option(
    "--no-cache", "no_cache", is_flag=True, help="Do not read or write the on-disk embedding and score cache."
)


def quiet_option(help: str = "Less on standard error.") -> Callable:
    return click.option("--quiet", is_flag=True, help=help)


def verbose_option(help: str = "More on standard error (timings).") -> Callable:
    return click.option("--verbose", is_flag=True, help=help)


def document_options(fn: Callable) -> Callable:
    """The options of the commands that read one document pair (score, align)."""
    options = [
        click.option("--src-lang", metavar="CODE", help="Source language (BCP-47); detected when omitted."),
        click.option("--tgt-lang", metavar="CODE",
                     help="Translation language (BCP-47); detected when omitted."),
        click.option("-o", "--output", metavar="FILE",
                     help="Write the report there instead of standard output."),
        max_chars_option,
        encoder_option,
        no_cache_option,
        quiet_option(),
        verbose_option(),
    ]
    for opt in reversed(options):
        fn = opt(fn)
    return fn
