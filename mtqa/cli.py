"""Command line: a thin layer that parses options and wires the pipeline stages together."""

from __future__ import annotations

import os
import sys

import click

from mtqa import __version__
from mtqa.errors import MtqaError

FORMAT_CHOICES = click.Choice(["text", "json", "html", "sarif", "junit"])


def _no_cache(ctx, param, value) -> None:
    if value:
        os.environ["MTQA_NO_CACHE"] = "1"


def _common(fn):
    options = [
        click.option("--src-lang", metavar="CODE", help="Source language (BCP-47); detected when omitted."),
        click.option(
            "--tgt-lang", metavar="CODE", help="Translation language (BCP-47); detected when omitted."
        ),
        click.option(
            "-o", "--output", metavar="FILE", help="Write the report there instead of standard output."
        ),
        click.option(
            "--max-chars",
            type=int,
            default=20_000_000,
            show_default=True,
            help="Refuse documents longer than this many characters.",
        ),
        click.option(
            "--encoder",
            default=None,
            help="Sentence encoder for alignment and the cosine scorer: use-m3, use-m3-static (its static "
            "piece vectors: much faster, a little less accurate) or st:/path/to/local/model. Default: "
            "use-m3-static for --profile fast, else use-m3.",
        ),
        click.option(
            "--no-cache",
            "no_cache",
            is_flag=True,
            expose_value=False,
            callback=_no_cache,
            help="Do not read or write the on-disk embedding and score cache.",
        ),
        click.option("--quiet", is_flag=True, help="Less on standard error."),
        click.option("--verbose", is_flag=True, help="More on standard error (timings)."),
    ]
    for opt in reversed(options):
        fn = opt(fn)
    return fn


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="mtqa")
def cli() -> None:
    """mtqa: check a translated document against its original.

    Aligns sentences, scores every segment with quality-estimation models (no reference needed),
    flags entity, number, omission and terminology problems with character offsets, and reports
    as text, JSON, HTML, SARIF or JUnit.
    """


@cli.command()
@click.argument("source")
@click.argument("translation", required=False)
@_common
@click.option(
    "--format",
    "fmt",
    type=FORMAT_CHOICES,
    default=None,
    help="Output format (default: text on a terminal, json otherwise).",
)
@click.option("--reference", metavar="FILE", help="Human reference translation: adds BLEU, chrF, TER.")
@click.option("--glossary", metavar="FILE", help="CSV (source,target header) or TBX termbase to enforce.")
@click.option("--bitext", is_flag=True, help="Line-aligned files: line i of SOURCE is translated by line i.")
@click.option("--profile", type=click.Choice(["accurate", "fast"]), default="accurate", show_default=True)
@click.option(
    "--scorer", "scorers", multiple=True, metavar="NAME", help="Run only these scorers (repeatable)."
)
@click.option("--model-dir", metavar="DIR", help="Local checkpoint directory for transformers scorers.")
@click.option("--fail-under", type=float, default=None, metavar="X", help="Exit 1 when the score is below X.")
@click.option("--disable", "disabled", multiple=True, metavar="CHECK", help="Skip a check (repeatable).")
def score(
    source,
    translation,
    src_lang,
    tgt_lang,
    output,
    max_chars,
    encoder,
    quiet,
    verbose,
    fmt,
    reference,
    glossary,
    bitext,
    profile,
    scorers,
    model_dir,
    fail_under,
    disabled,
) -> None:
    """Score TRANSLATION against SOURCE ('-' = standard input, at most one).

    SOURCE and TRANSLATION may be plain text, Markdown, HTML or DOCX; a bilingual XLIFF, PO or TMX
    file is given alone (mtqa score FILE.xlf) and its translation units are scored as aligned.
    """
    if translation is None:
        from mtqa.formats import is_bilingual

        if not is_bilingual(source):
            raise MtqaError(
                "missing argument 'TRANSLATION' (only an XLIFF, PO or TMX file can be given alone)"
            )
    from mtqa.output import emit, render
    from mtqa.pipeline import Options, run

    opts = Options(
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        bitext=bitext,
        profile=profile,
        scorers=list(scorers) or None,
        encoder=encoder,
        reference=reference,
        glossary=glossary,
        max_chars=max_chars,
        disabled_checks=list(disabled),
        scorer_options={"model_dir": model_dir} if model_dir else {},
    )
    report = run(source, translation, opts)
    fmt = fmt or ("text" if sys.stdout.isatty() and not output else "json")
    emit(render(report, fmt, color=None if not output else False), output)
    if verbose:
        click.echo(" ".join(f"{k}={v:.2f}s" for k, v in report.timing.items()), err=True)
    if not quiet and report.segments and all(seg.score is None for seg in report.segments):
        click.echo(
            f"warning: no scorer covers {report.source.lang}->{report.translation.lang} in this profile; "
            "the document score rests on the checks alone",
            err=True,
        )
    if report.source.lang == report.translation.lang and not quiet:
        click.echo(f"warning: source and translation are both '{report.source.lang}'", err=True)
    if fail_under is not None and report.score < fail_under:
        if not quiet:
            click.echo(f"score {report.score:.3f} is below --fail-under {fail_under}", err=True)
        sys.exit(1)


@cli.command()
@click.argument("source")
@click.argument("translation")
@_common
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
    type=click.Choice(["pairs", "text", "json"]),
    default="pairs",
    show_default=True,
    help="pairs: '[0]:[0, 1]' per line, 0-based, as vecalign gold files.",
)
def align(
    source, translation, src_lang, tgt_lang, output, max_chars, encoder, quiet, verbose, split, fmt
) -> None:
    """Print the sentence alignment of SOURCE and TRANSLATION only."""
    import json

    from mtqa.output import emit
    from mtqa.pipeline import Options, align_only

    opts = Options(
        src_lang=src_lang, tgt_lang=tgt_lang, split=split != "none", encoder=encoder, max_chars=max_chars
    )
    src, tgt, beads = align_only(source, translation, opts)
    if fmt == "pairs":
        data = "".join(f"{s}:{t}\n" for s, t in beads)
    elif fmt == "json":
        data = (
            json.dumps(
                [
                    {
                        "source": s,
                        "target": t,
                        "source_text": " ".join(src.sentences[i].text for i in s),
                        "target_text": " ".join(tgt.sentences[j].text for j in t),
                    }
                    for s, t in beads
                ],
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )
    else:
        lines = []
        for s, t in beads:
            lines.append(
                f"{len(s)}-{len(t)}\t"
                + " ".join(src.sentences[i].text for i in s)
                + "\t"
                + " ".join(tgt.sentences[j].text for j in t)
            )
        data = "\n".join(lines) + "\n"
    emit(data, output)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def models(fmt) -> None:
    """List scorers, their models, revisions, sha256 and licences."""
    import json

    from mtqa.scorers import SCORERS, scorer_names

    rows = []
    for name in scorer_names():
        cls = SCORERS[name]
        scorer = None
        try:
            scorer = cls()
            ok, why = scorer.available()
        except MtqaError as exc:
            ok, why = False, str(exc)
        row = {
            "name": name,
            "profiles": list(cls.profiles),
            "description": cls.description,
            "available": ok,
            "reason": why,
        }
        if ok and scorer is not None:
            sig = scorer.signature()
            row.update(model=sig.name, revision=sig.revision, sha256=sig.sha256, licence=sig.licence)
        rows.append(row)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        status = "" if r["available"] else f"  (unavailable: {r['reason']})"
        click.echo(f"{r['name']:<16} profiles={','.join(r['profiles'])}{status}")
        if r.get("sha256"):
            click.echo(
                f"  revision {r['revision']}\n  sha256   {r['sha256']}\n  licence  {r.get('licence', '')}"
            )
        click.echo(f"  {r['description']}")


@cli.command("checks")
def list_checks() -> None:
    """List the checks with their issue type, MQM category and help text."""
    from mtqa.checks import load_checks

    for info in load_checks().values():
        click.echo(f"{info.name:<22} {info.issue_type:<20} {info.mqm}\n    {info.help}")


def _load_plugins() -> None:
    """Commands that live in their own modules register themselves on `cli` when imported."""
    import importlib

    for name in ("mtqa.cli_check", "mtqa.cli_batch"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def _one_line(msg: str) -> str:
    """The contract is one line on standard error: fold any line breaks in a message."""
    return " ".join(part.strip() for part in msg.splitlines() if part.strip())


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line on stderr with exit code 2, never a traceback."""
    # mtqa never downloads: model hubs stay offline unless the user explicitly says otherwise
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        _load_plugins()
        cli.main(args=argv, prog_name="mtqa", standalone_mode=False)
    except MtqaError as exc:
        click.echo(f"mtqa: error: {_one_line(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except getattr(click.exceptions, "NoArgsIsHelpError", getattr(click.exceptions, "NoArgsIsHelp", ())):
        sys.exit(2)
    except click.UsageError as exc:
        hint = f" (see 'mtqa {exc.ctx.info_name} --help')" if exc.ctx and exc.ctx.info_name != "mtqa" else ""
        click.echo(f"mtqa: error: {_one_line(exc.format_message())}{hint}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("mtqa: aborted", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"mtqa: error: {_one_line(exc.format_message())}", err=True)
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
            f"mtqa: internal error: {type(exc).__name__}: {_one_line(str(exc))} "
            "(set MTQA_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
