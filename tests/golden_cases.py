"""The cases of tests/test_golden.py (and of the shortcut tests it names) and their outputs through public
functions only.

`python tests/golden_cases.py` (with the package on PYTHONPATH) rewrites tests/data/golden/*.json from
the code it imports; the test compares the code under test with those files."""

from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden"
TEXTS = {
    "en": [ROOT / "seeds" / "idlib-2019-12-01.en.txt", ROOT / "tests" / "data" / "ecb.en.txt"],
    "fr": [ROOT / "seeds" / "idlib-2019-12-01.fr.txt", ROOT / "tests" / "data" / "louvre.fr.txt"],
    "de": [ROOT / "tests" / "data" / "ecb.de.txt"],
    "es": [ROOT / "tests" / "data" / "vuelta.es.txt"],
}
TRICKY = [
    "",
    "plain ascii, no apostrophe",
    "Ünïcödé naïve café — «quoted» 東京 Москва ½ ² Ⅻ İstanbul ſ K",
    "l'Observatoire d’Alep, aujourd'hui l'ONU's 'quoted' rock'n'roll U.S.-led e.g. Dr. 3.5",
    "MÄRZ März märz MAY May may mayor Mayo İAPRIL APRİL SEPTEMBER Sept. août AOÛT",
    "1 200 1,200 1.200,5 70 % 1er 2nd no digits here ٣ ४ １２",
    "one two Three dozen a dozen zwölf eins ein un une deux",
]
HELPER_LANGS = ("en", "fr", "de", "es", "it", "ja")


def sentences() -> list[str]:
    """Sentences of the test texts, plus mixed-language ones (halves of two sentences)."""
    out = []
    for paths in TEXTS.values():
        for path in paths:
            text = path.read_text(encoding="utf-8")
            out += [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 5]
    mixed = []
    for a, b in zip(out[::7], out[3::7], strict=False):
        wa, wb = a.split(), b.split()
        mixed.append(" ".join(wa[: len(wa) // 2] + wb[len(wb) // 2 :]))
    return out + mixed + ["東京は日本の首都です。 The capital has many museums and parks to visit."]


def texts() -> list[str]:
    """The tricky strings, each test text whole, and its sentences."""
    out = list(TRICKY)
    for paths in TEXTS.values():
        for path in paths:
            text = path.read_text(encoding="utf-8")
            out += [text] + [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    return out


def make_doc(sentences: list[str], lang: str):
    """A one-paragraph document of the given sentences, separated by one space."""
    from mtqa.document import Document, Paragraph, Sentence

    text = " ".join(sentences)
    doc = Document(text=text, lang=lang)
    pos = 0
    for k, s in enumerate(sentences):
        doc.sentences.append(Sentence(k, 1, pos, pos + len(s), s))
        pos += len(s) + 1
    doc.paragraphs.append(Paragraph(1, 0, len(text), text))
    return doc


def split_doc(path: Path, lang: str):
    """A test text read and split into sentences as the pipeline does."""
    from mtqa.document import Document, split_paragraphs
    from mtqa.sentences import split_document

    doc = Document(text=path.read_text(encoding="utf-8"), lang=lang)
    doc.paragraphs = split_paragraphs(doc.text)
    split_document(doc, split=True)
    return doc


def text_helpers() -> dict:
    """fold_text, tokens, months, written numbers and numerals of every text (numbers per language)."""
    from mtqa.lang import numbers
    from mtqa.lang.lexicon import fold_text, tokens

    out = []
    for text in texts():
        out.append(
            {
                "fold_text": fold_text(text),
                "tokens": tokens(text),
                "langs": {
                    lang: {
                        "months": numbers.find_months(text, lang),
                        "written": numbers.written_numbers(text, lang),
                        "numbers": [asdict(n) for n in numbers.find_numbers(text, lang)],
                    }
                    for lang in HELPER_LANGS
                },
            }
        )
    return {"texts": out}


def mention_docs(lang: str) -> list:
    """The documents whose mentions are compared: each test text of `lang` and a synthetic one."""
    docs = [split_doc(path, lang) for path in TEXTS[lang]]
    docs.append(make_doc([s for s in sentences() if s.isascii() or lang != "en"][:200] + TRICKY[1:], lang))
    return docs


def mentions() -> dict:
    from mtqa.lang.entities import extract_mentions

    return {
        lang: [[asdict(m) for m in extract_mentions(doc)] for doc in mention_docs(lang)] for lang in TEXTS
    }


def number_contexts():
    """30 random French/English segment pairs with figures, month names and odd alignments."""
    from mtqa.checks import CheckContext
    from mtqa.report import Segment

    rng = random.Random(7)
    pieces_fr = "12|1 200|3,5|70 %|deux|le 1er décembre|en mai|en décembre|2019|cinq||".split("|")
    pieces_en = "12|1,200|3.5|70%|two|December 1|in May|in December|2019|five|may||".split("|")
    for _trial in range(30):
        n = rng.randint(3, 12)
        # first a month changed with the same numbers (none, or 3 on both sides)
        src_s, tgt_s = (
            ["Réunion prévue en décembre.", "Le 3 mai."],
            ["Meeting planned in May.", "On December 3."],
        )
        for k in range(n):
            a, b = rng.choice(pieces_fr), rng.choice(pieces_en)
            if rng.random() < 0.4:  # the same figure on both sides
                b = {"1 200": "1,200", "3,5": "3.5", "70 %": "70%"}.get(a, a if a[:1].isdigit() else b)
            src_s.append(f"Phrase {k} avec {a} et du texte.")
            tgt_s.append(f"Sentence {k} with {b} and some text." if rng.random() < 0.9 else src_s[-1])
        n += 2
        src, tgt = make_doc(src_s, "fr"), make_doc(tgt_s, "en")
        segs, i, j, sid = [], 0, 0, 0
        while i < n:
            a = rng.choice([1, 1, 1, 2, 0]) if i + 1 < n else 1
            b = rng.choice([1, 1, 1, 2, 0]) if j + 1 < n else 1
            a, b = max(a, 0 if b else 1), b
            ss, ts = list(range(i, min(n, i + a))), list(range(j, min(n, j + b)))
            seg = Segment(
                sid,
                " ".join(src_s[x] for x in ss),
                " ".join(tgt_s[x] for x in ts),
                [1],
                [1],
                f"{len(ss)}-{len(ts)}",
                0.9,
                source_sentences=ss,
                target_sentences=ts,
            )
            if ts:
                seg.target_start, seg.target_end = tgt.sentences[ts[0]].start, tgt.sentences[ts[-1]].end
            segs.append(seg)
            i, j, sid = i + len(ss), j + len(ts), sid + 1
        yield CheckContext(src, tgt, segs)


def issue_json(issue) -> dict:
    """An issue's JSON without the name of the check that raised it."""
    d = issue.to_json()
    d.pop("check", None)
    return d


def number_issues() -> dict:
    from mtqa.checks import load_checks

    fn = load_checks()["number-mismatch"].fn
    return {"trials": [[issue_json(i) for i in fn(ctx)] for ctx in number_contexts()]}


CASES = {"text_helpers": text_helpers, "mentions": mentions, "number_mismatch": number_issues}


def normalised(value):
    """JSON round trip: tuples become lists, as in the stored files."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, fn in CASES.items():
        path = GOLDEN / f"{name}.json"
        path.write_text(json.dumps(fn(), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        print(path, path.stat().st_size, file=sys.stderr)


if __name__ == "__main__":
    main()
