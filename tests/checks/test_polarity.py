"""The polarity family: a negation on one side only, or a polarity word reversed; fixed expressions,
antonyms and lexical negation are no reversal (issue 14)."""

from __future__ import annotations

import pytest

from mtqa.checks import run_check
from tests.fakes import assert_pass_fail, check_spans, make_context

# issue 14's pass / fail pairs of this family: (check, source language, source, translation, expected):
# expected None = no issue of that check; else (severity, text of the target span, text of the
# source span or None)
CASES = [
    (
        "polarity",
        "fr",
        "Le ministre ne veut pas démissionner.",
        "The minister wants to resign.",
        ("major", "The minister wants to resign.", "ne veut pas"),
    ),
    (
        "polarity",
        "de",
        "Die Regierung in Berlin lehnt den Plan nicht ab.",
        "The government in Bonn rejects the plan.",
        ("major", "The government in Bonn rejects the plan.", "nicht"),
    ),
    (
        "polarity",
        "fr",
        "Le ministre ne veut pas démissionner.",
        "The minister does not want to resign.",
        None,
    ),
    (
        "polarity",
        "de",
        "Die Regierung in Berlin lehnt den Plan nicht ab.",
        "The government in Berlin does not reject the plan.",
        None,
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
    # --- a privative "sem" told by an English word of lack (issue 29), and dropped ---------------------
    ("polarity", "pt", "Antes, 44% das farmácias ficavam sem medicamentos essenciais.",
     "Before, 44% of pharmacies routinely ran out of key medicines.", None),
    ("polarity", "pt", "O desafio de criar uma economia sem emissões de carbono é uma oportunidade.",
     "The challenge of creating a zero-carbon economy is an opportunity.", None),
    ("polarity", "pt", "Os países vão dar repetidamente a ruas sem saída.",
     "The countries repeatedly drive down dead-end streets.", None),
    ("polarity", "pt", "Foram condenados a um planeta sem conserto possível.",
     "They were condemned to a planet that is beyond fixing.", None),
    ("polarity", "pt", "Antes, 44% das farmácias ficavam sem medicamentos essenciais.",
     "Before, 44% of pharmacies routinely had key medicines.",
     ("major", "Before, 44% of pharmacies routinely had key medicines.", "sem")),
    # --- a direction reversed where the negations differ in number, far from them (issue 29) ------------
    ("polarity", "pt", "Não há como saber, e ninguém pode ser responsabilizado, quando sobe a taxa de "
     "conclusão mas os benefícios não se materializam.", "No one need know, and no one can be held "
     "accountable, when graduation rates fall but the benefits fail to materialize.",
     ("major", "fall", "sobe")),
    ("polarity", "pt", "Não há como saber, e ninguém pode ser responsabilizado, quando sobe a taxa de "
     "conclusão mas os benefícios não se materializam.", "No one need know, and no one can be held "
     "accountable, when graduation rates rise but the benefits fail to materialize.", None),
    ("polarity", "pt", "O parlamento rejeitou a proposta.", "Parliament did not accept the proposal.", None),
]


@pytest.mark.parametrize(("check", "lang", "src", "tgt", "expected"), CASES)
def test_pass_fail_pair(check, lang, src, tgt, expected):
    assert_pass_fail(check, lang, src, tgt, expected)


# issue 14's precision pairs of this family: (check, source language, target language, source, translation,
# major target span or None)
PRECISION_CASES = [
    # --- polarity: fixed expressions, A-not-A questions, "not ... until" ----------------------------
    ("polarity", "zh", "en", "询问渔船进港是否需要申报。",
     "They asked whether fishing boats must declare.", None),
    ("polarity", "zh", "en", "他们会不会也在猜测我们的存在？", "Are they also guessing that we exist?", None),
    ("polarity", "zh", "en", "他明天不来开会。",
     "He comes to the meeting tomorrow.", "He comes to the meeting tomorrow."),
    ("polarity", "zh", "en", "第一场飓风通常要到8月中旬才会形成。",
     "The first hurricane usually does not form until mid-August.", None),
    ("polarity", "zh", "en", "第一场飓风通常在8月中旬形成。",
     "The first hurricane usually does not form in mid-August.", "not"),
    ("polarity", "en", "ru", "It's not just a game.", "Это не просто игра.", None),
    ("polarity", "en", "ru", "It is a game.", "Это не игра.", "не"),
    ("polarity", "en", "ru", "It further damages what is already a fragile restart.",
     "Это еще больше вредит и без того хрупкому восстановлению.", None),
    # --- polarity: lexical negation and antonyms ------------------------------------------------------
    ("polarity", "en", "ru", "They published lists of countries exempt from the rules.",
     "Они опубликовали списки стран, на которые не распространяются правила.", None),
    ("polarity", "en", "ru", "The party came first but fell far short of a majority.",
     "Партия заняла первое место, но не получила большинства.", None),
    ("polarity", "zh", "en", "找到一条正确的道路多么不容易。",
     "How difficult it is to find the right path.", None),
    ("polarity", "zh", "en", "找到一条正确的道路多么不容易。", "How easy it is to find the right path.",
     "How easy it is to find the right path."),
    ("polarity", "zh", "en", "此时会谈意愿不高。", "The willingness to talk is low at this time.", None),
    ("polarity", "de", "en", "Es ist nicht leicht, den Weg zu finden.",
     "It is difficult to find the way.", None),
    ("polarity", "de", "en", "Es ist nicht leicht, den Weg zu finden.", "It is easy to find the way.",
     "It is easy to find the way."),
    ("polarity", "fr", "en", "Ce n'est pas facile à dire.", "It is hard to say.", None),
    # --- polarity: en->de news, rated by MQM (issue 29) ----------------------------------------------
    # a negation inside single quotes is a negation
    ("polarity", "en", "de", "She said it 'didn't feel hierarchical'.",
     "Sie sagte, es habe sich „nicht hierarchisch angefühlt“.", None),
    ("polarity", "en", "de", "She said it 'felt hierarchical'.",
     "Sie sagte, es habe sich „nicht hierarchisch angefühlt“.", "nicht"),
    # declining, ongoing, zero, "from scratch", private: rendered with a negation
    ("polarity", "en", "de", "A spokesman declined to comment on Friday.",
     "Ein Sprecher wollte am Freitag keinen Kommentar abgeben.", None),
    ("polarity", "en", "de", "A spokesman commented on Friday.",
     "Ein Sprecher wollte am Freitag keinen Kommentar abgeben.", "keinen"),
    ("polarity", "en", "de", "Police said the investigation was ongoing.",
     "Die Polizei sagte, die Untersuchung sei noch nicht abgeschlossen.", None),
    ("polarity", "en", "de", "Police said the investigation was closed.",
     "Die Polizei sagte, die Untersuchung sei nicht abgeschlossen.", "nicht"),
    ("polarity", "en", "de", "She makes sure they keep their accounts private.",
     "Sie sorgt dafür, dass ihre Konten nicht öffentlich sind.", None),
    ("polarity", "en", "de", "She makes sure they keep their accounts public.",
     "Sie sorgt dafür, dass ihre Konten nicht öffentlich sind.", "nicht"),
    ("polarity", "en", "de", "The kingdom is building a tourism industry from scratch.",
     "Das Königreich baut aus dem Nichts eine Tourismusbranche auf.", None),
    ("polarity", "en", "de", "The plan aims at zero deaths by 2030.",
     "Der Plan zielt auf keine Todesfälle bis 2030.", None),
    # "warned not to", "never to stop" (= go on), "do not leave" (= stay), "no deal was announced" (blieb
    # aus), "no brainer", "without delay", and German "nein"
    ("polarity", "en", "de", "France has warned its citizens not to travel to Catalonia.",
     "Frankreich hat seine Bürger davor gewarnt, nach Katalonien zu reisen.", None),
    ("polarity", "en", "de", "France has told its citizens not to travel to Catalonia.",
     "Frankreich hat seinen Bürgern gesagt, nach Katalonien zu reisen.",
     "Frankreich hat seinen Bürgern gesagt, nach Katalonien zu reisen."),
    ("polarity", "en", "de", "Tony Blair vows never to stop meddling in British politics.",
     "Tony Blair schwört, sich weiter in die britische Politik einzumischen.", None),
    ("polarity", "en", "de", "Visitors do not leave their car on the safari drive.",
     "Die Besucher bleiben während der Safari im Auto.", None),
    ("polarity", "en", "de", "Visitors do not leave their car on the safari drive.",
     "Die Besucher verlassen während der Safari ihr Auto.",
     "Die Besucher verlassen während der Safari ihr Auto."),
    ("polarity", "en", "de", "While no deal has been officially announced, talks went on.",
     "Die offizielle Bekanntgabe einer Einigung blieb zwar aus, doch die Gespräche gingen weiter.", None),
    ("polarity", "en", "de", "The scheme would be a no brainer.",
     "Das Programm wäre ein Selbstläufer.", None),
    ("polarity", "en", "de", "Others made for the tunnel without a moment's delay.",
     "Andere liefen sofort zum Tunnel.", None),
    ("polarity", "en", "de", "No, but you will have to isolate at home.",
     "Nein, aber Sie müssen sich zu Hause isolieren.", None),
    ("polarity", "en", "de", "Most were students, and some were as young as 5.",
     "Die meisten waren Schüler, manche nicht älter als 5 Jahre.", None),
    ("polarity", "en", "de", "The sector, often under-served by the big banks, turned to online lenders.",
     "Der Sektor, von den großen Banken oft nicht ausreichend bedient, wandte sich an Online-Kreditgeber.",
     None),
    # WMT22 CED en-de, correct German told with a negation: resisted, eluded, barred from, immobile, lost,
    # prohibit (nicht mehr zulassen); the same German against a source that says the opposite is flagged
    ("polarity", "en", "de", "Had the ECB known this, it might have resisted taking so many risks.",
     "Hätte die EZB das gewusst, wäre sie vielleicht nicht so viele Risiken eingegangen.", None),
    ("polarity", "en", "de", "Had the ECB known this, it might have taken so many risks.",
     "Hätte die EZB das gewusst, wäre sie vielleicht nicht so viele Risiken eingegangen.", "nicht"),
    ("polarity", "en", "de", "So far a workable fix has eluded European policymakers.",
     "Der europäischen Politik ist bisher keine tragfähige Lösung eingefallen.", None),
    ("polarity", "en", "de", "They are barred from using the reserve fund.",
     "Sie dürfen keine Reservefonds mehr verwenden.", None),
    ("polarity", "en", "de", "By contrast, labor in the EU is largely immobile.",
     "Im Gegensatz dazu ist die Mobilität der Arbeitskräfte in der EU überwiegend nicht gegeben.", None),
    ("polarity", "en", "de", "Having lost their homes and parents, they sleep in alleys.",
     "Ohne ein Zuhause und ohne Eltern schlafen sie in Gassen.", None),
    ("polarity", "en", "de", "France would prohibit the sale of diesel cars by 2040.",
     "Frankreich werde den Verkauf von Dieselautos bis 2040 nicht mehr zulassen.", None),
    ("polarity", "en", "de", "France would allow the sale of diesel cars by 2040.",
     "Frankreich werde den Verkauf von Dieselautos bis 2040 nicht mehr zulassen.", "nicht"),
    # en-ru MQM error-free segments: "I do wonder if" (не удивлюсь, если), "without" (за исключением)
    ("polarity", "en", "ru", "I do wonder if some of the guests handed them out.",
     "Я не удивлюсь, если их раздал кто-то из посетителей.", None),
    ("polarity", "en", "ru", "It would look like this picture, except maybe without the grid drawn on it.",
     "Она выглядела бы как на этом рисунке, за исключением, может быть, нарисованной на нём сетки.", None),
    ("polarity", "en", "de", "Most were students, and some were 5.",
     "Die meisten waren Schüler, manche nicht älter als 5 Jahre.", "nicht"),
]  # fmt: skip


@pytest.mark.parametrize(("check", "sl", "tl", "src", "tgt", "major"), PRECISION_CASES)
def test_precision_case(check, sl, tl, src, tgt, major):
    found = [(i.severity, t) for i, t, _ in check_spans(check, src, tgt, sl, tl)]
    majors = [span for sev, span in found if sev == "major"]
    if major is None:
        assert majors == [], found
    else:
        assert major in majors, found


def test_negation_in_a_free_translation_is_minor():
    """A lone negation is major where the translation is close (QE score at or above the document's
    median) and minor where it is free, since paraphrases move negations around."""
    src = ["Le ministre ne veut pas démissionner.", "Le ministre ne veut pas démissionner."]
    tgt = ["The minister wants to resign.", "The minister wants to resign."]
    ctx = make_context(src, tgt, "fr")
    ctx.segments[0].score, ctx.segments[1].score = 0.8, 0.3
    severities = [(i.segment, i.severity) for i in run_check("polarity", ctx)]
    assert severities == [(0, "major"), (1, "minor")]


def test_prefixed_words_are_soft_negations_only_when_they_negate():
    from mtqa.lang.polarity import soft_negations

    words = "O investimento importante no desenvolvimento da informação é impossível e desconhecido."
    assert [c.text for c in soft_negations(words, "pt")] == ["impossível", "desconhecido"]
    # an ordinary in-/des- word of the source no longer excuses a negation the translation added
    src = ("Com o investimento adequado, este recurso é susceptível de criar emprego e assegurar um "
           "crescimento sustentável.")
    tgt = "With the right investment, this resource can create jobs and no sustainable growth."
    (found,) = [i for i, *_ in check_spans("polarity", src, tgt, "pt")]
    assert found.severity == "major" and "negation added" in found.message


def test_direction_words_need_a_direction():
    from mtqa.lang.polarity import directions

    # "descontentamento" / "desconforto" (discontent, discomfort) do not go down; "desceu" does
    found = directions("O descontentamento e o desconforto cresceram, mas a taxa desceu.", "pt")
    assert [(sign, c.text) for _, sign, c in found] == [(1, "cresceram"), (-1, "desceu")]
    # growth that stays lower speaks of both directions: no reversal against "crescimento ... menor"
    src = "Em 17 economias, o crescimento do investimento permaneceu menor no período pós-2008."
    tgt = "In 17 economies, investment growth remained lower during the post-2008 period."
    assert [i for i, *_ in check_spans("polarity", src, tgt, "pt")] == []


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
    assert [i for i, *_ in check_spans("polarity", src, tgt, "en", "de")] == []


def test_free_translation_softens_a_dropped_negation_not_an_added_one():
    src = ["O governo aprovou o plano na segunda-feira.", "O ministro não quer demitir-se.",
           "A inflação voltou a subir em março.", "O parlamento vota amanhã."]
    tgt = ["The government approved the plan on Monday.", "The minister wants to resign.",
           "Inflation did not rise again in March.", "Parliament votes tomorrow."]
    ctx = make_context(src, tgt, "pt")
    for seg, score in zip(ctx.segments, (0.9, 0.3, 0.3, 0.9), strict=True):
        seg.score = score  # both damaged segments read as free translations (below the median)
    found = {i.segment: i for i in run_check("polarity", ctx)}
    # a negation dropped in a free translation may be idiom moved around: minor
    assert found[1].severity == "minor" and "negation dropped" in found[1].message
    # one added where the source has nothing negative says the opposite: major all the same
    assert found[2].severity == "major" and "negation added" in found[2].message
    assert ctx.target.text[found[2].target_start : found[2].target_end] == "not"
    assert 0 not in found and 3 not in found


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
    ctx = make_context([src], [tgt], "en", tgt_lang)
    found = [ctx.target.text[i.target_start : i.target_end] for i in run_check("polarity", ctx)
             if i.severity == "major"]
    assert found == ([expected] if expected else [])


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
    found = [i for i, *_ in check_spans("polarity", src, tgt, lang)]
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
    assert [i for i, *_ in check_spans("polarity", src, tgt, "en", "ru")] == []
