#!/usr/bin/env python
"""A synthetic sentence-alignment development set from parallel documents that ship (never Text+Berg).

Text+Berg (bench/align_textberg.py) is test-only, so aligner variants are chosen on this set instead. The
documents are the WMT 2021 news and TED documents of `../shared/benchmarks/wmt-mqm/train/*/*.csv.gz`, sentence
pairs (ref, src) in seg_id order, German (the en-de references) or Chinese as the source side and English as
the target, cut into chunks of at most 120 pairs. Bead by bead, with a fixed seed, a pair is kept 1-1 or
rewritten: the target joins two (2-1) or three (3-1) consecutive translations, the source joins two (1-2)
or three (1-3) sentences, a 2-2 bead (two sources and two targets whose boundary falls elsewhere), a source
sentence left untranslated (1-0), an extra target line (0-1) or source line (1-0): half the extra lines are
OCR-like noise ("141", "Fig. 3"), half an unrelated sentence from another document.

    python tools/align_devset.py --out /tmp/align-dev
    python bench/align_textberg.py --data /tmp/align-dev --sides src tgt --langs de en

Writes OUT/src/NNN, OUT/tgt/NNN (one sentence per line) and OUT/gold/NNN (vecalign '[0]:[0, 1]' beads).
Extra noise lines are always 0-1/1-0 beads here, while Text+Berg's gold often keeps such lines inside a
bead: a variant that wins here by rejecting noise can lose there (bench/align_textberg.py docstring).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
from pathlib import Path

DEFAULT_MQM = Path(__file__).resolve().parents[2] / "shared/benchmarks/wmt-mqm/train"
# file, and whether its `ref` column (not `src`) is the source side of the synthetic documents
SOURCES = (
    ("en-de/en-de-mqm.2021.csv.gz", True),
    ("en-de/en-de-mqm.2021-ted.csv.gz", True),
    ("zh-en/zh-en-mqm.2021-ted.csv.gz", False),
)
NOISE = ("V", "141", ".-^ !", "Fig. 3", "(Photo)", "— 12 —", "II", "S. 45", "*", "Tafel 7")
CHUNK = 120


def read_documents(root: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    docs = []
    for name, ref_is_source in SOURCES:
        segs: dict[tuple[str, int], tuple[str, str]] = {}
        with gzip.open(root / name, "rt", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                segs.setdefault((row["doc"], int(row["seg_id"])), (row["src"], row["ref"]))
        by_doc: dict[str, list[tuple[str, str]]] = {}
        for (doc, _), (src, ref) in sorted(segs.items()):
            src, ref = " ".join(src.split()), " ".join(ref.split())
            if src and ref:
                by_doc.setdefault(doc, []).append((ref, src) if ref_is_source else (src, ref))
        for doc, pairs in by_doc.items():
            for k in range(0, len(pairs), CHUNK):
                if len(pairs[k : k + CHUNK]) >= 20:
                    docs.append((f"{name.split('/')[0]}:{doc}", pairs[k : k + CHUNK]))
    return docs


def perturb(chunk, rng: random.Random, other_src: list[str], other_tgt: list[str]):
    """(source lines, target lines, gold beads) of one document."""
    src: list[str] = []
    tgt: list[str] = []
    gold = []
    i = 0

    def extra(pool: list[str]) -> str:
        return rng.choice(NOISE) if rng.random() < 0.5 else rng.choice(pool)

    while i < len(chunk):
        u, left = rng.random(), len(chunk) - i
        s_of = [p[0] for p in chunk[i : i + 3]]
        t_of = [p[1] for p in chunk[i : i + 3]]
        if u < 0.07 and left >= 2:
            s, t, i = s_of[:2], [" ".join(t_of[:2])], i + 2
        elif u < 0.14 and left >= 2:
            s, t, i = [" ".join(s_of[:2])], t_of[:2], i + 2
        elif u < 0.16 and left >= 3:
            s, t, i = s_of, [" ".join(t_of)], i + 3
        elif u < 0.18 and left >= 3:
            s, t, i = [" ".join(s_of)], t_of, i + 3
        elif u < 0.20 and left >= 3:
            s, t, i = [" ".join(s_of[:2]), s_of[2]], [t_of[0], " ".join(t_of[1:])], i + 3
        elif u < 0.23:
            s, t, i = s_of[:1], [], i + 1
        elif u < 0.26:
            s, t = [], [extra(other_tgt)]
        elif u < 0.28:
            s, t = [extra(other_src)], []
        else:
            s, t, i = s_of[:1], t_of[:1], i + 1
        gold.append((list(range(len(src), len(src) + len(s))), list(range(len(tgt), len(tgt) + len(t)))))
        src += s
        tgt += t
    return src, tgt, gold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mqm", default=str(DEFAULT_MQM), help="wmt-mqm/train folder")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    docs = read_documents(Path(args.mqm))
    other_src = [s for _, chunk in docs for s, _ in chunk]
    other_tgt = [t for _, chunk in docs for _, t in chunk]
    out = Path(args.out)
    for sub in ("src", "tgt", "gold"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for n, (_, chunk) in enumerate(docs):
        src, tgt, gold = perturb(chunk, rng, other_src, other_tgt)
        key = f"{n:03d}"
        (out / "src" / key).write_text("\n".join(src) + "\n", encoding="utf-8")
        (out / "tgt" / key).write_text("\n".join(tgt) + "\n", encoding="utf-8")
        (out / "gold" / key).write_text("".join(f"{s}:{t}\n" for s, t in gold), encoding="utf-8")
    print(f"{len(docs)} documents, {sum(len(c) for _, c in docs)} sentence pairs -> {out}")


if __name__ == "__main__":
    main()
