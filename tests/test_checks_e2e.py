"""End to end: the seed and the planted-error pairs in tests/data (fast profile, use-cosine only).

The expectations were set with the USE v3 cosine, so these runs name the use-m3 encoder; the fast profile's
default, the static use-m3-static, is checked against the same pairs at the end of this file."""

from pathlib import Path

import pytest

from mtqa.pipeline import Options, run

pytestmark = pytest.mark.models  # whole runs: USE, the static USE, spaCy NER

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
PAIRS = {"ecb": "de", "vuelta": "es", "louvre": "fr"}


def _run(src: Path, tgt: Path, glossary: Path | None = None, encoder: str | None = "use-m3"):
    opts = Options(profile="fast", scorers=["use-cosine"], glossary=str(glossary) if glossary else None,
                   encoder=encoder)
    return run(str(src), str(tgt), opts)


@pytest.fixture(scope="module")
def seed():
    return _run(ROOT / "seeds" / "idlib-2019-12-01.fr.txt", ROOT / "seeds" / "idlib-2019-12-01.en.txt")


@pytest.fixture(scope="module")
def reports():
    out = {}
    for name, lang in PAIRS.items():
        for kind in ("clean", "damaged"):
            tgt = DATA / (f"{name}.en.txt" if kind == "clean" else f"{name}.damaged.en.txt")
            out[name, kind] = _run(DATA / f"{name}.{lang}.txt", tgt, DATA / f"{name}.glossary.csv")
    return out


def _offsets_ok(report, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for issue in report.issues:
        if issue.target_start is not None:
            assert text[issue.target_start : issue.target_end] == issue.evidence[0], issue


def test_seed_findings(seed):
    issues = seed.issues
    inc = [i for i in issues if i.type == "entity-inconsistency"]
    assert sum({"SDF", "SDS"} <= set(i.evidence) for i in inc) == 1
    assert (
        sum(any("Rahman" in e for e in i.evidence) and any("Rahmane" in e for e in i.evidence) for i in inc)
        == 1
    )
    assert any(i.type == "untranslated" and i.evidence[0] == "OSDH" for i in issues)
    # the fast profile has only the cosine scorer, which barely ranks headings: any flag will do here;
    # the accurate profile (below) must call it major
    battled = [i for i in issues if i.target_paragraph == 12]
    assert battled and battled[0].type in ("mistranslation", "fluency") and "Battled" in battled[0].evidence
    assert not any(i.target_paragraph == 7 and i.severity != "minor" for i in issues)  # "Truce violated"
    fluency = {(i.target_paragraph, i.evidence[0]) for i in issues if i.type == "fluency"}
    assert (6, "Hayat group Tahrir al-Sham") in fluency  # "du groupe Hayat Tahrir al-Cham"
    assert (14, "the last two years victories") in fluency
    assert not any(i.target_paragraph == 18 for i in issues)  # "The conflict has left more than 370,000 dead"
    # besides issue 14's minor findings: Téhéran -> Iran (metonymy), "called to call" (calque), and the
    # spelling variants of one name (Rahman / Rahmane), minor since the SDF / SDS acronyms name two bodies
    new_minor = ("entity-fidelity", "garbled")
    variants = [i for i in inc if i.severity == "minor"]
    assert [sorted(v.evidence[:2]) for v in variants] == [["Rami Abdel Rahman", "Rami Abdel Rahmane"]]
    assert [i.severity for i in inc if "SDS" in i.evidence] == ["major"]
    others = [i for i in issues if i.severity == "minor" and i.check not in new_minor and i not in variants]
    assert len(others) <= 3
    _offsets_ok(seed, ROOT / "seeds" / "idlib-2019-12-01.en.txt")
    table = {e["source"]: e for e in seed.entities}
    assert [r["text"] for r in table["FDS"]["renderings"]] == ["SDF", "SDS"]
    assert table["FDS"]["renderings"][0]["paragraphs"] == [15]


@pytest.mark.parametrize("name", list(PAIRS))
def test_clean_pairs_have_no_issue(reports, name):
    report = reports[name, "clean"]
    # not even minor ones: UCI and CNRS are kept internationally, paraphrases rank low with the cosine
    assert [(i.type, i.target_paragraph, i.evidence[0]) for i in report.issues] == []
    _offsets_ok(report, DATA / f"{name}.en.txt")


# planted errors: (type, target paragraph, text in evidence or None)
PLANTED = {
    "ecb": [
        ("untranslated", 1, "EZB"),
        ("glossary", 1, None),
        ("omission", 3, None),
        ("mistranslation", 4, None),
        ("entity-inconsistency", 5, "Lagarte"),
        ("untranslated", 5, None),
        ("number-mismatch", 6, "15,320"),
        ("length-ratio", 7, None),
        ("addition", 8, None),
        ("date-mismatch", 9, "November"),  # month changed (the date check, since it reads every CLDR locale)
    ],
    "vuelta": [
        ("number-mismatch", 2, "24"),
        ("addition", 5, None),
        ("glossary", 6, None),
        ("length-ratio", 7, None),
        ("untranslated", 8, None),
        ("entity-inconsistency", 9, "Bernall"),
        ("entity-inconsistency", 6, "Roglitsch"),  # sentence-initial, transliterated
        ("fluency", 4, "Thousand of"),  # "Thousand of fans hoped the runners in the ramps finals"
        ("fluency", 4, "the 20%"),
    ],
    "louvre": [
        ("number-mismatch", 2, "17"),
        ("entity-inconsistency", 5, "Laurence de Kars"),
        ("glossary", 8, None),
        ("mistranslation", 8, None),
        ("fluency", 7, "will costed"),  # "will costed around 12 millions of euros of the sides"
        ("fluency", 7, "12 millions"),
        # added sentence at the end of ¶8, merged by the aligner with the cut translation of ¶9
        ("addition", 8, "Visitors will soon be able to bring their bicycles inside the galleries."),
        ("omission", 9, "Finally, the president underlined."),
    ],
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_damaged_pairs_planted_errors_found(reports, name):
    report = reports[name, "damaged"]
    for kind, para, text in PLANTED[name]:
        assert any(
            i.type == kind
            and (para is None or i.target_paragraph == para)
            and (text is None or text in i.evidence)
            for i in report.issues
        ), (kind, para, text)
    _offsets_ok(report, DATA / f"{name}.damaged.en.txt")


def test_seed_accurate_profile():
    """The accurate profile (learned e5-qe scorer combined with the cosine) keeps the seed findings and
    raises no mistranslation on the correct ¶18; skipped where the e5-qe model is not installed."""
    from mtqa.scorers import SCORERS, scorer_names

    if "e5-qe" not in scorer_names() or not SCORERS["e5-qe"]().available()[0]:
        pytest.skip("e5-qe model not installed")
    report = run(
        str(ROOT / "seeds" / "idlib-2019-12-01.fr.txt"),
        str(ROOT / "seeds" / "idlib-2019-12-01.en.txt"),
        Options(profile="accurate"),
    )
    # the checks' findings; the e5-qe word head's spans (origin "model", advisory, tuned for word-level MCC on
    # MQM data) mark words in correct paragraphs too and are tested in tests/qe/test_spans.py
    issues = [i for i in report.issues if i.origin == "rule"]
    assert any(i.type == "untranslated" and i.evidence[0] == "OSDH" for i in issues)
    # the garbled heading "Battled key" ("Bataille cle"): since the 6-layer e5-qe (stop 10) it ranks less
    # far below the rest (z > -2.5), so it is a minor fluency finding on "Battled" rather than a major one
    assert any(
        i.target_paragraph == 12 and i.type in ("mistranslation", "fluency") and "Battled" in i.evidence
        for i in issues
    )
    assert not any(i.target_paragraph in (7, 18) for i in issues)  # correct "Truce violated", ¶18
    assert not any(i.evidence[0] == "Damascus" for i in issues)  # an exonym, not a wrong word form
    _offsets_ok(report, ROOT / "seeds" / "idlib-2019-12-01.en.txt")


# what the static encoder (the fast profile's default) misses: the cosine of "Viele Unternehmen klagen über
# hohe Energiekosten" / "Many companies enjoy cheap holidays at the seaside with their dogs" ranks lowest in
# its document but less far below the rest (z -2.1 vs -3) than with USE v3's contextual features
STATIC_MISSES = {("ecb", "mistranslation", 4, None)}


@pytest.mark.parametrize("name", list(PAIRS))
def test_static_encoder_on_the_planted_errors(name):
    lang = PAIRS[name]
    glossary = DATA / f"{name}.glossary.csv"
    clean = _run(DATA / f"{name}.{lang}.txt", DATA / f"{name}.en.txt", glossary, encoder=None)
    assert [(i.type, i.target_paragraph, i.evidence[0]) for i in clean.issues] == []
    report = _run(DATA / f"{name}.{lang}.txt", DATA / f"{name}.damaged.en.txt", glossary, encoder=None)
    assert any(m.name == "align:use-m3-static" for m in report.models)
    found = {
        (kind, para, text)
        for kind, para, text in PLANTED[name]
        if any(i.type == kind and (para is None or i.target_paragraph == para)
               and (text is None or text in i.evidence) for i in report.issues)
    }
    assert found >= {p for p in PLANTED[name] if (name, *p) not in STATIC_MISSES}


def test_entity_table_stays_when_the_entity_checks_are_off(seed):
    """The entity table is a pipeline stage, not a by-product of the entity checks."""
    opts = Options(profile="fast", scorers=["use-cosine"], encoder="use-m3",
                   disabled_checks=["entity-inconsistency", "entity-split", "untranslated", "fluency"])
    seeds = ROOT / "seeds"
    report = run(str(seeds / "idlib-2019-12-01.fr.txt"), str(seeds / "idlib-2019-12-01.en.txt"), opts)
    assert report.entities == seed.entities and any(e["source"] == "FDS" for e in report.entities)
    assert not {i.check for i in report.issues} & {"entity-inconsistency", "entity-split", "untranslated",
                                                   "grammar-en", "calque"}
    assert {i.check for i in seed.issues} >= {"entity-inconsistency", "entity-split", "untranslated",
                                              "grammar-en"}
    # the checks that stayed on raise what they raised with every check on
    kept = [i for i in seed.issues if i.check not in ("entity-inconsistency", "entity-split", "untranslated",
                                                      "grammar-en", "calque")]
    assert [i.to_json() for i in report.issues] == [i.to_json() for i in kept]
