"""`mtqa score`: one document pair, rendered in any registered format."""

from __future__ import annotations

import sys

import click

from mtqa.cli.options import document_options, profile_option
from mtqa.config import FAIL_MQM, PASS_MQM
from mtqa.errors import MtqaError
from mtqa.renderers import FORMATS


@click.command()
@click.argument("source")
@click.argument("translation", required=False)
@document_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: text on a terminal, json otherwise).",
)
@click.option("--reference", metavar="FILE", help="Human reference translation: adds BLEU, chrF, TER.")
@click.option("--glossary", metavar="FILE", help="CSV (source,target header) or TBX termbase to enforce.")
@click.option("--bitext", is_flag=True, help="Line-aligned files: line i of SOURCE is translated by line i.")
@profile_option()
@click.option(
    "--scorer", "scorers", multiple=True, metavar="NAME", help="Run only these scorers (repeatable)."
)
@click.option("--model-dir", metavar="DIR", help="Local checkpoint directory for transformers scorers.")
@click.option("--fail-under", type=float, default=None, metavar="X", help="Exit 1 when the score is below X.")
@click.option("--disable", "disabled", multiple=True, metavar="CHECK", help="Skip a check (repeatable).")
@click.option("--annotate", metavar="OUT.xlf",
              help="XLIFF only: write a copy with the findings as ITS 2.0 quality issues and each segment's "
              "score as its:mtConfidence.")
@click.option("--pass-mqm", type=click.FloatRange(min=0), default=PASS_MQM, show_default=True, metavar="X",
              help="Verdict pass at or under X estimated MQM points per 100 source words.")
@click.option("--fail-mqm", type=click.FloatRange(min=0), default=FAIL_MQM, show_default=True, metavar="Y",
              help="Verdict fail above Y estimated MQM points per 100 source words.")
@click.option("--critical-fails/--no-critical-fails", default=True, show_default=True,
              help="Whether a critical issue fails the document on its own.")
@click.option("--precision-floor/--no-precision-floor", default=True, show_default=True,
              help="Report a kind of major flag as minor in a language pair where its measured "
              "precision is under the floor (mtqa checks --langs).")
def score(source, translation, src_lang, tgt_lang, output, max_chars, encoder, no_cache, quiet, verbose, fmt,
          reference, glossary, bitext, profile, scorers, model_dir, fail_under, disabled, annotate, pass_mqm,
          fail_mqm, critical_fails, precision_floor) -> None:
    """Score TRANSLATION against SOURCE ('-' = standard input, at most one).

    SOURCE and TRANSLATION may be plain text, Markdown, HTML or DOCX; a bilingual XLIFF, PO or TMX
    file is given alone (mtqa score FILE.xlf) and its translation units are scored as aligned.
    """
    from mtqa.formats import format_of, is_bilingual
    from mtqa.gate import verdict_result
    from mtqa.output import emit
    from mtqa.pipeline import Options, run
    from mtqa.renderers import render

    if pass_mqm > fail_mqm:
        raise MtqaError(f"--pass-mqm {pass_mqm:g} is above --fail-mqm {fail_mqm:g}")
    if translation is None and not is_bilingual(source):
        raise MtqaError("missing argument 'TRANSLATION' (only an XLIFF, PO or TMX file can be given alone)")
    if annotate and (translation is not None or format_of(source) != "xliff"):
        raise MtqaError("--annotate needs one XLIFF file: mtqa score FILE.xlf --annotate OUT.xlf")
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
        use_cache=not no_cache,
        pass_mqm=pass_mqm,
        fail_mqm=fail_mqm,
        critical_fails=critical_fails,
        precision_floor=precision_floor,
    )
    report = run(source, translation, opts)
    fmt = fmt or ("text" if sys.stdout.isatty() and not output else "json")
    emit(render(fmt, [verdict_result(report)], color=None if not output else False), output)
    if annotate:
        from mtqa.formats.its import annotate_file

        annotate_file(source, report, annotate)
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
