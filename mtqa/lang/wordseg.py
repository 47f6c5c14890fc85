"""Words of a text in any language: whitespace words, and for Chinese and Japanese, which write no spaces,
real words. Chinese goes through jieba (MIT; its dictionary ships in the wheel, loaded once per process and
cached under mtqa's cache root); Japanese is cut at changes of script (kanji compounds, katakana loanwords;
hiragana runs are grammar), which is close enough for counting words and matching content words."""

from __future__ import annotations

import re
from functools import lru_cache

from mtqa.lang.codes import SPACELESS_LANGS, primary

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_JA_RUNS = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf々]+|[\u30a0-\u30ffー]+|[\u3040-\u309f]+|[^\W_]+")
_HIRAGANA = re.compile(r"^[\u3040-\u309f]+$")


def spaceless(lang: str) -> bool:
    """Whether the language writes its words without spaces between them."""
    return primary(lang) in SPACELESS_LANGS


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    from mtqa.artefacts import cache_root

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    folder = cache_root() / "jieba"
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer.tmp_dir = str(folder)  # its prefix-dictionary cache, instead of the system temp folder
    return tokenizer


def words(text: str, lang: str) -> list[str]:
    """The words of `text` (letters and digits, punctuation dropped)."""
    code = primary(lang)
    if code not in SPACELESS_LANGS or not _CJK.search(text):
        return _WORD.findall(text)
    if code == "zh":
        return [w for w in _jieba().lcut(text) if _WORD.fullmatch(w)]
    return [w for w in _JA_RUNS.findall(text) if not _HIRAGANA.match(w) or len(w) >= 3]


def word_count(text: str, lang: str) -> int:
    """How many words `text` has; whitespace words unless the language writes none."""
    return len(words(text, lang)) if spaceless(lang) and _CJK.search(text) else len(text.split())
