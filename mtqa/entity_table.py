"""The document entity table: each source entity and its renderings in the aligned translation.

Mapping a source mention to its rendering in the aligned target segment uses diacritic folding and
transliteration (anyascii), string similarity (rapidfuzz) and acronym <-> expansion definitions."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from mtqa.document import Document
from mtqa.lang import gazetteer
from mtqa.lang.entities import Mention, acronym_definitions, extract_mentions
from mtqa.lang.lexicon import fold, similarity


@dataclass
class EntityEntry:
    source: str
    type: str
    #: target rendering -> target mentions
    renderings: dict[str, list[Mention]] = field(default_factory=dict)
    source_mentions: list[Mention] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "type": self.type,
            "renderings": [
                {"text": text, "paragraphs": sorted({m.paragraph for m in ms})}
                for text, ms in self.renderings.items()
            ],
        }


def _city_in_capitals(text: str, lang: str) -> bool:
    return len(text) >= 5 and any(k.startswith("g:") for k in gazetteer.lookup(text, lang))


def _segment_target_mentions(seg, by_sentence: dict[int, list[Mention]]) -> list[Mention]:
    return [m for j in seg.target_sentences for m in by_sentence.get(j, [])]


def _written_in(acronym: str, doc: Document, sentences: list[int]) -> bool:
    """Whether some sentences write an acronym, alone or inside a compound (US-Konsulat, PPF-Basis,
    250-Mann-SAS): a source acronym kept so is rendered, and by no other acronym of the segment."""
    word = re.compile(rf"(?<![^\W\d_]){re.escape(acronym)}(?![^\W\d_])")
    return any(word.search(doc.text, doc.sentences[j].start, doc.sentences[j].end) for j in sentences)


def _acronym_map(source: Document, target: Document, segments) -> dict[str, str]:
    """Acronym correspondences from definitions in aligned segments: FDS -> SDF."""
    src_defs = {d.sentence: d for d in acronym_definitions(source)}
    tgt_defs = {d.sentence: d for d in acronym_definitions(target)}
    acr_map: dict[str, str] = {}
    for seg in segments:
        sd = [src_defs[i] for i in seg.source_sentences if i in src_defs]
        td = [tgt_defs[j] for j in seg.target_sentences if j in tgt_defs]
        for d in sd:
            if d.acronym in {t.acronym for t in td}:
                acr_map.setdefault(d.acronym, d.acronym)
                continue
            best = max(
                td,
                key=lambda t: similarity(t.expansion, d.expansion) + 10 * (t.acronym not in acr_map.values()),
                default=None,
            )
            if best is not None:
                acr_map.setdefault(d.acronym, best.acronym)
    return acr_map


#: how a document's mentions are found: extract_mentions, or a check context's memoised extraction
MentionsOf = Callable[[Document], list[Mention]]


def build_entity_table(
    source: Document, target: Document, segments, *, mentions: MentionsOf = extract_mentions
) -> list[EntityEntry]:
    """Map each source mention to its rendering in the aligned target segment; group by source form."""
    src_mentions = mentions(source)
    tgt_mentions = mentions(target)
    src_by_sent: dict[int, list[Mention]] = {}
    tgt_by_sent: dict[int, list[Mention]] = {}
    for m in src_mentions:
        src_by_sent.setdefault(m.sentence, []).append(m)
    for m in tgt_mentions:
        tgt_by_sent.setdefault(m.sentence, []).append(m)
    acr_map = _acronym_map(source, target, segments)
    entries: dict[str, EntityEntry] = {}
    for seg in segments:
        if not seg.source_sentences or not seg.target_sentences:
            continue
        # a city in capitals (a dateline's "BANGKOK –") is no acronym to render a source acronym by
        cands = [c for c in _segment_target_mentions(seg, tgt_by_sent)
                 if not (c.kind == "acronym" and _city_in_capitals(c.text, target.lang))]
        used: set[int] = set()
        # the segment's source acronyms: a target acronym the source writes renders itself (SBS for SBS)
        src_acronyms = {m.text for i in seg.source_sentences for m in src_by_sent.get(i, [])
                        if m.kind == "acronym"}
        for m in (m for i in seg.source_sentences for m in src_by_sent.get(i, [])):
            key = fold(m.text)
            entry = entries.get(key)
            best, best_score = None, 0.0
            kept = m.kind == "acronym" and _written_in(m.text, target, seg.target_sentences)
            for c in cands:
                if id(c) in used:
                    continue
                if m.kind == "acronym":
                    if c.kind != "acronym" or c.text != m.text and (kept or c.text in src_acronyms):
                        continue  # US kept in "US-Konsulat": the GMT of the sentence is no rendering
                    score = 100.0 if c.text == m.text else 0.0
                    if m.text in acr_map:
                        score = max(
                            score,
                            95.0 if c.text == acr_map[m.text] else 0.0,
                            0.9 * fuzz.ratio(c.text, acr_map[m.text]),
                        )
                    if entry:
                        score = max([score] + [0.9 * fuzz.ratio(c.text, r) for r in entry.renderings])
                    if (
                        score < 60
                        and sum(x.kind == "acronym" for x in cands) == 1
                        and not any(
                            x.kind == "acronym" for x in src_by_sent.get(m.sentence, []) if x is not m
                        )
                    ):
                        score = 60.0  # the only acronym on both sides
                else:
                    if c.kind == "acronym":
                        continue
                    score = similarity(m.text, c.text)
                    if entry:
                        score = max([score] + [similarity(c.text, r) for r in entry.renderings])
                if score > best_score:
                    best, best_score = c, score
            if best is None or best_score < 75 and not (m.kind == "acronym" and best_score >= 60):
                continue
            used.add(id(best))
            if entry is None:
                entry = entries[key] = EntityEntry(m.text, m.kind)
            entry.source_mentions.append(m)
            entry.renderings.setdefault(best.text, []).append(best)
    return list(entries.values())
