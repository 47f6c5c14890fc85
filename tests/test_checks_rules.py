"""Each check on a hand-built context: one passing and one failing pair."""

from mtqa.checks import CheckContext, load_checks
from mtqa.document import Document, Paragraph, Sentence
from mtqa.report import Segment


def _doc(sentences: list[str], lang: str) -> Document:
    text = "\n\n".join(sentences)
    doc = Document(text=text, lang=lang)
    pos = 0
    for k, s in enumerate(sentences):
        doc.paragraphs.append(Paragraph(k + 1, pos, pos + len(s), s))
        doc.sentences.append(Sentence(k, k + 1, pos, pos + len(s), s))
        pos += len(s) + 2
    return doc


def _ctx(src: list[str], tgt: list[str], src_lang="fr", tgt_lang="en", scores=None, glossary=()):
    s, t = _doc(src, src_lang), _doc(tgt, tgt_lang)
    segs = []
    for k in range(len(src)):
        segs.append(
            Segment(
                k,
                src[k],
                tgt[k],
                [k + 1],
                [k + 1],
                "1-1",
                scores[k] if scores else 0.95,
                source_sentences=[k],
                target_sentences=[k],
                source_start=s.sentences[k].start,
                source_end=s.sentences[k].end,
                target_start=t.sentences[k].start,
                target_end=t.sentences[k].end,
            )
        )
    return CheckContext(s, t, segs, list(glossary), [x.score for x in segs])


def _run(name, ctx):
    return list(load_checks()[name].fn(ctx))


def test_number_mismatch():
    ok = _ctx(["Le 1er décembre, 400 000 personnes, soit 70 %."], ["On December 1, 400,000 people, or 70%."])
    assert _run("number-mismatch", ok) == []
    bad = _ctx(["Le 1er décembre, 400 000 personnes."], ["On November 1, 300,000 people."])
    found = _run("number-mismatch", bad)
    assert {i.evidence[0] for i in found} == {"300,000", "November"}
    assert all(bad.target.text[i.target_start : i.target_end] == i.evidence[0] for i in found)


def test_glossary():
    g = [("cessez-le-feu", "ceasefire")]
    assert _run("glossary", _ctx(["Le cessez-le-feu tient."], ["The ceasefire holds."], glossary=g)) == []
    (issue,) = _run("glossary", _ctx(["Le cessez-le-feu tient."], ["The truce holds."], glossary=g))
    assert issue.type == "glossary" and issue.evidence[0] == "The truce holds."


def test_entity_inconsistency_and_untranslated():
    src = ["Les Forces démocratiques syriennes (FDS) avancent.", "Les FDS reculent.", "Les FDS tiennent."]
    good = ["The Syrian Democratic Forces (SDF) advance.", "The SDF retreat.", "The SDF hold."]
    bad = ["The Syrian Democratic Forces (SDF) advance.", "The SDS retreat.", "The SDF hold."]
    assert _run("entity-inconsistency", _ctx(src, good)) == []
    (issue,) = _run("entity-inconsistency", _ctx(src, bad))
    assert issue.evidence[:2] == ["SDS", "SDF"] and issue.target_paragraph == 2
    src2 = ["Selon l'Observatoire syrien des droits de l'homme (OSDH), ça va."]
    assert (
        _run(
            "untranslated", _ctx(src2, ["According to the Syrian Observatory for Human Rights (SOHR), fine."])
        )
        == []
    )
    (u,) = _run(
        "untranslated", _ctx(src2, ["According to the Syrian Observatory for Human Rights (OSDH), fine."])
    )
    assert u.evidence[0] == "OSDH"


def test_untranslated_segment():
    src = ["Les combats se sont intensifiés au cours des dernières semaines."]
    assert (
        _run("untranslated", _ctx(src, ["Fighting has intensified in recent weeks across the region."])) == []
    )
    (u,) = _run("untranslated", _ctx(src, src))
    assert u.type == "untranslated" and u.severity == "major"


def test_mistranslation_heading():
    src = ["Bataille clé", "Trêve violée"] + [f"Phrase numéro {k} du texte source." for k in range(6)]
    tgt = ["Battled key", "Truce violated"] + [f"Sentence number {k} of the source text." for k in range(6)]
    ctx = _ctx(src, tgt, scores=[0.85, 0.24] + [0.96, 0.97, 0.95, 0.96, 0.98, 0.955])
    found = _run("mistranslation", ctx)
    assert [i.target_paragraph for i in found] == [1]
    assert "Battled" in found[0].evidence
