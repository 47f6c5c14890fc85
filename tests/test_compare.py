"""`mtqa compare`: translations of one source ranked by their MQM estimate, with a paired bootstrap."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mtqa.cli import cli

SOURCE = """Le conseil municipal a voté mardi un budget de 12 millions d'euros pour rénover les écoles.

Les travaux commenceront en mars et dureront deux ans, selon le maire.

Trois écoles primaires seront entièrement reconstruites avant la rentrée 2027.

Les parents d'élèves ont salué une décision attendue depuis longtemps.
"""
GOOD = """On Tuesday the city council voted a budget of 12 million euros to renovate the schools.

Work will begin in March and last two years, according to the mayor.

Three primary schools will be completely rebuilt before the start of the 2027 school year.

Parents welcomed a decision that had long been awaited.
"""
DAMAGED = """On Tuesday the city council voted a budget of 12 million euros to renovate the schools.

The weather in the mountains was cold and the ski resorts opened early this winter.

Three primary schools will be completely rebuilt before the start of the 2027 school year.

The football team lost its match against the visitors on Sunday evening.
"""


@pytest.mark.models
def test_compare_ranks_the_faithful_translation_first(tmp_path) -> None:
    """Two paragraphs of the damaged translation say something else entirely."""
    for name, text in (("src.fr.txt", SOURCE), ("good.en.txt", GOOD), ("damaged.en.txt", DAMAGED)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    args = ["compare", str(tmp_path / "src.fr.txt"), str(tmp_path / "damaged.en.txt"),
            str(tmp_path / "good.en.txt"), "--src-lang", "fr", "--tgt-lang", "en"]
    res = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    ranked = [r["translation"] for r in data["translations"]]
    assert ranked == [str(tmp_path / "good.en.txt"), str(tmp_path / "damaged.en.txt")]
    first, second = data["translations"]
    assert first["mqm"] < second["mqm"] and first["low"] <= first["mqm"] <= first["high"]
    (pair,) = data["pairs"]
    assert pair["better"].endswith("good.en.txt") and pair["delta"] > 0 and 0 <= pair["p_value"] <= 1
    text = CliRunner().invoke(cli, args)
    assert text.exit_code == 0
    lines = text.output.splitlines()
    assert lines[0].startswith("1. ") and lines[0].split()[1].endswith("good.en.txt")
    assert "better than" in lines[2] and "paired resamples" in lines[2]


@pytest.mark.models
def test_identical_translations_differ_by_nothing(tmp_path) -> None:
    for name, text in (("src.fr.txt", SOURCE), ("a.en.txt", GOOD), ("b.en.txt", GOOD)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    res = CliRunner().invoke(cli, ["compare", str(tmp_path / "src.fr.txt"), str(tmp_path / "a.en.txt"),
                                   str(tmp_path / "b.en.txt"), "--profile", "fast", "--format", "json"])
    assert res.exit_code == 0, res.output
    (pair,) = json.loads(res.output)["pairs"]
    assert pair["delta"] == 0 and pair["p_value"] == 1 and not pair["significant"]


def test_compare_needs_two_translations(tmp_path) -> None:
    (tmp_path / "s.txt").write_text(SOURCE, encoding="utf-8")
    res = CliRunner().invoke(cli, ["compare", str(tmp_path / "s.txt"), str(tmp_path / "s.txt")])
    assert res.exit_code != 0 and "at least two translations" in str(res.exception or res.output)
