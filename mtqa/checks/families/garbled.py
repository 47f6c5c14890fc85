"""Garbled translations: broken-off sentences, model artefacts, repeated phrases, verb calques.

Garbled translations: a sentence broken off its source sentence with no finite verb (English), model
artefacts left in the text (<extra_id_0>, <unk>), a phrase repeated where the source says it once, and
calques that repeat a verb ("called to call")."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.spans import issue, paired_segments
from mtqa.checks.registry import check
from mtqa.lang.codes import SPACELESS_LANGS, primary
from mtqa.report import Issue

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 110

_ARTEFACT = re.compile(r"<extra_id_\d*>?|<unk>|<pad>|</?s>|\ufffd|<\|\w+\|>|\bextra_id_\d+")
_WORDS = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
_FINITE = set(
    """am is are was were be been being has have had do does did will would shall should can could may might
    must 's 're 've 'd 'll said says told took made went came got gave found became left felt brought began
    kept held stood ran saw knew thought put set met led won lost paid sent built spent fell rose grew drew
    wrote spoke chose broke hit cut let read shut hurt cost quit spread beat sat lay meant sold bought fought
    taught caught heard showed shown seemed needs need want think know say see seem remain remains""".split()
)

_PRONOUNS = {"i", "you", "we", "they", "he", "she", "it", "who", "which", "that", "there"}
_CALQUE = re.compile(r"\b([a-z]{3,}?)(?:ed|d) to \1e?\b")


def _has_finite_verb(sentence: str) -> bool:
    words = _WORDS.findall(sentence)
    for k, w in enumerate(words):
        low = w.lower()
        if low in _FINITE or "'" in w or "’" in w:
            return True
        if w[0].islower() and (
            low.endswith("ed") or low.endswith("s") and not low.endswith(("ss", "us", "is"))
        ):
            return True
        if low in _PRONOUNS and k + 1 < len(words) and words[k + 1][0].islower():
            return True
    return False


@check("garbled", issue_type="fluency", mqm="fluency/grammar")
def garbled(ctx: CheckContext) -> Iterator[Issue]:
    """A translation sentence split off its source sentence that has no finite verb (a fragment:
    "Turkish offensive and their cowardice by the Americans."; English translations), model artefacts
    (<extra_id_0>, <unk>) not in the source, a phrase of four words or more said twice where the source says
    it once, and a verb calqued into a loop ("called to call")."""
    english = primary(ctx.target.lang) == "en"
    for seg, src, tgt in paired_segments(ctx):
        for m in _ARTEFACT.finditer(tgt.text):
            if m.group() not in src.text:
                s, e = tgt.start + m.start(), tgt.start + m.end()
                yield issue(
                    seg,
                    type="fluency",
                    severity="minor" if m.group() == "\ufffd" else "major",
                    message=f'model artefact "{m.group()}" in the translation',
                    target=(s, e),
                    source=None,
                    evidence=[m.group()],
                    confidence=0.9,
                )
                break
        rep = None if _repeats_itself(src.text, ctx.source.lang) else _repeated(tgt.text, src.text)
        if rep is not None:
            s, e = tgt.start + rep[0], tgt.start + rep[1]
            yield issue(
                seg,
                type="fluency",
                severity="major",
                message=f'"{ctx.target.text[s:e]}" said twice; the source says it once',
                target=(s, e),
                source=(src.start, src.end),
                evidence=[ctx.target.text[s:e]],
                confidence=0.6,
            )
        if not english:
            continue
        for m in _CALQUE.finditer(tgt.text):
            s, e = tgt.start + m.start(), tgt.start + m.end()
            yield issue(
                seg,
                type="fluency",
                severity="minor",
                message=f'"{m.group()}": a verb repeated in a calque',
                target=(s, e),
                source=None,
                evidence=[m.group()],
                confidence=0.5,
            )
        if len(tgt.sentences) <= len(src.sentences):
            continue  # a fragment is looked for where a source sentence was broken in two
        for start, text in tgt.sentences:
            if len(_WORDS.findall(text)) < 4 or _has_finite_verb(text) or text.rstrip().endswith(":"):
                continue
            yield issue(
                seg,
                type="fluency",
                severity="major",
                message=f'sentence fragment without a verb, split off its source sentence: "{text.strip()}"',
                target=(start, start + len(text)),
                source=(src.start, src.end),
                evidence=[text],
                confidence=0.7,
            )


def _repeats_itself(source: str, lang: str, window: int = 8) -> bool:
    """The source says two words (two characters in Chinese or Japanese) again within `window` words of
    the first time: "the same degree of attention, the same level of resources", "it is still active and it
    is still deadly". Its translation may repeat a phrase on purpose."""
    if primary(lang) in SPACELESS_LANGS:
        units = [c for c in source if c.isalnum()]
        window += 4
    else:
        units = re.findall(r"\w+", source.lower())
    last: dict[tuple[str, str], int] = {}
    for i in range(len(units) - 1):
        gram = (units[i], units[i + 1])
        if gram in last and i - last[gram] <= window:
            return True
        last[gram] = i
    return False


def _repeated(target: str, source: str, n: int = 4) -> tuple[int, int] | None:
    """Span of the second occurrence of a word n-gram the target repeats and the source does not."""
    words = [(m.group().lower(), m.start(), m.end()) for m in re.finditer(r"\w+", target)]
    if len(words) < 2 * n:
        return None
    seen: dict[tuple[str, ...], int] = {}
    src_counts = Counter(re.findall(r"\w+", source.lower()))
    for i in range(len(words) - n + 1):
        gram = tuple(w for w, _, _ in words[i : i + n])
        if gram in seen and n <= i - seen[gram] <= n + 3:
            if all(src_counts[w] >= 2 for w in gram):
                continue  # the source repeats these words too
            return words[i][1], words[i + n - 1][2]  # said again right away: a stutter
        seen.setdefault(gram, i)
    return None
