"""After the network, on MQM 2022 dev: ONNX int8 vs torch fp32 agreement, and the word head's thresholds
and gates per target language."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from tools.qe.common import log, mcc, spearman
from tools.qe.export import write_manifest
from tools.qe.mqm import gold_token_spans, token_word_probs


def cmd_agreement(args) -> None:
    """ONNX int8 (the default runtime) against torch fp32 on MQM 2022 dev pairs: segment Spearman, mean shift,
    and agreement of the word head's BAD calls at the shipped threshold."""
    from mtqa.qe.runtime import E5QE
    from tools.qe import data as qe_data

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
    from mtqa.qe.runtime import E5QE, mean_word_probs, segment_thresholds
    from mtqa.qe.spans import mt_token_offsets
    from tools.qe import data as qe_data

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
