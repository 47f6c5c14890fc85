"""`mtqa cache info | clear`: the on-disk cache of model outputs."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.group()
def cache() -> None:
    """The on-disk cache: model outputs and derived models (MTQA_CACHE_DIR moves it)."""


def human_size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


@cache.command("info")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def cache_info(fmt) -> None:
    """Where the cache is, its entries per model, the derived models and their sizes."""
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
    click.echo(f"models   {len(info['artefacts'])} derived  "
               f"({human_size(info['artefact_bytes'])} in {info['root']})")
    for a in info["artefacts"]:
        click.echo(f"  {a['state']:>8}  {human_size(a['bytes']):>10}  {a['kind']}/{a['key']}")
    if info.get("error"):
        click.echo(f"warning: cache unusable: {info['error']}", err=True)


@cache.command("clear")
@click.option("--models", "with_models", is_flag=True,
              help="Also delete the derived models (rebuilt from the installed packages on next use).")
def cache_clear(with_models: bool) -> None:
    """Delete every cached entry (scores, embeddings); with --models, the derived models too."""
    from mtqa.artefacts import discard, inventory
    from mtqa.cache import Cache

    n = Cache().clear()
    click.echo(f"removed {n} cached entries")
    if with_models:
        models = [a for a in inventory() if a["state"] != "building"]
        for a in models:
            discard(Path(a["path"]))
        click.echo(f"removed {len(models)} derived models")
