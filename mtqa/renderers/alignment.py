"""The output of `mtqa align`: the beads of a sentence alignment as pairs, text or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable

from mtqa.document import Document

Beads = list[tuple[list[int], list[int]]]


def _joined(doc: Document, indices: list[int]) -> str:
    return " ".join(doc.sentences[i].text for i in indices)


def render_pairs(src: Document, tgt: Document, beads: Beads) -> str:
    """'[0]:[0, 1]' per line, 0-based, as vecalign gold files."""
    return "".join(f"{s}:{t}\n" for s, t in beads)


def render_text(src: Document, tgt: Document, beads: Beads) -> str:
    """'1-2<TAB>source sentences<TAB>target sentences' per bead."""
    lines = [f"{len(s)}-{len(t)}\t{_joined(src, s)}\t{_joined(tgt, t)}" for s, t in beads]
    return "\n".join(lines) + "\n"


def render_json(src: Document, tgt: Document, beads: Beads) -> str:
    rows = [{"source": s, "target": t, "source_text": _joined(src, s), "target_text": _joined(tgt, t)}
            for s, t in beads]
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


ALIGNMENT_FORMATS: dict[str, Callable[[Document, Document, Beads], str]] = {
    "pairs": render_pairs,
    "text": render_text,
    "json": render_json,
}


def render_alignment(fmt: str, src: Document, tgt: Document, beads: Beads) -> str:
    return ALIGNMENT_FORMATS[fmt](src, tgt, beads)
