"""MQM-rated news documents (issues 25 and 29): every (system, document) of the WMT MQM raw annotations
rebuilt as a source and a translation document, with its rated error spans and its MQM per 100 words.

    python bench/mqm_docs.py [--out /work/docbench] [--splits dev,train] [--pairs en-de,zh-en]

Splits: dev = newstest2021 news (`<pair>-train-2021-news.tar.gz`; en-ru has this split only, rated by one
rater with its own categories and a critical severity), train = newstest2020 news (`<pair>-train-2020.tar.gz`,
all news). Human translations (`ref.*` in 2021, `Human-*` in 2020) are systems
too, marked `is_human`. Never ../wmt22-qe (test only).

A document is the rated segments of (system, doc) in seg_id order (a few 2021 documents were rated only in
part). Layout: one segment per paragraph, paragraphs separated by a blank line, so `mtqa batch` reads them
as any user's document (sentence split, then aligned); the same files work with `--bitext` (blank lines
pair with blank lines). Written under OUT/<split>/<pair>/: `src/<doc>.<k>.<sl>.txt` (one per distinct
source document), `mt/<doc>.<system>.<tl>.txt`, `manifest.jsonl` (what `mtqa batch` reads) and
`docs.jsonl` (one document a line: MQM, segment offsets, rated spans at document offsets).

MQM (README): per rater, Major 5, Minor 1, Minor Fluency/Punctuation 0.1, Non-translation 25, Neutral 0;
averaged over the segment's raters; document MQM = the segment penalties summed, per 100 source words
(`mtqa.lang.wordseg.word_count`: jieba words for Chinese).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import tarfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

MQM_ROOT = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "wmt-mqm" / "train"
SPLITS = {"dev": "2021-news", "train": "2020"}
PAIRS = ("en-de", "zh-en")
_TAG = re.compile(r"</?v>")
_REPEAT = re.compile(r"(\w[\w ,.'’-]{3,}?)\1")


@dataclass
class Error:
    rater: str
    category: str
    severity: str
    side: str  # "target" or "source"
    start: int | None  # offsets in the clean segment text of that side; None: could not be placed
    end: int | None


@dataclass
class Segment:
    seg_id: int
    source: str
    target: str
    raters: list[str]
    errors: list[Error] = field(default_factory=list)
    penalty: float = 0.0
    source_words: int = 0


@dataclass
class Doc:
    pair: str
    year: str
    doc: str
    system: str
    is_human: bool
    segments: list[Segment]

    @property
    def source_words(self) -> int:
        return sum(s.source_words for s in self.segments)

    @property
    def penalty(self) -> float:
        return sum(s.penalty for s in self.segments)

    @property
    def mqm_per_100w(self) -> float:
        return 100.0 * self.penalty / max(1, self.source_words)


# --- pure helpers ---------------------------------------------------------------------------------


def extract_spans(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without `<v>`/`</v>` and the (start, end) of each marked span in it; an unclosed `<v>`
    runs to the end, a stray `</v>` is dropped."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = length = 0
    opened: int | None = None
    for m in _TAG.finditer(marked):
        piece = marked[pos:m.start()]
        out.append(piece)
        length += len(piece)
        if m.group() == "<v>":
            opened = length if opened is None else opened
        elif opened is not None:
            spans.append((opened, length))
            opened = None
        pos = m.end()
    out.append(marked[pos:])
    length += len(marked) - pos
    if opened is not None:
        spans.append((opened, length))
    return "".join(out), spans


def unquote(field_text: str) -> str:
    """Undo a CSV quoting that leaked into a TSV field: a field wrapped in quotes with inner quotes
    doubled."""
    if len(field_text) > 1 and field_text[0] == field_text[-1] == '"' and '""' in field_text:
        return field_text[1:-1].replace('""', '"')
    return field_text


def error_weight(category: str, severity: str) -> float:
    """MQM weight of one rated error (Freitag et al. 2021, the README's weights)."""
    sev, cat = severity.strip().lower(), category.strip().lower()
    if sev in ("no-error", "neutral", ""):
        return 0.0
    if cat.startswith("non-translation") or cat.startswith("non_translation"):
        return 25.0
    if sev == "critical":  # the en-ru 2021 ratings only (MQM's critical weight)
        return 10.0
    if sev == "major":
        return 5.0
    if sev == "minor":
        return 0.1 if cat == "fluency/punctuation" else 1.0
    return 0.0


def segment_penalty(errors: list[tuple[str, str, str]], raters: list[str]) -> float:
    """Per rater the sum of its errors' weights, averaged over the segment's raters (those with
    no error count as 0). `errors`: (rater, category, severity)."""
    per: dict[str, float] = dict.fromkeys(raters, 0.0)
    for rater, cat, sev in errors:
        per[rater] = per.get(rater, 0.0) + error_weight(cat, sev)
    return sum(per.values()) / len(per) if per else 0.0


def per_100_words(penalty: float, words: int) -> float:
    return 100.0 * penalty / max(1, words)


def is_human(system: str) -> bool:
    return system.startswith(("ref.", "Human-"))


def canonical_text(candidates: list[tuple[str, bool]]) -> str:
    """The segment's text when raters' copies differ (the 2020 files carry copies with duplicated or
    inserted span text): an unmarked copy first, then copies without an immediate repeat, then the most
    common, then the shortest. `candidates`: (clean text, whether its row had no span)."""
    votes = Counter(t for t, _ in candidates)
    plain = {t for t, unmarked in candidates if unmarked}
    return min(votes, key=lambda t: (t not in plain, bool(_REPEAT.search(t)), -votes[t], len(t), t))


def relocate(span_text: str, before: str, canon: str) -> tuple[int, int] | None:
    """Place a span found in another copy of the text into `canon`: its occurrence nearest to where it
    stood in that copy; None when it is not there."""
    if not span_text.strip():
        return None
    hits = [m.start() for m in re.finditer(re.escape(span_text), canon)]
    if not hits:
        return None
    k = min(hits, key=lambda h: abs(h - len(before)))
    return k, k + len(span_text)


# --- reading the raw TSVs -----------------------------------------------------------------------------


def tsv_rows(pair: str, year: str) -> Iterator[dict]:
    tgz = MQM_ROOT / pair / f"{pair}-train-{year}.tar.gz"
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            if not member.name.endswith(".tsv") or "/._" in member.name:
                continue
            f = tar.extractfile(member)
            assert f is not None
            reader = csv.reader(io.TextIOWrapper(f, encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader)
            for r in reader:
                if len(r) >= 9:
                    yield dict(zip(header, r, strict=False))


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def build_segment(seg_id: int, rows: list[dict], src_lang: str) -> tuple[Segment, int]:
    """One segment from its rows; also how many rated spans could not be placed."""
    from mtqa.lang.wordseg import word_count

    parsed = []
    for r in rows:
        src, s_spans = extract_spans(unquote(r["source"]))
        tgt, t_spans = extract_spans(unquote(r["target"]))
        parsed.append((r, src, s_spans, tgt, t_spans))
    canon_src = canonical_text([(s, not ss) for _, s, ss, _, _ in parsed])
    canon_tgt = canonical_text([(t, not ts) for _, _, _, t, ts in parsed])
    raters = sorted({r["rater"] for r in rows})
    errors: list[Error] = []
    for r, src, s_spans, tgt, t_spans in parsed:
        if error_weight(r["category"], r["severity"]) == 0.0 and r["severity"].lower() != "neutral":
            continue
        side, text, canon, spans = ("source", src, canon_src, s_spans) if s_spans else (
            "target", tgt, canon_tgt, t_spans)
        for a, b in spans or [(None, None)]:
            if a is None or b is None:
                place = None
            elif text == canon:
                place = (a, b)
            else:
                place = relocate(text[a:b], text[:a], canon)
            errors.append(Error(r["rater"], r["category"], r["severity"], side, *(place or (None, None))))
    # offsets move with the whitespace clean-up: map through the kept characters
    seg = Segment(seg_id, _clean(canon_src), _clean(canon_tgt), raters)
    seg.errors = [_reoffset(e, canon_src if e.side == "source" else canon_tgt) for e in errors]
    seg.penalty = segment_penalty([(r["rater"], r["category"], r["severity"]) for r in rows], raters)
    seg.source_words = word_count(seg.source, src_lang)
    return seg, sum(e.start is None for e in seg.errors)


def clean_span(raw: str, start: int, end: int) -> tuple[int, int] | None:
    """A span of `raw` moved into `_clean(raw)` (whitespace runs -> one space, stripped), its surrounding
    whitespace dropped; None when it holds no visible character."""
    pos = 0
    first = last = None
    for m in re.finditer(r"\S+", raw):
        a, b = max(start, m.start()), min(end, m.end())
        if a < b:
            first = pos + a - m.start() if first is None else first
            last = pos + b - m.start()
        pos += m.end() - m.start() + 1
    return None if first is None or last is None else (first, last)


def _reoffset(e: Error, raw: str) -> Error:
    place = None if e.start is None or e.end is None else clean_span(raw, e.start, e.end)
    return Error(e.rater, e.category, e.severity, e.side, *(place or (None, None)))


def segment_number(row: dict) -> int:
    """A row's segment: its seg_id, or where that is -1 (the en-ru 2021 file numbers segments only within
    their document) its doc_id."""
    seg_id = int(row["seg_id"])
    return seg_id if seg_id >= 0 else int(row["doc_id"])


def build_docs(pair: str, year: str) -> tuple[list[Doc], dict]:
    """Every (system, document) of one file, and counts about the build."""
    src_lang = pair.split("-")[0]
    by_seg: dict[tuple[str, str, int], list[dict]] = defaultdict(list)
    for r in tsv_rows(pair, year):
        by_seg[(r["system"], r["doc"], segment_number(r))].append(r)
    by_doc: dict[tuple[str, str], list[Segment]] = defaultdict(list)
    lost = spans = 0
    for (system, doc, seg_id), rows in sorted(by_seg.items()):
        seg, n_lost = build_segment(seg_id, rows, src_lang)
        by_doc[(system, doc)].append(seg)
        lost += n_lost
        spans += len(seg.errors)
    docs = [Doc(pair, year, doc, system, is_human(system), segs)
            for (system, doc), segs in sorted(by_doc.items())]
    return docs, {"segments": len(by_seg), "errors": spans, "unplaced": lost}


# --- writing ------------------------------------------------------------------------------------------


def layout(texts: list[str]) -> tuple[str, list[int]]:
    """Paragraphs separated by a blank line; the document text and each paragraph's start offset."""
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 2
    return "\n\n".join(texts) + "\n", starts


def _safe(name: str) -> str:
    return re.sub(r"[^\w.+-]", "_", name)


def write_split(split: str, pair: str, out: Path) -> dict:
    year = SPLITS[split]
    sl, tl = pair.split("-")
    docs, stats = build_docs(pair, year)
    folder = out / split / pair
    (folder / "src").mkdir(parents=True, exist_ok=True)
    (folder / "mt").mkdir(parents=True, exist_ok=True)
    groups: dict[tuple[str, tuple[str, ...]], str] = {}
    manifest, meta = [], []
    for d in docs:
        sources = tuple(s.source for s in d.segments)
        key = (d.doc, sources)
        if key not in groups:
            groups[key] = f"{_safe(d.doc)}.{sum(1 for k in groups if k[0] == d.doc)}"
            text, _ = layout(list(sources))
            (folder / "src" / f"{groups[key]}.{sl}.txt").write_text(text, encoding="utf-8")
        group = groups[key]
        doc_id = f"{group}/{d.system}"
        tgt_text, t_starts = layout([s.target for s in d.segments])
        _, s_starts = layout(list(sources))
        mt_path = folder / "mt" / f"{group}.{_safe(d.system)}.{tl}.txt"
        mt_path.write_text(tgt_text, encoding="utf-8")
        manifest.append({"id": doc_id, "source": f"src/{group}.{sl}.txt", "translation": str(
            mt_path.relative_to(folder)), "src_lang": sl, "tgt_lang": tl})
        rec = {"id": doc_id, "group": group, "pair": pair, "year": year, "doc": d.doc, "system": d.system,
               "is_human": d.is_human, "n_segments": len(d.segments), "source_words": d.source_words,
               "penalty": round(d.penalty, 4), "mqm_per_100w": round(d.mqm_per_100w, 4), "segments": []}
        for s, ts, ss in zip(d.segments, t_starts, s_starts, strict=True):
            seg = asdict(s)
            seg.update(target_start=ts, source_start=ss)
            rec["segments"].append(seg)
        meta.append(rec)
    for name, rows in (("manifest.jsonl", manifest), ("docs.jsonl", meta)):
        with open(folder / name, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    stats.update(documents=len(docs), source_documents=len(groups), systems=len({d.system for d in docs}),
                 human_documents=sum(d.is_human for d in docs),
                 humans=sorted({d.system for d in docs if d.is_human}))
    return stats


def load_docs(folder: Path) -> list[dict]:
    """The docs.jsonl records of one split and pair folder."""
    with open(folder / "docs.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("/work/docbench"))
    ap.add_argument("--splits", default="dev,train")
    ap.add_argument("--pairs", default=",".join(PAIRS))
    ap.add_argument("--force", action="store_true", help="rebuild a split and pair already written")
    args = ap.parse_args(argv)
    print("| split | pair | source docs | systems | documents | human docs | segments | rated spans | "
          "unplaced spans | humans |\n|---|---|---|---|---|---|---|---|---|---|")
    for split in args.splits.split(","):
        for pair in args.pairs.split(","):
            if (args.out / split / pair / "docs.jsonl").exists() and not args.force:
                print(f"| {split} | {pair} | already in {args.out / split / pair} (--force rebuilds) |")
                continue
            s = write_split(split, pair, args.out)
            print(f"| {split} | {pair} | {s['source_documents']} | {s['systems']} | {s['documents']} | "
                  f"{s['human_documents']} | {s['segments']} | {s['errors']} | {s['unplaced']} | "
                  f"{', '.join(s['humans'])} |")


if __name__ == "__main__":
    main()
