"""Each check on a hand-built context: one passing and one failing pair."""

from mtqa.checks import CheckContext, load_checks, run_check
from mtqa.document import Document, Paragraph, Sentence
from mtqa.report import Segment
from tests.fakes import sentence_paragraphs as _doc


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
    return CheckContext(s, t, segs, list(glossary))


def _run(name, ctx):
    return list(run_check(name, ctx))


def test_number_mismatch():
    ok = _ctx(["Le 1er décembre, 400 000 personnes, soit 70 %."], ["On December 1, 400,000 people, or 70%."])
    assert _run("number-mismatch", ok) == []
    bad = _ctx(["Le 1er décembre, 400 000 personnes."], ["On November 1, 300,000 people."])
    found = _run("number-mismatch", bad)
    assert {i.evidence[0] for i in found} == {"300,000"}
    assert all(bad.target.text[i.target_start : i.target_end] == i.evidence[0] for i in found)
    # the changed month is the date check's, reported once
    (date,) = _run("date-mismatch", bad)
    assert bad.target.text[date.target_start : date.target_end].startswith("November")


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


def test_kept_acronym_severity_by_source_language():
    """Kept in three paragraphs: major for a French acronym in English, minor for an English one in German
    (PLO, NAFTA kept in German is common practice)."""
    fr = ["L'Observatoire syrien des droits de l'homme (OSDH) publie un bilan.", "L'OSDH compte les morts.",
          "Selon l'OSDH, les combats continuent."]
    en = ["The Syrian Observatory for Human Rights (OSDH) publishes a toll.", "The OSDH counts the dead.",
          "According to the OSDH, fighting goes on."]
    (u,) = _run("untranslated", _ctx(fr, en))
    assert u.severity == "major" and u.evidence[0] == "OSDH"
    en_src = ["The Palestine Liberation Organization (PLO) met.", "The PLO voted.", "The PLO agreed."]
    de = ["Die Palästinensische Befreiungsorganisation (PLO) tagte.", "Die PLO stimmte ab.",
          "Die PLO stimmte zu."]
    (u,) = _run("untranslated", _ctx(en_src, de, src_lang="en", tgt_lang="de"))
    assert u.severity == "minor" and u.evidence[0] == "PLO"

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


def test_fluency_rules_english():
    from mtqa.checks.families.grammar_en import rule_hits

    def hits(text):
        return [text[s:e] for s, e, _ in rule_hits(text)]

    assert hits("Thousand of fans waited.") == ["Thousand of"]
    assert hits("A thousand of them waited; thousands of fans, two thousand of them.") == []
    assert hits("It will cost about 12 million euros.") == []
    assert hits("It will costed around 12 millions of euros.") == ["12 millions", "will costed"]
    assert hits("They will need help and could succeed; the will expired.") == []
    assert hits("It could not went") == ["could not went"]
    assert hits("The regime has chained the last two years victories.") == ["the last two years victories"]
    assert hits("In the last two years prices rose. Over the past two years was hard.") == []
    # the check: English targets only, offsets slice the evidence
    ctx = _ctx(["Des milliers de fans attendaient."], ["Thousand of fans waited."])
    (issue,) = _run("grammar-en", ctx)
    assert issue.type == "fluency" and issue.severity == "minor"
    assert ctx.target.text[issue.target_start : issue.target_end] == issue.evidence[0] == "Thousand of"
    french = _ctx(["Thousand of fans waited."], ["Thousand of fans waited."], "en", "fr")
    assert _run("grammar-en", french) == []


def test_name_variant_sentence_initial():
    src = ["Bernal devance le Slovène Primož Roglič.", "Roglič garde le maillot rouge."]
    good = ["Bernal beat the Slovenian Primož Roglič.", "Roglič keeps the red jersey."]
    bad = ["Bernal beat the Slovenian Primož Roglič.", "Roglitsch keeps the red jersey."]
    assert _run("entity-inconsistency", _ctx(src, good)) == []
    (issue,) = _run("entity-inconsistency", _ctx(src, bad))
    assert issue.evidence[:2] == ["Roglitsch", "Roglič"] and issue.target_paragraph == 2


def test_entity_split():
    src = ["Idleb est dominée par les jihadistes du groupe Hayat Tahrir al-Cham (HTS)."]
    good = ["Idleb is dominated by the jihadists of the Hayat Tahrir al-Sham (HTS) group."]
    bad = ["Idleb is dominated by the jihadists of the Hayat group Tahrir al-Sham (HTS)."]
    assert _run("entity-split", _ctx(src, good)) == []
    (issue,) = _run("entity-split", _ctx(src, bad))
    assert issue.type == "fluency"
    assert issue.evidence == ["Hayat group Tahrir al-Sham", "Hayat Tahrir al-Cham"]
    # a translated multiword name is not a split one
    src2 = ["Selon le ministère de la Culture, Bruno Le Maire a parlé."]
    tgt2 = ["According to the Ministry of Culture, Bruno Le Maire spoke."]
    assert _run("entity-split", _ctx(src2, tgt2)) == []


def test_acronym_kept_internationally_is_not_untranslated():
    # UCI / International Cycling Union: the acronym's letters are the target initials reordered
    ok = _ctx(
        ["Según la Unión Ciclista Internacional (UCI), hizo calor."],
        ["According to the International Cycling Union (UCI), it was hot."],
        "es",
    )
    assert _run("untranslated", ok) == []
    ok2 = _ctx(
        ["Le Centre national de la recherche scientifique (CNRS) participe."],
        ["The National Centre for Scientific Research (CNRS) takes part."],
    )
    assert _run("untranslated", ok2) == []
    # ... unless the translation itself uses the target-language acronym elsewhere
    src = ["La Unión Ciclista Internacional (UCI) decide.", "La UCI lo confirma."]
    tgt = ["The International Cycling Union (UCI) decides.", "The ICU confirms."]
    (u,) = _run("untranslated", _ctx(src, tgt, "es"))
    assert u.evidence[0] == "UCI"
    # letters the target words do not give: a source-language acronym
    ezb = _ctx(["Die Europäische Zentralbank (EZB) tagt."], ["The European Central Bank (EZB) meets."], "de")
    (u,) = _run("untranslated", ezb)
    assert u.evidence[:3] == ["EZB", "European Central Bank", "ECB"]


def test_mistranslation_weak_tier_needs_a_clear_drop_and_agreement():
    from dataclasses import replace

    from mtqa.checks.families.qe import mistranslation_verdict
    from mtqa.checks.kit.words import WordEvidence
    from mtqa.report import Segment

    src = "Il a fait plus de 370 000 morts et des millions de déplacés."
    seg = Segment(0, src, "x", [1], [1], "1-1", 0.72)
    ev = WordEvidence(wrong_form=[], words=5, unmatched=["conflict", "left"])
    assert mistranslation_verdict(seg, -7.8, ev, 0.23) is None  # a paraphrase, 0.23 below the median
    assert mistranslation_verdict(seg, -7.8, ev, 0.35) == "minor"
    assert mistranslation_verdict(seg, -7.8, replace(ev, agree=False), 0.35) is None


def test_per_scorer_z_needs_two_scorers():
    from mtqa.checks.families.qe import per_scorer_z

    src = [f"Phrase numéro {k} du texte source." for k in range(6)]
    tgt = [f"Sentence number {k} of the source text." for k in range(6)]
    ctx = _ctx(src, tgt, scores=[0.9, 0.91, 0.92, 0.9, 0.93, 0.5])
    assert per_scorer_z(ctx) == {}
    cosine = [0.9, 0.91, 0.92, 0.9, 0.93, 0.5]
    learned = [0.8, 0.82, 0.81, 0.8, 0.83, 0.81]
    for seg, a, b in zip(ctx.segments, cosine, learned, strict=True):
        seg.scores = {"use-cosine": a, "e5-qe": b}
    z = per_scorer_z(ctx)
    assert min(z[5]) < -3 and max(z[5]) > -1.5  # the scorers disagree on the last segment


def _paras_doc(paras: list[list[str]], lang: str) -> Document:
    doc = Document(text="\n\n".join(" ".join(p) for p in paras), lang=lang)
    pos = 0
    for n, p in enumerate(paras, 1):
        start = pos
        for sent in p:
            doc.sentences.append(Sentence(len(doc.sentences), n, pos, pos + len(sent), sent))
            pos += len(sent) + 1
        doc.paragraphs.append(Paragraph(n, start, pos - 1, doc.text[start : pos - 1]))
        pos += 1
    return doc


def test_stray_sentence_merged_across_paragraphs():
    src = [[f"Phrase numéro {k}."] for k in range(4)] + [["La présidente a souligné que tout va bien."]]
    tgt = [[f"Sentence number {k}."] for k in range(3)] + [["Sentence number 3.", "Bikes are allowed."]]
    tgt += [["The president stressed."]]
    s, t = _paras_doc(src, "fr"), _paras_doc(tgt, "en")
    groups = [([k], [k]) for k in range(4)] + [([4], [4, 5])]
    segs = []
    for k, (si, ti) in enumerate(groups):
        ss, ts = [s.sentences[i] for i in si], [t.sentences[j] for j in ti]
        text = t.text[ts[0].start : ts[-1].end]
        segs.append(
            Segment(k, ss[0].text, text, [x.paragraph for x in ss], [x.paragraph for x in ts], "1-1", 0.9,
                    source_sentences=si, target_sentences=ti, source_start=ss[0].start, source_end=ss[-1].end,
                    target_start=ts[0].start, target_end=ts[-1].end)
        )  # fmt: skip
    ctx = CheckContext(s, t, segs, [])
    (add,) = _run("addition", ctx)
    assert add.evidence == ["Bikes are allowed."] and add.target_paragraph == 4
    assert t.text[add.target_start : add.target_end] == "Bikes are allowed."
    segs[4].target_sentences, segs[4].target_paragraphs = [5], [5]
    assert _run("addition", ctx) == []


def test_calque_and_grammar_turn_off_alone_and_fluency_turns_off_both():
    from mtqa.checks import run_checks

    # a heading calque ranked low (but not far enough to be a mistranslation) and a grammar slip
    src = ["Bataille clé"] + [f"Phrase numéro {k} du texte source." for k in range(6)]
    src.append("Des milliers de fans attendaient devant le stade.")
    tgt = ["Battled key"] + [f"Sentence number {k} of the source text." for k in range(6)]
    tgt.append("Thousand of fans waited in front of the stadium.")

    def checks_run(disabled):
        ctx = _ctx(src, tgt, scores=[0.90] + [0.96, 0.97, 0.95, 0.96, 0.98, 0.955] + [0.95])
        return sorted({i.check for i in run_checks(ctx, "fast", disabled) if i.type == "fluency"})

    assert checks_run([]) == ["calque", "grammar-en"]
    assert checks_run(["calque"]) == ["grammar-en"]
    assert checks_run(["grammar-en"]) == ["calque"]
    assert checks_run(["fluency"]) == []  # the former name of the two


class _RecordingEncoder:
    """Wraps an encoder and records the words the checks embed with it."""

    name = "recording"

    def __init__(self, inner):
        self.inner, self.seen = inner, []

    def encode(self, texts):
        self.seen += list(texts)
        return self.inner.encode(texts)

    def signature(self):
        return self.inner.signature()


def test_checks_embed_words_with_the_context_encoder():
    from mtqa.encoders import get_encoder

    src = ["Bataille clé", "Trêve violée"] + [f"Phrase numéro {k} du texte source." for k in range(6)]
    tgt = ["Battled key", "Truce violated"] + [f"Sentence number {k} of the source text." for k in range(6)]
    ctx = _ctx(src, tgt, scores=[0.85, 0.24] + [0.96, 0.97, 0.95, 0.96, 0.98, 0.955])
    ctx.encoder = _RecordingEncoder(get_encoder("use-m3"))
    assert [i.target_paragraph for i in _run("mistranslation", ctx)] == [1]
    assert "Battled" in ctx.encoder.seen and "Bataille" in ctx.encoder.seen


def test_a_broken_check_module_is_an_error(tmp_path, monkeypatch):
    import pytest

    import mtqa.checks.families

    (tmp_path / "zz_broken.py").write_text("import mtqa_no_such_module\n", encoding="utf-8")
    monkeypatch.setattr(mtqa.checks.families, "__path__", [*mtqa.checks.families.__path__, str(tmp_path)])
    with pytest.raises(ImportError, match="mtqa_no_such_module"):
        load_checks()


def test_a_check_needing_a_missing_package_is_skipped_and_says_so(monkeypatch):
    from mtqa.checks import CHECKS, check, run_checks
    from mtqa.report import Issue

    monkeypatch.setattr("mtqa.checks.registry.CHECKS", dict(load_checks()))

    @check("needs-absent", issue_type="fluency", mqm="fluency", requires=("mtqa_no_such_package",))
    def needs_absent(ctx):
        """Always complains."""
        yield Issue(type="fluency", severity="minor", message="x", target_paragraph=1)

    import mtqa.checks.registry

    info = mtqa.checks.registry.CHECKS["needs-absent"]
    assert info.missing == ["mtqa_no_such_package"] and "not run: needs mtqa_no_such_package" in info.help
    assert "needs-absent" not in CHECKS  # registered in the patched registry only
    assert not any(i.check == "needs-absent" for i in run_checks(_ctx(["Un."], ["One."]), "fast"))


def test_a_broken_scorer_module_is_an_error(monkeypatch):
    import sys

    import pytest

    import mtqa.scorers

    assert mtqa.scorers.SCORERS["e5-qe"].name == "e5-qe"  # loads fine
    monkeypatch.setattr(mtqa.scorers.SCORERS, "loaded", {})
    monkeypatch.delattr(mtqa.scorers, "transformers_scorers", raising=False)
    monkeypatch.setitem(sys.modules, "mtqa.scorers.transformers_scorers", None)  # an import that fails
    with pytest.raises(ImportError):
        mtqa.scorers.build_scorers("accurate")
