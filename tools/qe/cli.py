"""The QE training's command line (`python -m tools.qe STAGE ...`, from the repository root): train the
embedded QE adapter (LoRA on the top e5-small layers + segment head + word head).

Reproduce the shipped model (CPU, 2 heavily shared cores: ~40 min DA stage + 54 min MQM stage):

    .venv/bin/python -m tools.qe mqm

Stage 1 (`train`, also run by `mqm --init da`): DA regression on MLQE-PE (CC0). Stage 2 (`mqm`): WMT22 QE
MQM training data (segment targets from the raw annotations, word tags) plus synthetic critical errors
(`tools/qe/data.py`), model selection on the MQM 2022 dev sets. Fit the USE-cosine calibration
(mtqa/data/use-cosine.calibration.json) on the MLQE-PE train split:

    .venv/bin/python -m tools.qe calibrate-cosine

The WMT22 test sets are never read here. The lower `--split` layers are frozen, so their outputs are computed
once and cached; only the top layers (with LoRA) and the heads see gradients.
"""

from __future__ import annotations

import argparse

from tools.qe.common import DATA, MODELS
from tools.qe.da import cmd_train
from tools.qe.export import cmd_blend, cmd_calibrate_cosine, cmd_manifest, cmd_mqm_export
from tools.qe.mqm import cmd_mqm
from tools.qe.thresholds import cmd_agreement, cmd_thresholds


def build_parser() -> argparse.ArgumentParser:
    from tools.qe import data as qe_data

    ap = argparse.ArgumentParser(prog="python -m tools.qe", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
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
