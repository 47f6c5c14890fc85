"""Format-aware reading: offsets into the original file for every format, and `mtqa score` round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtqa.formats import find_raw, match_raw, read_bilingual, read_document
from mtqa.report import Issue

MARK = "Zorblax"


@pytest.fixture()
def marker_check():
    """A deterministic test check: every occurrence of MARK in a target sentence is an issue."""
    from mtqa.checks import CHECKS, check, load_checks

    load_checks()

    @check("test-marker", issue_type="untranslated", mqm="accuracy/untranslated")
    def _marker(ctx):
        """Test only: flags the marker word."""
        for sent in ctx.target.sentences:
            pos = sent.text.find(MARK)
            while pos >= 0:
                yield Issue(type="untranslated", severity="minor", message=f"marker {MARK}",
                            target_paragraph=sent.paragraph, target_start=sent.start + pos,
                            target_end=sent.start + pos + len(MARK), evidence=[MARK])
                pos = sent.text.find(MARK, pos + 1)

    yield
    CHECKS.pop("test-marker", None)


def _score(args: list[str], out: Path) -> dict:
    from mtqa.cli import main

    try:
        main(["score", *args, "--profile", "fast", "--format", "json", "-o", str(out)])
    except SystemExit as exc:
        assert exc.code in (0, None), f"mtqa score exited {exc.code}"
    return json.loads(out.read_text(encoding="utf-8"))


def _marker_offsets(report: dict) -> list[tuple[int, int]]:
    return [(i["target_start"], i["target_end"]) for i in report["issues"]
            if i["evidence"] == [MARK] and i["target_start"] is not None]


def test_match_raw_handles_references_and_escapes():
    raw = r"AT&amp;T \*bold\* &#233;t&eacute;"
    spans = match_raw("AT&T *bold* été", raw, 0, escapes=True)
    assert spans is not None and raw[spans[2][0]:spans[2][1]] == "&amp;"
    assert raw[spans[5][0]:spans[5][1]] == "\\*"
    assert find_raw("été", raw, 0) is not None


def test_markdown_keeps_code_and_urls_out_with_original_offsets(tmp_path):
    md = tmp_path / "a.md"
    md.write_text("# Titre &amp; *sous-titre*\n\nTexte avec `code x = 1` et un [lien](https://ex.org/p) "
                  "puis https://ex.com/q fin.\n\n```python\nprint('hors texte')\n```\n\n- point \\*un\\*\n",
                  encoding="utf-8")
    x = read_document(str(md), max_chars=10**6)
    raw = md.read_text(encoding="utf-8")
    assert [p.text for p in x.paragraphs] == ["Titre & sous-titre", "Texte avec et un lien puis fin.",
                                              "point *un*"]
    assert "code x" not in x.text and "print" not in x.text and "https" not in x.text
    for p in x.paragraphs:
        s, e = x.offset_map.span(p.start, p.end)
        assert raw[s] == p.text[0] and raw[e - 1] == p.text[-1]
    k = x.text.index("lien")
    assert raw[slice(*x.offset_map.span(k, k + 4))] == "lien"
    k = x.text.index("*un*")
    assert raw[slice(*x.offset_map.span(k, k + 4))] == "\\*un\\*"


def test_html_text_nodes(tmp_path):
    page = tmp_path / "a.html"
    page.write_text("<html><head><title>Titre</title><style>p{}</style></head><body>\n<p>Un <b>mot</b> "
                    "&eacute;t&#233;\n  ici.</p><script>var x='<p>non</p>'</script><ul><li>deux</li></ul>"
                    "</body></html>", encoding="utf-8")
    x = read_document(str(page), max_chars=10**6)
    raw = page.read_text(encoding="utf-8")
    assert [p.text for p in x.paragraphs] == ["Titre", "Un mot été ici.", "deux"]
    k = x.text.index("été")
    assert raw[slice(*x.offset_map.span(k, k + 3))] == "&eacute;t&#233;"


def test_bilingual_units_and_offsets(tmp_path):
    po = tmp_path / "a.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
                  'msgid "Un \\"mot\\"."\nmsgstr "A \\"word\\"."\n\n'
                  'msgid "Rien."\nmsgstr ""\n\n#~ msgid "vieux"\n#~ msgstr "old"\n', encoding="utf-8")
    src, tgt = read_bilingual(str(po), max_chars=10**6)
    raw = po.read_text(encoding="utf-8")
    assert [p.text for p in src.paragraphs] == ['Un "mot".', "Rien."]
    assert [p.text for p in tgt.paragraphs] == ['A "word".', ""]
    assert tgt.lang == "en"
    p = tgt.paragraphs[0]
    assert raw[slice(*tgt.offset_map.span(p.start, p.end))] == 'A \\"word\\".'


def _docx(path: Path, paragraphs: list[str], cell: str) -> None:
    import docx

    d = docx.Document()
    for text in paragraphs:
        d.add_paragraph(text)
    table = d.add_table(rows=1, cols=1)
    table.cell(0, 0).text = cell
    d.save(str(path))


FR = ["Le conseil municipal a voté le budget de la ville pour l'année prochaine.",
      "Les travaux de la nouvelle bibliothèque commenceront au printemps."]
EN = ["The city council voted the town budget for next year.",
      "Work on the new Zorblax library will begin in the spring."]


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _make(kind: str, d: Path) -> list[str]:
    """Files for one format; returns the `mtqa score` arguments."""
    if kind == "txt":
        (d / "fr.txt").write_text("\n\n".join(FR) + "\n", encoding="utf-8")
        (d / "en.txt").write_text("\n\n".join(EN) + "\n", encoding="utf-8")
        return [str(d / "fr.txt"), str(d / "en.txt")]
    if kind == "md":
        (d / "fr.md").write_text(f"# Budget &amp; travaux\n\n{FR[0]} Voir `budget.csv`.\n\n"
                                 f"> {FR[1]} [Plan](https://ex.org/plan)\n", encoding="utf-8")
        (d / "en.md").write_text(f"# Budget &amp; works\n\n{EN[0]} See `budget.csv`.\n\n"
                                 f"> *Work* on the **new** [Zorblax](https://ex.org/z) library will begin in "
                                 "the spring. [Map](https://ex.org/plan)\n", encoding="utf-8")
        return [str(d / "fr.md"), str(d / "en.md")]
    if kind == "html":
        (d / "fr.html").write_text(f"<html><body><h1>Budget &amp; travaux</h1><p>{FR[0]}</p>"
                                   f"<p>{FR[1]}</p></body></html>", encoding="utf-8")
        (d / "en.html").write_text("<html><body><h1>Budget &amp; works</h1><p>The city council&#39;s vote: "
                                   "the town budget for next year.</p>\n<p>Work on the <em>new</em>\n"
                                   "   Zorblax library will begin in the spring.</p></body></html>",
                                   encoding="utf-8")
        return [str(d / "fr.html"), str(d / "en.html")]
    if kind == "docx":
        _docx(d / "fr.docx", FR, "Le tableau des dépenses de la ville.")
        _docx(d / "en.docx", EN, "The table of the city's expenses.")
        return [str(d / "fr.docx"), str(d / "en.docx")]
    if kind == "xliff12":
        units = "".join(f'<trans-unit id="{k}"><source>{_xml(s)}</source>\n<target>{_xml(t)}</target>'
                        "</trans-unit>\n" for k, (s, t) in enumerate(zip(FR, EN, strict=True)))
        (d / "a.xlf").write_text('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
                                 'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" '
                                 'source-language="fr" target-language="en" datatype="plaintext"><body>\n'
                                 f"{units}</body></file></xliff>\n", encoding="utf-8")
        return [str(d / "a.xlf")]
    if kind == "xliff20":
        units = "".join(f'<unit id="u{k}"><segment><source>{_xml(s)}</source><target>{_xml(t)}</target>'
                        "</segment></unit>\n" for k, (s, t) in enumerate(zip(FR, EN, strict=True)))
        (d / "b.xliff").write_text('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="2.0" '
                                   'xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="fr" trgLang="en">'
                                   f'<file id="f">\n{units}</file></xliff>\n', encoding="utf-8")
        return [str(d / "b.xliff")]
    if kind == "po":
        entries = "".join(f'msgid "{s}"\nmsgstr ""\n"{t[:12]}"\n"{t[12:]}"\n\n'
                          for s, t in zip(FR, EN, strict=True))
        (d / "c.po").write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; '
                                f'charset=UTF-8\\n"\n\n{entries}', encoding="utf-8")
        return [str(d / "c.po"), "--src-lang", "fr"]
    if kind == "tmx":
        tus = "".join(f'<tu><tuv xml:lang="en"><seg>{_xml(t)}</seg></tuv><tuv xml:lang="fr"><seg>{_xml(s)}'
                      "</seg></tuv></tu>\n" for s, t in zip(FR, EN, strict=True))
        (d / "d.tmx").write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header '
                                 'srclang="fr" datatype="plaintext" segtype="sentence" adminlang="en" '
                                 'creationtool="t" creationtoolversion="1" o-tmf="t"/><body>\n'
                                 f"{tus}</body></tmx>\n", encoding="utf-8")
        return [str(d / "d.tmx")]
    raise AssertionError(kind)


@pytest.mark.models
@pytest.mark.parametrize("kind", ["txt", "md", "html", "docx", "xliff12", "xliff20", "po", "tmx"])
def test_score_round_trip_offsets(kind, tmp_path, marker_check):
    args = _make(kind, tmp_path)
    bilingual = len(args) == 1 or args[1].startswith("--")
    if not bilingual:
        args += ["--src-lang", "fr", "--tgt-lang", "en"]
    report = _score(args, tmp_path / "out.json")
    offsets = _marker_offsets(report)
    assert len(offsets) == 1, report["issues"]
    s, e = offsets[0]
    target = Path(args[0] if bilingual else args[1])
    if kind == "docx":  # offsets into the extracted text (a .docx is a zip of XML)
        text = read_document(str(target), max_chars=10**6).text
        assert text.endswith("The table of the city's expenses.")
    else:
        text = target.read_text(encoding="utf-8")
    assert text[s:e] == MARK
    assert report["translation"]["lang"] == "en" and report["source"]["lang"] == "fr"
    if bilingual:  # units are the segments: no alignment, one 1-1 segment per unit
        assert [seg["alignment"] for seg in report["segments"]] == ["1-1", "1-1"]
        assert report["segments"][1]["target"] == EN[1]
        assert report["translation"]["path"] == report["source"]["path"] == str(target)


def test_one_argument_needs_a_bilingual_file(tmp_path, capsys):
    from mtqa.cli import main

    f = tmp_path / "a.txt"
    f.write_text("Bonjour.\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["score", str(f)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "TRANSLATION" in err and "Traceback" not in err


@pytest.mark.models
def test_untranslated_unit_is_an_omission(tmp_path):
    from mtqa.pipeline import Options, run

    xlf = tmp_path / "a.xlf"
    xlf.write_text('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" '
                   'source-language="fr" target-language="en" datatype="plaintext"><body>'
                   f'<trans-unit id="1"><source>{FR[0]}</source><target>{EN[0]}</target></trans-unit>'
                   f'<trans-unit id="2"><source>{FR[1]}</source><target/></trans-unit>'
                   "</body></file></xliff>", encoding="utf-8")
    report = run(str(xlf), None, Options(profile="fast"))
    assert [s.alignment for s in report.segments] == ["1-1", "1-0"]
    assert any(i.type == "omission" for i in report.issues)


def test_markdown_front_matter_and_link_targets(tmp_path):
    md = tmp_path / "a.md"
    raw = ('---\ntitle: "Le titre"\n---\n\nUn [lien (entre parenthèses)](https://ex.org/a_(b)) puis lien '
           "et [réf][r1] fin.\n\n[r1]: https://ex.org/r\n")
    md.write_text(raw, encoding="utf-8")
    x = read_document(str(md), max_chars=10**6)
    assert x.text == "Un lien (entre parenthèses) puis lien et réf fin."
    k = x.text.index("puis lien")
    assert raw[slice(*x.offset_map.span(k, k + 9))] == "puis lien"
    k = x.text.rindex("fin")
    assert raw[slice(*x.offset_map.span(k, k + 3))] == "fin"
