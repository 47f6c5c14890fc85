"""The numbers family (number-mismatch): a quantity read the way a faithful translation may write it
(scale words, 多万, decades, 12-hour clock, 成, ordinals, a day told as a weekday) and changed figures
still caught."""

from __future__ import annotations

import pytest

from mtqa.checks import run_check
from mtqa.precision import kind_of
from tests.fakes import make_context


def _severities(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[str]:
    """Severities of the number issues raised on a one-sentence document pair."""
    ctx = make_context([src], [tgt], src_lang, tgt_lang)
    return sorted(i.severity for i in run_check("number-mismatch", ctx))


# (source language, target language, source, translation, severities of the number issues)
CASES = [
    # --- the same quantity written another way: no issue --------------------------------------------
    ("zh", "en", "省级救灾资金2030万元已下达。", "20.3 million yuan of relief funds were issued.", []),
    ("zh", "en", "自6月以来超过110亿美元资金流入。", "More than USD11 billion has flowed in since June.", []),
    ("zh", "en", "在7亿用户中，有1.34亿用户。", "Of the 700 million users, 134 million are young.", []),
    ("en", "ru", "There are 20,000 species of orchids.", "Существует 20 тысяч видов орхидей.", []),
    ("en", "ru", "It involved 12,000 patients.", "В ней участвует 12 тыс. пациентов.", []),
    ("zh", "en", "比利时有1100多万人口。", "Belgium has more than 11 million people.", []),
    ("zh", "en", "上世纪80年代初，农民种菜丰收。", "In the early 1980s, farmers had good harvests.", []),
    ("zh", "en", "“90后”有何计划？", "What plans do the post-90s have?", []),
    ("zh", "en", "比利时卫生部门24日说，疫情反弹。", "Officials said on Thursday that cases rose.", []),
    ("en", "ru", "The fire grew to 250 acres as of 8 p.m.", "К 20:00 пожар охватил 250 акров.", []),
    ("en", "de", "It was reported just after 3 p.m.", "Es wurde kurz nach 15:00 Uhr gemeldet.", []),
    ("zh", "en", "六成受访者表示支持。", "60% of respondents expressed support.", []),
    ("zh", "en", "国际米兰上升至第2。", "Inter Milan rose to second place.", []),
    ("de", "en", "Die Kosten stiegen auf 3,5 Mio. Euro.", "Costs rose to 3,500,000 euros.", []),
    ("fr", "en", "La mode des années 80 revient.", "The fashion of the 1980s is back.", []),
    ("es", "en", "Invirtieron 1.200 millones de dólares.", "They invested 1.2 billion dollars.", []),
    ("en", "fr", "The show starts at 8 p.m.", "Le spectacle commence à 20h00.", []),
    ("zh", "en", "跌破1美元兑人民币7.0元关口。", "The US dollar broke 7.0 yuan.", ["minor"]),
    ("zh", "en", "看左面，[1,1] 的输入等于0输出。", "On the left, the input of [1,1] equals 0 output.", []),
    ("en", "ru", "That's about a 15-foot boat.", "Длиной примерно 4,5 метра.", []),
    ("en", "de", "A structure 161 feet (49 meters) high.", "Ein 49 Meter hohes Gebäude.", []),
    ("en", "ru", "It was 90 °F in the shade.", "В тени было 32 градуса.", []),
    ("en", "de", "Flight 328 landed at 6:19 p.m.", "Flug 328 landete um 18.19 Uhr.", []),
    ("en", "de", "Measures became ubiquitous after 9/11.", "Nach dem 11. September wurden sie üblich.", []),
    ("en", "de", "They hold assets worth about £1.5bn.", "Sie halten etwa 1,5 Mrd. GBP.", []),
    ("en", "de", "It will last around 2 ½ weeks.", "Es wird etwa zweieinhalb Wochen dauern.", []),
    ("en", "de", "In the 1990s, growth was strong.", "In den Neunzigern war das Wachstum stark.", []),
    ("en", "de", "In 80 days, leaders meet.", "In achtzig Tagen treffen sie sich.", []),
    ("en", "de", "The 1970s were hard.", "Die 1970er waren hart.", []),
    ("en", "de", "The G-20 will meet in Seoul.", "Die Gruppe trifft sich in Seoul.", ["minor"]),
    # a day of the month left out (the day of the story): minor
    ("zh", "en", "卫生部门24日说，3名儿童死亡。", "Health authorities said three children died.", ["minor"]),
    ("en", "ru", "The fire consumed about 10,000 acres.", "Пожар уничтожил около 10,000 акров.", []),
    # imperial units converted by the translator: English "degrees" alone is Fahrenheit against Celsius,
    # a figure is as exact as its last digit (8 feet = 2.4 m, told as 3 m), a range shares its unit
    ("en", "de", "Temperatures above 90 degrees.", "Temperaturen über 32 Grad Celsius.", []),
    ("en", "de", "Temperatures above 90 degrees.", "Temperaturen über 30 Grad Celsius.", []),
    ("en", "de", "Temperatures above 90 degrees.", "Temperaturen über 32° C.", []),
    ("en", "de", "It shoots an 8-foot Kevlar cord.", "Es schießt ein 3 m langes Kevlar-Kabel.", []),
    ("en", "de", "It grew from 5-10 acres to 250 acres.", "Es wuchs von 2 bis 4 Hektar auf 100 Hektar.", []),
    ("en", "de", "The storm was 40 miles away.", "Der Sturm war 64 Kilometer entfernt.", []),
    ("en", "de", "The bag weighed 20 pounds.", "Die Tasche wog 9 kg.", []),
    ("en", "de", "About 6 inches of rain fell.", "Es fielen etwa 15 cm Regen.", []),
    # lakh grouping (Indian English), also with its last comma lost, and the same grouping in German
    ("en", "de", "It has reported 2,06,737 cases.", "Es meldete 206.737 Fälle.", []),
    ("en", "de", "It has reported 2,06737 cases.", "Es meldete 206.737 Fälle.", []),
    ("en", "de", "It has reported 2,06737 cases.", "Es meldete 2.06.737 Fälle.", []),
    ("en", "de", "It has reported 2,06,737 cases.", "Es meldete 2.06.737 Fälle.", []),
    # a German numeric date: day and month (31.10. = October 31, not 31.1)
    ("en", "de", "It must be ready by October 31.", "Es muss bis zum 31.10. fertig sein.", []),
    ("en", "de", "It must be ready by Oct. 31.", "Es muss bis zum 31.10. fertig sein.", []),
    ("en", "de", "It was signed on October 31, 2019.", "Es wurde am 31.10.2019 unterzeichnet.", []),
    # a power: its superscript lost in the source ("10100" for 10¹⁰⁰) is the same figure
    ("en", "de", "Googol, or 10100, is a large number.", "Googol, also 10 hoch 100, ist groß.", []),
    ("en", "fr", "Googol, or 10^100, is a large number.", "Le gogol, 10 puissance 100, est grand.", []),
    ("en", "de", "Googol, or 10100, is a large number.", "Googol, also 10 hoch 10, ist groß.", ["major"]),
    # --- a changed quantity is still major -----------------------------------------------------------
    ("zh", "en", "省级救灾资金2030万元已下达。", "20.3 billion yuan of relief funds were issued.", ["major"]),
    ("en", "ru", "There are 20,000 species of orchids.", "Существует 200 тысяч видов орхидей.", ["major"]),
    ("en", "ru", "The fire grew to 250 acres as of 8 p.m.", "К 21:00 пожар охватил 250 акров.", ["major"]),
    ("zh", "en", "上世纪80年代初，农民种菜丰收。", "In the early 1990s, farmers had harvests.", ["major"]),
    ("zh", "en", "比利时有1100多万人口。", "Belgium has more than 1.1 million people.", ["major"]),
    ("zh", "en", "卫生部门24日说，3名儿童死亡。", "Officials said on the 25th that three died.", ["major"]),
    ("en", "de", "The wall is 100 feet high.", "Die Mauer ist 60 Meter hoch.", ["major"]),
    ("en", "ru", "It was 90 °F in the shade.", "В тени было 40 градусов.", ["major"]),
    ("en", "de", "Temperatures above 90 degrees.", "Temperaturen über 50 Grad Celsius.", ["major"]),
    ("en", "de", "The ship turned 180 degrees.", "Das Schiff drehte sich um 82 Grad.", ["major"]),
    ("en", "de", "It shoots an 8-foot Kevlar cord.", "Es schießt ein 8 m langes Kevlar-Kabel.", ["major"]),
    ("en", "de", "The trail is 1 mile long.", "Der Weg ist 1 km lang.", ["major"]),
    ("en", "de", "It grew from 5-10 acres.", "Es wuchs von 5 bis 4 Hektar.", ["major"]),
    ("en", "de", "The storm was 40 miles away.", "Der Sturm war 40 Kilometer entfernt.", ["major"]),
    ("en", "de", "It has reported 2,06,737 cases.", "Es meldete 2.067 Fälle.", ["major"]),
    ("en", "de", "It has reported 2,06737 cases.", "Es meldete 2.06 Fälle.", ["major"]),
    ("en", "de", "It has reported 2,06737 cases.", "Es meldete 20.673 Fälle.", ["major"]),
    ("en", "de", "It must be ready by October 31.", "Es muss bis zum 30.10. fertig sein.", ["major"]),
    ("en", "de", "He spoke during an event on July 19.", "Er sprach im Juli 2019.", ["major"]),
    ("en", "de", "Of the 500,000 people who died.", "Von den 550.00 gestorbenen Menschen.", ["major"]),
    ("de", "en", "Die Kosten stiegen auf 3,5 Mio. Euro.", "Costs rose to 35 million euros.", ["major"]),
    ("zh", "en", "6成受访者表示支持。", "16% of respondents expressed support.", ["major"]),
    ("zh", "en", "5名男子死亡。", "A man died.", ["major"]),
    ("es", "en", "Invirtieron 1.200 millones de dólares.", "They invested 12 billion dollars.", ["major"]),
    # an added figure that states a measure is a claim of its own (the source's 1 is told as "one")
    ("pt", "en", "Uma sondagem deu apenas 1% de apoio.", "One poll gave just 0.75% support.", ["major"]),
    ("fr", "en", "Le projet a coûté cher.", "The project cost $40 million.", ["major"]),
    ("de", "en", "Die Arbeitslosigkeit ist gesunken.", "Unemployment fell to 5 percent.", ["major"]),
    # the number of a named series written against its capitals (COP13, G20) is read like any other
    ("pt", "en", "A próxima reunião (COP13) terá lugar em Cancun.", "The next meeting (COP 23) is in Cancún.",
     ["major"]),
    ("pt", "en", "A próxima reunião (COP13) terá lugar em Cancun.", "The next meeting (COP 13) is in Cancún.",
     []),
    ("de", "en", "Die G20 treffen sich in Rom.", "The G-20 meet in Rome.", []),
    # ... and one told by a pronoun is left to the entity checks: minor
    ("pt", "en", "O G20 deve construir uma coligação.", "It should build a coalition.", ["minor"]),
    # ... a bare added count is often explicitation: minor
    ("fr", "en", "Les États membres ont voté.", "The 27 member states voted.", ["minor"]),
]


@pytest.mark.parametrize(("src_lang", "tgt_lang", "src", "tgt", "expected"), CASES)
def test_number_case(src_lang, tgt_lang, src, tgt, expected):
    assert _severities(src, tgt, src_lang, tgt_lang) == expected


def test_cases_span_languages_and_both_outcomes():
    assert {c[0] for c in CASES} | {c[1] for c in CASES} >= {"zh", "en", "ru", "de", "fr", "es"}
    assert sum(1 for c in CASES if c[4]) >= 8 and sum(1 for c in CASES if not c[4]) >= 8


def test_number_mismatch():
    ok = make_context(["Le 1er décembre, 400 000 personnes, soit 70 %."],
                      ["On December 1, 400,000 people, or 70%."])
    assert run_check("number-mismatch", ok) == []
    bad = make_context(["Le 1er décembre, 400 000 personnes."], ["On November 1, 300,000 people."])
    found = run_check("number-mismatch", bad)
    assert {i.evidence[0] for i in found} == {"300,000"}
    assert all(bad.target.text[i.target_start : i.target_end] == i.evidence[0] for i in found)
    # the changed month is the date check's, reported once
    (date,) = run_check("date-mismatch", bad)
    assert bad.target.text[date.target_start : date.target_end].startswith("November")


def test_no_number_issue_for_a_cjk_day_or_numeral():
    ctx = make_context(
        ["习近平于3月5日会见了马克龙。", "一百二十名士兵抵达。", "他十分关注。"],
        ["Xi Jinping met Macron on 5 March.", "120 soldiers arrived.", "He is very concerned."],
        "zh",
    )
    assert list(run_check("number-mismatch", ctx)) == []
    ctx = make_context(["一百二十名士兵抵达。"], ["150 soldiers arrived."], "zh")
    assert [i.severity for i in run_check("number-mismatch", ctx)] == ["minor"]


def test_german_numeric_date_is_the_date_of_the_source():
    ok = make_context(["It must be ready by Oct. 31."], ["Es muss bis zum 31.10. fertig sein."], "en", "de")
    assert run_check("number-mismatch", ok) == [] and run_check("date-mismatch", ok) == []
    bad = make_context(["It must be ready by October 31."], ["Es muss bis 30.11. fertig sein."], "en", "de")
    (date,) = run_check("date-mismatch", bad)
    assert date.severity == "major" and "31 October → 30 November" in date.message


def test_unconverted_unit_is_named():
    ctx = make_context(["It shoots an 8-foot cord."], ["Es schießt ein 8 m langes Kabel."], "en", "de")
    (issue,) = run_check("number-mismatch", ctx)
    assert issue.severity == "major" and issue.message.startswith("unit not converted: 8 in the source")
    assert kind_of(issue.message) == "unit not converted"  # measured apart from "number changed"
    assert ctx.target.text[issue.target_start : issue.target_end] == "8"
