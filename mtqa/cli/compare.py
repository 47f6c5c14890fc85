"""`mtqa compare`: rank translations of one source by their MQM estimate, with significance."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from mtqa.cli.options import profile_option
from mtqa.errors import MtqaError


@click.command()
@click.argument("source")
@click.argument("translations", nargs=-1, required=True)
@click.option("--src-lang", metavar="CODE", help="Source language (default: detected).")
@click.option("--tgt-lang", metavar="CODE", help="Language of the translations (default: detected).")
@profile_option()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--draws", type=click.IntRange(min=100), default=1000, show_default=True,
              help="Paired bootstrap resamples of the source paragraphs.")
def compare(source, translations, src_lang, tgt_lang, profile, fmt, draws) -> None:
    """Rank TRANSLATIONS of SOURCE, best first: each one's estimated MQM per 100 source words with its
    80% interval, and for each pair whether the difference is significant (paired bootstrap, p < 0.05)."""
    from mtqa.compare import compare as rank
    from mtqa.pipeline import Options

    if len(translations) < 2:
        raise MtqaError("give at least two translations to compare")
    opts = Options(src_lang=src_lang, tgt_lang=tgt_lang, profile=profile)
    ranked, tests = rank(source, list(translations), opts, draws=draws)
    if fmt == "json":
        click.echo(json.dumps({"source": source, "translations": [asdict(r) for r in ranked],
                               "pairs": [{**asdict(t), "significant": t.significant} for t in tests]},
                              ensure_ascii=False, indent=2))
        return
    for k, r in enumerate(ranked, 1):
        click.echo(f"{k}. {r.translation}  MQM {r.mqm:.1f} (80%: {r.low:.1f}-{r.high:.1f}) per 100 words  "
                   f"score {r.score:.3f}  {r.verdict}")
    for t in tests:
        verdict = "significant" if t.significant else "not significant"
        click.echo(f"{t.better} better than {t.worse} by {t.delta:.1f} MQM points: p = {t.p_value:.3f}, "
                   f"{verdict} ({draws} paired resamples)")
