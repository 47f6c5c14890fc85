"""The untranslated family: source-language acronyms and sentences left in the translation."""

from __future__ import annotations

from mtqa.checks import run_check
from tests.fakes import make_context


def test_kept_acronym_severity_by_source_language():
    """Kept in three paragraphs: major for a French acronym in English, minor for an English one in German
    (PLO, NAFTA kept in German is common practice)."""
    fr = ["L'Observatoire syrien des droits de l'homme (OSDH) publie un bilan.", "L'OSDH compte les morts.",
          "Selon l'OSDH, les combats continuent."]
    en = ["The Syrian Observatory for Human Rights (OSDH) publishes a toll.", "The OSDH counts the dead.",
          "According to the OSDH, fighting goes on."]
    (u,) = run_check("untranslated", make_context(fr, en))
    assert u.severity == "major" and u.evidence[0] == "OSDH"
    en_src = ["The Palestine Liberation Organization (PLO) met.", "The PLO voted.", "The PLO agreed."]
    de = ["Die Palästinensische Befreiungsorganisation (PLO) tagte.", "Die PLO stimmte ab.",
          "Die PLO stimmte zu."]
    (u,) = run_check("untranslated", make_context(en_src, de, src_lang="en", tgt_lang="de"))
    assert u.severity == "minor" and u.evidence[0] == "PLO"


def test_untranslated_segment():
    src = ["Les combats se sont intensifiés au cours des dernières semaines."]
    tgt = ["Fighting has intensified in recent weeks across the region."]
    assert run_check("untranslated", make_context(src, tgt)) == []
    (u,) = run_check("untranslated", make_context(src, src))
    assert u.type == "untranslated" and u.severity == "major"


def test_acronym_kept_internationally_is_not_untranslated():
    # UCI / International Cycling Union: the acronym's letters are the target initials reordered
    ok = make_context(
        ["Según la Unión Ciclista Internacional (UCI), hizo calor."],
        ["According to the International Cycling Union (UCI), it was hot."],
        "es",
    )
    assert run_check("untranslated", ok) == []
    ok2 = make_context(
        ["Le Centre national de la recherche scientifique (CNRS) participe."],
        ["The National Centre for Scientific Research (CNRS) takes part."],
    )
    assert run_check("untranslated", ok2) == []
    # ... unless the translation itself uses the target-language acronym elsewhere
    src = ["La Unión Ciclista Internacional (UCI) decide.", "La UCI lo confirma."]
    tgt = ["The International Cycling Union (UCI) decides.", "The ICU confirms."]
    (u,) = run_check("untranslated", make_context(src, tgt, "es"))
    assert u.evidence[0] == "UCI"
    # letters the target words do not give: a source-language acronym
    ezb = make_context(["Die Europäische Zentralbank (EZB) tagt."],
                       ["The European Central Bank (EZB) meets."], "de")
    (u,) = run_check("untranslated", ezb)
    assert u.evidence[:3] == ["EZB", "European Central Bank", "ECB"]
