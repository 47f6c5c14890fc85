"""`mtqa checks`: the checks with their issue type, MQM category and help text."""

from __future__ import annotations

import click


@click.command("checks")
def list_checks() -> None:
    """List the checks with their issue type, MQM category and help text."""
    from mtqa.checks import load_checks

    for info in load_checks().values():
        click.echo(f"{info.name:<22} {info.issue_type:<20} {info.mqm}\n    {info.help}")
