"""Bounded fuzzing of the readers (issue 7): any input either reads, with offsets that stay inside the
original file, or is refused with an MtqaError — never another exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtqa.errors import MtqaError
from mtqa.formats import read_bilingual, read_document

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MARKUP = st.lists(
    st.sampled_from(list("ab Zé\n\n#*_`[]()<>!&;:/\\-=|\"'{}~\t0123456789") + ["&amp;", "http://x.y"]),
    max_size=150,
).map("".join)

XLIFF = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
    '<file original="a" source-language="fr" target-language="en" datatype="plaintext"><body>'
    '<trans-unit id="1"><source>Bonjour le monde.</source><target>Hello world.</target></trans-unit>'
    '<trans-unit id="2"><source>Deux &amp; trois.</source><target>Two &amp; three.</target></trans-unit>'
    "</body></file></xliff>\n"
)
PO = (
    'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
    'msgid "Bonjour"\nmsgstr "Hello"\n\nmsgid "Chat"\nmsgstr "Cat"\n'
)
TMX = (
    '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="fr" datatype="plaintext" segtype="sentence" '
    'adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/><body>'
    '<tu><tuv xml:lang="fr"><seg>Bonjour</seg></tuv><tuv xml:lang="en"><seg>Hello</seg></tuv></tu>'
    "</body></tmx>\n"
)


def _write(suffix: str, data: bytes) -> str:
    folder = Path(tempfile.mkdtemp(prefix="mtqa-fuzz-"))
    path = folder / f"doc{suffix}"
    path.write_bytes(data)
    return str(path)


def _offsets_inside(extracted) -> None:
    n = len(extracted.original)
    for p in extracted.paragraphs:
        assert extracted.text[p.start : p.end] == p.text
        if extracted.offset_map is not None and p.text:
            s, e = extracted.offset_map.span(p.start, p.end)
            assert 0 <= s <= e <= n


def _read_monolingual(suffix: str, text: str) -> None:
    try:
        extracted = read_document(_write(suffix, text.encode("utf-8")), max_chars=100_000)
    except MtqaError:
        return
    _offsets_inside(extracted)


@FUZZ
@given(MARKUP)
def test_markdown_reader(text):
    _read_monolingual(".md", text)


@FUZZ
@given(MARKUP)
def test_html_reader(text):
    _read_monolingual(".html", "<html><body><p>" + text + "</p></body></html>")


@FUZZ
@given(st.binary(max_size=200))
def test_text_reader_on_any_bytes(data):
    try:
        extracted = read_document(_write(".txt", data), max_chars=100_000)
    except MtqaError:
        return
    _offsets_inside(extracted)


def _mutations(sample: str):
    raw = sample.encode("utf-8")
    return st.tuples(st.integers(0, len(raw) - 1), st.integers(0, 12), st.binary(max_size=12)).map(
        lambda t: raw[: t[0]] + t[2] + raw[t[0] + t[1] :]
    )


@FUZZ
@given(
    st.one_of(
        _mutations(XLIFF).map(lambda b: (".xlf", b)),
        _mutations(PO).map(lambda b: (".po", b)),
        _mutations(TMX).map(lambda b: (".tmx", b)),
    )
)
def test_bilingual_readers_on_mutated_files(case):
    suffix, data = case
    try:
        source, target = read_bilingual(_write(suffix, data), max_chars=100_000)
    except MtqaError:
        return
    _offsets_inside(source)
    _offsets_inside(target)


@FUZZ
@given(
    st.lists(
        st.sampled_from(list("[]=\"'.\n abc*{}/,#0123") + ["source", "translation", "[tool.mtqa]"]),
        max_size=100,
    ).map("".join)
)
def test_config_reader(text):
    from mtqa.config import load_config

    path = _write(".toml", text.encode("utf-8"))
    try:
        load_config(path)
    except MtqaError:
        pass
