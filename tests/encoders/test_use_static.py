"""The static USE v3 encoder (mtqa.encoders.use_static): its table, its embeddings, the fast profile."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from mtqa.encoders import encoder_for, get_encoder, overlaps, use_static, use_static_recipe
from mtqa.errors import MtqaError
from tests.encoders.test_use_overlaps import SENTENCES

# measured (RECIPE_VERSION 1) on 800 WMT22 / seed sentences in en, de, fr, ru, zh: mean cosine with real
# USE 0.916, 5th percentile 0.83, minimum 0.73; one-word texts are the worst ("Oui." 0.65)
MIN_COSINE, MIN_MEAN_COSINE = 0.6, 0.85


@pytest.fixture(scope="module")
def static():
    return get_encoder("use-m3-static")


@pytest.fixture(scope="module")
def real():
    return get_encoder("use-m3")  # the session's (its model loads once)


@pytest.mark.models
def test_embeddings_are_unit_vectors(static):
    vecs = static.encode([*SENTENCES, ""])
    assert vecs.shape == (len(SENTENCES) + 1, 512) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert static.encode([]).shape == (0, 512)


@pytest.mark.models
def test_overlaps_equal_encoding_the_joined_texts(static):
    """The tokenizer splits at whitespace and drops extra spaces, so a run of sentences joined by a space
    has the sentences' pieces one after the other: its sum of sentence sums is its embedding (up to
    float rounding), including the correction for the run's last piece."""
    sentences = [*SENTENCES, "  ", "Fin."]  # an empty sentence inside a run changes nothing
    blocks = static.encode_overlaps(sentences, 3)
    assert [len(b) for b in blocks] == [len(sentences), len(sentences) - 1, len(sentences) - 2]
    pieces = static._model.pieces
    for k, block in enumerate(blocks, start=1):
        joined = overlaps(sentences, k)
        for i, text in enumerate(joined):
            assert pieces([text])[0] == [p for s in sentences[i : i + k] for p in pieces([s])[0]]
        np.testing.assert_allclose(block, static.encode(joined), atol=2e-6)
    assert [len(b) for b in static.encode_overlaps(SENTENCES[:2], 3)] == [2, 1, 0]


@pytest.mark.models
def test_close_to_real_use(static, real):
    texts = [*SENTENCES, "The ceasefire was broken on Sunday night, according to the monitor.",
             "Правительство объявило о новых мерах поддержки.", "今天的会议推迟到明天上午。"]
    cosines = (static.encode(texts) * real._encode(texts)).sum(axis=1)
    assert cosines.min() > MIN_COSINE and cosines.mean() > MIN_MEAN_COSINE, cosines
    # and it still tells a translation from an unrelated sentence
    a, b, c = static.encode(["Le chat dort sur le canapé.", "The cat is sleeping on the sofa.",
                             "Interest rates rose again in March."])
    assert a @ b > a @ c + 0.2


@pytest.mark.models
def test_table_rows_are_the_recipe(static, real):
    """The cached table holds what the builder computes for those pieces (checked on a few rows)."""
    model = static._model
    builder = use_static_recipe.TableBuilder(real._model._model, model.sp)
    ctx = builder.contexts()
    ids = np.array([0, 1, 2, 7, 8, 1000, 54321, model.sp.get_piece_size() - 1])
    rows = builder.rows(ids, builder.stats(ctx, np.ones(2 * use_static_recipe.SPAN + 1, dtype=bool)))
    np.testing.assert_allclose(np.asarray(model.g[ids], dtype=np.float32), rows, rtol=2e-3, atol=2e-3)


def _copy_builder():
    """A build that returns the real table's tensors (the full recipe takes ~30 s: see the slow test)."""
    calls = []
    folder, _ = use_static.ensure_table()

    def build():
        calls.append(1)
        return use_static.load_table(folder)

    return build, calls


@pytest.mark.models
def test_table_is_built_into_the_cache_then_reused_and_rebuilt_when_corrupt(static, tmp_path, monkeypatch):
    from mtqa import artefacts

    build, calls = _copy_builder()
    monkeypatch.setattr(use_static, "table_root", lambda: tmp_path / "use-m3-static")
    folder = use_static.table_dir()
    assert folder.parent == tmp_path / "use-m3-static"
    got, digest = use_static.ensure_table(folder, quiet=True, build=build)
    assert calls == [1] and got == folder
    assert sorted(p.name for p in folder.iterdir()) == ["g.npy", "head.safetensors", "stamp.json"]
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".build-")]
    stamp = json.loads((folder / "stamp.json").read_text())
    assert stamp["identity"] == digest and stamp["inputs"]["recipe_version"] == use_static.RECIPE_VERSION
    assert digest == static._model.sha256  # same tensors, same digest

    assert use_static.ensure_table(folder, quiet=True, build=build) == (folder, digest)
    assert calls == [1]  # reused

    with open(folder / "g.npy", "r+b") as fh:  # corrupt one byte of the table
        fh.seek(4096)
        byte = fh.read(1)
        fh.seek(4096)
        fh.write(bytes([byte[0] ^ 0xFF]))
    inputs = use_static.table_inputs()
    assert artefacts.verify(folder, use_static.KIND, inputs) is None
    assert use_static.ensure_table(folder, quiet=True, build=build) == (folder, digest)
    assert calls == [1, 1]

    (folder / "head.safetensors").unlink()  # missing file
    assert use_static.ensure_table(folder, quiet=True, build=build) == (folder, digest)
    (folder / "stamp.json").write_text("{not json")
    assert use_static.ensure_table(folder, quiet=True, build=build) == (folder, digest)
    assert calls == [1, 1, 1, 1]

    copied = tmp_path / "copied"  # a copied folder (new mtimes) is re-hashed once, then trusted
    shutil.copytree(folder, copied)
    assert artefacts.verify(copied, use_static.KIND, inputs).identity == digest
    assert json.loads((copied / "stamp.json").read_text())["files"]["g.npy"]["mtime_ns"] == (
        (copied / "g.npy").stat().st_mtime_ns)


def test_an_unwritable_cache_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setattr(use_static, "table_root", lambda: tmp_path / "file" / "use-m3-static")
    with pytest.raises(MtqaError, match="cannot build the use-m3-static table"):
        use_static.ensure_table(quiet=True, build=lambda: {})


@pytest.mark.models
def test_signature_follows_the_table(static, tmp_path, monkeypatch):
    sig = static.signature()
    assert sig.name == "use-m3-static" and f"static-v{use_static.RECIPE_VERSION}" in sig.revision
    assert sig.sha256 == static._model.sha256 and len(sig.sha256) == 64
    assert sig.sha256 != get_encoder("use-m3").signature().sha256

    folder, _ = use_static.ensure_table()

    def altered():  # the same recipe on other weights: another table, another signature
        tensors = use_static.load_table(folder)
        tensors["g"] = np.array(tensors["g"]) * np.float16(0.5)
        return tensors

    monkeypatch.setattr(use_static, "table_root", lambda: tmp_path / "use-m3-static")
    monkeypatch.setattr(use_static, "build_tensors", altered)
    from mtqa.encoders.use_static import USEStaticEncoder

    other = USEStaticEncoder()
    assert other.signature().sha256 != sig.sha256
    np.testing.assert_allclose(np.linalg.norm(other.encode(SENTENCES[:2]), axis=1), 1.0, atol=1e-5)


@pytest.mark.models
def test_a_table_of_another_shape_is_refused(static):
    tensors = dict(use_static.load_table(use_static.ensure_table()[0]))
    tensors["g"] = tensors["g"][:1000]
    with pytest.raises(MtqaError, match="does not fit"):
        use_static.StaticUSE.from_tensors(tensors, static._model.sp, "")


@pytest.mark.models
@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("MTQA_RUN_SLOW"), reason="~30 s on 2 busy cores: set MTQA_RUN_SLOW=1")
def test_full_build_in_a_temporary_cache(static, tmp_path, monkeypatch):
    monkeypatch.setattr(use_static, "table_root", lambda: tmp_path / "use-m3-static")
    folder, digest = use_static.ensure_table(quiet=True)
    built = use_static.load_table(folder)
    np.testing.assert_allclose(np.asarray(built["g"], dtype=np.float32),
                               np.asarray(static._model.g, dtype=np.float32), atol=2e-3)


# --- profiles -------------------------------------------------------------------------------------


def test_the_fast_profile_uses_the_static_encoder_unless_one_is_named():
    from pathlib import Path

    from mtqa.config import parse_config
    from mtqa.pipeline import Options

    assert encoder_for("fast") == "use-m3-static" and encoder_for("accurate") == "use-m3"
    assert encoder_for("fast", "use-m3") == "use-m3"
    assert Options(profile="fast").encoder_spec == "use-m3-static"
    assert Options().encoder_spec == "use-m3"
    assert Options(profile="fast", encoder="use-m3").encoder_spec == "use-m3"
    assert Options(profile="accurate", encoder="use-m3-static").encoder_spec == "use-m3-static"
    table = {"source": "a/*.md", "translation": "b/{stem}.md", "profile": "fast"}
    assert parse_config(table, None, Path(".")).encoder is None
    assert parse_config({**table, "encoder": "use-m3"}, None, Path(".")).encoder == "use-m3"


@pytest.mark.models
def test_reports_name_the_encoders_used(tmp_path):
    from mtqa.cli import main

    src, tgt = tmp_path / "s.txt", tmp_path / "t.txt"
    src.write_text("Le chat dort.\n\nIl pleut depuis trois jours.\n", encoding="utf-8")
    tgt.write_text("The cat is sleeping.\n\nIt has been raining for three days.\n", encoding="utf-8")
    for extra, want in (([], "use-m3-static"), (["--encoder", "use-m3"], "use-m3")):
        out = tmp_path / "r.json"
        main(["score", str(src), str(tgt), "--profile", "fast", "--format", "json", "-o", str(out),
              "--src-lang", "fr", "--tgt-lang", "en", *extra])
        models = {m["name"]: m for m in json.loads(out.read_text())["models"]}
        assert models[f"align:{want}"]["sha256"] == get_encoder(want).signature().sha256
        assert models["use-cosine"]["revision"].startswith(f"{want}:")


@pytest.mark.models
def test_cosine_scorer_uses_its_encoders_calibration():
    from mtqa.scorers.cosine import CALIBRATION_FILE, CosineScorer, calibration_file

    assert calibration_file("use-m3") == CALIBRATION_FILE
    assert calibration_file("use-m3-static").name == "use-m3-static-cosine.calibration.json"
    assert calibration_file("use-m3-static").exists()
    fast, accurate = CosineScorer(encoder="use-m3-static"), CosineScorer()
    assert fast.calibration() == json.loads(calibration_file("use-m3-static").read_text())
    assert accurate.calibration() == json.loads(CALIBRATION_FILE.read_text())
    assert fast.calibration()["center"] != accurate.calibration()["center"]
    assert "use-m3-static:" in fast.signature().revision
