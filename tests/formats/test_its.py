"""`mtqa score FILE.xlf --annotate OUT.xlf`: ITS 2.0 quality issues and MT confidence in XLIFF 1.2 / 2.x."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mtqa.formats.its import ITS_NS, annotate_xliff
from mtqa.report import Issue

UNITS = [
    ("Les Forces démocratiques syriennes (FDS) ont quitté la ville de Manbij en 2019.",
     "The Syrian Democratic Forces (SDF) left the town of Manbij in 2019."),
    ("Les FDS contrôlent toujours un vaste territoire, a déclaré la porte-parole.",
     "The SDS still control a vast territory &amp; more, {open}the{close} spokeswoman said."),
    ("Le conseil a voté 33 voix contre 12.", "The council voted 36 votes to 12."),
    ("Bonjour.", None),
]
G12 = ('<g id="1">', "</g>")
PC20 = ('<pc id="1">', "</pc>")
# ITS 2.0 localization quality issue types
LQI_TYPES = {"terminology", "mistranslation", "omission", "untranslated", "addition", "duplication",
             "inconsistency", "grammar", "legal", "register", "locale-specific-content", "locale-violation",
             "style", "characters", "misspelling", "typographical", "formatting", "inconsistent-entities",
             "numbers", "markup", "pattern-problem", "whitespace", "internationalization", "length",
             "non-conformance", "uncategorized", "other"}


def _target(t: str | None, code: tuple[str, str]) -> str:
    return "<target/>" if t is None else "<target>" + t.format(open=code[0], close=code[1]) + "</target>"


def _xliff(version: str) -> str:
    if version == "1.2":
        units = "".join(f'<trans-unit id="{k}"><source>{s}</source>{_target(t, G12)}</trans-unit>\n'
                        for k, (s, t) in enumerate(UNITS, 1))
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
                'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="fr" '
                f'target-language="en" datatype="plaintext"><body>\n{units}</body></file></xliff>\n')
    units = "".join(f'<unit id="u{k}"><segment><source>{s}</source>{_target(t, PC20)}</segment></unit>\n'
                    for k, (s, t) in enumerate(UNITS, 1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="2.0" '
            'xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="fr" trgLang="en"><file id="f1">\n'
            f"{units}</file></xliff>\n")


def _store(version: str, data: bytes):
    if version == "1.2":
        from translate.storage.xliff import Xliff1File

        return Xliff1File.parsestring(data)
    from translate.storage.xliff2 import Xliff2File

    return Xliff2File.parsestring(data)


def _strip(text: str) -> str:
    """The annotated text without mtqa's markers and declarations: the original file again."""
    text = re.sub(r'<mrk (?:id="mtqa-\d+" type="its:any"|mtype="x-its")[^>]*>|</mrk>', "", text)
    text = re.sub(r'<sm id="mtqa-\d+"[^>]*/>|<em startRef="mtqa-\d+"/>', "", text)
    return text.replace(f' xmlns:its="{ITS_NS}" its:version="2.0"', "")


@pytest.mark.models
@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_annotated_xliff_carries_findings_and_reads_back_unchanged(version, tmp_path):
    from lxml import etree

    from mtqa.cli import main

    src = tmp_path / "a.xlf"
    src.write_text(_xliff(version), encoding="utf-8")
    out = tmp_path / "out.xlf"
    main(["score", str(src), "--profile", "fast", "--format", "json", "-o", str(tmp_path / "r.json"),
          "--annotate", str(out)])
    annotated = out.read_text(encoding="utf-8")
    assert _strip(annotated) == src.read_text(encoding="utf-8")  # only markers were added

    # translate-toolkit reads the same units back, text unchanged
    before, after = _store(version, src.read_bytes()), _store(version, out.read_bytes())
    assert [(str(u.source), str(u.target or "")) for u in after.units] == \
        [(str(u.source), str(u.target or "")) for u in before.units]

    # well-formed, the ITS namespace declared, every ITS attribute valid
    root = etree.fromstring(out.read_bytes())
    assert root.nsmap["its"] == ITS_NS and root.get(f"{{{ITS_NS}}}version") == "2.0"
    its = lambda el, name: el.get(f"{{{ITS_NS}}}{name}")  # noqa: E731
    issues, confidences = [], []
    for el in root.iter():
        names = {etree.QName(a).localname for a in el.attrib if etree.QName(a).namespace == ITS_NS}
        if not names or el is root:
            continue
        assert etree.QName(el).localname in ("mrk", "sm")
        if version == "1.2":
            assert el.get("mtype") == "x-its"
        else:
            assert el.get("type") == "its:any" and el.get("id", "").startswith("mtqa-")
        if "mtConfidence" in names:
            assert 0 <= float(its(el, "mtConfidence")) <= 1
            assert its(el, "annotatorsRef").startswith("mt-confidence|")
            confidences.append(el)
        if "locQualityIssueType" in names:
            assert its(el, "locQualityIssueType") in LQI_TYPES
            assert 0 <= float(its(el, "locQualityIssueSeverity")) <= 100
            issues.append((its(el, "locQualityIssueType"), "".join(el.itertext())))
    assert len(confidences) == 3  # one per translated segment; the empty target gets none
    assert ("inconsistent-entities", "SDS") in issues and ("numbers", "36") in issues
    assert not any(t == "omission" for t, _ in issues)  # unit 4 has no target to mark
    assert "<target/>" in annotated

    # mtqa reads the annotated file as the original
    from mtqa.formats import read_bilingual

    assert [p.text for p in read_bilingual(str(out), max_chars=10**6)[1].paragraphs] == \
        [p.text for p in read_bilingual(str(src), max_chars=10**6)[1].paragraphs]


@pytest.mark.models
@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_a_finding_across_inline_codes(version, tmp_path):
    """A span crossing an inline code: <sm>/<em> in XLIFF 2.x, the whole target marked in XLIFF 1.2."""
    from lxml import etree

    from mtqa.pipeline import Options, run

    src = tmp_path / "a.xlf"
    raw = _xliff(version)
    src.write_text(raw, encoding="utf-8")
    report = run(str(src), None, Options(profile="fast"))
    start = raw.index("more, ") + len("mo")
    end = raw.index(" spokeswoman")
    report.issues = [Issue("fluency", "minor", "crossing", 2, segment=1, target_start=start, target_end=end)]
    text = annotate_xliff(raw, report)
    etree.fromstring(text.encode("utf-8"))  # well-formed
    if version == "2.0":
        m = re.search(r'<sm id="(mtqa-\d+)" type="its:any" its:locQualityIssueType="grammar"[^>]*/>', text)
        assert m and text[m.end():].startswith("re, <pc id=\"1\">the</pc>")
        assert f'<em startRef="{m.group(1)}"/> spokeswoman' in text
    else:
        assert re.search(r'<target><mrk mtype="x-its" its:mtConfidence="[0-9.]+" its:annotatorsRef="[^"]+">'
                         r'<mrk mtype="x-its" its:locQualityIssueType="grammar"', text)
    assert _strip(text) == raw


def test_annotate_needs_one_xliff_file(tmp_path, capsys):
    from mtqa.cli import main

    po = tmp_path / "a.po"
    po.write_text('msgid "Bonjour."\nmsgstr "Hello."\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["score", str(po), "--annotate", str(tmp_path / "o.po")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--annotate needs one XLIFF file" in err and "Traceback" not in err
    assert not Path(tmp_path / "o.po").exists()
