"""Suggested fixes where the fix is deterministic (`mtqa fix`, JSON `suggestion`, SARIF `fixes`).

Each issue type below has one rule, and offers a suggestion only when the document (or the glossary)
says what the text should be; nothing is guessed:

* entity-inconsistency: the document's reference rendering of the entity (its majority, else first,
  rendering: SDS -> SDF); not for spelling variants of one name, where the house spelling decides;
* glossary: the glossary's target term, in place of the source term kept verbatim, or of the entity
  rendering that translates the term in that segment (when there is exactly one);
* number-mismatch (a number changed): the source value written the way the target wrote its own figure
  (plain digits, or the same group or decimal separator);
* date-mismatch (a month or weekday changed): the target language's one name for the source's month or
  weekday, capitalised as the flagged word;
* untranslated (a source acronym kept): the target acronym when the glossary or the document gives it,
  else the spelled-out name, except where the acronym is the one defined in brackets.

Suggestions are computed on the extracted text the checks ran on and kept only where the replaced text is
written verbatim in the file (no character reference, escape or markup inside it); the replacement is
escaped for the file's format, and its offsets point into the file's text like `target_start`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from mtqa.document import Document
from mtqa.entity_table import EntityEntry
from mtqa.lang.lexicon import fold
from mtqa.lang.timewords import find_time_words, lexicon
from mtqa.report import Issue, Suggestion

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_GROUPED = re.compile(r"\d{1,3}(?P<sep>[,.\u00a0\u202f ])\d{3}(?:(?P=sep)\d{3})*")
_DECIMAL = re.compile(r"\d+(?P<sep>[.,])\d+")


def escape_for(fmt: str, text: str) -> str:
    """`text` as it must be written into a file of format `fmt` to read back as `text`."""
    if fmt in ("html", "xliff", "tmx"):
        return html.escape(text, quote=False)
    if fmt == "markdown":
        return _ENTITY_LIKE.sub(r"\\&", _MARKDOWN_SPECIAL.sub(r"\\\1", text))
    if fmt == "po":
        return text.replace("\\", "\\\\").replace('"', '\\"')
    return text


def _flagged(issue: Issue, tgt: Document) -> str | None:
    if issue.target_start is None or issue.target_end is None or issue.target_end <= issue.target_start:
        return None
    return tgt.text[issue.target_start : issue.target_end]


def _whole_word(text: str, word: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text)]


def _entity(issue: Issue, tgt: Document, ctx: _Context) -> tuple[str, int, int] | None:
    if issue.severity == "minor":
        return None  # spelling variants of one name (Rahmane / Rahman): the house spelling decides
    flagged = _flagged(issue, tgt)
    if flagged is None or len(issue.evidence) < 2 or flagged != issue.evidence[0]:
        return None
    reference = issue.evidence[1]
    return (reference, issue.target_start, issue.target_end) if reference != flagged else None


def _glossary(issue: Issue, tgt: Document, ctx: _Context) -> tuple[str, int, int] | None:
    if len(issue.evidence) < 3 or issue.target_start is None or issue.target_end is None:
        return None
    term, required = issue.evidence[1], issue.evidence[2]
    s, e = issue.target_start, issue.target_end
    kept = _whole_word(tgt.text[s:e], term)
    if len(kept) == 1:
        return required, s + kept[0][0], s + kept[0][1]
    spans = {
        (m.start, m.end)
        for entry in ctx.entities
        if fold(entry.source) == fold(term)
        for ms in entry.renderings.values()
        for m in ms
        if s <= m.start and m.end <= e
    }
    if len(spans) == 1:
        (a, b), = spans
        return (required, a, b) if tgt.text[a:b] != required else None
    return None


def _number_text(value: float, written: str) -> str | None:
    """`value` written the way `written` (the target's figure) is: plain digits, or its separators."""
    whole = value == int(value)
    if re.fullmatch(r"\d+", written):
        if whole and (value < 1000 or len(written) >= 4):
            return str(int(value))
        return None
    m = _GROUPED.fullmatch(written)
    if m and whole and value >= 1000:
        return f"{int(value):,}".replace(",", m.group("sep"))
    m = _DECIMAL.fullmatch(written)
    if m and not whole and _GROUPED.fullmatch(written) is None:
        plain = repr(float(value))
        return plain.replace(".", m.group("sep")) if "e" not in plain else None
    return None


def _number(issue: Issue, tgt: Document, ctx: _Context) -> tuple[str, int, int] | None:
    flagged = _flagged(issue, tgt)
    if flagged is None or len(issue.evidence) != 2 or flagged != issue.evidence[0]:
        return None
    try:
        value = float(issue.evidence[1])
    except ValueError:
        return None
    text = _number_text(value, flagged)
    return (text, issue.target_start, issue.target_end) if text and text != flagged else None


def _date(issue: Issue, tgt: Document, ctx: _Context) -> tuple[str, int, int] | None:
    flagged = _flagged(issue, tgt)
    if flagged is None or len(issue.evidence) != 2 or flagged != issue.evidence[0]:
        return None
    exact, _stems = lexicon(tgt.lang)
    if flagged.lower() not in exact:
        return None  # the flagged text is more than one month or weekday name
    words = find_time_words(issue.evidence[1], ctx.source_lang)
    if len(words) != 1 or words[0].kind not in ("month", "weekday"):
        return None
    forms = sorted(f for f, kv in exact.items() if kv == (words[0].kind, words[0].value))
    if len(forms) != 1:
        return None  # several forms (case endings, stand-alone forms): not deterministic
    text = forms[0][:1].upper() + forms[0][1:] if flagged[:1].isupper() else forms[0]
    return (text, issue.target_start, issue.target_end) if text != flagged else None


def _acronym(issue: Issue, tgt: Document, ctx: _Context) -> tuple[str, int, int] | None:
    flagged = _flagged(issue, tgt)
    if flagged is None or len(issue.evidence) != 4 or flagged != issue.evidence[0]:
        return None
    acronym, expansion, initials, _source_expansion = issue.evidence
    given = [req for term, req in ctx.glossary if term == acronym and req != acronym]
    if len(given) == 1:
        return given[0], issue.target_start, issue.target_end
    if initials and initials != acronym and _whole_word(tgt.text, initials):
        return initials, issue.target_start, issue.target_end  # the document uses the target acronym
    before = tgt.text[: issue.target_start].rstrip()
    if expansion and not before.endswith("("):  # not the acronym defined in brackets after the name
        return expansion, issue.target_start, issue.target_end
    return None


class _Context:
    def __init__(self, entities: list[EntityEntry], glossary: list[tuple[str, str]], source_lang: str):
        self.entities, self.glossary, self.source_lang = entities, glossary, source_lang


RULES: dict[str, Callable[[Issue, Document, _Context], tuple[str, int, int] | None]] = {
    "entity-inconsistency": _entity,
    "glossary": _glossary,
    "number-mismatch": _number,
    "date-mismatch": _date,
    "untranslated": _acronym,
}


def suggest(issue: Issue, src: Document, tgt: Document, entities: list[EntityEntry],
            glossary: list[tuple[str, str]]) -> Suggestion | None:
    """The suggestion for one issue (offsets of the issue still into `tgt.text`), in file offsets."""
    rule = RULES.get(issue.type)
    if rule is None or issue.origin != "rule":
        return None
    found = rule(issue, tgt, _Context(entities, glossary, src.lang))
    if found is None:
        return None
    text, s, e = found
    if tgt.original is not None and tgt.offset_map is not None:
        os_, oe = tgt.original_span(s, e)
        if tgt.original[os_:oe] != tgt.text[s:e]:
            return None  # a reference, escape or markup inside the flagged text: not replaced blindly
        s, e = os_, oe
    return Suggestion(escape_for(tgt.format, text), s, e)


def attach_suggestions(issues: list[Issue], src: Document, tgt: Document, entities: list[EntityEntry],
                       glossary: list[tuple[str, str]]) -> None:
    """Set `suggestion` on the issues that have a deterministic fix (before their offsets are mapped)."""
    for issue in issues:
        issue.suggestion = suggest(issue, src, tgt, entities, glossary)


__all__ = ["RULES", "attach_suggestions", "escape_for", "suggest"]
