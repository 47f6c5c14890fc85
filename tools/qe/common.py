"""Shared by the QE training stages: the MLQE-PE splits, Spearman and MCC, length batches, the frozen lower
layers' outputs and the upper layers run on them, checkpoints."""

from __future__ import annotations

import csv
import json
import math
import random
import tarfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "mtqa" / "models"  # package data: the shipped adapter, its JSON and the manifest
PAIRS = ("en-de", "en-zh", "et-en", "ne-en", "ro-en", "ru-en", "si-en")
DATA = Path("/work/shared/benchmarks/mlqe-pe")


def log(*a) -> None:
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def load_split(data: Path, work: Path, split: str, pair: str) -> list[tuple[str, str, float]]:
    tgz = data / split / f"{pair}-{split}.tar.gz"
    dest = work / split
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tgz) as tf:
        members = [m for m in tf.getmembers() if m.name.endswith(".df.short.tsv")]
        tf.extractall(dest, members=members, filter="data")
    rows = []
    with open(dest / members[0].name, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for r in reader:
            rows.append((r["original"], r["translation"], float(r["z_mean"])))
    return rows


def spearman(a, b) -> float:
    from mtqa.qe.stats import spearman as rho

    return rho(a, b)


def batches_by_length(lengths: list[int], size: int, rng: random.Random | None) -> list[list[int]]:
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    out = [order[k : k + size] for k in range(0, len(order), size)]
    if rng:
        rng.shuffle(out)
    return out


def cache_lower(model, seqs: list[list[int]], src_lens: list[int]) -> list:
    """The frozen lower layers' outputs per pair (fp16), computed once so training runs only the top."""
    import torch

    from mtqa.qe.model import batch_tensors

    states = [None] * len(seqs)
    model.eval()
    with torch.no_grad():
        for idx in batches_by_length([len(s) for s in seqs], 64, None):
            ids, mask, _, _ = batch_tensors([seqs[i] for i in idx], [src_lens[i] for i in idx])
            h = model.lower(ids, mask)
            for j, i in enumerate(idx):
                states[i] = h[j, : len(seqs[i])].to(torch.float16).clone()
    return states


def run_upper(model, states: list, seqs: list[list[int]], src_lens: list[int], idx: list[int], **kw):
    """The trained top layers and heads on a batch of cached lower-layer states."""
    import torch

    from mtqa.qe.model import batch_tensors

    width = max(len(seqs[i]) for i in idx)
    h = torch.zeros((len(idx), width, states[idx[0]].shape[-1]))
    for j, i in enumerate(idx):
        h[j, : len(seqs[i])] = states[i].float()
    _, mask, src, mt = batch_tensors([seqs[i] for i in idx], [src_lens[i] for i in idx])
    return model.upper(h, mask, src, mt, **kw)


def mcc(gold: np.ndarray, pred: np.ndarray) -> float:
    tp = float(np.sum(gold & pred))
    tn = float(np.sum(~gold & ~pred))
    fp = float(np.sum(~gold & pred))
    fn = float(np.sum(gold & ~pred))
    den = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / den if den else 0.0


def save_checkpoint(path: Path, model, opt, state: dict) -> None:
    """Adapter + AdamW moments in safetensors, counters in json (no pickle); written then renamed."""
    from safetensors.torch import save_file

    tensors = {f"model.{k}": v for k, v in model.adapter_state().items()}
    for i, st in opt.state_dict()["state"].items():
        for k, v in st.items():
            if torch_is_tensor(v) and v.dim() > 0:
                tensors[f"opt.{i}.{k}"] = v.contiguous()
            else:
                state.setdefault("opt_scalars", {})[f"{i}.{k}"] = float(v)
    tmp = path.with_suffix(".tmp")
    save_file(tensors, str(tmp))
    tmp.rename(path)
    path.with_suffix(".json").write_text(json.dumps(state, indent=1))


def torch_is_tensor(v) -> bool:
    import torch

    return isinstance(v, torch.Tensor)


def load_checkpoint(path: Path, model, opt) -> dict:
    import torch
    from safetensors.torch import load_file

    tensors = load_file(str(path))
    state = json.loads(path.with_suffix(".json").read_text())
    model.load_adapter_state({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    opt_state = defaultdict(dict)
    for k, v in tensors.items():
        if k.startswith("opt."):
            _, i, name = k.split(".", 2)
            opt_state[int(i)][name] = v
    for key, v in state.get("opt_scalars", {}).items():
        i, name = key.split(".", 1)
        opt_state[int(i)][name] = torch.tensor(v)
    sd = opt.state_dict()
    sd["state"] = dict(opt_state)
    opt.load_state_dict(sd)
    return state
