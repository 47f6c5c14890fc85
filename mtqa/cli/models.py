"""`mtqa models`: the scorers, their models, revisions, sha256 and licences."""

from __future__ import annotations

import json

import click

from mtqa.errors import MtqaError


def scorer_rows() -> list[dict]:
    from mtqa.profiles import profiles_running
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
            "profiles": profiles_running(name),
            "description": cls.description,
            "available": ok,
            "reason": why,
        }
        if ok and scorer is not None:
            sig = scorer.signature()
            row.update(model=sig.name, revision=sig.revision, sha256=sig.sha256, licence=sig.licence)
        rows.append(row)
    return rows


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def models(fmt) -> None:
    """List scorers, their models, revisions, sha256 and licences."""
    rows = scorer_rows()
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    from mtqa.profiles import PROFILES

    for profile in PROFILES:  # what each profile runs, and whether it can run here
        mine = [r for r in rows if profile in r["profiles"]]
        ready = all(r["available"] for r in mine)
        click.echo(f"profile {profile}: {'ready' if ready else 'CANNOT RUN'}")
        for r in mine:
            state = "available" if r["available"] else f"unavailable: {r['reason']}"
            click.echo(f"  {r['name']:<14} {state}")
    click.echo("")
    for r in rows:
        status = "" if r["available"] else f"  (unavailable: {r['reason']})"
        click.echo(f"{r['name']:<16} profiles={','.join(r['profiles'])}{status}")
        if r.get("sha256"):
            click.echo(
                f"  revision {r['revision']}\n  sha256   {r['sha256']}\n  licence  {r.get('licence', '')}"
            )
        click.echo(f"  {r['description']}")
