"""Flag precision on MQM-rated news documents (issue 29): how often does an mtqa flag lie on an error a
professional rater marked, against chance, and which rated Major errors does mtqa find?

    python bench/mqm_docs.py                            # once: the documents under /work/docbench
    python bench/flag_precision.py [--split dev] [--pairs en-de,zh-en] [--profile accurate|fast]
                                   [--draws 20] [--seed 0] [--max-groups N] [--no-run]

The documents and the `mtqa batch` output are those of bench/documents.py (bench/docrun.py). For each
check x severity x pair (rule flags, and the QE model's spans, origin "model"):
* precision, counted per word without slack: a flag's words (letter/digit runs, each punctuation mark and
  each CJK character are words) that overlap a rated error span, over the flag's words, averaged over
  flags; against any rated error (Neutral aside) and against Major ones; and the share of flags with at
  least one such word;
* chance: the same flags moved to random positions in the same segment (the same number of words, a
  seeded draw, averaged over --draws draws);
* the share of flags whose segment holds a rated error (segment-level, with slack; the base rate is the
  share of all segments that hold one);
* flags with no target span are matched on the source side against errors rated in the source
  (omissions); flags with neither span are only counted; a flag's source span (a dropped negation, a
  missing name) is matched against the errors rated in the source too (the last column, and recall).
Also: recall of rated Major errors by MQM category (any flag with a word on the error span), the share of
rated error-free segments with a major rule flag, and model spans per document.
"""

from __future__ import annotations

import bisect
import random
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from docrun import joined, run_pair, run_parser  # noqa: E402
from mqm_docs import layout  # noqa: E402
from rankstats import table  # noqa: E402

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORDS = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:['’-][^\W_{_CJK}]+)*|[^\w\s]")
SERIOUS = ("major", "critical")


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every word of `text` (see the module docstring)."""
    return [m.span() for m in _WORDS.finditer(text)]


def overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [a, b) shares a character with one of `spans`."""
    return any(s < b and a < e for s, e in spans)


def words_in(words: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    """The words that share a character with [a, b) (`words` sorted)."""
    k = bisect.bisect_right(words, (a, 10**12)) - 1
    k = max(k, 0)
    out = []
    for w in words[k:]:
        if w[0] >= b:
            break
        if w[1] > a:
            out.append(w)
    return out


def word_precision(flag_words: list[tuple[int, int]], rated: list[tuple[int, int]]) -> float:
    """The share of a flag's words that overlap a rated span."""
    return sum(overlaps(a, b, rated) for a, b in flag_words) / len(flag_words) if flag_words else 0.0


def random_window(seg_words: list[tuple[int, int]], n: int, rng: random.Random) -> list[tuple[int, int]]:
    """n consecutive words of a segment at a random position (the whole segment when it is shorter)."""
    if n >= len(seg_words):
        return list(seg_words)
    k = rng.randrange(len(seg_words) - n + 1)
    return seg_words[k:k + n]


class Side:
    """One side (target or source) of a document: its words per segment and the rated spans on it."""

    def __init__(self, texts: list[str], segments: list[dict], side: str) -> None:
        self.text, self.starts = layout(texts)
        self.words = word_spans(self.text)
        self.seg_words = [words_in(self.words, s, s + len(t))
                          for s, t in zip(self.starts, texts, strict=True)]
        self.any: list[tuple[int, int]] = []
        self.major: list[tuple[int, int]] = []
        # placed Major errors: start, end, category, segment
        self.errors: list[tuple[int, int, str, int]] = []
        for k, (seg, start) in enumerate(zip(segments, self.starts, strict=True)):
            for e in seg["errors"]:
                if e["side"] != side or e["start"] is None or e["severity"].lower() == "neutral":
                    continue
                span = (start + e["start"], start + e["end"])
                self.any.append(span)
                if e["severity"].lower() == "major":
                    self.major.append(span)
                    self.errors.append((*span, e["category"], k))

    def segment_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


def flag_key(issue: dict) -> tuple[str, str]:
    check = issue.get("check") or issue["type"]
    return ("model: " + check if issue.get("origin") == "model" else check), issue["severity"]


def score_document(meta: dict, report: dict, draws: int, rng: random.Random, acc: dict) -> None:
    """Add one document's flags to `acc` (see main)."""
    segs = meta["segments"]
    tgt = Side([s["target"] for s in segs], segs, "target")
    src = Side([s["source"] for s in segs], segs, "source")
    flagged_major_segments: set[int] = set()
    found: dict[tuple[str, int], set[str]] = defaultdict(set)  # (side, error index) -> kinds of flags
    for issue in report["issues"]:
        key = flag_key(issue)
        stats = acc["flags"][key]
        stats["n"] += 1
        side, a, b = None, issue.get("target_start"), issue.get("target_end")
        if a is not None and b is not None and b > a:
            side = tgt
        elif issue.get("source_start") is not None and (issue.get("source_end") or 0) > issue["source_start"]:
            side, a, b = src, issue["source_start"], issue["source_end"]
        fw = words_in(side.words, a, b) if side is not None else []
        if not fw:
            stats["no_span"] += 1
            continue
        stats["source_side"] += side is src
        seg = side.segment_of(a)
        if issue.get("origin") == "rule" and issue["severity"] in SERIOUS and side is tgt:
            flagged_major_segments.add(seg)
        stats["m"] += 1
        stats["words"] += len(fw)
        errs = [e for e in segs[seg]["errors"] if e["severity"].lower() != "neutral"]
        stats["seg_any"] += bool(errs)
        stats["seg_major"] += any(e["severity"].lower() == "major" for e in errs)
        for name, rated in (("any", side.any), ("major", side.major)):
            p = word_precision(fw, rated)
            stats[f"p_{name}"] += p
            stats[f"hit_{name}"] += p > 0
            ch = chit = 0.0
            for _ in range(draws):
                c = word_precision(random_window(side.seg_words[seg], len(fw), rng), rated)
                ch += c
                chit += c > 0
            stats[f"c_{name}"] += ch / draws
            stats[f"chit_{name}"] += chit / draws
        kind = "model" if issue.get("origin") == "model" else (
            "rule major" if issue["severity"] in SERIOUS else "rule minor")
        for j, (s, e, _, _) in enumerate(side.errors):
            if overlaps(s, e, fw):
                found[("t" if side is tgt else "s", j)].add(kind)
        # its source span too (a dropped negation, a missing name): on errors rated in the source
        sa, sb = issue.get("source_start"), issue.get("source_end")
        sw = words_in(src.words, sa, sb) if side is tgt and sa is not None and sb is not None else []
        if sw:
            stats["src_n"] += 1
            stats["src_hit"] += any(overlaps(a, b, src.any) for a, b in sw)
            for j, (s, e, _, _) in enumerate(src.errors):
                if overlaps(s, e, sw):
                    found[("s", j)].add(kind)
    for tag, side in (("t", tgt), ("s", src)):
        for j, (_, _, cat, _) in enumerate(side.errors):
            kinds = found.get((tag, j), set())
            row = acc["recall"][(meta["pair"], cat)]
            row["n"] += 1
            for kind in ("rule major", "rule minor", "model"):
                row[kind] += kind in kinds
            row["rule any"] += bool(kinds - {"model"})
            row["any"] += bool(kinds)
    for k, seg in enumerate(segs):
        rated = [e for e in seg["errors"] if e["severity"].lower() != "neutral"]
        acc["base"][meta["pair"]][0] += 1
        acc["base"][meta["pair"]][1] += bool(rated)
        acc["base"][meta["pair"]][2] += any(e["severity"].lower() == "major" for e in rated)
        if not seg["errors"] and seg["penalty"] == 0:
            acc["clean"][meta["pair"]][0] += 1
            acc["clean"][meta["pair"]][1] += k in flagged_major_segments
    model = [i for i in report["issues"] if i.get("origin") == "model"]
    acc["model_docs"][meta["pair"]].append((len(model), sum(i["severity"] in SERIOUS for i in model),
                                            len(segs)))


def precision_rows(acc_flags: dict, pair: str) -> list[list[object]]:
    rows = []
    for (check, sev), s in sorted(acc_flags.items(), key=lambda kv: (kv[0][0].startswith("model"), kv[0])):
        m = s["m"] or float("nan")
        rows.append([pair, check, sev, s["n"], s["no_span"], s["source_side"],
                     s["words"] / m, s["p_any"] / m, s["c_any"] / m, s["p_major"] / m, s["c_major"] / m,
                     s["hit_any"] / m, s["chit_any"] / m, s["hit_major"] / m, s["chit_major"] / m,
                     s["seg_any"] / m, s["seg_major"] / m,
                     f"{s['src_hit']}/{s['src_n']}" if s["src_n"] else "—"])
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = run_parser(__doc__)
    ap.add_argument("--draws", type=int, default=20, help="random placements per flag for the chance level")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    header = ["pair", "check", "severity", "flags", "no span", "on source", "words/flag",
              "prec. any (per word)", "chance", "prec. Major (per word)", "chance",
              "≥1 word on any", "chance", "≥1 word on Major", "chance", "segment has any",
              "segment has Major", "source span on a source-rated error"]
    all_rows, recall_rows, clean_rows, model_rows = [], [], [], []
    for pair in args.pairs.split(","):
        output, _ = run_pair(args.root, args.split, pair, profile=args.profile, jobs=args.jobs,
                             bitext=args.bitext, seed=args.seed, max_groups=args.max_groups,
                             run=not args.no_run)
        acc = {"flags": defaultdict(Counter), "recall": defaultdict(Counter),
               "clean": defaultdict(lambda: [0, 0]), "model_docs": defaultdict(list),
               "base": defaultdict(lambda: [0, 0, 0])}
        docs = joined(args.root, args.split, pair, output)
        for meta, report in docs:
            score_document(meta, report, args.draws, rng, acc)
        all_rows += precision_rows(acc["flags"], f"{pair} ({len(docs)} docs)")
        for (p, cat), r in sorted(acc["recall"].items(), key=lambda kv: -kv[1]["n"]):
            recall_rows.append([p, cat, r["n"], r["rule major"] / r["n"], r["rule any"] / r["n"],
                                r["model"] / r["n"], r["any"] / r["n"]])
        for p, (n, flagged) in acc["clean"].items():
            total, with_any, with_major = acc["base"][p]
            clean_rows.append([p, n, flagged, flagged / n if n else float("nan"), with_any / total,
                               with_major / total])
        for p, v in acc["model_docs"].items():
            n_seg = sum(x[2] for x in v)
            model_rows.append([p, len(v), statistics.fmean(x[0] for x in v),
                               statistics.fmean(x[1] for x in v), 10 * sum(x[0] for x in v) / n_seg,
                               statistics.median(x[0] for x in v)])
    print(f"## Flag precision ({args.split}, profile {args.profile}; chance: {args.draws} seeded draws)\n")
    print(table(header, all_rows))
    print("\n## Recall of rated Major errors by MQM category (a flag with a word on the error span)\n")
    print(table(["pair", "category", "Major errors", "rule major/critical", "rule any", "model span",
                 "any flag"], recall_rows))
    print("\n## Rated error-free segments with a major rule flag\n")
    print(table(["pair", "error-free segments", "with a major flag", "share",
                 "segments with a rated error (base rate)", "with a rated Major"], clean_rows))
    print("\n## QE model spans (origin model) per document\n")
    print(table(["pair", "documents", "spans/doc", "major spans/doc", "spans per 10 segments",
                 "median spans/doc"], model_rows))


if __name__ == "__main__":
    main()
