"""--bitext, --reference, `mtqa align --split none --format pairs`, `mtqa models`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mtqa.cli import cli

SRC = ["Le chat dort sur le canapé.", "Il pleut depuis trois jours.", "La réunion commence à 9 heures."]
MT = ["The cat is sleeping on the sofa.", "It has been raining for three days.", "The meeting starts at 9."]
REF = [
    "The cat sleeps on the couch.",
    "It has been raining for three days.",
    "The meeting begins at 9 o'clock.",
]


@pytest.fixture()
def files(tmp_path):
    paths = {}
    for name, lines in (("src", SRC), ("mt", MT), ("ref", REF)):
        p = tmp_path / f"{name}.txt"
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths[name] = str(p)
    return paths


def score_bitext_json(files, *extra: str):
    res = CliRunner().invoke(cli, ["score", files["src"], files["mt"], "--bitext", "--profile", "fast",
                                   "--format", "json", *extra])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.models
def test_bitext_scores_line_by_line(files):
    data = score_bitext_json(files, "--src-lang", "fr", "--tgt-lang", "en")
    assert [s["source"] for s in data["segments"]] == SRC
    assert [s["target"] for s in data["segments"]] == MT
    assert [s["target_paragraphs"] for s in data["segments"]] == [[1], [2], [3]]
    assert all(s["alignment"] == "1-1" for s in data["segments"])


@pytest.mark.models
def test_reference_metrics(files):
    ref = score_bitext_json(files, "--reference", files["ref"])["document"]["reference_metrics"]
    assert set(ref) == {"bleu", "chrf", "ter"}
    assert 0 < ref["bleu"] < 100 and 0 < ref["chrf"] < 100


def test_bitext_line_count_mismatch_is_one_line_error(files, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text(MT[0] + "\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["score", files["src"], str(short), "--bitext", "--profile", "fast"])
    assert res.exit_code != 0
    assert "same number of lines" in str(res.exception)


@pytest.mark.models
def test_align_pairs_split_none(files):
    res = CliRunner().invoke(
        cli,
        [
            "align",
            files["src"],
            files["mt"],
            "--split",
            "none",
            "--format",
            "pairs",
            "--src-lang",
            "fr",
            "--tgt-lang",
            "en",
        ],
    )
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]


@pytest.mark.models
def test_models_lists_signatures():
    res = CliRunner().invoke(cli, ["models", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = {r["name"]: r for r in json.loads(res.stdout)}
    assert rows["use-cosine"]["available"]
    assert len(rows["use-cosine"]["sha256"]) == 64


@pytest.mark.models
def test_cosine_scorer_abstains_outside_use_languages():
    from mtqa.scorers import ScoringInput
    from mtqa.scorers.cosine import CosineScorer

    scorer = CosineScorer()
    items = [
        ScoringInput("Le chat dort.", "The cat sleeps.", "fr", "en"),
        ScoringInput("Kočka spí.", "The cat sleeps.", "cs", "en"),  # Czech: not a USE v3 language
        ScoringInput("", "The cat sleeps.", "fr", "en"),
    ]
    values = scorer.score(items)
    assert values[0] is not None and 0.5 < values[0] <= 1
    assert values[1] is None and values[2] is None
