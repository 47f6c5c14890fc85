"""The check registry (mtqa.checks.registry): a broken family module is an error, a check needing a
missing package is skipped and says so, former names still turn checks off."""

from __future__ import annotations

import pytest

from mtqa.checks import load_checks, run_checks
from tests.fakes import make_context


@pytest.mark.models
def test_calque_and_grammar_turn_off_alone_and_fluency_turns_off_both():

    # a heading calque ranked low (but not far enough to be a mistranslation) and a grammar slip
    src = ["Bataille clé"] + [f"Phrase numéro {k} du texte source." for k in range(6)]
    src.append("Des milliers de fans attendaient devant le stade.")
    tgt = ["Battled key"] + [f"Sentence number {k} of the source text." for k in range(6)]
    tgt.append("Thousand of fans waited in front of the stadium.")

    def checks_run(disabled):
        ctx = make_context(src, tgt, scores=[0.90] + [0.96, 0.97, 0.95, 0.96, 0.98, 0.955] + [0.95])
        return sorted({i.check for i in run_checks(ctx, "fast", disabled) if i.type == "fluency"})

    assert checks_run([]) == ["calque", "grammar-en"]
    assert checks_run(["calque"]) == ["grammar-en"]
    assert checks_run(["grammar-en"]) == ["calque"]
    assert checks_run(["fluency"]) == []  # the former name of the two


def test_a_broken_check_module_is_an_error(tmp_path, monkeypatch):

    import mtqa.checks.families

    (tmp_path / "zz_broken.py").write_text("import mtqa_no_such_module\n", encoding="utf-8")
    monkeypatch.setattr(mtqa.checks.families, "__path__", [*mtqa.checks.families.__path__, str(tmp_path)])
    with pytest.raises(ImportError, match="mtqa_no_such_module"):
        load_checks()


@pytest.mark.models
def test_a_check_needing_a_missing_package_is_skipped_and_says_so(monkeypatch):
    from mtqa.checks import CHECKS, check
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
    assert not any(i.check == "needs-absent" for i in run_checks(make_context(["Un."], ["One."]), "fast"))
