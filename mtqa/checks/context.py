"""The context every check receives: the document pair, its aligned segments, the glossary, the entity
table and the encoders, loaded on first use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtqa.document import Document
from mtqa.entity_table import EntityEntry, build_entity_table
from mtqa.report import Segment

if TYPE_CHECKING:
    from mtqa.encoders import Encoder


@dataclass
class CheckContext:
    source: Document
    target: Document
    segments: list[Segment]
    glossary: list[tuple[str, str]] = field(default_factory=list)
    #: the encoder checks embed words with, and the one names are compared with across languages: given
    #: (tests), else loaded on first use from the specs, so a run loads only what its checks need
    encoder: Encoder | None = field(default=None, kw_only=True)
    name_encoder: Encoder | None = field(default=None, kw_only=True)
    encoder_spec: str = field(default="use-m3", kw_only=True)
    name_encoder_spec: str = field(default="use-m3-static", kw_only=True)
    #: the document entity table (a pipeline stage); None: computed on first use by entity_table()
    entities: list[EntityEntry] | None = field(default=None, kw_only=True)
    #: shared scratch space between checks (memoised intermediate results)
    shared: dict = field(default_factory=dict, kw_only=True)

    def entity_table(self) -> list[EntityEntry]:
        """The entity table of the pair: the pipeline's, else computed once for this context."""
        if self.entities is None:
            self.entities = build_entity_table(self.source, self.target, self.segments)
        return self.entities

    def word_encoder(self) -> Encoder:
        """The encoder checks embed words with (use-m3 unless the run names one)."""
        if self.encoder is None:
            from mtqa.encoders import get_encoder

            self.encoder = get_encoder(self.encoder_spec)
        return self.encoder

    def names_encoder(self) -> Encoder:
        """The encoder name renderings are compared with (use-m3-static unless the run names one)."""
        if self.name_encoder is None:
            from mtqa.encoders import get_encoder

            self.name_encoder = get_encoder(self.name_encoder_spec)
        return self.name_encoder

    def segment_of_target(self, sentence: int) -> int | None:
        """Id of the first segment holding a target sentence (index built once per context)."""
        index = self.shared.get("segment_of_target")
        if index is None:
            index = {}
            for seg in self.segments:
                for j in seg.target_sentences:
                    index.setdefault(j, seg.id)
            self.shared["segment_of_target"] = index
        return index.get(sentence)
