"""The parts of a livable gate one by one: fingerprints, baselines, waivers, suggestions and `mtqa fix`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from mtqa.baseline import Baseline, BaselineEntry, load_baseline, updated
from mtqa.config import parse_config
from mtqa.document import Document
from mtqa.errors import MtqaError
from mtqa.fingerprint import fingerprint
from mtqa.report import Issue
from mtqa.suggest import escape_for, suggest

PAIR = 'source = "fr/*.txt"\ntranslation = "en/{stem}.txt"\n'


def _issue(**kw) -> Issue:
    base = {"type": "entity-inconsistency", "severity": "major", "message": "m", "target_paragraph": 1,
            "check": "entity-inconsistency"}
    return Issue(**{**base, **kw})


def test_fingerprint_ignores_offsets_and_whitespace_but_not_the_text():
    a = _issue(target_start=4, target_end=7, evidence=["SDS", "SDF"])
    b = _issue(target_start=104, target_end=107, evidence=["SDS", "SDF"])
    assert fingerprint(a, "the SDS x") == fingerprint(b, "x" * 100 + "the SDS y")
    spaced, plain = _issue(evidence=["Rami  Abdel\nRahman"]), _issue(evidence=["Rami Abdel Rahman"])
    assert fingerprint(spaced) == fingerprint(plain)
    other_text = _issue(target_start=4, target_end=7, evidence=["SDT", "SDF"])
    assert fingerprint(a, "the SDS x") != fingerprint(other_text, "the SDT x")
    other_check = _issue(target_start=4, target_end=7, evidence=["SDS", "SDF"], check="other")
    assert fingerprint(a, "the SDS x") != fingerprint(other_check, "the SDS x")
    assert len(fingerprint(a)) == 16 and int(fingerprint(a), 16) >= 0


def test_baseline_is_a_multiset_and_round_trips(tmp_path):
    issues = [_issue(message=f"m{k}", fingerprint=fp) for k, fp in enumerate(["aa", "bb", "aa"])]
    base = Baseline({"en/a.txt": [BaselineEntry("entity-inconsistency", "m", "aa"),
                                  BaselineEntry("entity-inconsistency", "m", "cc")]})
    counts = base.match("en/a.txt", issues)
    assert [i.baseline for i in issues] == ["unchanged", "new", "new"]  # the second "aa" is new
    assert str(counts) == "1 known, 2 new, 1 fixed"
    path = tmp_path / "b.json"
    path.write_text(updated(base, {"en/b.txt": issues}).dumps(), encoding="utf-8")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(data["documents"]) == ["en/a.txt", "en/b.txt"]
    assert [e["message"] for e in data["documents"]["en/b.txt"]] == ["m0", "m1", "m2"]
    again = load_baseline(path)
    assert again.known("en/b.txt") == {"aa": 2, "bb": 1}
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(MtqaError, match=r"b\.json:1:2: not a baseline JSON file"):
        load_baseline(path)
    with pytest.raises(MtqaError, match="no such baseline"):
        load_baseline(tmp_path / "missing.json")


@pytest.mark.parametrize("waive, message", [  # [[waive]] is on line 4
    ('type = "glossary"\nreason = "ok"\ncolour = "red"\n', r"toml:7:1: \[\[waive\]\]: unknown key 'colour'"),
    ('type = "glossary"\ntext = "x"\n', r"mtqa\.toml:4:1: \[\[waive\]\]: 'reason' is required"),
    ('type = "glossary"\nreason = ""\n', r"mtqa\.toml:6:1: \[\[waive\]\]: 'reason' must be a non-empty"),
    ('type = "glossary"\nreason = "ok"\nuntil = "x"\n', r"toml:7:1: \[\[waive\]\]: 'until' must be a date"),
])
def test_waiver_errors_name_file_line_and_column(waive, message, tmp_path):
    path = tmp_path / "mtqa.toml"
    path.write_text(PAIR + "\n[[waive]]\n" + waive, encoding="utf-8")
    import tomllib

    with pytest.raises(MtqaError, match=message):
        parse_config(tomllib.loads(path.read_text(encoding="utf-8")), path, tmp_path)


@pytest.mark.models
def test_waivers_in_check_unknown_type_strict_and_expired(tmp_path, monkeypatch, capsys):
    from mtqa.cli import main

    (tmp_path / "fr").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "fr/a.txt").write_text("Les FDS contrôlent la ville. Les FDS ont gagné.\n", encoding="utf-8")
    (tmp_path / "en/a.txt").write_text("The SDF control the town. The SDF won.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def check(waive: str, *args: str) -> int:
        (tmp_path / "mtqa.toml").write_text('src_lang = "fr"\ntgt_lang = "en"\nprofile = "fast"\n' + PAIR
                                            + "\n[[waive]]\n" + waive, encoding="utf-8")
        try:
            main(["check", *args])
        except SystemExit as exc:
            return exc.code or 0
        return 0

    assert check('type = "typo"\nreason = "x"\n') == 2
    err = capsys.readouterr().err
    assert "mtqa.toml:7:1: [[waive]]: unknown issue type or check 'typo'" in err and "Traceback" not in err
    assert check('type = "glossary"\nreason = "house style"\n', "--strict-waivers") == 2
    err = capsys.readouterr().err
    assert 'mtqa.toml:7:1: waiver glossary matched no issue (--strict-waivers)' in err
    assert len(err.strip().splitlines()) == 1
    assert check('type = "glossary"\nreason = "old"\nuntil = 2001-01-01\n', "--strict-waivers") == 0
    err = capsys.readouterr().err
    assert "mtqa.toml:7:1: waiver glossary expired on 2001-01-01; it no longer applies" in err


def _doc(text: str, lang: str = "en", **kw) -> Document:
    return Document(text, lang=lang, **kw)


@pytest.mark.parametrize("written, value, expected", [
    ("36", "33", "33"), ("1,250", "1200", "1,200"), ("1 250", "1300", "1 300"), ("2.5", "3.5", "3.5"),
    ("2,5", "3.5", "3,5"), ("900", "1200", None), ("12", "2.5", None),
])
def test_number_suggestion_copies_the_target_notation(written, value, expected):
    text = f"The council voted {written} to 12."
    s = text.index(written)
    issue = _issue(type="number-mismatch", check="number-mismatch", target_start=s,
                   target_end=s + len(written), evidence=[written, value])
    sug = suggest(issue, _doc("x", "fr"), _doc(text), [], [])
    assert (sug.text if sug else None) == expected
    if sug:
        assert (sug.start, sug.end) == (s, s + len(written))


def test_date_and_acronym_and_glossary_suggestions():
    text = "It happened in March, said the Syrian Observatory for Human Rights (OSDH). The OSDH added."
    s = text.index("March")
    date = _issue(type="date-mismatch", check="date-mismatch", target_start=s, target_end=s + 5,
                  evidence=["March", "avril"])
    assert suggest(date, _doc("x", "fr"), _doc(text), [], []).text == "April"
    ev = ["OSDH", "Syrian Observatory for Human Rights", "SOHR", "Observatoire syrien des droits de l'homme"]
    first, later = text.index("OSDH"), text.rindex("OSDH")
    defined = _issue(type="untranslated", check="untranslated", target_start=first, target_end=first + 4,
                     evidence=ev)
    assert suggest(defined, _doc("x", "fr"), _doc(text), [], []) is None  # the acronym defined in brackets
    assert suggest(defined, _doc("x", "fr"), _doc(text), [], [("OSDH", "SOHR")]).text == "SOHR"
    used = _issue(type="untranslated", check="untranslated", target_start=later, target_end=later + 4,
                  evidence=ev)
    assert suggest(used, _doc("x", "fr"), _doc(text), [], []).text == "Syrian Observatory for Human Rights"
    seg = "The Bundesbank raised rates."
    gl = _issue(type="glossary", check="glossary", target_start=0, target_end=len(seg),
                evidence=[seg, "Bundesbank", "German central bank"])
    sug = suggest(gl, _doc("x", "de"), _doc(seg), [], [])
    assert (sug.text, seg[sug.start:sug.end]) == ("German central bank", "Bundesbank")
    assert suggest(_issue(severity="minor", target_start=0, target_end=3, evidence=["Rahman", "Rahmane"]),
                   _doc("x", "fr"), _doc("Rahman said."), [], []) is None  # spelling variants: no guess


def test_escaping_and_markup_inside_the_span():
    assert escape_for("html", "AT&T <b>") == "AT&amp;T &lt;b&gt;"
    assert escape_for("markdown", "a*b_c") == "a\\*b\\_c"
    assert escape_for("text", "a*b") == "a*b"


@pytest.mark.models
def test_fix_markdown_and_html_touch_only_the_replaced_bytes(tmp_path, capsys):
    from mtqa.cli import main

    fr = ("Les Forces démocratiques syriennes (FDS) ont quitté Manbij.\r\n\r\n"
          "Les FDS contrôlent toujours un vaste territoire.\r\n")
    en = ("\ufeffThe *Syrian* Democratic Forces (SDF) left Manbij.\r\n\r\n"
          "The SDS still control a **vast** territory.\r\n")
    (tmp_path / "fr.md").write_text(fr, encoding="utf-8", newline="")
    (tmp_path / "en.md").write_text(en, encoding="utf-8", newline="")
    before = (tmp_path / "en.md").read_bytes()
    main(["fix", str(tmp_path / "fr.md"), str(tmp_path / "en.md"), "--profile", "fast",
          "--src-lang", "fr", "--tgt-lang", "en"])
    diff = capsys.readouterr().out
    assert "-The SDS still" in diff and "+The SDF still" in diff
    assert (tmp_path / "en.md").read_bytes() == before  # no --apply: nothing written
    main(["fix", str(tmp_path / "fr.md"), str(tmp_path / "en.md"), "--profile", "fast",
          "--src-lang", "fr", "--tgt-lang", "en", "--apply", "--only", "entity-inconsistency"])
    assert "applied 1 fix" in capsys.readouterr().err
    at = before.index(b"SDS")
    assert (tmp_path / "en.md").read_bytes() == before[:at] + b"SDF" + before[at + 3:]

    html_fr = "<p>Les FDS ont quitté Manbij.</p>\n<p>Les FDS contrôlent toujours la région.</p>\n"
    html_en = ("<p>The Syrian Democratic Forces (SDF) left Manbij.</p>\n"
               "<p>The <b>S</b>DS still control the region.</p>\n")
    (tmp_path / "fr.html").write_text(html_fr, encoding="utf-8")
    (tmp_path / "en.html").write_text(html_en, encoding="utf-8")
    main(["fix", str(tmp_path / "fr.html"), str(tmp_path / "en.html"), "--profile", "fast",
          "--src-lang", "fr", "--tgt-lang", "en", "--apply"])
    capsys.readouterr()
    assert (tmp_path / "en.html").read_text(encoding="utf-8") == html_en  # markup inside: not replaced


def test_fix_refuses_bilingual_files_in_one_line(tmp_path, capsys):
    from mtqa.cli import main

    (tmp_path / "a.txt").write_text("Bonjour.\n", encoding="utf-8")
    xlf = tmp_path / "b.xlf"
    xlf.write_text('<xliff version="1.2"><file><body/></file></xliff>', encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["fix", str(tmp_path / "a.txt"), str(xlf)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("mtqa: error:") and len(err.strip().splitlines()) == 1


@pytest.mark.models
def test_report_json_with_fingerprints_and_suggestions_validates(seed_report_fast, schema):
    import jsonschema

    data = json.loads(seed_report_fast.dumps())
    jsonschema.validate(data, schema)
    assert data["schema"] == "mtqa.report/1"
    assert all(len(i["fingerprint"]) == 16 for i in data["issues"])
    (sds,) = [i for i in data["issues"] if i["evidence"][:1] == ["SDS"]]
    text = Path(seed_report_fast.translation.path).read_text(encoding="utf-8")
    sug = sds["suggestion"]
    assert sug["text"] == "SDF" and text[sug["start"]:sug["end"]] == "SDS"
    assert not any("waived" in i or "baseline" in i for i in data["issues"])  # `mtqa check` only
    assert dt.date.today().year >= 2026


def test_waivers_in_pyproject_are_located_and_parsed(tmp_path):
    from mtqa.config import load_config

    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.mtqa]\nsource = "fr/*.txt"\ntranslation = "en/{stem}.txt"\n\n'
        '[[tool.mtqa.waive]]\ntype = "glossary"\ntext = "Bundesbank"\nreason = "house style"\n'
        "until = 2030-01-31\n\n[[tool.mtqa.waive]]\ntype = \"fluency\"\n", encoding="utf-8")
    with pytest.raises(MtqaError, match=r"pyproject\.toml:14:1: \[\[waive\]\]: 'reason' is required"):
        load_config(cwd=tmp_path)
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8").rsplit("\n[[tool.mtqa.waive]]", 1)[0]
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    (waiver,) = load_config(cwd=tmp_path).waivers
    assert (waiver.type, waiver.text, waiver.reason) == ("glossary", "Bundesbank", "house style")
    assert waiver.until == dt.date(2030, 1, 31)
    assert waiver.where.endswith("pyproject.toml:8:1")
    assert not waiver.expired(dt.date(2030, 1, 31)) and waiver.expired(dt.date(2030, 2, 1))
