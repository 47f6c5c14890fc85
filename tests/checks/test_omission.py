"""The omission family (clause-omission, clause-addition): clauses dropped from or added to long sentences."""

from __future__ import annotations

import functools

import pytest

from mtqa.checks import run_check
from tests.fakes import make_context

# clause-omission compares words with the static USE encoder, clause-addition with USE
pytestmark = pytest.mark.models

# a short French news story and its faithful English translation, one sentence a paragraph
PLAN_FR = [
    "Le gouvernement a présenté hier un nouveau plan pour réduire la dette publique du pays.",
    "Les syndicats ont critiqué ce plan, qu'ils jugent injuste pour les salariés les plus modestes.",
    "Le ministre des Finances défendra le texte devant le Parlement la semaine prochaine à Paris.",
    "Selon les économistes interrogés, les mesures pourraient ralentir la croissance dès l'an prochain.",
    "Plusieurs députés de la majorité ont demandé des garanties pour les retraités et les étudiants.",
]
PLAN_EN = [
    "The government yesterday presented a new plan to reduce the country's public debt.",
    "The unions criticised the plan, which they consider unfair to the lowest-paid employees.",
    "The finance minister will defend the text before Parliament in Paris next week.",
    "According to the economists interviewed, the measures could slow growth as early as next year.",
    "Several majority MPs have asked for guarantees for pensioners and students.",
]


def test_clause_omission():
    src, full = PLAN_FR, PLAN_EN
    check = functools.partial(run_check, "clause-omission")
    assert list(check(make_context(src, full, "fr"))) == []
    cut = [*full[:4], "Several majority MPs have asked for guarantees."]
    (issue,) = check(make_context(src, cut, "fr"))
    assert issue.severity == "major" and issue.type == "omission" and issue.segment == 4
    assert issue.source_start is not None


def test_clause_addition():
    src, full = PLAN_FR, PLAN_EN
    check = functools.partial(run_check, "clause-addition")
    assert list(check(make_context(src, full, "fr"))) == []
    # an added fact (a name, a figure) is major; an added phrasing is minor
    for extra, severity, word in (
        ("who met Emmanuel Macron at the Elysée Palace last winter", "major", "Macron"),
        ("whose football club won the cup in a dramatic final last winter", "minor", "football"),
    ):
        last = f"Several majority MPs, {extra}, have asked for guarantees for pensioners and students."
        added = [*full[:4], last]
        ctx = make_context(src, added, "fr")
        (issue,) = check(ctx)
        assert issue.severity == severity and issue.type == "addition" and issue.segment == 4
        span = ctx.target.text[issue.target_start : issue.target_end]
        assert word in span and "pensioners" not in span


def test_deep_cut_needs_one_lost_word(monkeypatch):
    """Under 64% of the predicted length one source word without a counterpart is enough (above, two)."""
    from mtqa.checks.families import omission

    check = functools.partial(run_check, "clause-omission")
    src = [*PLAN_FR[:4], "Plusieurs députés de la majorité ont demandé des garanties pour les retraités."]
    ctx = make_context(src, [*PLAN_EN[:4], "Majority MPs asked for guarantees."], "fr")
    (issue,) = check(ctx)
    assert issue.severity == "major" and issue.message.endswith("no counterpart for retraités")
    monkeypatch.setattr(omission, "DEEP_DROP", 5.0)  # no cut is deep enough: one lost word is too few
    assert list(check(ctx)) == []


def test_terse_complete_rendering_is_not_an_omission():
    # a translation far shorter than the document's ratio predicts, but every source content word has a
    # counterpart: a terse rendering, not a dropped clause
    last = "Il est absolument certain que les prix de l'énergie ont beaucoup augmenté depuis janvier."
    src = [*PLAN_FR[:4], last]
    tgt = [*PLAN_EN[:4], "Energy prices have certainly soared since January."]
    assert list(run_check("clause-omission", make_context(src, tgt, "fr"))) == []


def test_omission_ignores_shortened_places_and_first_connectives():
    """A place the translation names in a shorter form (Etats-Unis d'Amérique -> US) and a sentence's first
    word are no lost content; a qualifier that is gone still is."""
    check = functools.partial(run_check, "clause-omission")
    src = [*PLAN_FR[:4], "Pourtant, en raison de la politique des États-Unis d'Amérique, aucun de ces "
           "changements ne sera facilement obtenu."]
    tgt = [*PLAN_EN[:4], "Yet owing to US policy, none of these changes will come easily."]
    assert list(check(make_context(src, tgt, "fr"))) == []
    src[4] = "Pourtant, les syndicats exigent des garanties écrites pour les retraités et les étudiants."
    (issue,) = check(make_context(src, [*PLAN_EN[:4], "Yet the unions want guarantees."], "fr"))
    assert "retraités" in issue.message and "Pourtant" not in issue.message
