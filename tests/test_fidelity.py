"""Issue 14: errors that mislead readers (entities, dates, negation and polarity, garbled sentences), with
pass / fail pairs in French, German, Spanish, Portuguese, Chinese, Japanese and Russian sources."""

from __future__ import annotations

import functools

import pytest

from mtqa.checks import run_check
from mtqa.lang.cjk_numerals import parse_han
from mtqa.lang.numbers import find_numbers, written_numbers
from mtqa.lang.timewords import find_time_words
from mtqa.report import Segment
from tests.conftest import SEED_EN, SEED_FR
from tests.fakes import sentence_context

_ctx = sentence_context


def _issues(check: str, src: str, tgt: str, src_lang: str, tgt_lang: str = "en"):
    ctx = _ctx([src], [tgt], src_lang, tgt_lang)
    out = []
    for i in run_check(check, ctx):
        out.append(
            (
                i,
                ctx.target.text[i.target_start : i.target_end],
                ctx.source.text[i.source_start : i.source_end] if i.source_start is not None else None,
            )
        )
    return out


# (check, source language, source, translation, expected): expected None = no issue of that check;
# else (severity, text of the target span, text of the source span or None)
CASES = [
    # --- the issue's table -------------------------------------------------------------------------
    (
        "entity-fidelity",
        "fr",
        "Les Forces démocratiques syriennes ont pris Raqqa le 17 octobre 2017.",
        "The Syrian Democratic Forces took Mosul on 17 October 2017.",
        ("major", "Mosul", "Raqqa"),
    ),
    (
        "polarity",
        "fr",
        "Le ministre ne veut pas démissionner.",
        "The minister wants to resign.",
        ("major", "The minister wants to resign.", "ne veut pas"),
    ),
    (
        "entity-fidelity",
        "de",
        "Die Regierung in Berlin lehnt den Plan nicht ab.",
        "The government in Bonn rejects the plan.",
        ("major", "Bonn", "Berlin"),
    ),
    (
        "polarity",
        "de",
        "Die Regierung in Berlin lehnt den Plan nicht ab.",
        "The government in Bonn rejects the plan.",
        ("major", "The government in Bonn rejects the plan.", "nicht"),
    ),
    (
        "date-mismatch",
        "de",
        "Merkel traf am Montag 12 Minister.",
        "Merkel met 12 ministers on Tuesday.",
        ("major", "Tuesday", "Montag"),
    ),
    (
        "entity-fidelity",
        "zh",
        "叙利亚民主力量控制着拉卡市。",
        "The Syrian Democratic Forces control the city of Mosul.",
        ("major", "Mosul", None),
    ),
    (
        "date-mismatch",
        "zh",
        "习近平于3月5日会见了马克龙。",
        "Xi Jinping met Macron on 5 May.",
        ("major", "May", "3月5日"),
    ),
    # --- their correct translations pass -------------------------------------------------------------
    (
        "entity-fidelity",
        "fr",
        "Les Forces démocratiques syriennes ont pris Raqqa le 17 octobre 2017.",
        "The Syrian Democratic Forces took Raqqa on 17 October 2017.",
        None,
    ),
    (
        "polarity",
        "fr",
        "Le ministre ne veut pas démissionner.",
        "The minister does not want to resign.",
        None,
    ),
    (
        "entity-fidelity",
        "de",
        "Die Regierung in Berlin lehnt den Plan nicht ab.",
        "The government in Berlin does not reject the plan.",
        None,
    ),
    (
        "polarity",
        "de",
        "Die Regierung in Berlin lehnt den Plan nicht ab.",
        "The government in Berlin does not reject the plan.",
        None,
    ),
    ("date-mismatch", "de", "Merkel traf am Montag 12 Minister.", "Merkel met 12 ministers on Monday.", None),
    (
        "entity-fidelity",
        "zh",
        "叙利亚民主力量控制着拉卡市。",
        "The Syrian Democratic Forces control the city of Raqqa.",
        None,
    ),
    ("date-mismatch", "zh", "习近平于3月5日会见了马克龙。", "Xi Jinping met Macron on 5 March.", None),
    # --- dates in more languages -------------------------------------------------------------------------
    (
        "date-mismatch",
        "fr",
        "Le sommet aura lieu mardi à Bruxelles.",
        "The summit will take place on Wednesday in Brussels.",
        ("major", "Wednesday", "mardi"),
    ),
    (
        "date-mismatch",
        "fr",
        "Le sommet aura lieu mardi à Bruxelles.",
        "The summit will be held on Tuesday in Brussels.",
        None,
    ),
    (
        "date-mismatch",
        "ru",
        "Встреча состоится в понедельник.",
        "The meeting will take place on Friday.",
        ("major", "Friday", "понедельник"),
    ),
    ("date-mismatch", "ru", "Встреча состоится в среду.", "The meeting will take place on Wednesday.", None),
    (
        "date-mismatch",
        "ru",
        "Вчера президент выступил с речью.",
        "Tomorrow the president will give a speech.",
        ("major", "Tomorrow", "Вчера"),
    ),
    ("date-mismatch", "ru", "Договор подписали 5 марта.", "The treaty was signed on 5 March.", None),
    (
        "date-mismatch",
        "es",
        "El acuerdo se firmó el 5 de mayo.",
        "The agreement was signed on 5 June.",
        ("major", "June", "mayo"),
    ),
    ("date-mismatch", "es", "El acuerdo se firmó el 5 de mayo.", "The agreement was signed on May 5.", None),
    (
        "date-mismatch",
        "zh",
        "会议将于星期三举行。",
        "The meeting will be held on Thursday.",
        ("major", "Thursday", "星期三"),
    ),
    ("date-mismatch", "zh", "会议将于星期三举行。", "The meeting will be held on Wednesday.", None),
    (
        "date-mismatch",
        "ja",
        "会議は3月5日に開かれた。",
        "The meeting was held on 6 March.",
        ("major", "March", "3月5日"),
    ),
    (
        "date-mismatch",
        "ja",
        "会議は3月5日の火曜日に開かれた。",
        "The meeting was held on Tuesday, 5 March.",
        None,
    ),
    (
        "date-mismatch",
        "pt",
        "A reunião foi na segunda-feira, 3 de outubro.",
        "The meeting was on Monday, 3 October.",
        None,
    ),
    (
        "date-mismatch",
        "pt",
        "A reunião foi na segunda-feira, 3 de outubro.",
        "The meeting was on Monday, 3 November.",
        ("major", "November", "outubro"),
    ),
    # --- negation and reversed polarity ------------------------------------------------------------------
    (
        "polarity",
        "es",
        "El gobierno no aprobó la ley.",
        "The government approved the law.",
        ("major", "The government approved the law.", "no"),
    ),
    ("polarity", "es", "El gobierno no aprobó la ley.", "The government did not approve the law.", None),
    ("polarity", "de", "Er hat nie gelogen.", "He has always lied.", ("major", "He has always lied.", "nie")),
    ("polarity", "de", "Er hat nie gelogen.", "He has never lied.", None),
    (
        "polarity",
        "ru",
        "Компания не повысила цены.",
        "The company raised prices.",
        ("major", "The company raised prices.", "не"),
    ),
    ("polarity", "ru", "Компания не повысила цены.", "The company did not raise prices.", None),
    (
        "polarity",
        "zh",
        "他没有参加会议。",
        "He attended the meeting.",
        ("major", "He attended the meeting.", "没有"),
    ),
    ("polarity", "zh", "他没有参加会议。", "He did not attend the meeting.", None),
    ("polarity", "zh", "经济不断增长。", "The economy keeps growing.", None),
    ("polarity", "pt", "Os preços não subiram.", "Prices rose.", ("major", "Prices rose.", "não")),
    ("polarity", "pt", "Os preços não subiram.", "Prices did not rise.", None),
    (
        "polarity",
        "fr",
        "Il ne vient jamais le lundi.",
        "He always comes on Mondays.",
        ("major", "He always comes on Mondays.", "ne vient jamais"),
    ),
    ("polarity", "fr", "Le ministre refuse de démissionner.", "The minister does not want to resign.", None),
    ("polarity", "es", "Sin embargo, el plan funciona.", "However, the plan works.", None),
    (
        "polarity",
        "de",
        "Das betrifft nicht nur Berlin, sondern auch Hamburg.",
        "This affects not only Berlin but also Hamburg.",
        None,
    ),
    (
        "polarity",
        "fr",
        "Les prix ont augmenté de 5 % en un an.",
        "Prices fell by 5% in one year.",
        ("major", "fell", "augmenté"),
    ),
    ("polarity", "fr", "Les prix ont augmenté de 5 % en un an.", "Prices rose by 5% in one year.", None),
    (
        "polarity",
        "de",
        "Die Partei gewann die Wahl deutlich.",
        "The party clearly lost the election.",
        ("major", "lost", "gewann"),
    ),
    ("polarity", "de", "Die Partei gewann die Wahl deutlich.", "The party clearly won the election.", None),
    (
        "polarity",
        "es",
        "El parlamento rechazó la propuesta.",
        "Parliament accepted the proposal.",
        ("major", "accepted", "rechazó"),
    ),
    ("polarity", "es", "El parlamento rechazó la propuesta.", "Parliament rejected the proposal.", None),
    (
        "polarity",
        "ru",
        "Парламент запретил продажу оружия.",
        "Parliament allowed the sale of weapons.",
        ("major", "allowed", "запретил"),
    ),
    # --- entities: exonyms, metonymy, replacements, German nouns -----------------------------------------
    (
        "entity-fidelity",
        "fr",
        "Moscou et Téhéran soutiennent Damas.",
        "Moscow and Tehran support Damascus.",
        None,
    ),
    (
        "entity-fidelity",
        "fr",
        "Avec l'appui de Moscou et de Téhéran, le régime avance.",
        "With the support of Moscow and Iran, the regime advances.",
        ("minor", "Iran", "Téhéran"),
    ),
    (
        "entity-fidelity",
        "es",
        "El presidente visitó Lisboa la semana pasada.",
        "The president visited Madrid last week.",
        ("major", "Madrid", "Lisboa"),
    ),
    (
        "entity-fidelity",
        "es",
        "El presidente visitó Lisboa la semana pasada.",
        "The president visited Lisbon last week.",
        None,
    ),
    (
        "entity-fidelity",
        "pt",
        "Tais discrepâncias, no caso da Índia, podem ser enormes.",
        "Such discrepancies, in Joshua's case, can be huge.",
        ("major", "Joshua", "Índia"),
    ),
    (
        "entity-fidelity",
        "pt",
        "Tais discrepâncias, no caso da Índia, podem ser enormes.",
        "Such discrepancies, in India's case, can be huge.",
        None,
    ),
    ("entity-fidelity", "zh", "中国和俄罗斯签署了协议。", "China and Russia signed an agreement.", None),
    (
        "entity-fidelity",
        "zh",
        "中国和俄罗斯签署了协议。",
        "China and Iran signed an agreement.",
        ("major", "Iran", "俄罗斯"),
    ),
    (
        "entity-fidelity",
        "ru",
        "Путин провёл переговоры с Эрдоганом в Сочи.",
        "Putin held talks with Erdogan in Sochi.",
        None,
    ),
    (
        "entity-fidelity",
        "ru",
        "Путин провёл переговоры с Эрдоганом в Сочи.",
        "Putin held talks with Erdogan in Minsk.",
        ("major", "Minsk", "Сочи"),
    ),
    (
        "entity-fidelity",
        "de",
        "Die Bäume im Garten des Hauses sind sehr alt.",
        "The trees in the garden of the house are very old.",
        None,
    ),
    (
        "entity-fidelity",
        "es",
        "La canciller Angela Merkel habló con la prensa.",
        "Chancellor Angela Berkel spoke to the press.",
        ("major", "Berkel", "Angela Merkel"),
    ),
    (
        "entity-fidelity",
        "es",
        "La canciller Angela Merkel habló con la prensa.",
        "Chancellor Angela Merkel spoke to the press.",
        None,
    ),
    # --- garbled ------------------------------------------------------------------------------------------
    (
        "garbled",
        "pt",
        "Com um capital inicial de apenas 100 mil milhões de dólares, é demasiado pequeno.",
        "With initial capital of just $<extra_id_0> billion, it is too small.",
        ("major", "<extra_id_0>", None),
    ),
    (
        "garbled",
        "pt",
        "Não há dúvidas de que a China atravessa uma fase difícil.",
        "There is now little doubt that there is now little doubt that China is going through a hard phase.",
        ("major", "there is now little", None),
    ),
    (
        "garbled",
        "pt",
        "Não há dúvidas de que a China atravessa uma fase difícil.",
        "There is no doubt that China is going through a difficult phase.",
        None,
    ),
    # --- Portuguese names joined by do/dos/das, a country after a sentence-initial article --------
    ("entity-fidelity", "pt", "Agora é a vez da Coreia do Norte cometer um erro.",
     "Now it is Kevin's turn to make a mistake.", ("major", "Kevin", "Coreia do Norte")),
    ("entity-fidelity", "pt", "Agora é a vez da Coreia do Norte cometer um erro.",
     "Now it is North Korea's turn to make a mistake.", None),
    ("entity-fidelity", "pt", "O Reino Unido e a França decidiram aderir.",
     "The UK and France decided to join.", None),
    # --- a refusal or failure verb where the source has nothing negative ----------------------------
    ("polarity", "pt", "A França decidiu aderir ao banco.", "France refused to join the bank.",
     ("major", "refused to", "A França decidiu aderir ao banco.")),
    ("polarity", "pt", "A França recusou aderir ao banco.", "France refused to join the bank.", None),
    ("polarity", "pt", "A sua liderança fracassou na gestão dos problemas.",
     "Its leadership failed to manage the problems.", None),
    ("polarity", "pt", "A América defende o comércio livre, recusando-se a abandonar os subsídios.",
     "America advocates free trade, refusing to abandon subsidies.", None),
    ("polarity", "pt", "Ele deixou de poder gerir o negócio.", "He could no longer run the business.", None),
    # fixed expressions: "de modo algum" negates, "não obstante" and "never mind" do not
    ("polarity", "pt", "Isto explica o que aconteceu, mas de modo algum o desculpa.",
     "This explains what happened, but it does not in any way excuse it.", None),
    ("polarity", "pt", "Mas, não obstante o entusiasmo de Obama, permanecem questões.",
     "But, notwithstanding Obama's enthusiasm, questions remain.", None),
    ("polarity", "pt", "A união bancária é uma reforma futura, independentemente dos problemas presentes.",
     "Banking union is a future reform, never mind the problems of the present.", None),
    ("polarity", "pt", "Acabar com a SIDA deixara de ser um objectivo autónomo.",
     "Ending AIDS was no longer a standalone goal.", None),
    # "negociações" and "negócio" negate nothing: the "not" is added
    ("polarity", "pt", "As negociações com o Irão poderão ganhar uma nova dinâmica.",
     "The negotiations with Iran may not gain a new dynamic.",
     ("major", "not", "As negociações com o Irão poderão ganhar uma nova dinâmica.")),
    ("polarity", "es", "La actividad se estabilizó.", "Business failed to stabilise.",
     ("major", "failed to", "La actividad se estabilizó.")),
]


@pytest.mark.parametrize(("check", "lang", "src", "tgt", "expected"), CASES)
def test_fidelity_case(check, lang, src, tgt, expected):
    found = _issues(check, src, tgt, lang)
    if expected is None:
        assert found == [], [i.message for i, _, _ in found]
        return
    severity, tspan, sspan = expected
    hits = [(i, t, s) for i, t, s in found if i.severity == severity]
    assert hits, [(i.severity, i.message) for i, _, _ in found]
    issue, t, s = hits[0]
    assert t == tspan, issue.message
    if sspan is not None:
        assert s == sspan, issue.message
    assert issue.source_start is not None or check == "garbled"


def test_cases_cover_five_source_languages_and_thirty_pairs():
    langs = {lang for _, lang, *_ in CASES}
    assert {"fr", "de", "es", "zh", "ru"} <= langs
    assert len(CASES) >= 30 + 14


def test_date_message_names_both_dates():
    (issue, _, _), *_ = _issues(
        "date-mismatch", "习近平于3月5日会见了马克龙。", "Xi Jinping met Macron on 5 May.", "zh"
    )
    assert "date changed: 5 March → 5 May" in issue.message
    assert issue.type == "date-mismatch"


def test_chinese_numerals_read():
    assert parse_han("一百二十") == 120
    assert parse_han("两千零五") == 2005
    assert parse_han("三亿五千万") == 350_000_000
    assert parse_han("二〇一九") == 2019
    text = "一百二十名士兵在3月5日抵达，花费3.5亿元。"
    assert [n.value for n in find_numbers(text, "zh")] == [5, 350_000_000]  # 3月 is a month: a date
    assert written_numbers(text, "zh") == [120]  # Chinese numerals count as written-out numbers


def test_no_number_issue_for_a_cjk_day_or_numeral():
    ctx = _ctx(
        ["习近平于3月5日会见了马克龙。", "一百二十名士兵抵达。", "他十分关注。"],
        ["Xi Jinping met Macron on 5 March.", "120 soldiers arrived.", "He is very concerned."],
        "zh",
    )
    assert list(run_check("number-mismatch", ctx)) == []
    ctx = _ctx(["一百二十名士兵抵达。"], ["150 soldiers arrived."], "zh")
    assert [i.severity for i in run_check("number-mismatch", ctx)] == ["minor"]


def test_time_words_in_several_languages():
    got = [(t.kind, t.value, t.day) for t in find_time_words("В среду 5 марта, вчера", "ru")]
    assert got == [("weekday", 2, None), ("month", 3, 5), ("relative", -1, None)]
    got = [(t.kind, t.value, t.day) for t in find_time_words("le mardi 1er décembre", "fr")]
    assert got == [("weekday", 1, None), ("month", 12, 1)]
    # "may" the verb is no month, "Morgen" (morning) no relative day
    assert find_time_words("You may go.", "en") == []
    assert find_time_words("Am Morgen regnete es.", "de") == []


def test_german_nouns_are_not_name_variants():
    src = ["The report was published.", "Two reports were published later."]
    tgt = ["Der Bericht wurde veröffentlicht.", "Zwei Berichte wurden später veröffentlicht."]
    ctx = _ctx(src, tgt, "en", "de")
    assert list(run_check("entity-inconsistency", ctx)) == []


def test_seed_fidelity(seed_report_fast):
    """¶15 garbled: major; ¶14 Téhéran -> Iran: minor metonymy; no major on the correct paragraphs."""
    by_para: dict[int, list] = {}
    for i in seed_report_fast.issues:
        by_para.setdefault(i.target_paragraph, []).append(i)
    # major as the check raises it; reported minor where its kind measured under the precision floor
    assert any(i.severity == "major" or i.demoted for i in by_para[15] if i.check == "garbled")
    tehran = [i for i in by_para[14] if i.check == "entity-fidelity"]
    assert tehran and tehran[0].severity == "minor" and "Téhéran" in tehran[0].message
    src = SEED_FR.read_text(encoding="utf-8")
    assert src[tehran[0].source_start : tehran[0].source_end] == "Téhéran"
    assert SEED_EN.read_text(encoding="utf-8")[tehran[0].target_start : tehran[0].target_end] == "Iran"
    for p in (5, 7, 9, 11, 13, 17, 18, 19):
        assert not [i.message for i in by_para.get(p, []) if i.severity in ("major", "critical")], p


# a short French news story and its faithful English translation, one sentence a paragraph
PLAN_FR = [
    "Le gouvernement a présenté hier un nouveau plan pour réduire la dette publique du pays.",
    "Les syndicats ont critiqué ce plan, qu'ils jugent injuste pour les salariés les plus modestes.",
    "Le ministre des Finances défendra le texte devant le Parlement la semaine prochaine à Paris.",
    "Selon les économistes interrogés, les mesures pourraient ralentir la croissance dès l'an prochain.",
    "Plusieurs députés de la majorité ont demandé des garanties pour les retraités et les étudiants.",
]
PLAN_EN = [
    "The government yesterday presented a new plan to reduce the country's public debt.",
    "The unions criticised the plan, which they consider unfair to the lowest-paid employees.",
    "The finance minister will defend the text before Parliament in Paris next week.",
    "According to the economists interviewed, the measures could slow growth as early as next year.",
    "Several majority MPs have asked for guarantees for pensioners and students.",
]


def test_clause_omission():
    src, full = PLAN_FR, PLAN_EN
    check = functools.partial(run_check, "clause-omission")
    assert list(check(_ctx(src, full, "fr"))) == []
    cut = [*full[:4], "Several majority MPs have asked for guarantees."]
    (issue,) = check(_ctx(src, cut, "fr"))
    assert issue.severity == "major" and issue.type == "omission" and issue.segment == 4
    assert issue.source_start is not None


def test_negation_in_a_free_translation_is_minor():
    """A lone negation is major where the translation is close (QE score at or above the document's
    median) and minor where it is free, since paraphrases move negations around."""
    src = ["Le ministre ne veut pas démissionner.", "Le ministre ne veut pas démissionner."]
    tgt = ["The minister wants to resign.", "The minister wants to resign."]
    ctx = _ctx(src, tgt, "fr")
    ctx.segments[0].score, ctx.segments[1].score = 0.8, 0.3
    severities = [(i.segment, i.severity) for i in run_check("polarity", ctx)]
    assert severities == [(0, "major"), (1, "minor")]


def test_cjk_place_not_in_source_is_minor_without_a_place_name():
    found = _issues("entity-fidelity", "他们控制着这个地区。", "They control the area around Mosul.", "zh")
    assert [i.severity for i, _, _ in found] == ["minor"]


def test_names_are_compared_with_the_context_name_encoder():
    """The run's name encoder (--encoder, else use-m3-static) reaches the entity check through its context."""
    from mtqa.pipeline import Options
    from mtqa.profiles import ACCURATE
    from tests.fakes import HashEncoder

    ctx = _ctx(["Le ministre Jean Dupont est arrivé à Lyon."], ["Minister John Smith arrived in Lyon."], "fr")
    spy = HashEncoder()
    ctx.name_encoder = spy
    (issue,) = run_check("entity-fidelity", ctx)
    assert spy.calls > 0 and "Jean Dupont" in issue.message
    assert Options(profile="accurate").name_encoder_spec == ACCURATE.name_encoder == "use-m3-static"
    assert Options(profile="fast", encoder="use-m3").name_encoder_spec == "use-m3"


def test_terse_complete_rendering_is_not_an_omission():
    # a translation far shorter than the document's ratio predicts, but every source content word has a
    # counterpart: a terse rendering, not a dropped clause
    last = "Il est absolument certain que les prix de l'énergie ont beaucoup augmenté depuis janvier."
    src = [*PLAN_FR[:4], last]
    tgt = [*PLAN_EN[:4], "Energy prices have certainly soared since January."]
    assert list(run_check("clause-omission", _ctx(src, tgt, "fr"))) == []


def test_chinese_words_are_segmented_for_word_evidence():
    from mtqa.checks.families.qe import mistranslation_verdict
    from mtqa.checks.kit.words import WordEvidence, content_words
    from mtqa.lang.wordseg import word_count

    src = "我上周在多塞特拍摄的这个。"
    assert word_count(src, "zh") >= 5 and word_count("I took this in Dorset last week.", "en") == 7
    words = content_words(src, "zh")
    assert "拍摄" in words and "上周" in words and src not in words
    # a Chinese sentence of several words is no heading: one unmatched word at z -3.5 is not enough
    seg = Segment(0, src, "I took this in Dorset last week.", [1], [1], "1-1", 0.46)
    ev = WordEvidence(wrong_form=[], words=4, unmatched=["Dorset"])
    assert mistranslation_verdict(seg, -3.5, ev, 0.3, "zh") is None
    # the same evidence on a genuine three-word heading still counts
    head = Segment(0, "停火被违反", "Truce violated here", [1], [1], "1-1", 0.46)
    assert word_count(head.source, "zh") <= 3
    assert mistranslation_verdict(head, -3.5, ev, 0.3, "zh") == "major"


@pytest.mark.parametrize(
    "lang, src, tgt, replaced",
    [
        ("pt", "O Presidente Trump assina um decreto que impõe tarifas às importações da China.",
         "President Clinton signs a bill slapping a tariff on imports from China.", "Clinton"),
        ("pt", "O Presidente Trump assina um decreto que impõe tarifas às importações da China.",
         "President Trump signs a decree imposing tariffs on imports from China.", None),
        ("es", "La ministra Calviño presentó ayer el presupuesto en Madrid.",
         "Minister Calviño presented the budget in Madrid yesterday.", None),
        ("es", "La ministra Calviño presentó ayer el presupuesto en Madrid.",
         "Minister Montero presented the budget in Madrid yesterday.", "Montero"),
        ("fr", "La Commission européenne a approuvé le plan de Bruxelles.",
         "The European Commission approved the Brussels plan.", None),
    ],
)  # fmt: skip
def test_one_word_name_replaced_by_another(lang, src, tgt, replaced):
    # a surname is kept, not translated: another one in its place is a replacement, whatever the title
    found = [(i, t) for i, t, *_ in _issues("entity-fidelity", src, tgt, lang) if i.severity == "major"]
    if replaced is None:
        assert found == []
    else:
        (issue, span), = found
        assert "replaced" in issue.message and replaced in span


def test_prefixed_words_are_soft_negations_only_when_they_negate():
    from mtqa.lang.polarity import soft_negations

    words = "O investimento importante no desenvolvimento da informação é impossível e desconhecido."
    assert [c.text for c in soft_negations(words, "pt")] == ["impossível", "desconhecido"]
    # an ordinary in-/des- word of the source no longer excuses a negation the translation added
    src = ("Com o investimento adequado, este recurso é susceptível de criar emprego e assegurar um "
           "crescimento sustentável.")
    tgt = "With the right investment, this resource can create jobs and no sustainable growth."
    (found,) = [i for i, *_ in _issues("polarity", src, tgt, "pt")]
    assert found.severity == "major" and "negation added" in found.message


def test_direction_words_need_a_direction():
    from mtqa.lang.polarity import directions

    # "descontentamento" / "desconforto" (discontent, discomfort) do not go down; "desceu" does
    found = directions("O descontentamento e o desconforto cresceram, mas a taxa desceu.", "pt")
    assert [(sign, c.text) for _, sign, c in found] == [(1, "cresceram"), (-1, "desceu")]
    # growth that stays lower speaks of both directions: no reversal against "crescimento ... menor"
    src = "Em 17 economias, o crescimento do investimento permaneceu menor no período pós-2008."
    tgt = "In 17 economies, investment growth remained lower during the post-2008 period."
    assert [i for i, *_ in _issues("polarity", src, tgt, "pt")] == []


def test_clause_addition():
    src, full = PLAN_FR, PLAN_EN
    check = functools.partial(run_check, "clause-addition")
    assert list(check(_ctx(src, full, "fr"))) == []
    # an added fact (a name, a figure) is major; an added phrasing is minor
    for extra, severity, word in (
        ("who met Emmanuel Macron at the Elysée Palace last winter", "major", "Macron"),
        ("whose football club won the cup in a dramatic final last winter", "minor", "football"),
    ):
        last = f"Several majority MPs, {extra}, have asked for guarantees for pensioners and students."
        added = [*full[:4], last]
        ctx = _ctx(src, added, "fr")
        (issue,) = check(ctx)
        assert issue.severity == severity and issue.type == "addition" and issue.segment == 4
        span = ctx.target.text[issue.target_start : issue.target_end]
        assert word in span and "pensioners" not in span


def test_negation_cues_with_clitics_and_german_forms():
    from mtqa.lang.polarity import negations, soft_negations

    assert [c.text for c in negations("Nobody’s perfect, and the no-fly zone holds.", "en")] == ["Nobody"]
    # a clitic n't split from its verb by a tokeniser ("may well n't last") still negates
    assert [c.text for c in negations("It may well n't last, and they don't care.", "en")] == ["n't", "don't"]
    found = negations("Despoten schockieren Franzosen keineswegs. Ebenso wenig funktionieren Märkte.", "de")
    assert [c.text for c in found] == ["keineswegs", "Ebenso wenig"]
    # "do not trust" rendered "misstrauen" is no dropped negation
    assert [c.text for c in soft_negations("Bürger, die ihrer Elite misstrauen", "de")] == ["misstrauen"]
    src = "Citizens who do not trust their political elite may find it popular."
    tgt = "Bürger, die ihrer politischen Elite misstrauen, könnten es populär finden."
    assert [i for i, *_ in _issues("polarity", src, tgt, "en", "de")] == []


def test_free_translation_softens_a_dropped_negation_not_an_added_one():
    src = ["O governo aprovou o plano na segunda-feira.", "O ministro não quer demitir-se.",
           "A inflação voltou a subir em março.", "O parlamento vota amanhã."]
    tgt = ["The government approved the plan on Monday.", "The minister wants to resign.",
           "Inflation did not rise again in March.", "Parliament votes tomorrow."]
    ctx = _ctx(src, tgt, "pt")
    for seg, score in zip(ctx.segments, (0.9, 0.3, 0.3, 0.9), strict=True):
        seg.score = score  # both damaged segments read as free translations (below the median)
    found = {i.segment: i for i in run_check("polarity", ctx)}
    # a negation dropped in a free translation may be idiom moved around: minor
    assert found[1].severity == "minor" and "negation dropped" in found[1].message
    # one added where the source has nothing negative says the opposite: major all the same
    assert found[2].severity == "major" and "negation added" in found[2].message
    assert ctx.target.text[found[2].target_start : found[2].target_end] == "not"
    assert 0 not in found and 3 not in found


def test_untitled_name_kept_elsewhere_then_swapped():
    src = ["Stiglitz defende um estímulo fiscal maior.",
           "Continuo a discordar de Stiglitz e Farmer quanto à estagnação secular.",
           "O partido de Dilma resistiu, e Dilma Rousseff recorreu a argumentos populistas.",
           "É a questão decisiva para o Ocidente.",
           "Mark Carney dirige o banco.", "O seu sucessor, Mark Carney, adoptou esta perspectiva."]
    tgt = ["Stiglitz argues for a larger fiscal stimulus.",
           "I continue to disagree with Butler and Farmer on secular stagnation.",
           "Rousseff's party resisted, and Dilma Rousseff played a populist card.",
           "This is the decisive question for the West.",
           "Mark Carney runs the bank.", "His successor, Joel Hudson, adopted this view."]
    check = functools.partial(run_check, "entity-fidelity")
    found = [(i.segment, i.severity, i.message) for i in check(_ctx(src, tgt, "pt"))]
    # the translation keeps "Stiglitz" verbatim in segment 0, so "Butler" in its place is a swap
    assert (1, "major", 'entity replaced: "Stiglitz" in the source, "Butler" in its place') in found
    assert (5, "major", 'entity replaced: "Mark Carney" in the source, "Joel Hudson" in its place') in found
    # a first name told by the surname (the text joins them) and a translated name are no swap
    assert not [f for f in found if f[0] in (0, 2, 3, 4) and f[1] == "major"]



@pytest.mark.parametrize(
    ("src", "tgt", "lang", "expected"),
    [
        # Stiglitz twice in the source; the translation keeps one and puts another name in the other's place
        ("Continuo a discordar de Stiglitz quanto ao historial, e de Stiglitz e Farmer quanto à teoria.",
         "I disagree with Stiglitz on the record, and with Butler and Farmer on theory.", "pt",
         'entity replaced: "Stiglitz" in the source, "Butler" in its place'),
        ("Krugman critica a Draghi, pero Draghi no responde.",
         "Krugman criticises Draghi, but Lagarde does not answer.", "es",
         'entity replaced: "Draghi" in the source, "Lagarde" in its place'),
        # the second mention told by a pronoun: nothing stands in its place
        ("Macron a reçu Scholz, puis Macron a parlé aux journalistes.",
         "Macron received Scholz, then he spoke to reporters.", "fr", None),
    ],
)
def test_name_written_twice_kept_once(src, tgt, lang, expected):
    found = [i.message for i in run_check("entity-fidelity", _ctx([src], [tgt], lang))
             if i.severity == "major"]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("src", "tgt", "tgt_lang", "expected"),
    [
        ("The minister agreed to sign it.", "Der Minister weigerte sich, ihn zu unterschreiben.", "de",
         "weigerte sich"),
        ("The minister refused to sign it.", "Der Minister weigerte sich, ihn zu unterschreiben.", "de",
         None),
        ("The minister agreed to sign it.", "部长拒绝签署。", "zh", "拒绝"),
        # a failure of the talks is no refusal: "broke down" / "collapsed" rendered freely
        ("The talks broke down.", "Die Gespräche scheiterten.", "de", None),
        ("The talks collapsed.", "谈判失败了。", "zh", None),
        ("The talks collapsed.", "Les négociations ont échoué.", "fr", None),
        ("The talks collapsed.", "Переговоры провалились.", "ru", None),
        # "nie da gewesen" (unprecedented) negates nothing
        ("Our youth are at an all-time high risk of addiction.",
         "Unsere Jugendlichen sind einem nie da gewesenen Suchtrisiko ausgesetzt.", "de", None),
    ],
)
def test_polarity_into_other_languages(src, tgt, tgt_lang, expected):
    ctx = _ctx([src], [tgt], "en", tgt_lang)
    found = [ctx.target.text[i.target_start : i.target_end] for i in run_check("polarity", ctx)
             if i.severity == "major"]
    assert found == ([expected] if expected else [])


def test_deep_cut_needs_one_lost_word(monkeypatch):
    """Under 64% of the predicted length one source word without a counterpart is enough (above, two)."""
    from mtqa.checks.families import omission

    check = functools.partial(run_check, "clause-omission")
    src = [*PLAN_FR[:4], "Plusieurs députés de la majorité ont demandé des garanties pour les retraités."]
    ctx = _ctx(src, [*PLAN_EN[:4], "Majority MPs asked for guarantees."], "fr")
    (issue,) = check(ctx)
    assert issue.severity == "major" and issue.message.endswith("no counterpart for retraités")
    monkeypatch.setattr(omission, "DEEP_DROP", 5.0)  # no cut is deep enough: one lost word is too few
    assert list(check(ctx)) == []


def test_name_of_common_words_is_translated_not_misspelt():
    check = functools.partial(run_check, "entity-fidelity")
    src = ["O Partido Liberal Democrata escolheu o seu líder.", "Um governo liberal e democrata é raro."]
    tgt = ["The Liberal Democratic Party chose its leader.", "A liberal and democratic government is rare."]
    assert [i.message for i in check(_ctx(src, tgt, "pt")) if "altered" in i.message] == []
    # a person's name is spelt, not translated: a different spelling is still reported
    src = ["O banqueiro Jens Weidmann escolheu o seu líder.", "Um governo liberal e democrata é raro."]
    tgt = ["The banker Jens Weismann chose his leader.", "A liberal and democratic government is rare."]
    assert [i.message for i in check(_ctx(src, tgt, "pt")) if "altered" in i.message] == [
        'name altered: "Jens Weidmann" spelled "Weismann" in the translation']

def test_name_in_another_script_is_transliterated_not_misspelt():
    src = ["Lois Stothard told the BBC she had booked a holiday to Seville."]
    tgt = ["Лоис Стотард сообщила Би-би-си, что забронировала отпуск в Севилье."]
    found = run_check("entity-fidelity", _ctx(src, tgt, "en", "ru"))
    assert [i.message for i in found if "altered" in i.message] == []

@pytest.mark.parametrize(("src", "tgt"), [
    ("Now came Benjamin Netanyahu.", "Jetzt kam Benjamin Netanjahu."),
    ("It forced Eduard Shevardnadze out.", "Das zwang Eduard Schewardnadse zum Rücktritt."),
])
def test_german_transliteration_is_no_misspelt_name(src, tgt):
    found = run_check("entity-fidelity", _ctx([src], [tgt], "en", "de"))
    assert [i.message for i in found if "altered" in i.message] == []

def test_omission_ignores_shortened_places_and_first_connectives():
    """A place the translation names in a shorter form (Etats-Unis d'Amérique -> US) and a sentence's first
    word are no lost content; a qualifier that is gone still is."""
    check = functools.partial(run_check, "clause-omission")
    src = [*PLAN_FR[:4], "Pourtant, en raison de la politique des États-Unis d'Amérique, aucun de ces "
           "changements ne sera facilement obtenu."]
    tgt = [*PLAN_EN[:4], "Yet owing to US policy, none of these changes will come easily."]
    assert list(check(_ctx(src, tgt, "fr"))) == []
    src[4] = "Pourtant, les syndicats exigent des garanties écrites pour les retraités et les étudiants."
    (issue,) = check(_ctx(src, [*PLAN_EN[:4], "Yet the unions want guarantees."], "fr"))
    assert "retraités" in issue.message and "Pourtant" not in issue.message

@pytest.mark.parametrize(
    ("src", "tgt", "lang", "reversed_"),
    [
        ("É maior no mundo em vias de desenvolvimento.", "It is larger in the developed world.", "pt", True),
        ("La part est plus grande dans les pays développés.", "The share is larger in developing countries.",
         "fr", True),
        ("发展中国家的比例更高。", "The share is higher in developed countries.", "zh", True),
        ("É maior nos países em desenvolvimento.", "It is larger in developing countries.", "pt", False),
        # "less developed" names the poorer countries too: no reversal against "en développement"
        ("Elle est plus grande dans les pays en développement.", "It is larger in less-developed countries.",
         "fr", False),
    ],
)
def test_developed_and_developing_countries_are_opposites(src, tgt, lang, reversed_):
    found = [i for i, *_ in _issues("polarity", src, tgt, lang)]
    assert bool(found) == reversed_
    assert all(i.severity == "major" and "meaning reversed" in i.message for i in found)


def test_russian_question_particles_and_english_soft_cues_negate_nothing():
    from mtqa.lang.polarity import negations, soft_negations

    # "не так ли" (right?) and "не ... ли" (whether) ask; they do not negate
    assert negations("Мы закончили, не так ли? Хотел бы знать, не раздают ли их посетители.", "ru") == []
    assert [c.text for c in negations("Он не пришёл.", "ru")] == ["не"]
    # German renders "non-communicable" and "underused" with a "nicht" that negates nothing
    assert negations("Nicht ansteckende Krankheiten und nicht ausgelastete Anlagen nehmen zu.", "de") == []
    # "fell short", "until", "no-deal" may be rendered with a negation ("не дотянула", "solange kein")
    cues = [c.text for c in soft_negations("The team fell short until a no-deal exit.", "en")]
    assert cues == ["fell short", "until", "no-deal"]
    src = "While his team fell short, Vardy ended the season as top scorer."
    tgt = "Пока его команда не дотягивала, Варди завершил сезон лучшим бомбардиром."
    assert [i for i, *_ in _issues("polarity", src, tgt, "en", "ru")] == []
