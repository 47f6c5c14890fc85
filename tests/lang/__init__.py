"""Tests of mtqa.lang, the language knowledge: one file per module (test_<module>.py)."""
