"""Training data for the MQM-trained QE model: MQM segments with word tags, the 2022 dev sets, and
synthetic critical errors made from parallel text that ships with the MQM data.

Every example is (pair, source, translation, target, bad_spans): `target` is the segment score (higher is
better; the negated per-rater z of the MQM penalty), `bad_spans` character ranges of the translation that
are BAD (None when there is no word-level gold).
"""

from __future__ import annotations

import csv
import gzip
import html
import random
import re
import tarfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MQM = Path("/work/shared/benchmarks/wmt-mqm")
MQM_PAIRS = ("en-de", "en-ru", "zh-en")
_V = re.compile(r"</?v>")
csv.field_size_limit(1 << 24)


@dataclass
class Example:
    pair: str
    src: str
    mt: str
    target: float
    bad: list[tuple[int, int]] | None = None
    kind: str = "mqm"
    meta: dict = field(default_factory=dict)


def mqm_weight(category: str, severity: str) -> float:
    """Freitag et al. 2021 weights (wmt-mqm README); Unbabel's 'critical' (en-ru) counts 10."""
    sev, cat = severity.strip().lower(), category.strip().lower()
    if sev in ("no-error", "neutral", "") or cat == "no-error":
        return 0.0
    if "non-translation" in cat or "non_translation" in cat:
        return 25.0
    if sev == "critical":
        return 10.0
    if sev == "major":
        return 5.0
    if cat in ("fluency/punctuation", "punctuation"):
        return 0.1
    return 1.0


def align_tokens(raw: str, tokens: list[str]) -> list[tuple[int, int]] | None:
    """Character ranges in `raw` of the tokenised words `tokens` (the tokeniser only inserted spaces), or None
    when they do not spell `raw` without its whitespace."""
    pos = [i for i, c in enumerate(raw) if not c.isspace()]
    if "".join(tokens) != "".join(raw[i] for i in pos):
        return None
    out, k = [], 0
    for t in tokens:
        out.append((pos[k], pos[k + len(t) - 1] + 1))
        k += len(t)
    return out


def with_word_tags(raw: str, mt_tok_line: str, tags_line: str) -> tuple[str, list[tuple[int, int]]]:
    """The translation text and its BAD character ranges from a tokenised line and its OK/BAD tags (the last
    tag, for <EOS>, is dropped); falls back to the tokenised text when it does not align with `raw`."""
    toks, tags = [html.unescape(t) for t in mt_tok_line.split()], tags_line.split()
    if toks and toks[-1] == "<EOS>":
        toks, tags = toks[:-1], tags[: len(toks) - 1]
    spans = align_tokens(raw, toks)
    if spans is None:
        raw = " ".join(toks)
        spans, p = [], 0
        for t in toks:
            spans.append((p, p + len(t)))
            p += len(t) + 1
    return raw, [s for s, tag in zip(spans, tags, strict=False) if tag == "BAD"]


# newstest2021 news of en-de and zh-en: the document-level dev set (bench/documents.py), never trained on
HELD_OUT = ("en-de-train-2021-news", "zh-en-train-2021-news")


def load_mqm_train(work: Path, held_out: tuple[str, ...] = HELD_OUT) -> dict[str, list[Example]]:
    """All MQM training lines per pair: one per (system, segment, rater), target = -(per-rater z); the
    tarballs named in `held_out` (without .tar.gz) are left out."""
    out: dict[str, list[Example]] = defaultdict(list)
    stats = {}
    for pair in MQM_PAIRS:
        for tgz in sorted((MQM / "train" / pair).glob("*.tar.gz")):
            if tgz.name[: -len(".tar.gz")] in held_out:
                continue
            with tarfile.open(tgz) as tf:
                tf.extractall(work, filter="data")
            folder = work / tgz.name[: -len(".tar.gz")]
            def only(pattern: str, folder: Path = folder) -> Path:
                return next(f for f in folder.glob(pattern) if not f.name.startswith("._"))  # macOS debris

            tsv = only("*.tsv")
            mt_lines = only("*.mt").read_text(encoding="utf-8").splitlines()
            tag_lines = only("*.word_level.tags").read_text(encoding="utf-8").splitlines()
            groups: dict[tuple, dict] = {}
            with open(tsv, encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
                next(reader)
                for r in reader:
                    key = (r[0], r[1], r[2], r[3], r[4])
                    g = groups.get(key)
                    if g is None:
                        g = groups[key] = {"rater": r[4], "src": _V.sub("", r[5]), "mt": _V.sub("", r[6]),
                                           "pen": 0.0}
                    g["pen"] += mqm_weight(r[7], r[8])
            rows = list(groups.values())
            if len(rows) != len(mt_lines):
                raise ValueError(f"{tsv}: {len(rows)} segments but {len(mt_lines)} .mt lines")
            by_rater = defaultdict(list)
            for g in rows:
                by_rater[g["rater"]].append(g["pen"])
            norm = {r: (float(np.mean(v)), float(np.std(v)) or 1.0) for r, v in by_rater.items()}
            aligned = 0
            for g, mt_line, tag_line in zip(rows, mt_lines, tag_lines, strict=True):
                text, bad = with_word_tags(g["mt"], mt_line, tag_line)
                aligned += text == g["mt"]
                mu, sd = norm[g["rater"]]
                out[pair].append(Example(pair, g["src"], text, -(g["pen"] - mu) / sd, bad,
                                         meta={"file": tgz.name, "pen": g["pen"]}))
            stats[tgz.name] = (len(rows), aligned)
    return dict(out), stats


def load_mqm_dev(work: Path) -> dict[str, list[Example]]:
    """The 2022 dev sets: segment z_score (higher is better) and word tags, line by line."""
    out = {}
    for pair in MQM_PAIRS:
        with open(MQM / "dev" / f"{pair}-mqm.2022_dev.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        code = pair.replace("-", "")
        with zipfile.ZipFile(MQM / "dev" / f"{pair}-word-level-dev-2022.zip") as zf:
            mt = zf.read(f"mqm_dev2022_{code}.mt").decode("utf-8").splitlines()
            tags = zf.read(f"mqm_dev2022_{code}.tags").decode("utf-8").splitlines()
        exs = []
        for r, m, t in zip(rows, mt, tags, strict=True):
            text, bad = with_word_tags(r["mt"], m, t)
            exs.append(Example(pair, r["src"], text, float(r["z_score"]), bad, kind="dev",
                               meta={"mt_tok": m, "tags": t}))
        out[pair] = exs
    return out


def parallel_text(pair: str, train: list[Example]) -> list[tuple[str, str]]:
    """(source, good translation) pairs: the references of the MQM CSVs, and translations that every rater
    found error-free."""
    seen, out = set(), []
    for f in sorted((MQM / "train" / pair).glob("*.csv.gz")):
        with gzip.open(f, "rt", encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if r["src"] and r["ref"] and r["src"] not in seen:
                    seen.add(r["src"])
                    out.append((r["src"], r["ref"]))
    clean: dict[tuple[str, str], bool] = {}
    for ex in train:
        key = (ex.src, ex.mt)
        clean[key] = clean.get(key, True) and ex.meta["pen"] == 0
    out += [k for k, ok in clean.items() if ok and k[0] not in seen]
    return out


# ---- synthetic critical errors ---------------------------------------------------------------------------

WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "ru": ["понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"],
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"],
}
ANTONYMS = {
    "en": [("increase", "decrease"), ("increased", "decreased"), ("rise", "fall"), ("rose", "fell"),
           ("more", "less"), ("high", "low"), ("higher", "lower"), ("win", "lose"), ("won", "lost"),
           ("before", "after"), ("first", "last"), ("good", "bad"), ("large", "small"), ("big", "small"),
           ("open", "closed"), ("accept", "reject"), ("accepted", "rejected"), ("support", "oppose"),
           ("supported", "opposed"), ("allow", "forbid"), ("always", "never"), ("strong", "weak"),
           ("early", "late"), ("new", "old"), ("best", "worst"), ("right", "wrong"), ("north", "south"),
           ("east", "west"), ("up", "down"), ("most", "least"), ("true", "false"), ("easy", "difficult")],
    "de": [("mehr", "weniger"), ("hoch", "niedrig"), ("höher", "niedriger"), ("gewonnen", "verloren"),
           ("vor", "nach"), ("erste", "letzte"), ("ersten", "letzten"), ("gut", "schlecht"),
           ("groß", "klein"),
           ("große", "kleine"), ("neue", "alte"), ("neuen", "alten"), ("immer", "nie"), ("stark", "schwach"),
           ("früh", "spät"), ("offen", "geschlossen"), ("steigen", "sinken"), ("stieg", "sank"),
           ("Anstieg", "Rückgang"), ("richtig", "falsch"), ("Norden", "Süden"), ("Osten", "Westen"),
           ("besten", "schlechtesten"), ("leicht", "schwer"), ("viele", "wenige"), ("alle", "keine")],
    "ru": [("больше", "меньше"), ("более", "менее"), ("высокий", "низкий"), ("выше", "ниже"),
           ("выиграл", "проиграл"), ("до", "после"), ("первый", "последний"), ("первым", "последним"),
           ("хорошо", "плохо"), ("хороший", "плохой"), ("большой", "маленький"), ("новый", "старый"),
           ("новые", "старые"), ("всегда", "никогда"), ("сильный", "слабый"), ("рано", "поздно"),
           ("открыт", "закрыт"), ("вырос", "упал"), ("правильно", "неправильно"), ("севере", "юге"),
           ("востоке", "западе"), ("лучший", "худший"), ("легко", "трудно"), ("много", "мало"),
           ("все", "никто")],
}
NEGATIONS = {"en": r"\b(not|never|no)\b ?|n't\b", "de": r"\b(nicht|nie)\b ?", "ru": r"\b(не|нет)\b ?"}
AUX = {
    "en": r"\b(is|are|was|were|will|can|would|should|could|has|have|had|does|did|must)\b",
    "de": r"\b(ist|sind|war|waren|wird|werden|kann|können|hat|haben|hatte|soll|muss|wurde)\b",
    "ru": r"(?<!\w)(\w+(ет|ют|ит|ят|ал|ала|али|ало))\b",
}
NEG_WORD = {"en": "not", "de": "nicht", "ru": "не"}
STOP_CAPS = {"I", "The", "A", "An", "In", "On", "At", "It", "He", "She", "We", "They", "This", "That", "But",
             "And", "Mr", "Mrs", "Ms", "Dr"}


def _lang(pair: str) -> str:
    return pair.split("-")[1]


def entity_candidates(src: str, mt: str, lang: str) -> list[re.Match]:
    """Likely names in the translation: capitalised words past the first word (for German also found
    verbatim in the source, since German capitalises nouns; for English not a function word)."""
    out = []
    for m in re.finditer(r"\b[A-ZА-ЯЁ][\w'-]+", mt):
        w = m.group()
        if m.start() == 0 or w in STOP_CAPS or len(w) < 3:
            continue
        if lang == "de" and w not in src:
            continue
        out.append(m)
    return out


def _replace(text: str, s: int, e: int, new: str) -> tuple[str, list[tuple[int, int]]]:
    return text[:s] + new + text[e:], [(s, s + len(new))]


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def damage(src: str, mt: str, lang: str, kind: str, rng: random.Random,
           names: list[str]) -> tuple[str, list[tuple[int, int]]] | None:
    """One critical error of `kind` in `mt`: the damaged text and its BAD ranges, or None if it does not
    apply to this sentence."""
    if kind == "number":
        nums = list(re.finditer(r"\d+(?:[.,]\d+)?", mt))
        if not nums:
            return None
        m = rng.choice(nums)
        digits = m.group()
        i = rng.choice([k for k, c in enumerate(digits) if c.isdigit()])
        d = str((int(digits[i]) + rng.randint(1, 9)) % 10)
        if i == 0 and d == "0" and len(digits) > 1:
            d = "1"
        return _replace(mt, m.start(), m.end(), digits[:i] + d + digits[i + 1 :])
    if kind == "date":
        for table in (WEEKDAYS[lang], MONTHS[lang]):
            hits = [m for w in table for m in re.finditer(rf"\b{re.escape(w)}\b", mt, flags=re.I)]
            if hits:
                m = rng.choice(hits)
                new = rng.choice([w for w in table if w.lower() != m.group().lower()])
                if m.group()[0].isupper():
                    new = new[0].upper() + new[1:]
                return _replace(mt, m.start(), m.end(), new)
        return None
    if kind == "negation":
        negs = list(re.finditer(NEGATIONS[lang], mt, flags=re.I))
        if negs and rng.random() < 0.5:
            m = rng.choice(negs)
            out = (mt[: m.start()] + mt[m.end() :]).replace("  ", " ")
            ws = _words(out)  # the words around the gap are BAD
            near = [w for w in ws if w[1] >= m.start() - 1][:1] + [w for w in ws if w[1] < m.start()][-1:]
            return out, sorted(set(near))
        auxs = list(re.finditer(AUX[lang], mt))
        if not auxs:
            return None
        m = rng.choice(auxs)
        if lang == "ru":
            return mt[: m.start()] + "не " + mt[m.start() :], [(m.start(), m.end() + 3)]
        neg = NEG_WORD[lang]
        return mt[: m.end()] + " " + neg + mt[m.end() :], [(m.start(), m.end() + 1 + len(neg))]
    if kind == "antonym":
        hits = []
        for a, b in ANTONYMS[lang]:
            for x, y in ((a, b), (b, a)):
                hits += [(m, y) for m in re.finditer(rf"\b{re.escape(x)}\b", mt)]
        if not hits:
            return None
        m, y = rng.choice(hits)
        return _replace(mt, m.start(), m.end(), y)
    if kind in ("entity", "misspell"):
        cands = entity_candidates(src, mt, lang)
        if not cands:
            return None
        m = rng.choice(cands)
        w = m.group()
        if kind == "entity":
            others = [n for n in names if n != w]
            return _replace(mt, m.start(), m.end(), rng.choice(others)) if others else None
        if len(w) < 4:
            return None
        i = rng.randrange(1, len(w) - 2)
        op = rng.choice(("swap", "drop", "double"))
        new = (w[:i] + w[i + 1] + w[i] + w[i + 2 :] if op == "swap" else
               w[:i] + w[i + 1 :] if op == "drop" else w[:i] + w[i] + w[i:])
        return None if new == w else _replace(mt, m.start(), m.end(), new)
    if kind in ("clause-deleted", "clause-source"):
        cuts = [m.start() for m in re.finditer(r"[,;:] ", mt)]
        if not cuts:
            return None
        if kind == "clause-deleted":
            k = rng.randrange(len(cuts))
            end = cuts[k + 1] if k + 1 < len(cuts) else len(mt.rstrip(".!?"))
            if end - cuts[k] < 8 or end - cuts[k] > 0.6 * len(mt):
                return None
            out = mt[: cuts[k]] + mt[end:]
            ws = _words(out)
            near = [w for w in ws if w[0] <= cuts[k]][-1:] + [w for w in ws if w[0] > cuts[k]][:1]
            return out, sorted(set(near))
        src_cuts = [m.end() for m in re.finditer(r"[,;:，；：、] ?", src)]
        if not src_cuts:
            return None
        tail = src[src_cuts[-1] :].rstrip("。.!?！？ ")
        if len(tail) < 4:
            return None
        start = cuts[-1] + 2
        end = len(mt.rstrip(".!?"))
        return _replace(mt, start, end, tail)
    if kind == "reorder":
        ws = _words(mt)
        if len(ws) < 6:
            return None
        i = rng.randrange(0, len(ws) - 3)
        j = rng.randrange(i + 2, min(len(ws), i + 6))
        a, b = ws[i], ws[j]
        wa, wb = mt[a[0] : a[1]], mt[b[0] : b[1]]
        if wa.lower() == wb.lower():
            return None
        out = mt[: a[0]] + wb + mt[a[1] : b[0]] + wa + mt[b[1] :]
        shift = len(wb) - len(wa)
        return out, [(a[0], a[0] + len(wb)), (b[0] + shift, b[0] + shift + len(wa))]
    raise ValueError(kind)


DAMAGE_KINDS = ("entity", "misspell", "number", "date", "negation", "antonym", "clause-deleted",
                "clause-source", "reorder")


def synthetic(pair: str, parallel: list[tuple[str, str]], n: int, rng: random.Random, low: float,
              high: float, n_clean: int) -> list[Example]:
    """`n` damaged translations (target `low`, damaged span BAD) and `n_clean` undamaged ones (target
    `high`, all OK), kinds drawn uniformly among those that apply."""
    lang = _lang(pair)
    names = sorted({m.group() for s, t in parallel[:3000] for m in entity_candidates(s, t, lang)})
    items = parallel[:]
    rng.shuffle(items)
    out: list[Example] = []
    for src, mt in items:
        if len(out) >= n:
            break
        kinds = list(DAMAGE_KINDS)
        rng.shuffle(kinds)
        for kind in kinds:
            res = damage(src, mt, lang, kind, rng, names)
            if res is not None and res[0] != mt:
                out.append(Example(pair, src, res[0], low, res[1], kind=f"synthetic:{kind}"))
                break
    for src, mt in items[-n_clean:]:
        out.append(Example(pair, src, mt, high, [], kind="synthetic:clean"))
    return out


def detached(pair: str, parallel: list[tuple[str, str]], n: int, rng: random.Random,
             low: float) -> list[Example]:
    """`n` detached translations (Guerreiro et al. 2023's fully detached hallucinations): a source paired
    with the good translation of another sentence of the corpus, fluent and unrelated; every word BAD,
    target `low`."""
    out: list[Example] = []
    if len(parallel) < 2:
        return out
    for _ in range(n):
        i, j = rng.sample(range(len(parallel)), 2)
        src, mt = parallel[i][0], parallel[j][1]
        if mt.strip() and mt != parallel[i][1]:
            out.append(Example(pair, src, mt, low, [(0, len(mt))], kind="synthetic:detached"))
    return out
