"""Property tests (issue 7): alignment covers every sentence once and in order; reports follow the
schema; issue offsets point at their evidence; the same input gives byte-identical JSON."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtqa import encoders
from mtqa.align import ALIGNMENT_TYPES, AlignParams, align_embeddings
from mtqa.encoders import embed_overlaps
from mtqa.pipeline import Options, run
from tests import fakes

SETTINGS = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

WORDS = ["house", "river", "green", "report", "market", "price", "city", "train", "council", "water",
         "said", "rose", "will", "open", "near", "the", "a", "of", "in", "and"]
FR = {"house": "maison", "river": "rivière", "green": "vert", "report": "rapport", "market": "marché",
      "price": "prix", "city": "ville", "train": "train", "council": "conseil", "water": "eau",
      "said": "a dit", "rose": "a augmenté", "will": "va", "open": "ouvrir", "near": "près de", "the": "le",
      "a": "un", "of": "de", "in": "dans", "and": "et"}
NAMES = ["Paris", "Berlin", "Maria Lopez", "Acme Corp", "UNESCO", "Lyon"]

sentence = st.builds(
    lambda words, name, number: " ".join(
        ([name] if name else []) + words + ([number] if number else [])).capitalize().rstrip() + ".",
    st.lists(st.sampled_from(WORDS), min_size=2, max_size=9),
    st.one_of(st.none(), st.sampled_from(NAMES)),
    st.one_of(st.none(), st.integers(0, 5000).map(str), st.sampled_from(["3.5", "12%", "1,200", "2021"])),
)
paragraph = st.lists(sentence, min_size=1, max_size=4)
document = st.lists(paragraph, min_size=1, max_size=6)


@pytest.fixture(scope="module", autouse=True)
def _cheap_encoder():
    specs = ("use-m3", "use-m3-static")  # the accurate and the fast profile's
    saved = {spec: encoders.ENCODERS.get(spec) for spec in specs}
    fake = fakes.HashEncoder()
    for spec in specs:
        encoders.ENCODERS[spec] = fake
    yield
    for spec, enc in saved.items():
        if enc is None:
            encoders.ENCODERS.pop(spec, None)
        else:
            encoders.ENCODERS[spec] = enc


# --- alignment ------------------------------------------------------------------------------------


def _check_beads(beads, n: int, m: int) -> None:
    src = [i for s, _ in beads for i in s]
    tgt = [j for _, t in beads for j in t]
    assert src == list(range(n)), "every source sentence exactly once, in order"
    assert tgt == list(range(m)), "every target sentence exactly once, in order"
    for s, t in beads:
        assert s or t, "no empty bead"
        assert s == list(range(s[0], s[0] + len(s))) if s else True
        assert t == list(range(t[0], t[0] + len(t))) if t else True
        assert (len(s), len(t)) in ALIGNMENT_TYPES


@SETTINGS
@given(src=document, drop=st.lists(st.booleans(), max_size=30), coarse=st.booleans())
def test_alignment_monotonic_and_complete(src, drop, coarse):
    enc = encoders.ENCODERS["use-m3"]
    s_sents = [(k + 1, s) for k, para in enumerate(src) for s in para]
    # the target: a word-by-word "translation", with some sentences dropped and one added
    t_sents = [(p, " ".join(FR.get(w.strip(".").lower(), w) for w in s.split()))
               for i, (p, s) in enumerate(s_sents) if not (i < len(drop) and drop[i])]
    t_sents.append((max(p for p, _ in s_sents), "Une phrase ajoutée à la fin."))
    se = embed_overlaps(enc, [s for _, s in s_sents])
    te = embed_overlaps(enc, [s for _, s in t_sents])
    params = AlignParams(max_cells=16) if coarse else None  # coarse: exercise the banded pass
    ali = align_embeddings(se, te, [p for p, _ in s_sents], [p for p, _ in t_sents], params,
                           [len(s) for _, s in s_sents], [len(s) for _, s in t_sents])
    _check_beads(ali.beads, len(s_sents), len(t_sents))


@SETTINGS
@given(n=st.integers(0, 40), m=st.integers(0, 40), seed=st.integers(0, 2**16), dim=st.sampled_from([8, 64]))
def test_alignment_random_unit_vectors(n, m, seed, dim):
    rng = np.random.default_rng(seed)

    def emb(k: int) -> list[np.ndarray]:
        out = []
        for size in (k, max(0, k - 1), max(0, k - 2)):
            v = rng.standard_normal((size, dim)).astype(np.float32)
            v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
            out.append(v)
        return out

    paras_s = sorted(rng.integers(1, 4, n).tolist())
    paras_t = sorted(rng.integers(1, 4, m).tolist())
    ali = align_embeddings(emb(n), emb(m), paras_s, paras_t)
    _check_beads(ali.beads, n, m)


# --- reports --------------------------------------------------------------------------------------


def _target_of(doc: list[list[str]], mutate: list[int]) -> list[list[str]]:
    out = []
    for k, para in enumerate(doc):
        sents = []
        for i, s in enumerate(para):
            words = [FR.get(w.strip(".").lower(), w.strip(".")) for w in s.split()]
            action = mutate[(k * 7 + i) % len(mutate)] if mutate else 0
            if action == 1:
                continue  # omission
            if action == 2:
                words = [str(int(w) + 1) if w.isdigit() else w for w in words]  # number changed
            if action == 3:
                words = [w.upper() if w[:1].isupper() else w for w in words]  # entity spelled otherwise
            sents.append(" ".join(words).capitalize() + ".")
        if sents:
            out.append(sents)
    return out or [["Rien."]]


def _write(folder: Path, name: str, doc: list[list[str]], sep: str) -> str:
    p = folder / name
    p.write_bytes((sep.join(" ".join(para) for para in doc) + "\n").encode())
    return str(p)


@SETTINGS
@given(doc=document, mutate=st.lists(st.integers(0, 3), max_size=12),
       sep=st.sampled_from(["\n\n", "\r\n\r\n", "\n \n\n"]))
def test_report_schema_offsets_and_determinism(schema, doc, mutate, sep):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        s = _write(folder, "src.txt", doc, sep)
        t = _write(folder, "tgt.txt", _target_of(doc, mutate), sep)
        opts = Options(profile="fast", src_lang="en", tgt_lang="fr")
        report = run(s, t, opts)
        data = report.to_json()
        jsonschema.validate(data, schema)
        text = Path(t).read_bytes().decode("utf-8")
        for issue in data["issues"]:
            start, end = issue.get("target_start"), issue.get("target_end")
            if start is not None and end is not None and issue.get("evidence"):
                assert 0 <= start <= end <= len(text)
                assert text[start:end] == issue["evidence"][0], issue
        # every sentence appears in exactly one segment, in order
        assert [i for seg in report.segments for i in seg.source_sentences] == list(
            range(report.source.sentences))
        assert [j for seg in report.segments for j in seg.target_sentences] == list(
            range(report.translation.sentences))
        again = run(s, t, opts)
        assert again.dumps(timing=False) == report.dumps(timing=False)
        assert "timing" not in json.loads(report.dumps(timing=False))
