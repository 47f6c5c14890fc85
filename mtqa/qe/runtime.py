"""Load and run the shipped QE adapter (mtqa/models/e5-qe-adapter.safetensors) on the unpacked e5 base."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np

from mtqa.artefacts import sha256_file, stamped_identity
from mtqa.errors import MtqaError
from mtqa.lang.codes import primary
from mtqa.threads import inference_threads

MODEL_NAME = "e5-qe"


def _for_language(per_lang: dict | None, tgt_lang: str | None, default: float) -> float:
    """The value chosen for the target language's primary subtag ("de-AT" -> "de"), else `default`."""
    return float((per_lang or {}).get(primary(tgt_lang or ""), default))


def word_threshold(meta: dict, tgt_lang: str | None = None) -> float:
    """The BAD-probability threshold for words of a translation into `tgt_lang`: the one chosen on that
    target language's dev set where there is one (`word_thresholds`), else the one shared by all."""
    return _for_language(meta.get("word_thresholds"), tgt_lang, meta["word_threshold"])


def word_gate(meta: dict, tgt_lang: str | None = None) -> float:
    """How much a translation's own segment score moves its word threshold (0: not at all), chosen with the
    threshold on the target language's dev set (`word_gates`)."""
    return _for_language(meta.get("word_gates"), tgt_lang, 0.0)


def segment_thresholds(threshold: float, gate: float, quality) -> np.ndarray:
    """Per segment the word threshold: `threshold / (1 - q) ** gate`, q the model's calibrated segment
    quality in [0, 1], so words of a translation the model finds good need stronger evidence to be BAD
    (capped at 1: with a gate, a word is never BAD in a segment of quality ~1)."""
    q = np.asarray(quality, dtype=np.float64)
    return np.minimum(1.0, threshold / np.maximum(1e-9, 1.0 - q) ** gate)


def mean_word_probs(probs: list[np.ndarray]) -> np.ndarray:
    """Per pair the mean BAD probability of its translation's sub-tokens (0 for an empty translation)."""
    return np.array([float(np.mean(p)) if len(p) else 0.0 for p in probs])


def models_dir() -> Path:
    """Where the shipped adapter lies: MTQA_MODELS_DIR if set, else the package's own data (mtqa/models/),
    so an installed wheel runs the model the repository was measured with."""
    env = os.environ.get("MTQA_MODELS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "models"


def read_model_manifest(folder: Path | None = None) -> dict:
    folder = folder or models_dir()
    path = folder / "manifest.json"
    if not path.exists():
        raise MtqaError(f"no model manifest at {path}")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise MtqaError(f"{path}: not valid JSON ({exc.msg})") from None


def model_revision(name: str = MODEL_NAME) -> str:
    """`name@sha256-prefix` of the shipped adapter as the manifest pins it (no hashing), or why there is
    none."""
    try:
        entry = read_model_manifest().get(name) or {}
    except MtqaError as exc:
        return f"{name}: {exc}"
    weights = next((sha for f, sha in entry.get("files", {}).items() if f.endswith(".safetensors")), None)
    return f"{name}@{weights[:12]}" if weights else f"{name}: not in the manifest"


def verified_files(name: str = MODEL_NAME, folder: Path | None = None) -> dict[str, Path]:
    """The files of manifest entry `name`, each checked against its sha256 (mismatch -> MtqaError)."""
    folder = folder or models_dir()
    entry = read_model_manifest(folder).get(name)
    if not entry:
        raise MtqaError(f"model '{name}' is not in {folder / 'manifest.json'}")
    out = {}
    for fname, expected in entry["files"].items():
        path = folder / fname
        if not path.exists():
            raise MtqaError(f"model file {path} is missing")
        got = sha256_file(path)
        if got != expected:
            raise MtqaError(
                f"model file {path} has sha256 {got[:12]}..., the manifest says {expected[:12]}...: "
                "the file is corrupt or was changed; restore it or retrain with tools/train_qe.py"
            )
        out[fname] = path
    return out


def int8_layers(model) -> list[str]:
    """The Linear layers run in int8: every encoder projection except the feed-forward down-projections
    (`layer.N.output.dense`), whose GELU inputs have outlier channels that per-tensor activation
    quantisation crushes. Measured on 300 WMT22 en-de pairs against fp32: all layers int8 Spearman 0.956,
    this selection 0.985 (see mtqa/models/README.md)."""
    import torch

    return [name for name, mod in model.named_modules()
            if isinstance(mod, torch.nn.Linear) and ".layer." in f".{name}"
            and not (name.endswith(".output.dense") and ".attention." not in name)]


#: SmoothQuant migration strength for the feed-forward up-projections (the paper's default)
SMOOTH_ALPHA = 0.5


def smooth_ffn_inputs(model, alpha: float = SMOOTH_ALPHA):
    """Data-free SmoothQuant on each feed-forward up-projection (`intermediate.dense`), in place.

    Its input is a LayerNorm output x*gamma + beta with a few large channels, which per-tensor int8
    activation scales crush. Dividing channel j by s_j = a_j^alpha / w_j^(1-alpha) (a_j = |gamma_j| +
    |beta_j|, the channel's typical magnitude; w_j the largest weight on it) and multiplying the weight
    column by s_j leaves the fp32 function unchanged and evens out the channels. The LayerNorm output
    also feeds the residual, so the division is an explicit per-channel multiply, not folded into it.
    6-layer adapter, ONNX int8 vs fp32 on 300 WMT22 en-de pairs: Spearman 0.978 -> 0.995, mean shift
    -0.041 -> +0.009 (alpha 0.7: 0.995, 0.85: 0.996)."""
    import torch

    class _Smoothed(torch.nn.Module):
        def __init__(self, linear: torch.nn.Linear, inverse: torch.Tensor) -> None:
            super().__init__()
            self.linear = linear
            self.register_buffer("inverse", inverse)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.linear(x * self.inverse)

    with torch.no_grad():
        for layer in model.bert.encoder.layer:
            norm, linear = layer.attention.output.LayerNorm, layer.intermediate.dense
            if not isinstance(linear, torch.nn.Linear):
                continue  # already smoothed
            act = norm.weight.abs() + norm.bias.abs()
            scale = (act.pow(alpha) / linear.weight.abs().amax(0).pow(1 - alpha)).clamp(min=1e-5)
            linear.weight.mul_(scale[None, :])
            layer.intermediate.dense = _Smoothed(linear, 1.0 / scale)
    return model


def quantize_int8(model):
    """Dynamic int8 (per-channel weights) on `int8_layers` after `smooth_ffn_inputs`; the rest, and the
    head, stay fp32."""
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():  # torch deprecates eager-mode quantisation in favour of torchao
        warnings.simplefilter("ignore")
        smooth_ffn_inputs(model)
        return quantize_dynamic(model, {name: per_channel_dynamic_qconfig for name in int8_layers(model)},
                                dtype=torch.qint8, inplace=True)  # in place: no second fp32 copy


def default_backend() -> str:
    """MTQA_QE_BACKEND if set, else "onnx" (the measured path; without onnxruntime the scorer says it cannot
    run rather than silently scoring on another backend)."""
    backend = os.environ.get("MTQA_QE_BACKEND") or "onnx"
    if backend not in ("onnx", "torch"):
        raise MtqaError(f"unknown MTQA_QE_BACKEND '{backend}': use 'onnx' or 'torch'")
    return backend


class E5QE:
    """The cross-encoder with LoRA merged into the base weights; call .predict(sources, targets).

    `backend`: "onnx" (ONNX Runtime on a cached export, mtqa.qe.onnx_backend; the default when onnxruntime
    is installed) or "torch"; MTQA_QE_BACKEND overrides the default."""

    def __init__(self, folder: Path | None = None, threads: int | None = None, int8: bool = False,
                 backend: str | None = None) -> None:
        from mtqa.qe import onnx_backend
        from mtqa.qe.convert import ensure_converted
        from mtqa.qe.tokenizer import E5Tokenizer

        files = verified_files(MODEL_NAME, folder)
        entry = read_model_manifest(folder)[MODEL_NAME]
        self.meta = json.loads(files["e5-qe.json"].read_text())
        self.sha256 = sha256_file(files["e5-qe-adapter.safetensors"])
        self.int8 = int8
        self.backend = backend or default_backend()
        self._files, self._threads = files, threads
        self._base_dir = ensure_converted(entry.get("base_sha256"), entry.get("converted_identity"))
        self.tok = E5Tokenizer(self._base_dir)
        self.max_len = int(self.meta.get("max_len", 128))
        self.model = self.session = None
        if self.backend == "onnx":
            key = onnx_backend.export_key(self.sha256, stamped_identity(self._base_dir), int8)
            build = (lambda: smooth_ffn_inputs(self._torch_model())) if int8 else self._torch_model
            path = onnx_backend.ensure_exported(key, build, int8)
            self.session = onnx_backend.OnnxQE(path, threads)
        else:
            self.model = quantize_int8(self._torch_model()) if int8 else self._torch_model()

    def _torch_model(self):
        """The fp32 torch model, LoRA merged, in eval mode."""
        import torch
        from safetensors.torch import load_file

        from mtqa.qe.model import QEModel, load_base

        torch.set_num_threads(inference_threads(self._threads))
        model = QEModel(load_base(self._base_dir), split=self.meta["split"], r=self.meta["rank"],
                        alpha=self.meta["alpha"], dropout=0.0, layers=self.meta.get("layers"),
                        word_head=bool(self.meta.get("word_head")))
        model.load_adapter_state(load_file(str(self._files["e5-qe-adapter.safetensors"])))
        model.merge()
        return model.eval()

    @property
    def has_word_head(self) -> bool:
        return bool(self.meta.get("word_head"))

    def raw(self, sources: list[str], targets: list[str], batch_size: int | None = None) -> np.ndarray:
        """The regression output (z-score scale) per pair, in length-sorted batches (ONNX Runtime: 8,
        40 pairs/s here vs 37 at 32 and 30 at 128; torch: 32)."""
        return self.raw_with_tokens(sources, targets, batch_size)[0]

    def raw_with_tokens(self, sources: list[str], targets: list[str], batch_size: int | None = None
                        ) -> tuple[np.ndarray, list[np.ndarray] | None, list[list[int]], list[int]]:
        """(regression outputs, per pair the BAD probability of each translation sub-token or None without
        a word head, the token ids, the source token counts)."""
        batch_size = batch_size or (8 if self.session is not None else 32)
        seqs, src_lens = self.tok.encode_pairs(sources, targets, self.max_len)
        out = np.zeros(len(seqs), dtype=np.float64)
        probs: list = [None] * len(seqs)
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        batches = [order[k : k + batch_size] for k in range(0, len(order), batch_size)]

        def keep_tokens(idx: list[int], word) -> None:
            if word is None:
                return
            p = 1.0 / (1.0 + np.exp(-np.asarray(word, dtype=np.float64)))
            for j, i in enumerate(idx):
                probs[i] = p[j, 3 + src_lens[i] : len(seqs[i]) - 1]

        if self.session is not None:
            for idx in batches:
                out[idx], word = self.session.run_all([seqs[i] for i in idx], [src_lens[i] for i in idx])
                keep_tokens(idx, word)
        else:
            import torch

            from mtqa.qe.model import batch_tensors

            with torch.inference_mode():
                for idx in batches:
                    ids, mask, src, mt = batch_tensors([seqs[i] for i in idx], [src_lens[i] for i in idx])
                    res = self.model(ids, mask, src, mt)
                    score, word = res if isinstance(res, tuple) else (res, None)
                    out[idx] = score.double().numpy()
                    keep_tokens(idx, None if word is None else word.double().numpy())
        return out, (probs if self.has_word_head else None), seqs, src_lens

    def word_threshold(self, tgt_lang: str | None = None) -> float:
        return word_threshold(self.meta, tgt_lang)

    def predict_with_spans(self, sources: list[str], targets: list[str], tgt_langs: list[str] | None = None):
        """(`predict`'s figures, per pair the word head's BAD spans (mtqa.qe.spans.Span, character offsets
        into the target) at the dev-chosen threshold for its target language; empty lists without a word
        head)."""
        from mtqa.qe.spans import bad_spans, mt_token_offsets

        raw, probs, seqs, src_lens = self.raw_with_tokens(sources, targets)
        scores = self.calibrate(self.combine(raw, sources, targets, probs))
        if probs is None:
            return scores, [[] for _ in targets]
        offsets = mt_token_offsets(self.tok, targets, src_lens, seqs)
        langs = tgt_langs or [None] * len(targets)
        cut = [segment_thresholds(self.word_threshold(lang), word_gate(self.meta, lang), q)
               for q, lang in zip(scores, langs, strict=True)]
        spans = [bad_spans(t, o, p, float(c))
                 for t, o, p, c in zip(targets, offsets, probs, cut, strict=True)]
        return scores, spans

    def combined(self, sources: list[str], targets: list[str]) -> np.ndarray:
        raw, probs, _, _ = self.raw_with_tokens(sources, targets)
        return self.combine(raw, sources, targets, probs)

    def combine(self, pred: np.ndarray, sources: list[str], targets: list[str],
                probs: list[np.ndarray] | None = None) -> np.ndarray:
        """The segment head's output, less `word_mix` times the mean BAD probability of the translation's
        sub-tokens (the word head's evidence, as xCOMET folds its spans into its score), plus any
        `combination` of cheap features."""
        mix = self.meta.get("word_mix")
        if mix and probs is not None:
            pred = pred - float(mix) * mean_word_probs(probs)
        comb = self.meta.get("combination")
        if comb:
            from mtqa.qe.features import cheap_features

            feats = np.array([cheap_features(s, t) for s, t in zip(sources, targets, strict=True)])
            pred = comb["model_weight"] * pred + feats @ np.array(comb["weights"]) + comb["bias"]
        return pred

    def predict(self, sources: list[str], targets: list[str]) -> list[float]:
        """Quality in [0, 1]: a logistic of the combined prediction, centred on the dev median."""
        return self.calibrate(self.combined(sources, targets))

    def calibrate(self, combined: np.ndarray) -> list[float]:
        cal = self.meta["calibration"]
        return [1.0 / (1.0 + math.exp(-(float(v) - cal["center"]) / cal["scale"])) for v in combined]
