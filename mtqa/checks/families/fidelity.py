"""Entity fidelity: every name of the source rendered in the translation, and none made up.

Entity fidelity against the source: every name of a source segment must have a rendering in its aligned
translation (the same name, a transliteration or an established exonym), and every name of the translation
must come from the source.

A rendering is found by (in this order) the gazetteer (mtqa.lang.gazetteer: Moscou = Moscow = Москва = 莫斯科,
and a city's country for metonymy: Téhéran -> Iran), string similarity after folding and transliteration
(anyascii: Roglič ~ Roglitsch), a demonym of a country (Syrie -> Syrian), and the multilingual USE word
embeddings (Americanos ~ Americans)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.forms import stem_in
from mtqa.checks.kit.mentions import Entity, side_entities
from mtqa.checks.kit.names import (
    TITLES,
    counterpart_word,
    kept_name_swapped,
    name_part,
    rendered_fewer,
    respelt,
    same_script,
)
from mtqa.checks.kit.nations import added_nations
from mtqa.checks.kit.places import (
    cjk_abbreviated,
    currency_issuer,
    names_other_place,
    place_acronym,
    place_words,
)
from mtqa.checks.kit.renderings import Renderings
from mtqa.checks.kit.spans import SegmentSide, issue, paired_segments
from mtqa.checks.registry import check
from mtqa.lang import gazetteer, ner, translit
from mtqa.lang.codes import primary
from mtqa.lang.entities import lower_words
from mtqa.lang.gazetteer import CJK_SCRIPT
from mtqa.lang.lexicon import (
    DECLINING,
    OWN_COUNTRY,
    fold,
    similarity,
    tokens,
)
from mtqa.report import Issue

#: where this family's issues come among equal ones (same position and type): the registry runs
#: families by ORDER
ORDER = 100

# cosine of USE word vectors above which a word renders a name ("Americanos" / "Americans" 0.85; two
# different cities of one region score about 0.5)
SIMILAR = 0.6
# a titled surname needs more: two people of one kind score 0.5-0.65 (Trump / Clinton 0.62), a translated
# name 0.95 (Comissão / Commission)
SIMILAR_NAME = 0.75
# best fuzz.ratio of a name against the other side's words (folded) from which it is rendered as is
STRING_MATCH = 78
_CJK_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}(?:市|省|县|縣|州|城|镇|鎮)")


def _string_match(e: Entity, other: Renderings) -> float:
    """Best 0-100 similarity of the entity's name words to the other side's words."""
    f = fold(e.text)
    if f and f" {f} " in other.folded:
        return 100.0
    best = 0.0
    for w in f.split():
        if len(w) < 3 or w in TITLES:
            continue  # "Presidente Trump" / "President Clinton" share the title, not the name
        for o in other.words:
            if len(w) >= 5 and w[:-1] in o:
                return 100.0  # a compound or a declined form: Nordnigeria, Lissabon-Bürokratie
            if abs(len(o) - len(w)) <= 4:
                best = max(best, similarity(w, o))  # transliteration-tolerant: Werribee ~ Верриби
    return best


def _demonym(e: Entity, other: Renderings) -> bool:
    """A country rendered by its adjective (Syrie -> Syrian, Chine -> Chinese): a word of the other side
    starting like one of the country's names."""
    for key in e.places:
        if not key.startswith("c:"):
            continue
        for name in gazetteer.place_names(key, other.lang):
            stem = name[: max(4, len(name) - 2)]
            if len(stem) >= 4 and any(w.startswith(stem) for w in other.words):
                return True
    return False


def _place_named(e: Entity, other: Renderings) -> bool:
    """One of the place's names on the other side, declined or compounded: Великобританию for
    Великобритания, "Vereinigte Königreich" for "Vereinigtes Königreich"."""
    if other.cjk:
        return False
    for key in e.places:
        for name in gazetteer.place_names(key, other.lang):
            parts = name.split()
            if parts and all(stem_in(p, other.words) for p in parts):
                return True
    return False


def _embedded_match(ctx: CheckContext, e: Entity, other: Renderings) -> float:
    words = other.content
    if e.places:  # another place's name renders no place (Alep ~ Homs 0.74: two cities of one region)
        named = place_words(other.side, other.lang)
        words = [w for w in words if not names_other_place(w, named, e.places)]
    if not words:
        return 0.0
    vecs = ctx.names_encoder().encode([name_part(e.text), *words])  # one call: most sides need one
    return float(np.max(vecs[1:] @ vecs[0]))


def _explained(ctx: CheckContext, e: Entity, other: Renderings) -> str | None:
    """How the other side renders e: "same", "metonymy", or None."""
    if e.places & other.places:
        return "same"
    if e.kind == "acronym":
        # acronyms are translated (FDS -> SDF): any acronym or capitalised name of the other side may be it
        upper = any(len(w) >= 2 and w.isupper() for w, _, _ in tokens(other.side.text))  # SDF, США
        if upper or _string_match(e, other) >= STRING_MATCH or _place_named(e, other):
            return "same"
        return None
    if (_string_match(e, other) >= STRING_MATCH or _place_named(e, other)
            or place_acronym(e.places, other.side.text, other.lang)  # República Democrática do Congo: DRC
            or translit.renders(name_part(e.text), other.side.text, other.lang)):  # Maarat al-Numan
        return "same"
    if other.cjk:
        if any(gazetteer.romanised_in(k, other.romanised) for k in e.places):
            return "same"
        if not e.places:
            return "same"  # a person's name in Chinese characters: nothing reliable to compare with
        if any(cjk_abbreviated(k, other.side.text, other.lang) for k in e.places):
            return "same"
    if _demonym(e, other):
        return "same"
    own = OWN_COUNTRY.get(other.lang)
    if own and any(k.startswith("c:") for k in e.places) and re.search(own, other.side.text, re.IGNORECASE):
        # 我国南方 -> "southern China"; "China's slowdown" -> "die Verlangsamung des Landes", unless the
        # other side names another country
        if not {k for k in other.places if k.startswith("c:")} - e.places:
            return "same"
    countries = {gazetteer.country_of(k) for k in e.places}
    other_countries = {gazetteer.country_of(k) for k in other.places}
    if e.places and (countries & other.places or other_countries & e.places):
        return "metonymy"
    if not other.cjk and _embedded_match(ctx, e, other) >= (SIMILAR_NAME if e.surname else SIMILAR):
        return "same"
    return None


def _altered(e: Entity, lang: str, other: Renderings) -> str | None:
    """The other side's spelling of a person's name when it differs (Angela Merkel -> Angela Merkle,
    M. Dupont -> Mr Dupond): a name of two words or more, one of them found as is and in order, or a
    surname after a title on both sides; the next word a close spelling that is no transliteration of it
    (lexicon.transliterated) and no case form. Same-script pairs only."""
    if e.places or e.kind != "name" or other.cjk:
        return None
    words = fold(e.text).split()
    titled = e.titled and len(name_part(e.text).split()) == 1  # "M. Dupont", "le président Macron"
    if not titled and (len(words) < 2 or len(e.text.split()) < 2):
        return None  # one word, or a hyphenated compound (Sino-Russas)
    declining = bool({lang, other.lang} & DECLINING)
    for k, w in enumerate(words):
        if w in other.words or len(w) < 4 or w in TITLES:
            continue
        o = counterpart_word(words[k - 1] if k else None, other.words, titled)
        if o is not None and respelt(w, lang, o, other.lang, declining):
            return o
    return None


@check("entity-fidelity", issue_type="entity-mismatch", mqm="accuracy/mistranslation")
def entity_fidelity(ctx: CheckContext) -> Iterator[Issue]:
    """A name of the source (person, place, organisation, acronym) with no rendering in the aligned
    translation, or a name of the translation that is not in the source: replaced (Raqqa -> Mosul: major)
    or missing (major for places and multiword names). A place rendered by its country (Téhéran -> Iran)
    is a minor metonymy. A person's name spelled differently in a same-script pair is "name altered"
    (major). Renderings: the same name, a transliteration, an exonym (GeoNames, CLDR), or a word the
    multilingual encoder finds equivalent."""
    if primary(ctx.source.lang) == primary(ctx.target.lang):
        return
    for seg, src, tgt in paired_segments(ctx):
        s_ents = side_entities(ctx, ctx.source, src, seg.source_sentences)
        t_ents = side_entities(ctx, ctx.target, tgt, seg.target_sentences)
        if not s_ents and not t_ents:
            yield from added_nations(ctx, seg, src, tgt, [])
            continue
        s_side, t_side = Renderings(src, ctx.source.lang), Renderings(tgt, ctx.target.lang)
        lost, metonymy = [], []
        for e in s_ents:
            how = _explained(ctx, e, t_side)
            if _unexplained(how, e, s_side):
                lost.append(e)
            elif how == "metonymy":
                metonymy.append(e)
        new = [e for e in t_ents if (e.kind != "acronym" or e.places)
               and _unexplained(_explained(ctx, e, s_side), e, None if s_side.cjk else t_side)
               and not currency_issuer(ctx.target.text, e.start, e.end, src.text)]
        _mark_people(ctx, tgt, [e for e in new if e.kind == "name" and len(name_part(e.text).split()) > 1])
        # a name written twice in the source and kept once: the other mention may have been replaced
        fewer = {e.text: e for e in s_ents if e.kind == "name" and e not in lost
                 and rendered_fewer(e.text, src.text, tgt.text)}
        found = list(_report(ctx, seg, src, tgt, lost + list(fewer.values()), new, metonymy, t_ents,
                             set(fewer)))
        yield from found
        # a nationality the source does not name (norte-americano -> Norwegian), outside the names judged
        judged = [(e.start, e.end) for e in t_ents if e.places]
        judged += [(i.target_start, i.target_end) for i in found if "missing" not in i.message]
        yield from added_nations(ctx, seg, src, tgt, judged)
        if s_side.cjk or t_side.cjk:
            continue
        for e in s_ents:
            if e in lost or e.kind != "name":
                continue
            spelled = _altered(e, primary(ctx.source.lang), t_side)
            if spelled is None or set(e.text.lower().split()) & ctx.memo(lower_words, ctx.source.text):
                continue  # a name of common words (Partido Liberal, Nova Escócia) is translated, not spelled
            found = [(ws, we) for w, ws, we in tokens(tgt.text) if fold(w) == spelled]
            if not found:
                continue
            start, end = tgt.start + found[0][0], tgt.start + found[0][1]
            shown = ctx.target.text[start:end]
            if not same_script(e.text, shown):
                continue  # Stothard / Стотард: transliterations vary; a misspelling needs one script
            yield issue(
                seg,
                type="entity-mismatch",
                severity="major",
                message=f'name altered: "{e.text}" spelled "{shown}" in the translation',
                target=(start, end),
                source=(e.start, e.end),
                evidence=[shown, e.text],
                confidence=0.6,
            )


def _report(ctx, seg, src: SegmentSide, tgt: SegmentSide, lost: list[Entity], new: list[Entity], metonymy,
            t_ents, fewer: set[str]):
    new_strong = [e for e in new if e.strong or e.kind in ("name", "noun-place")]
    for s in metonymy:
        t = next((e for e in t_ents if e.places and _related(s, e)), None)
        tspan = (t.start, t.end) if t else (tgt.start, tgt.end)
        ttext = ctx.target.text[tspan[0] : tspan[1]]
        yield issue(
            seg,
            type="entity-mismatch",
            severity="minor",
            message=f'"{s.text}" rendered as "{ttext}" (a place for its country or the reverse: metonymy)',
            target=tspan,
            source=(s.start, s.end),
            evidence=[ttext, s.text],
            confidence=0.5,
        )
    used: set[int] = set()
    for s in lost:
        t = next((e for e in new_strong if id(e) not in used and (bool(e.places) == bool(s.places))), None)
        if t is None:  # a capitalised German word that may be a noun (im Namen) stands for a place only
            t = next((e for e in new_strong if id(e) not in used
                      and (s.places or e.kind != "noun-place")), None)
        if s.text in fewer:  # rendered once already: only a name of its script stands for the other
            t = next((e for e in new_strong if id(e) not in used and e.kind == s.kind == "name"
                      and not e.places and same_script(s.text, e.text)), None)
            if t is None:
                continue
        swapped = t is not None and (s.text in fewer or _titled_surnames(s, t)
                                     or _kept_swapped(ctx, tgt, s, t)
                                     or (t.person and len(name_part(s.text).split()) > 1))
        if t is not None and not (s.places or t.places) and not swapped:
            t = None  # two names of organisations differ as often as they are translated freely
        if t is not None:
            used.add(id(t))
            yield issue(
                seg,
                type="entity-mismatch",
                severity="major",
                message=f'entity replaced: "{s.text}" in the source, "{t.text}" in its place',
                target=(t.start, t.end),
                source=(s.start, s.end),
                evidence=[t.text, s.text],
                confidence=0.75,
            )
        elif s.strong:
            yield issue(
                seg,
                type="entity-mismatch",
                severity="major" if s.places else "minor",
                message=f'entity missing: "{s.text}" of the source has no rendering in the translation',
                target=(tgt.start, tgt.end),
                source=(s.start, s.end),
                evidence=[tgt.text, s.text],
                confidence=0.6,
            )
    # a CJK source names places the gazetteer may not know (拉卡市): a place-suffixed name there makes a
    # target place missing from the source a likely replacement, otherwise it may just be unknown
    cjk = CJK_SCRIPT.search(src.text) is not None
    sure = not cjk or _CJK_PLACE.search(src.text) is not None
    for t in new_strong:
        if id(t) in used or not (t.strong and t.places or t.person):
            continue
        yield issue(
            seg,
            type="entity-mismatch",
            severity="major" if sure else "minor",
            message=f'entity not in the source: "{t.text}"',
            target=(t.start, t.end),
            source=(src.start, src.end),
            evidence=[t.text, src.text],
            confidence=0.6,
        )


def _unexplained(how: str | None, e: Entity, own: Renderings | None) -> bool:
    """No rendering, or only the country of a city whose country its own side names too (NOVA DELI ...
    Índia -> India: the country renders the source's own). `own` None: a metonymy renders (a city of a
    Chinese source may be one the gazetteer does not know: 韦瑟尔县, Wesel)."""
    countries = {gazetteer.country_of(k) for k in e.places if k.startswith("g:")}
    return how is None or (how == "metonymy" and own is not None and bool(countries & own.places))


def _related(a: Entity, b: Entity) -> bool:
    ca = {gazetteer.country_of(k) for k in a.places}
    cb = {gazetteer.country_of(k) for k in b.places}
    return bool(ca & b.places or cb & a.places)


def _kept_swapped(ctx: CheckContext, tgt: SegmentSide, s: Entity, t: Entity) -> bool:
    """Two untitled names, the source's kept verbatim elsewhere in the translation: a swap."""
    return s.kind == t.kind == "name" and kept_name_swapped(
        s.text, t.text, ctx.target.text, (tgt.start, tgt.end), [ctx.source.text, ctx.target.text]
    )


def _mark_people(ctx: CheckContext, side: SegmentSide, names: list[Entity]) -> None:
    """Mark the names a named-entity model of the translation's language calls people (mtqa[ner])."""
    if not names:
        return
    found = ner.persons([text for _, text in side.sentences], ctx.target.lang)
    for e in names:
        e.person = any(start + s < e.end and e.start < start + end
                       for (start, _), got in zip(side.sentences, found, strict=True) for s, end in got)


def _titled_surnames(a: Entity, b: Entity) -> bool:
    """Two titled surnames in one script (President Trump / President Clinton): a surname is kept, not
    translated, so one that stands where the other was is a replacement."""
    return a.surname and b.surname and same_script(a.text, b.text)
