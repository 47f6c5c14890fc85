"""Command line: the `mtqa` group and `main`, one module per command, each parsing options and calling the
pipeline (mtqa.pipeline, mtqa.batch) and the renderers. The top floor: nothing in mtqa imports it."""

from __future__ import annotations

import os
import sys

import click

from mtqa import __version__
from mtqa.cli.align import align
from mtqa.cli.batch import batch
from mtqa.cli.cache import cache
from mtqa.cli.check import check
from mtqa.cli.checks import list_checks
from mtqa.cli.compare import compare
from mtqa.cli.fix import fix
from mtqa.cli.models import models
from mtqa.cli.score import score
from mtqa.errors import MtqaError


def print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """`mtqa --version`: the package version and the revision of the QE model it ships."""
    if not value or ctx.resilient_parsing:
        return
    from mtqa.qe.runtime import model_revision

    click.echo(f"mtqa {__version__} (model {model_revision()})")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=print_version,
              help="Show the version and the QE model's revision, and exit.")
def cli() -> None:
    """mtqa: check a translated document against its original.

    Aligns sentences, scores every segment with quality-estimation models (no reference needed),
    flags entity, number, omission and terminology problems with character offsets, and reports
    as text, JSON, HTML, SARIF or JUnit.
    """


for command in (score, align, compare, models, list_checks, check, fix, batch, cache):
    cli.add_command(command)


def one_line(msg: str) -> str:
    """The contract is one line on standard error: fold any line breaks in a message."""
    return " ".join(part.strip() for part in msg.splitlines() if part.strip())


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line on stderr with exit code 2, never a traceback."""
    # mtqa never downloads: model hubs stay offline unless the user explicitly says otherwise
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        cli.main(args=argv, prog_name="mtqa", standalone_mode=False)
    except MtqaError as exc:
        click.echo(f"mtqa: error: {one_line(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except getattr(click.exceptions, "NoArgsIsHelpError", getattr(click.exceptions, "NoArgsIsHelp", ())):
        sys.exit(2)
    except click.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx and exc.ctx.parent is not None else ""
        click.echo(f"mtqa: error: {one_line(exc.format_message())}{hint}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("mtqa: aborted", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"mtqa: error: {one_line(exc.format_message())}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        click.echo("mtqa: interrupted", err=True)
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
        if os.environ.get("MTQA_DEBUG"):
            raise
        click.echo(
            f"mtqa: internal error: {type(exc).__name__}: {one_line(str(exc))} "
            "(set MTQA_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(2)


__all__ = ["cli", "main"]
