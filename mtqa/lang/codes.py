"""Language codes and the script families of languages, each defined once."""

from __future__ import annotations

import functools

#: languages written in CJK characters (Han, kana, hangul): their place names are found by script
CJK_LANGS = frozenset({"zh", "ja", "ko"})
#: languages that write their words without spaces between them (jieba for Chinese, script runs for Japanese)
SPACELESS_LANGS = frozenset({"zh", "ja"})
#: languages that write figures with Han numerals (一百二十, 3.5亿)
HAN_NUMERAL_LANGS = frozenset({"zh", "ja"})


@functools.lru_cache(maxsize=512)
def primary(lang: str) -> str:
    """The language of a tag without its region or script: "pt-BR" -> "pt"."""
    return lang.split("-")[0].lower()
