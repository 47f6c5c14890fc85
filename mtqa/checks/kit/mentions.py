"""The names of one side of a segment for entity fidelity: rule mentions (capitals, acronyms) looked up in
the gazetteer, the place of a news dateline ("PARIS –", "NOVA DELI -") and, in CJK text, the place names
the gazetteer knows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mtqa.checks.context import CheckContext
from mtqa.checks.kit.names import LEADING, TITLES, name_part, titled_surname
from mtqa.checks.kit.places import compass_places
from mtqa.checks.kit.spans import SegmentSide
from mtqa.lang import gazetteer
from mtqa.lang.codes import CJK_LANGS, primary
from mtqa.lang.gazetteer import CJK_SCRIPT, NEW_WORDS
from mtqa.lang.lexicon import NOUN_CAPITALISING, STOP_WORDS, fold, lang_key

# a dateline: a place in capitals at the head of a paragraph, maybe a region after a comma and an agency
# in brackets, then a dash ("WASHINGTON, DC –", "NOVA DELI -", "BERLIN (dpa) -")
_CAPS = r"[^\W\da-zß-ÿ][^\W\da-zß-ÿ'’.-]*"
_DATELINE = re.compile(
    rf"({_CAPS}(?: {_CAPS}){{0,2}})(?:, ?[^\W\d][\w.]*(?: [^\W\d][\w.]*)?)?(?: ?\([^)]{{1,30}}\))? ?[–—-] "
)


@dataclass
class Entity:
    text: str
    start: int
    end: int
    places: set[str] = field(default_factory=set)
    kind: str = "name"  # place, name, acronym
    titled: bool = False  # a person's name after a title: "Presidente Trump", "la ministra Calviño"
    person: bool = False  # a full name the named-entity model calls a person's (mtqa[ner])

    @property
    def surname(self) -> bool:
        return titled_surname(self.text, self.titled, bool(self.places))

    @property
    def strong(self) -> bool:
        """A place or a multiword name: enough to call a missing rendering an error."""
        if self.kind in ("noun-place", "acronym"):
            return False
        return bool(self.places) or (self.kind == "name" and len(self.text.split()) >= 2)


def dateline(doc, sentence: int) -> Entity | None:
    """The place of a news dateline opening the sentence's paragraph ("PARIS – O mundo ..."), when the
    gazetteer knows it."""
    sent = doc.sentences[sentence]
    if sent.start and doc.text[sent.start - 1] != "\n":
        return None  # not the head of a paragraph
    m = _DATELINE.match(sent.text)
    places = gazetteer.lookup(m.group(1), doc.lang) if m and m.group(1).isupper() else set()
    if not places:
        return None
    return Entity(m.group(1), sent.start, sent.start + len(m.group(1)), places, "place")


def _after_article(doc, m) -> bool:
    """Only an article before the mention in its sentence ("O Centro para ..."): its capital may be the
    sentence's."""
    head = doc.text[doc.sentences[m.sentence].start : m.start].split()
    return len(head) == 1 and head[0].lower() in LEADING


def side_entities(ctx: CheckContext, doc, side: SegmentSide, sentences: list[int]) -> list[Entity]:
    """Names of one side of a segment: rule mentions (capitals, acronyms) looked up in the gazetteer, the
    place of a dateline, and in CJK text the place names the gazetteer knows."""
    lang = primary(doc.lang)
    out: list[Entity] = []
    if lang in CJK_LANGS:
        for start, text in side.sentences:
            for keys, s, e in gazetteer.find_cjk_places(text, lang):
                # two characters often sit inside a longer word (海地 in 沿海地区), except 美国, 中国 ...
                if e - s >= 3 or text[s:e].endswith("国"):
                    out.append(Entity(text[s:e], start + s, start + e, keys, "place"))
    else:
        out += [d for i in sentences if (d := dateline(doc, i)) is not None]
    stops = lang_key(lang, STOP_WORDS)
    for m in ctx.mentions_in(doc, sentences):
        if m.kind == "title" or CJK_SCRIPT.search(m.text):
            continue
        if m.text.lower() in stops or any(d.start <= m.start < d.end for d in out):
            continue
        if m.kind == "acronym":
            # an acronym names a country (США, UK), hardly a city: ВИЧ (HIV) is no Vic
            countries = {k for k in gazetteer.lookup(m.text, lang) if k.startswith("c:")}
            out.append(Entity(m.text, m.start, m.end, countries, "acronym"))
            continue
        if len(m.text) <= 4 and re.match(r"\.\s*[a-z0-9,;:]", doc.text[m.end : m.end + 4]):
            continue  # an abbreviation inside a sentence: Sept. 14, Portland, Ore., a crowd
        # a country after a sentence-initial article ("O Reino Unido")
        places = gazetteer.lookup(m.text, lang) or {
            k for k in gazetteer.lookup(name_part(m.text), lang) if k.startswith("c:")
        } or compass_places(m.text, lang)  # Südrumänien: part of Romania
        if not places and len(m.text.split()) > 1:
            # "Berlin Wall" is no place, but "Northern Kosovo" holds one: a country as the last word
            # but "New Jersey" is no Jersey
            words = fold(m.text).split()
            if not NEW_WORDS & set(words[:-1]):
                places = {k for k in gazetteer.lookup(m.text.split()[-1], lang) if k.startswith("c:")}
        if lang in NOUN_CAPITALISING and not places:
            continue  # German capitalises nouns and their adjectives: only the gazetteer tells names
        # "O Centro para ...": after an article, a place's name may be an ordinary word (centre) too
        initial = m.initial or (bool(places) and _after_article(doc, m))
        if initial and len(m.text.split()) == 1 and not any(k.startswith("c:") for k in places):
            continue  # a capitalised first word (Como, Para): an ordinary word as often as a name
        kind = "place" if places else "name"
        if (
            lang in NOUN_CAPITALISING
            and len(m.text.split()) == 1
            and not any(k.startswith("c:") for k in places)
        ):
            kind = "noun-place"  # Mitte, Essen, Halle, Namen: maybe a noun; reported only for a place
        before = doc.text[max(0, m.start - 30) : m.start].split()
        titles = [fold(w) for w in m.text.split()[:-1] + before[-1:]]
        titled = kind == "name" and any(t in TITLES for t in titles)
        out.append(Entity(m.text, m.start, m.end, places, kind, titled))
    return out
