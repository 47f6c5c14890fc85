"""Stage 2 (`mqm`): WMT22 QE MQM data (segment targets, word tags) plus synthetic critical errors, with a word
head; model selection on the MQM 2022 dev sets."""

from __future__ import annotations

import html
import json
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from tools.qe.common import (
    batches_by_length,
    cache_lower,
    load_checkpoint,
    log,
    mcc,
    run_upper,
    save_checkpoint,
    spearman,
)
from tools.qe.da import cmd_train
from tools.qe.export import write_mqm_model


def gold_token_spans(ex) -> tuple[list[tuple[int, int]], list[str]]:
    """The dev example's gold tokens (its tokenised line without <EOS>) as character ranges in ex.mt."""
    from tools.qe.data import align_tokens

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


def stage1_adapter(work: Path, seed: int) -> Path:
    """The DA pre-training stage (`train` with its defaults: MLQE-PE, LoRA on layers 4-5) in WORK/stage1,
    run once (about 40 minutes here) and reused afterwards."""
    out = work / "stage1"
    adapter = out / "e5-qe-adapter.safetensors"
    if not adapter.exists():
        log("stage 1: DA pre-training on MLQE-PE into", out)
        from tools.qe.cli import build_parser  # the train stage's own defaults (cli imports this module)

        cmd_train(build_parser().parse_args(["train", "--out", str(out), "--seed", str(seed)]))
    return adapter


def cmd_mqm(args) -> None:
    import torch
    from safetensors.torch import load_file

    from mtqa.qe.convert import ensure_converted
    from mtqa.qe.model import QEModel, load_base
    from mtqa.qe.spans import mt_token_offsets, token_labels, word_spans
    from mtqa.qe.tokenizer import E5Tokenizer
    from tools.qe import data as qe_data

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
        from tools.qe.cache import LowerCache

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
