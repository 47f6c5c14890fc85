"""What the polarity word lists are matched with: a matched word (`Cue`) and the whole-word pattern of a
list of regex alternatives in a language (`bounded`). Shared by `lang.polarity` and `lang.directions`."""

from __future__ import annotations

import re
from dataclasses import dataclass

# scripts without spaces between words: no word boundaries around the cues
NO_SPACES = {"zh", "ja", "th", "lo", "km", "my"}


@dataclass(frozen=True)
class Cue:
    text: str
    start: int
    end: int


def bounded(alternatives: str, lang: str) -> re.Pattern:
    """The regex alternatives as whole words of `lang`, case-insensitive (no boundaries in scripts without
    spaces)."""
    if lang in NO_SPACES:
        return re.compile(f"(?:{alternatives})")
    # a clitic 's may follow ("Nobody's perfect"), no other letter, apostrophe or hyphen; in Portuguese a
    # hyphenated clitic pronoun may ("recusando-se", "negou-lhe")
    hyphen = r"-(?!(?:se|lhes?|[oa]s?|me|te|nos|vos)\b)" if lang == "pt" else "-"
    # an apostrophe before the cue is an elision ("l'aucun") only after a letter; after a space it opens a
    # quotation ('didn't feel')
    return re.compile(
        rf"(?<![\w-])(?<!\w['’])(?:{alternatives})(?!\w|{hyphen})(?!['’](?!s\b))", re.IGNORECASE
    )
