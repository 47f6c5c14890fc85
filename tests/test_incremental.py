"""Re-scoring after an edit reuses cached embeddings and segment scores for unchanged text."""

from __future__ import annotations

import pytest

from mtqa.pipeline import Options, run
from mtqa.scorers.cosine import CosineScorer

SRC = "Le chat dort.\n\nIl pleut depuis trois jours.\n\nLa réunion commence à neuf heures.\n"
MT = "The cat is sleeping.\n\nIt has been raining for three days.\n\nThe meeting starts at nine.\n"


@pytest.mark.models
def test_second_run_scores_only_changed_segments(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path / "cache"))
    src, mt = tmp_path / "s.txt", tmp_path / "t.txt"
    src.write_text(SRC, encoding="utf-8")
    mt.write_text(MT, encoding="utf-8")
    opts = Options(src_lang="fr", tgt_lang="en", profile="fast")
    first = run(str(src), str(mt), opts)

    scored: list[str] = []
    original = CosineScorer.score

    def counting(self, items):
        scored.extend(it.target for it in items)
        return original(self, items)

    monkeypatch.setattr(CosineScorer, "score", counting)
    again = run(str(src), str(mt), opts)
    assert scored == []  # everything came from the cache
    assert again.dumps(timing=False) == first.dumps(timing=False)

    mt.write_text(MT.replace("starts at nine", "begins at nine"), encoding="utf-8")
    edited = run(str(src), str(mt), opts)
    assert scored == ["The meeting begins at nine."]
    assert [s.score for s in edited.segments[:2]] == [s.score for s in first.segments[:2]]


@pytest.mark.models
def test_no_cache_env_disables_reuse(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MTQA_NO_CACHE", "1")
    src, mt = tmp_path / "s.txt", tmp_path / "t.txt"
    src.write_text(SRC, encoding="utf-8")
    mt.write_text(MT, encoding="utf-8")
    opts = Options(src_lang="fr", tgt_lang="en", profile="fast")
    run(str(src), str(mt), opts)
    calls = []
    monkeypatch.setattr(
        CosineScorer, "score", lambda self, items: calls.append(len(items)) or [0.5] * len(items)
    )
    run(str(src), str(mt), opts)
    assert calls == [3]


@pytest.mark.models
@pytest.mark.parametrize("flag", ["--no-cache"])
def test_cli_accepts_no_cache(flag, tmp_path):
    from click.testing import CliRunner

    from mtqa.cli import cli

    (tmp_path / "s.txt").write_text(SRC, encoding="utf-8")
    (tmp_path / "t.txt").write_text(MT, encoding="utf-8")
    res = CliRunner().invoke(
        cli,
        [
            "score",
            str(tmp_path / "s.txt"),
            str(tmp_path / "t.txt"),
            "--profile",
            "fast",
            "--format",
            "json",
            flag,
        ],
    )
    assert res.exit_code == 0, res.output
