"""Nationalities a translation adds: a country's adjective or people ("Norwegian territory" for "território
norte-americano", "German-speaking" for "de língua inglesa") where the source names neither that country,
nor a place in it, nor its people (mtqa.lang.gazetteer.demonym_places tells the nationality words)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.places import side_places
from mtqa.checks.kit.spans import SegmentSide, issue
from mtqa.lang import gazetteer
from mtqa.lang.codes import CJK_LANGS, primary
from mtqa.lang.lexicon import CONNECTORS, STOP_WORDS, fold, lang_key, similarity, tokens
from mtqa.report import Issue, Segment

# cosine of USE word vectors from which a source word renders a nationality word (grego / Greek 0.88,
# egípcio / Egyptian 0.90, alemã / German 0.92; words of two nations score at most 0.58: inglesa / German)
NATION_SIMILAR = 0.7
# lexicon.similarity from which a source word spells a nationality word (egípcia / Egyptian 76, coreana /
# Korean 88; norte / Norwegian 57, inglesa / German 46)
NATION_SPELT = 70


def _keys_named(side: SegmentSide, lang: str) -> set[str]:
    """The places a side names, their countries and the countries' continents."""
    places = side_places(side, lang)
    countries = {gazetteer.country_of(k) for k in places}
    return places | countries | {c for k in countries if (c := gazetteer.continent_of(k))}


def _spelt(keys: set[str], words: list[str], lang: str) -> bool:
    """A word of the other side that starts like a word of one of the places' names (norueguês, Noruega;
    ganês, Gana; afro-americanos, America): the place, its adjective or its people."""
    for key in keys:
        for name in gazetteer.place_names(key, lang) | gazetteer.place_names(key, "en"):
            for part in name.split():
                if len(part) < 4 or part in gazetteer.GENERIC_NAME_WORDS:
                    continue
                head = part[:4] if len(part) > 4 else part[:3]
                if any(w.startswith(head) for w in words):
                    return True
    return False


def _consonants(word: str) -> str:
    """The first three consonants of a folded word (sârbe, Serbian: srb; norte, Norwegian: nrt, nrw)."""
    return re.sub(r"[aeiouy\W\d_]", "", fold(word))[:3].ljust(3, "_")


def _similar(ctx: CheckContext, word: str, src: SegmentSide, lang: str) -> bool:
    stops = lang_key(lang, STOP_WORDS) | lang_key(lang, CONNECTORS)
    words = sorted({p for w, _, _ in tokens(src.text) for p in w.split("-")
                    if len(p) >= 3 and p.isalpha() and p.lower() not in stops})
    if not words:
        return False
    key = _consonants(word)
    if any(similarity(word, w) >= NATION_SPELT or _consonants(w) == key for w in words):
        return True  # egípcia ~ Egyptian, coreana ~ Korean, sârbe ~ Serbian: words the vectors know badly
    # lower case and capitalised: the static vectors know some words in one form only (Egípcia)
    vecs = ctx.names_encoder().encode([word, *words, *(w.capitalize() for w in words)])
    return float(np.max(vecs[1:] @ vecs[0])) >= NATION_SIMILAR


def added_nations(ctx: CheckContext, seg: Segment, src: SegmentSide, tgt: SegmentSide,
                  judged: list[tuple[int, int]]) -> Iterator[Issue]:
    """A nationality word of the translation (outside the spans `judged` already) whose country the aligned
    source names in no way: by the place, a place in it, a word spelt like it, or a word the multilingual
    encoder finds equivalent (grego ~ Greek). Major: a people put in the place of another."""
    sl, tl = primary(ctx.source.lang), primary(ctx.target.lang)
    if sl in CJK_LANGS or tl not in gazetteer.DEMONYM_ENDINGS:
        return
    named: set[str] | None = None
    src_words: list[str] = []
    seen: set[str] = set()
    for w, s, _ in tokens(tgt.text):
        offset = 0
        for part in w.split("-"):
            start, offset = s + offset, offset + len(part) + 1
            keys = gazetteer.demonym_places(part, tl)
            span = (tgt.start + start, tgt.start + start + len(part))
            if not keys or fold(part) in seen or any(a <= span[0] < b for a, b in judged):
                continue
            seen.add(fold(part))
            if named is None:
                named = _keys_named(src, sl)
                src_words = [p for x, _, _ in tokens(src.text) for p in fold(x).split()]
            if keys & named or _spelt(keys, src_words, sl) or _similar(ctx, part, src, sl):
                continue
            yield issue(
                seg,
                type="entity-mismatch",
                severity="major",
                message=f'nationality not in the source: "{part}"',
                target=span,
                source=(src.start, src.end),
                evidence=[part, src.text],
                confidence=0.6,
            )
