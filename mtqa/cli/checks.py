"""`mtqa checks`: the check families and their checks (issue type, MQM category, help text)."""

from __future__ import annotations

import sys
import textwrap

import click

from mtqa.cli.options import verbose_option


@click.command("checks")
@click.option("--langs", is_flag=True,
              help="List, per check, the language pairs where its majors' precision was measured and "
              "whether they stay major; the model spans' shown confidence; the languages of each word list.")
@verbose_option("Each family's description and each check's help text.")
def list_checks(langs: bool, verbose: bool) -> None:
    """List the check families, each with its one-line title and its checks (issue type, MQM category)."""
    from mtqa.checks import load_checks
    from mtqa.checks.registry import families

    if langs:
        _list_precision(load_checks())
        _list_langs(load_checks())
        return
    for family in families():
        click.echo(f"{family.name}: {family.title}")
        if verbose and family.details:
            click.echo(textwrap.fill(family.details, 100, initial_indent="  ", subsequent_indent="  "))
        for info in family.checks:
            missing = f"  [not run: needs {', '.join(info.missing)}]" if info.missing else ""
            click.echo(f"  {info.name:<22} {info.issue_type:<20} {info.mqm}{missing}")
            if verbose:
                click.echo(textwrap.fill(info.help, 100, initial_indent="      ", subsequent_indent="      "))


def _list_precision(checks: dict) -> None:
    """Per check, the measured precision of its majors by language pair, and what the floor makes of it."""
    from mtqa import precision

    f = precision.floor()
    head = (f"major flags by language pair: precision on MQM-rated documents ({precision.measured_on()}); "
            f"a major stays major at {f.precision:.0%} and chance + {f.over_chance:.0%} over at least "
            f"{f.min_flags} flags, else it is reported as minor; unmeasured pairs: the check's own "
            "language knowledge decides:")
    click.echo(textwrap.fill(head, 100))
    from mtqa.lang.capabilities import CHECK_KNOWLEDGE, known_languages

    for name in sorted(checks):
        kinds = precision.measured_kinds(name)
        click.echo(f"  {name:<22} " + ("" if kinds else "not measured"))
        if name in CHECK_KNOWLEDGE:  # elsewhere its majors are minor until measured
            text = f"knows ({', '.join(CHECK_KNOWLEDGE[name])}): {' '.join(known_languages(name))}"
            click.echo(textwrap.fill(text, 100, initial_indent="    ", subsequent_indent="      "))
        for kind, rows in kinds.items():
            cells = []
            for pair, m in rows.items():
                verdict = "major" if precision.major_kept(name, kind, pair)[0] else "minor"
                few = "few, " if m.flags < f.min_flags else ""
                cells.append(f"{pair} {m.precision:.0%} (chance {m.chance:.0%}, {m.flags} flags: "
                             f"{few}{verdict})")
            click.echo(f"    {kind or '(other)'}: " + "; ".join(cells))
    click.echo("model spans (advisory): shown from a confidence measured to beat chance by "
               f"{f.over_chance:.0%}, at most {precision.spans_per_segment()} a segment:")
    for pair in precision.measured_pairs():
        rule = precision.span_rule(pair)
        shown = (f"from {rule.min_confidence:.2f} (precision {rule.precision:.0%}, chance {rule.chance:.0%})"
                 if rule else "none shown (no confidence beat chance)")
        click.echo(f"  {pair}: {shown}")
    click.echo("  other pairs: none shown (never measured)")


def _list_langs(checks: dict) -> None:
    """Each word table of mtqa.lang.lexicon with its languages, and the checks whose module reads it."""
    from mtqa.lang.lexicon import FALLBACK_LANG, WORD_TABLES

    click.echo(f"word lists (mtqa.lang.lexicon); a language a list lacks borrows the '{FALLBACK_LANG}' list:")
    for name, table in WORD_TABLES.items():
        readers = sorted(info.name for info in checks.values() if any(
            v is table for module in _modules_read(info.fn.__module__) for v in vars(module).values()))
        click.echo(f"  {name:<16} {' '.join(sorted(table))}")
        if readers:
            text = f"read by the checks {', '.join(readers)}, and by entity extraction"
            click.echo(textwrap.fill(text, 100, initial_indent=" " * 19, subsequent_indent=" " * 19))


def _modules_read(family: str) -> list:
    """A family's module and the kit modules it takes names from."""
    module = sys.modules[family]
    kit = {getattr(v, "__module__", None) for v in vars(module).values()}
    return [module, *(sys.modules[k] for k in sorted(kit - {None}) if k.startswith("mtqa.checks.kit."))]
