"""The context every check receives: the document pair, its aligned segments, the glossary, the entity
table and the encoders, loaded on first use."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from mtqa.document import Document
from mtqa.entity_table import EntityEntry, build_entity_table
from mtqa.lang.entities import Mention, extract_mentions
from mtqa.profiles import USE_M3, USE_M3_STATIC
from mtqa.report import Segment

if TYPE_CHECKING:
    from mtqa.encoders import Encoder

T = TypeVar("T")


class Same:
    """An unhashable value (a Document, a context) as a memo key, by identity; it holds the value, so its id
    cannot be handed to another object while the memo lives."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.value is self.value


def memo_key(value: object) -> Hashable:
    """A value as a memo key: itself when hashable (a string by its content), else by identity (Same)."""
    try:
        hash(value)
    except TypeError:
        return Same(value)
    return value  # type: ignore[return-value]


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
    encoder_spec: str = field(default=USE_M3, kw_only=True)
    name_encoder_spec: str = field(default=USE_M3_STATIC, kw_only=True)
    #: the document entity table (a pipeline stage); None: computed on first use by entity_table()
    entities: list[EntityEntry] | None = field(default=None, kw_only=True)
    #: results computed once per context (one run of the checks) and shared by the checks: see memo()
    memos: dict[tuple, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, fn: Callable[..., T], *args: object) -> T:
        """fn(*args), computed once for this context and kept for the checks that ask again. The arguments
        are keyed by value when hashable (a text by its content, never by its id), else by identity."""
        key = (fn, *map(memo_key, args))
        if key not in self.memos:
            self.memos[key] = fn(*args)
        return self.memos[key]  # type: ignore[return-value]

    def mentions(self, doc: Document) -> list[Mention]:
        """The entity mentions of one side of the pair, extracted once per context (a new list each call)."""
        return list(self.memo(extract_mentions, doc))

    def mentions_in(self, doc: Document, sentences: Iterable[int]) -> list[Mention]:
        """The mentions of `doc` in the given sentences, in document order (an index by sentence, built once
        per context: a segment's look-up does not walk the whole document)."""
        by_sentence = self.memo(mentions_by_sentence, self, doc)
        found = [im for j in set(sentences) for im in by_sentence.get(j, ())]
        return [m for _, m in sorted(found, key=lambda im: im[0])]

    def entity_table(self) -> list[EntityEntry]:
        """The entity table of the pair: the pipeline's, else computed once for this context."""
        if self.entities is None:
            self.entities = build_entity_table(
                self.source, self.target, self.segments, mentions=self.mentions
            )
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
            from mtqa.encoders.base import WordMemo

            self.name_encoder = WordMemo(get_encoder(self.name_encoder_spec))
        return self.name_encoder

    def segment_of_target(self, sentence: int) -> int | None:
        """Id of the first segment holding a target sentence (index built once per context)."""
        return self.memo(target_index, self).get(sentence)


def mentions_by_sentence(ctx: CheckContext, doc: Document) -> dict[int, list[tuple[int, Mention]]]:
    """Sentence -> (position in the document's list, mention) of the mentions of `doc`."""
    out: dict[int, list[tuple[int, Mention]]] = {}
    for i, m in enumerate(ctx.memo(extract_mentions, doc)):
        out.setdefault(m.sentence, []).append((i, m))
    return out


def target_index(ctx: CheckContext) -> dict[int, int]:
    """Target sentence -> id of the first segment holding it."""
    index: dict[int, int] = {}
    for seg in ctx.segments:
        for j in seg.target_sentences:
            index.setdefault(j, seg.id)
    return index
