"""Word-level evidence shared by the families: content words per language, and cross-lingual word agreement
with the run's encoder (target words that match no source word, or a source word in a wrong form)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from mtqa.lang.codes import primary
from mtqa.lang.lexicon import FUNCTION_WORDS, INFLECTION_SUFFIXES, STOP_WORDS, fold, lang_key
from mtqa.lang.wordseg import spaceless, words

if TYPE_CHECKING:
    from mtqa.encoders import Encoder

@dataclass
class WordEvidence:
    """Word-level agreement of a segment's translation with its source (word_evidence)."""

    #: target words in a wrong form of a source word ("Battled" for "Bataille")
    wrong_form: list[str]
    #: how many content words the target has
    words: int
    #: target content words that match no source word; None when they were not looked for
    unmatched: list[str] | None = None
    #: with several scorers, whether they all rank the segment low (True with one scorer)
    agree: bool = True


_WORDS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ELIDED = re.compile(r"^(?:[lLdDjJmMnNsStTcC]|[qQ]u)['’]")


@lru_cache(maxsize=64)
def _content_stops(lang: str) -> frozenset[str]:
    return frozenset(lang_key(lang, STOP_WORDS) | FUNCTION_WORDS.get(primary(lang), set()))


def content_words(text: str, lang: str) -> list[str]:
    stops = _content_stops(lang)
    if spaceless(lang):  # Chinese and Japanese: segmented words of two characters or more
        return [w for w in words(text, lang) if len(w) >= 2 and _WORDS.fullmatch(w) and w not in stops]
    out = []
    for w in _WORDS.findall(text):
        if "'" in w or "’" in w:  # an elided article needs its apostrophe
            w = _ELIDED.sub("", w)
        if len(w) >= 3 and w.lower() not in stops:
            out.append(w)
    return out


def word_vocab(
    source: str, target: str, src_lang: str, tgt_lang: str, unmatched: bool = True
) -> tuple[list[str], list[str], dict[str, list[str]], list[str]]:
    """Source and target content words, the stems of the target words that may be a wrong form, and
    the words to embed (every target word only when unmatched words are wanted)."""
    sw = content_words(source, src_lang)
    tw = content_words(target, tgt_lang)
    code = primary(tgt_lang)
    lead = target.lstrip()
    stems: dict[str, list[str]] = {}
    for w in tw:
        if w[:1].isupper() and not lead.startswith(w):
            continue  # a proper noun mid-sentence ("Damascus" for "Damas") is a name, not an inflection
        for suf in INFLECTION_SUFFIXES.get(code, ()):
            if suf == "d" and not w.lower().endswith("ed"):
                continue
            if w.lower().endswith(suf) and len(w) - len(suf) >= 4:
                stems.setdefault(w, []).append(w[: -len(suf)])
    if not unmatched and not stems:
        return sw, tw, stems, []
    targets = tw if unmatched else list(stems)
    vocab = list(dict.fromkeys(sw + targets + [s for v in stems.values() for s in v]))
    return sw, tw, stems, vocab


def word_evidence(
    source: str, target: str, src_lang: str, tgt_lang: str, unmatched: bool = True, *, encoder: Encoder
) -> WordEvidence:
    """Cross-lingual word agreement (SimAlign idea with the encoder's word embeddings; thresholds set on
    USE v3): target content words that match no source word, and target words in a wrong form of a
    source word (stripping an inflection makes them match their best source word much better:
    "Battled" -> "Battle" ~ "Bataille").

    With unmatched=False only the wrong forms are looked for (`unmatched` is left None), which
    embeds just the target words that have a stem to try."""
    sw, tw, stems, vocab = word_vocab(source, target, src_lang, tgt_lang, unmatched)
    vecs = embed_words(encoder, vocab) if sw and tw else {}
    return evidence_of(sw, tw, stems, vecs, unmatched)


def embed_words(encoder: Encoder, words: list[str]) -> dict:
    """Each word's vector, embedded in one call."""
    return dict(zip(words, encoder.encode(words), strict=True)) if words else {}


def evidence_of(
    sw: list[str], tw: list[str], stems: dict[str, list[str]], vecs: dict, unmatched: bool
) -> WordEvidence:
    """word_evidence from the segment's `word_vocab` words and the vectors of its words to embed."""
    if not sw or not tw:
        return WordEvidence(wrong_form=[], words=len(tw), unmatched=[])
    lost, wrong = [], []
    for w in tw:
        if not unmatched and w not in stems:
            continue
        sims = [float(vecs[w] @ vecs[s]) for s in sw]
        best = max(sims)
        # a string match (a name kept as is) is looked for only when the embeddings disagree
        if unmatched and best < 0.45 and not any(fuzz.ratio(fold(w), fold(s)) >= 80 for s in sw):
            lost.append(w)
        src_best = sw[sims.index(best)]
        for stem in stems.get(w, []):
            if float(vecs[stem] @ vecs[src_best]) - best >= 0.08 and fold(src_best) != fold(w):
                wrong.append(w)
                break
    return WordEvidence(wrong_form=wrong, words=len(tw), unmatched=lost if unmatched else None)
