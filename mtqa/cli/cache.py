"""`mtqa cache info | clear`: the on-disk cache of model outputs."""

from __future__ import annotations

import json

import click


@click.group()
def cache() -> None:
    """The on-disk cache of model outputs (MTQA_CACHE_DIR moves it)."""


def human_size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


@cache.command("info")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def cache_info(fmt) -> None:
    """Where the cache is, its entries per model and its size."""
    from mtqa.cache import Cache

    info = Cache().info()
    if fmt == "json":
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"path     {info['path']}")
    click.echo(f"entries  {info['entries']}  ({human_size(info['bytes'])} of data, "
               f"{human_size(info['file_bytes'])} on disk, bound {human_size(info['max_bytes'])})")
    for sig, d in info["signatures"].items():
        click.echo(f"  {d['entries']:>8}  {human_size(d['bytes']):>10}  {sig}")
    if info.get("error"):
        click.echo(f"warning: cache unusable: {info['error']}", err=True)


@cache.command("clear")
def cache_clear() -> None:
    """Delete every cached entry."""
    from mtqa.cache import Cache

    n = Cache().clear()
    click.echo(f"removed {n} cached entries")
