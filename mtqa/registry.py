"""The one registry pattern of mtqa (like sacrebleu's METRICS and COMET's str2model): a table of names to
"module:object" (or "module" for the module itself), each imported on first use. Imported by the
encoder, scorer, renderer and check registries; imports nothing of mtqa."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Registry(Generic[T]):
    """Names -> "module:object", loaded lazily. A module that fails to import, or lacks the object, is an
    error that propagates: never a missing entry."""

    kind: str
    table: dict[str, str]
    loaded: dict[str, T] = field(default_factory=dict, init=False, repr=False)

    def __contains__(self, name: object) -> bool:
        return name in self.table

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)

    def __getitem__(self, name: str) -> T:
        """The object registered under `name`, imported on first use (KeyError for an unknown name)."""
        if name not in self.loaded:
            module, _, attr = self.table[name].partition(":")
            loaded = importlib.import_module(module)
            self.loaded[name] = getattr(loaded, attr) if attr else loaded  # type: ignore[assignment]
        return self.loaded[name]

    def names(self) -> tuple[str, ...]:
        return tuple(self.table)

    def load_all(self) -> dict[str, T]:
        """Every entry, imported (the first module that fails to import raises)."""
        return {name: self[name] for name in self.table}
