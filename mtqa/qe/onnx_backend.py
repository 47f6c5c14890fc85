"""The e5-qe cross-encoder on ONNX Runtime: exported once from the torch model, cached, sha256-checked.

ONNX Runtime runs the same network ~1.5x faster than torch eager on this CPU (fp32: 28-30 vs 19 pairs/s,
300 WMT22 en-de pairs, batch 32), and its dynamic int8 ~40 pairs/s. The export needs torch, transformers
and onnx once; afterwards scoring needs only onnxruntime, numpy and tokenizers (no torch import).

The int8 model quantises every MatMul of the encoder (per-channel int8 weights, dynamic uint8 activations)
except the feed-forward down-projections and the regression head, as the torch int8 path does
(mtqa.qe.runtime.int8_layers), after smoothing the up-projections' inputs (runtime.smooth_ffn_inputs):
Spearman with fp32 on 300 WMT22 en-de pairs 0.995 (6-layer adapter).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from mtqa.artefacts import artefact_root, ensure
from mtqa.threads import inference_threads

#: bump when the export or quantisation recipe changes (invalidates cached exports)
EXPORT_VERSION = 2
INPUTS = ("ids", "mask", "src", "mt")


def available() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


KIND = "e5-qe-onnx"
FILE = "e5-qe.onnx"


def export_dir(key: str) -> Path:
    return artefact_root(KIND) / key


def export_key(adapter_sha256: str, base_identity: str, int8: bool) -> str:
    text = f"{adapter_sha256}|{base_identity}|v{EXPORT_VERSION}|{'int8' if int8 else 'fp32'}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def ensure_exported(key: str, build_torch_model, int8: bool) -> Path:
    """The cached .onnx for `key`, exported from `build_torch_model()` (once, under a lock) when missing
    or damaged; a damaged one is rebuilt (mtqa.artefacts.ensure)."""

    def build(tmp: Path) -> None:
        fp32 = tmp / "e5-qe.fp32.onnx"
        _export(build_torch_model(), fp32)
        if int8:
            _quantise(fp32, tmp / FILE)
            fp32.unlink()
        else:
            fp32.rename(tmp / FILE)

    art = ensure(export_dir(key), KIND, {"key": key, "export_version": EXPORT_VERSION, "int8": int8}, build,
                 what="the ONNX export of e5-qe", progress="exporting the QE model to ONNX (once, ~40 s)",
                 remedy="set MTQA_QE_BACKEND=torch to score without it, and report the problem")
    return art.folder / FILE


def _export(model, path: Path) -> None:
    import warnings

    import torch

    ids = torch.tensor([[0, 100, 200, 2, 2, 300, 400, 2]])
    mask = torch.ones_like(ids)
    src = torch.tensor([[0, 1, 1, 0, 0, 0, 0, 0]])
    mt = torch.tensor([[0, 0, 0, 0, 0, 1, 1, 0]])
    outputs = ["score", "word"] if getattr(model, "word", None) is not None else ["score"]
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS} | {"score": {0: "batch"},
                                                                   "word": {0: "batch", 1: "tokens"}}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (ids, mask, src, mt), str(path), input_names=list(INPUTS),
                          output_names=outputs, dynamic_axes={k: axes[k] for k in (*INPUTS, *outputs)},
                          opset_version=17, dynamo=False)


def fp32_nodes(graph) -> list[str]:
    """MatMul/Gemm nodes left in fp32: the feed-forward down-projections and the heads (module docstring)."""
    return [node.name for node in graph.node if node.op_type in ("MatMul", "Gemm") and (
        node.name.startswith(("/head", "/word"))
        or ("/output/dense/" in node.name and "/attention/" not in node.name))]


def _quantise(src: Path, dst: Path) -> None:
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    keep = fp32_nodes(onnx.load(str(src), load_external_data=False).graph)
    logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))  # "consider pre-processing"
    quantize_dynamic(str(src), str(dst), per_channel=True, weight_type=QuantType.QInt8,
                     nodes_to_exclude=keep)


class OnnxQE:
    """An InferenceSession over the exported model; `run(batch)` mirrors QEModel.forward."""

    def __init__(self, path: Path, threads: int | None = None) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = inference_threads(threads)
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        # idle threads sleep instead of spinning: on a shared machine the spin costs a third more CPU for the
        # same scores (measured on e5-qe, 2 threads, 10-segment documents)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def run(self, seqs: list[list[int]], src_lens: list[int]) -> np.ndarray:
        return self.run_all(seqs, src_lens)[0]

    def run_all(self, seqs: list[list[int]], src_lens: list[int]) -> tuple[np.ndarray, np.ndarray | None]:
        """(scores, per-token BAD logits or None when the model has no word head)."""
        from mtqa.qe.tokenizer import batch_arrays

        feeds = dict(zip(INPUTS, batch_arrays(seqs, src_lens), strict=True))
        out = self.session.run(None, feeds)
        word = np.asarray(out[1], dtype=np.float64) if len(out) > 1 else None
        return np.asarray(out[0], dtype=np.float64).reshape(-1), word
