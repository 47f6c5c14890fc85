"""The worked example end to end: alignment, report contract, CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from tests.conftest import SEED_EN, SEED_FR

pytestmark = pytest.mark.models  # the seed scored in the fast profile: static USE, spaCy NER


def _segment_with(report, needle: str):
    return [s for s in report.segments if needle in s.target]


def test_every_translation_paragraph_is_in_some_segment(seed_report_fast):
    covered = {p for s in seed_report_fast.segments for p in s.target_paragraphs}
    assert covered == set(range(1, 20))
    assert seed_report_fast.translation.paragraphs == 19
    assert seed_report_fast.source.paragraphs == 19


def test_every_sentence_aligned_exactly_once(seed_report_fast):
    src = [i for s in seed_report_fast.segments for i in s.source_sentences]
    tgt = [j for s in seed_report_fast.segments for j in s.target_sentences]
    assert src == list(range(seed_report_fast.source.sentences))
    assert tgt == list(range(seed_report_fast.translation.sentences))


def test_battled_key_aligned_with_bataille_cle(seed_report_fast):
    (seg,) = _segment_with(seed_report_fast, "Battled key")
    assert seg.source == "Bataille clé"
    assert seg.alignment == "1-1"


def test_sds_paragraph_aligned_with_fds_paragraph(seed_report_fast):
    (seg,) = _segment_with(seed_report_fast, "the SDS still controls")
    assert "les FDS contrôlent toujours" in seg.source
    assert seg.source_paragraphs == seg.target_paragraphs == [16]


def test_languages_detected(seed_report_fast):
    assert (seed_report_fast.source.lang, seed_report_fast.translation.lang) == ("fr", "en")
    assert seed_report_fast.source.lang_detected and seed_report_fast.translation.lang_detected


def test_report_validates_against_schema(seed_report_fast, schema):
    data = json.loads(seed_report_fast.dumps())
    jsonschema.validate(data, schema)
    assert data["schema"] == "mtqa.report/1"
    assert all(0 <= s["score"] <= 1 for s in data["segments"] if s["score"] is not None)
    assert data["models"] and data["models"][0]["sha256"]


def test_segment_offsets_slice_the_files(seed_report_fast):
    text = SEED_EN.read_text(encoding="utf-8")
    src = SEED_FR.read_text(encoding="utf-8")
    for seg in seed_report_fast.segments:
        if seg.alignment.endswith("-1") and seg.target_start is not None:
            assert text[seg.target_start : seg.target_end] == seg.target
        if seg.alignment.startswith("1-") and seg.source_start is not None:
            assert src[seg.source_start : seg.source_end] == seg.source


def test_cli_score_json_end_to_end(schema, tmp_path):
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "mtqa.cli", "score", str(SEED_FR), str(SEED_EN), "--profile", "fast",
         "--format", "json", "-o", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    jsonschema.validate(data, schema)
    assert data["source"]["path"].endswith("fr.txt")
    assert len(data["segments"]) >= 19


def test_cli_text_format_shows_table_and_verdict():
    proc = subprocess.run(
        [sys.executable, "-m", "mtqa.cli", "score", str(SEED_FR), str(SEED_EN), "--profile", "fast",
         "--format", "text", "--src-lang", "fr", "--tgt-lang", "en"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Battled key" in proc.stdout
    assert "verdict" in proc.stdout and "document score" in proc.stdout


def test_fail_under_exits_1():
    proc = subprocess.run(
        [sys.executable, "-m", "mtqa.cli", "score", str(SEED_FR), str(SEED_EN), "--profile", "fast",
         "--format", "json", "--fail-under", "0.999"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1
    assert "below --fail-under" in proc.stderr


def test_seed_fidelity(seed_report_fast):
    """¶15 garbled: major; ¶14 Téhéran -> Iran: minor metonymy; no major on the correct paragraphs."""
    by_para: dict[int, list] = {}
    for i in seed_report_fast.issues:
        by_para.setdefault(i.target_paragraph, []).append(i)
    # major as the check raises it; reported minor where its kind measured under the precision floor
    assert any(i.severity == "major" or i.demoted for i in by_para[15] if i.check == "garbled")
    tehran = [i for i in by_para[14] if i.check == "entity-fidelity"]
    assert tehran and tehran[0].severity == "minor" and "Téhéran" in tehran[0].message
    src = SEED_FR.read_text(encoding="utf-8")
    assert src[tehran[0].source_start : tehran[0].source_end] == "Téhéran"
    assert SEED_EN.read_text(encoding="utf-8")[tehran[0].target_start : tehran[0].target_end] == "Iran"
    for p in (5, 7, 9, 11, 13, 17, 18, 19):
        assert not [i.message for i in by_para.get(p, []) if i.severity in ("major", "critical")], p
