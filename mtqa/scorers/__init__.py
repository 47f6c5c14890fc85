"""Quality-estimation scorers behind one small interface, in a registry (like sacrebleu's METRICS). The
scoring floor: imported by checks and above; imports the models floor (qe, encoders) and below.

A scorer takes aligned (source, target) pairs and returns one figure in [0, 1] per pair (None where
it cannot judge). Adding a scorer is one class plus its line in SCORERS (name -> "module:Class", imported on
first use); the profiles that run it are named in mtqa.profiles.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from mtqa.artefacts import ModelSignature
from mtqa.errors import MtqaError
from mtqa.profiles import PROFILES, profile_named, profiles_running
from mtqa.registry import Registry


@dataclass
class ScoringInput:
    source: str
    target: str
    src_lang: str
    tgt_lang: str
    extra: dict = field(default_factory=dict)


class Scorer(ABC):
    """Template every scorer fills in."""

    name: str = ""
    #: weight of this scorer in the combined segment score
    weight: float = 1.0
    #: fewer source words than this and the scorer's value is left out of the combined score when another
    #: scorer judged the segment (a sentence-embedding cosine says little about a two-word heading)
    min_words: int = 0
    description: str = ""

    def __init__(self, **options) -> None:
        self.options = options

    @abstractmethod
    def score(self, items: list[ScoringInput]) -> list[float | None]:
        """One figure in [0, 1] per item."""

    @abstractmethod
    def signature(self) -> ModelSignature:
        """Name, revision and sha256 of what this scorer runs."""

    def available(self) -> tuple[bool, str]:
        """(usable here, reason if not)."""
        return True, ""

    def has_error_spans(self) -> bool:
        """Whether `error_spans` predicts anything (a learned word-level head)."""
        return False

    def error_spans(self, items: list[ScoringInput]) -> list:
        """Per item, an (n, 3) float array of learned error spans: (start, end, confidence), character offsets
        into the item's target."""
        raise NotImplementedError

    def signature_once(self) -> ModelSignature:
        """signature(), computed once per scorer instance (it may hash model files)."""
        if not hasattr(self, "_signature"):
            self._signature = self.signature()
        return self._signature


def nonempty(items: list[ScoringInput]) -> list[int]:
    """Indices of the items with text on both sides (the others score None)."""
    return [i for i, it in enumerate(items) if it.source.strip() and it.target.strip()]


#: the scorers by name, in the order a profile runs them; a module that fails to import is an error
SCORERS: Registry[type[Scorer]] = Registry("scorer", {
    "use-cosine": "mtqa.scorers.cosine:CosineScorer",
    "e5-qe": "mtqa.scorers.transformers_scorers:E5QEScorer",
    "hf-regression": "mtqa.scorers.transformers_scorers:HFRegressionScorer",
    "nmt-forced": "mtqa.scorers.transformers_scorers:NMTForcedScorer",
})


def scorer_names() -> list[str]:
    return sorted(SCORERS)


def build_scorers(profile: str, names: list[str] | None = None, **options) -> list[Scorer]:
    """Scorers for a profile (or the named ones). One that cannot run is an error naming what is missing:
    never a silent fallback to a weaker set of scorers than the profile was measured with."""
    if names:
        unknown = [n for n in names if n not in SCORERS]
        if unknown:
            raise MtqaError(f"unknown scorer '{unknown[0]}': choose from {', '.join(sorted(SCORERS))}")
        chosen = [SCORERS[n] for n in names]
    else:
        chosen = [SCORERS[n] for n in profile_named(profile).scorer_names()]
    out: list[Scorer] = []
    for cls in chosen:
        scorer = cls(**options)
        ok, why = scorer.available()
        if ok:
            out.append(scorer)
        elif names:
            raise MtqaError(f"scorer '{cls.name}' cannot run: {why}")
        else:
            others = [p for p in PROFILES if p != profile and p not in profiles_running(cls.name)]
            alt = f", or use --profile {others[0]}" if others else ""
            raise MtqaError(f"the {profile} profile's scorer '{cls.name}' cannot run: {why}{alt}")
    return out
