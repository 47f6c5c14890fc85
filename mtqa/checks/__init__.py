"""Rule and entity checks: one small documented function per check, registered by name, one family of
checks per module of this package.

Each check receives a CheckContext and yields Issues. The docstring of a check is its help text
(shown by `mtqa checks` and in SARIF rules); `issue_type` is its issue type, `mqm` its MQM path.
Every module of the package is imported by `load_checks()`: a module that fails to import is an
error, not a missing check. A check that needs an optional package names it in `requires=` (and
imports it inside the function); it is then skipped, and says so in its help, where that package is
not installed.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtqa.document import Document
from mtqa.entity_table import EntityEntry, build_entity_table
from mtqa.report import Issue, Segment

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


# --- helpers the check families share ----------------------------------------------------------------


def aligned(seg: Segment) -> bool:
    """A segment with text on both sides (not an omission or an addition)."""
    return bool(seg.source_sentences and seg.target_sentences)


def side_text(doc: Document, sentences: list[int]) -> str:
    """The text of some sentences of a document, joined by a space."""
    return " ".join(doc.text[doc.sentences[i].start : doc.sentences[i].end] for i in sentences)


def target_span(ctx: CheckContext, seg: Segment) -> tuple[int, int, str]:
    """(start, end, text) of a segment's translation."""
    s, e = seg.target_start, seg.target_end
    assert s is not None and e is not None
    return s, e, ctx.target.text[s:e]


def robust_spread(values: list[float]) -> tuple[float, float]:
    """(median, MAD scaled to a standard deviation) of some values."""
    med = statistics.median(values)
    mad = statistics.median(abs(v - med) for v in values)
    return med, 1.4826 * mad


# --- the registry --------------------------------------------------------------------------------------

CheckFn = Callable[[CheckContext], Iterable[Issue]]


@dataclass
class CheckInfo:
    name: str
    issue_type: str
    mqm: str
    fn: CheckFn
    profiles: tuple[str, ...]
    #: optional packages (import names) the check needs
    requires: tuple[str, ...] = ()

    @property
    def missing(self) -> list[str]:
        """The required packages that are not installed."""
        return [mod for mod in self.requires if importlib.util.find_spec(mod) is None]

    @property
    def help(self) -> str:
        text = " ".join((self.fn.__doc__ or "").split())
        missing = self.missing
        return f"{text} [not run: needs {', '.join(missing)}]" if missing else text


CHECKS: dict[str, CheckInfo] = {}

#: former check names, still accepted by --disable and the config's `disable`
ALIASES: dict[str, tuple[str, ...]] = {"fluency": ("grammar-en", "calque")}

# the built-in families, in the order their issues were always produced; other modules of the package
# (new families) load after them, in name order
_BUILTIN = ("alignment", "numbers", "glossary", "length", "grammar_en", "qe", "entity", "untranslated")


def check(
    name: str,
    *,
    issue_type: str,
    mqm: str,
    profiles: tuple[str, ...] = ("fast", "accurate"),
    requires: tuple[str, ...] = (),
):
    """Register a check function under `name`."""

    def deco(fn: CheckFn) -> CheckFn:
        CHECKS[name] = CheckInfo(name, issue_type, mqm, fn, profiles, tuple(requires))
        return fn

    return deco


def load_checks() -> dict[str, CheckInfo]:
    """Every check of the package, its modules imported (an import error propagates)."""
    found = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    for module in [*_BUILTIN, *(m for m in found if m not in _BUILTIN)]:
        importlib.import_module(f"{__name__}.{module}")
    return CHECKS


def expand_disabled(names: Iterable[str]) -> set[str]:
    """Check names to skip, former names (ALIASES) replaced by the checks they became."""
    out: set[str] = set()
    for name in names:
        out.update(ALIASES.get(name, (name,)))
    return out


def enabled_checks(profile: str = "accurate", disabled: Iterable[str] = ()) -> list[CheckInfo]:
    """The checks a run performs: those of its profile, not disabled, with their packages installed."""
    skip = expand_disabled(disabled)
    return [info for info in load_checks().values()
            if info.name not in skip and profile in info.profiles and not info.missing]


def run_checks(ctx: CheckContext, profile: str = "accurate", disabled: Iterable[str] = ()) -> list[Issue]:
    issues: list[Issue] = []
    for info in enabled_checks(profile, disabled):
        for issue in info.fn(ctx):
            if not issue.mqm:
                issue.mqm = info.mqm
            if issue.check is None:
                issue.check = info.name
            issues.append(issue)
    issues.sort(key=lambda i: (i.target_start if i.target_start is not None else 10**12, i.type))
    return issues
