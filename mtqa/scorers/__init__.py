"""Quality-estimation scorers behind one small interface, in a registry (like sacrebleu's METRICS).

A scorer takes aligned (source, target) pairs and returns one figure in [0, 1] per pair (None where
it cannot judge). Adding a scorer is one class plus `@register`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from mtqa.artefacts import ModelSignature
from mtqa.config import PROFILES
from mtqa.errors import MtqaError


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
    #: profiles that run this scorer by default ("fast", "accurate")
    profiles: tuple[str, ...] = ("accurate",)
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


SCORERS: dict[str, type[Scorer]] = {}


def register(cls: type[Scorer]) -> type[Scorer]:
    if not cls.name:
        raise ValueError("a scorer needs a name")
    SCORERS[cls.name] = cls
    return cls


def _load_builtin() -> None:
    """Import the built-in scorer modules; an import error is a bug and propagates (optional packages
    are imported inside the scorers, which report them through `available()`)."""
    from mtqa.scorers import cosine, transformers_scorers  # noqa: F401


def scorer_names() -> list[str]:
    _load_builtin()
    return sorted(SCORERS)


def build_scorers(profile: str, names: list[str] | None = None, **options) -> list[Scorer]:
    """Scorers for a profile (or the named ones). One that cannot run is an error naming what is missing:
    never a silent fallback to a weaker set of scorers than the profile was measured with."""
    _load_builtin()
    if names:
        unknown = [n for n in names if n not in SCORERS]
        if unknown:
            raise MtqaError(f"unknown scorer '{unknown[0]}': choose from {', '.join(sorted(SCORERS))}")
        chosen = [SCORERS[n] for n in names]
    else:
        chosen = [cls for cls in SCORERS.values() if profile in cls.profiles]
    out: list[Scorer] = []
    for cls in chosen:
        scorer = cls(**options)
        ok, why = scorer.available()
        if ok:
            out.append(scorer)
        elif names:
            raise MtqaError(f"scorer '{cls.name}' cannot run: {why}")
        else:
            others = [p for p in PROFILES if p != profile and p not in cls.profiles]
            alt = f", or use --profile {others[0]}" if others else ""
            raise MtqaError(f"the {profile} profile's scorer '{cls.name}' cannot run: {why}{alt}")
    return out
