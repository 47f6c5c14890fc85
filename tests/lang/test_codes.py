"""Language codes and the per-language word tables of mtqa.lang: one primary(), honest script sets, and a
fallback to English's words that says so."""

from __future__ import annotations

import subprocess
import sys

from mtqa.lang.codes import CJK_LANGS, HAN_NUMERAL_LANGS, SPACELESS_LANGS, primary
from mtqa.lang.lexicon import CONNECTORS, FALLBACK_LANG, STOP_WORDS, WORD_TABLES, has_words, lang_key
from mtqa.lang.wordseg import spaceless


def test_primary_drops_region_and_script_and_lowers():
    assert primary("pt-BR") == "pt"
    assert primary("zh-Hant-TW") == "zh"
    assert primary("DE") == "de"
    assert primary("fil") == "fil"


def test_script_sets_say_what_they_hold():
    # Korean is written in a CJK script but with spaces between words and mostly without Han numerals
    assert "ko" in CJK_LANGS
    assert "ko" not in SPACELESS_LANGS and "ko" not in HAN_NUMERAL_LANGS
    assert SPACELESS_LANGS <= CJK_LANGS and HAN_NUMERAL_LANGS <= CJK_LANGS
    assert spaceless("ja-JP") and not spaceless("ko")


def test_lang_key_falls_back_to_english_visibly():
    assert has_words("fr-CA", STOP_WORDS) and lang_key("fr-CA", STOP_WORDS) is STOP_WORDS["fr"]
    assert not has_words("fi", STOP_WORDS)
    assert lang_key("fi", STOP_WORDS) is STOP_WORDS[FALLBACK_LANG]
    assert has_words("pt", CONNECTORS) and not has_words("it", STOP_WORDS)
    assert has_words("pt", STOP_WORDS) and {"como", "para"} <= lang_key("pt-BR", STOP_WORDS)
    assert WORD_TABLES and all(FALLBACK_LANG in table for table in WORD_TABLES.values())


def test_checks_langs_lists_each_word_table_with_its_languages():
    out = subprocess.run([sys.executable, "-m", "mtqa.cli", "checks", "--langs"], capture_output=True,
                         text=True, check=True).stdout
    assert "borrows the 'en' list" in out
    stop_line = next(line for line in out.splitlines() if line.strip().startswith("stop words"))
    assert stop_line.split()[2:] == sorted(STOP_WORDS)
    assert "entity-fidelity" in out
