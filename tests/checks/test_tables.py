"""Issue 14's tables of pass / fail pairs, split by family (tests/checks/test_<family>.py), taken
together: they cover several source languages and both outcomes."""

from __future__ import annotations

from tests.checks import test_dates, test_fidelity, test_garbled, test_polarity

CASES = [*test_fidelity.CASES, *test_polarity.CASES, *test_dates.CASES, *test_garbled.CASES]
PRECISION_CASES = [*test_polarity.PRECISION_CASES, *test_fidelity.PRECISION_CASES]


def test_cases_cover_five_source_languages_and_thirty_pairs():
    langs = {lang for _, lang, *_ in CASES}
    assert {"fr", "de", "es", "zh", "ru"} <= langs
    assert len(CASES) >= 30 + 14


def test_cases_cover_four_source_languages():
    assert {sl for _, sl, *_ in PRECISION_CASES} >= {"zh", "en", "de", "fr"}
    assert sum(m is None for *_, m in PRECISION_CASES) >= 8
    assert sum(m is not None for *_, m in PRECISION_CASES) >= 8
