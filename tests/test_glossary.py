"""Glossaries (mtqa.glossary): CSV and TBX files, and errors that name the line and column."""

from __future__ import annotations

from mtqa.glossary import read_glossary


def test_glossary_csv_and_errors(tmp_path):
    import pytest

    from mtqa.errors import MtqaError

    ok = tmp_path / "g.csv"
    ok.write_text("source,target\nLeitzins,key interest rate\n")
    assert read_glossary(ok) == [("Leitzins", "key interest rate")]
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target\nLeitzins\n")
    with pytest.raises(MtqaError, match="line 2"):
        read_glossary(bad)
    nohead = tmp_path / "nohead.csv"
    nohead.write_text("a,b\n")
    with pytest.raises(MtqaError, match="line 1, column 1"):
        read_glossary(nohead)
    tbx = tmp_path / "g.tbx"
    tbx.write_text(
        '<?xml version="1.0"?><martif><text><body><termEntry>'
        '<langSet xml:lang="de"><tig><term>Leitzins</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>key interest rate</term></tig></langSet>'
        "</termEntry></body></text></martif>"
    )
    assert read_glossary(tbx) == [("Leitzins", "key interest rate")]
    broken = tmp_path / "b.tbx"
    broken.write_text("<martif>\n<termEntry>\n</martif>")
    with pytest.raises(MtqaError, match="line 3, column"):
        read_glossary(broken)
