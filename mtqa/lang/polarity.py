"""Negation cues and polarity words per language.

* `negations(text, lang)`: spans of explicit negation (ne…pas, nicht/kein, not/never/without, não, не/нет,
  不/没/未), without the fixed expressions that negate nothing ("not only", "sans doute", "sin embargo",
  "тем не менее", 不断, 非常).
* `soft_negations(text, lang)`: words that carry a negation without a negation word (refuse, fail, unable,
  "un-" adjectives, kaum, 拒绝): a translation may render a negation with one of them.
* `directions(text, lang)`: words of opposite pairs on five axes (rise / fall / keep, win / lose, accept /
  reject, allow / ban, developed / developing countries); the lists live in `lang.directions`.
"""

from __future__ import annotations

import functools
import re

from mtqa.lang.codes import primary
from mtqa.lang.cues import NO_SPACES, Cue, bounded
from mtqa.lang.directions import axis_poles, directions

# explicit negation cues (regex alternatives, matched case-insensitively on word boundaries)
_NEGATION: dict[str, str] = {
    "en": r"not|never|no|none|nobody|nothing|nowhere|neither|nor|without|cannot|no-one|\w*n['’]t",
    # "ne ... pas" and the elided "n'ont pas", "n'est plus", "n'y a jamais" (no space after n')
    "fr": r"(?:ne\s+|n['’])(?:\S+\s+){0,4}?"
    r"(?:pas|jamais|rien|aucun|aucune|personne|plus|guère|nullement|point)"
    r"|sans|jamais|aucun|aucune|rien|ni|non|nullement",
    "de": r"nein|nicht|nichts|kein|keine|keinen|keinem|keiner|keines|keins|keinerlei|keineswegs|keinesfalls"
    r"|ebenso ?wenig|nie|niemals|niemand\w{0,2}|nirgends|nirgendwo"
    r"|ohne|weder",
    "es": r"no|nunca|jamás|nada|nadie|ningún|ninguno|ninguna|sin|ni|tampoco",
    "pt": r"não|nunca|jamais|nada|ninguém|nenhum|nenhuma|sem|nem"
    r"|de (?:modo|forma|maneira) (?:algum|alguma|nenhum|nenhuma)",  # "de modo algum": in no way
    "it": r"non|mai|niente|nulla|nessun|nessuno|nessuna|senza|né",
    "nl": r"niet|geen|nooit|niemand|niets|zonder|noch",
    "ru": r"не|нет|никогда|никто|ничего|ничто|никак\w*|нигде|без|ни|нельзя",
    "uk": r"не|ні|ніколи|ніхто|нічого|без|немає",
    "pl": r"nie|nigdy|nikt|nic|żaden|żadna|żadne|bez|ani",
    "cs": r"ne|nikdy|nikdo|nic|žádný|žádná|bez|ani",
    "zh": r"不|没有|没|沒有|沒|无|無|未|别|勿|否|莫|甭",
    "ja": r"ない|なかった|ません|ず|ぬ|無い",
}
# fixed expressions whose negation word negates nothing (or that translations render without one)
_NOT_NEGATION: dict[str, str] = {
    "en": r"not only|not just|not merely|not least|not to mention|no doubt|no matter|nothing but"
    r"|not(?:\s+\S+){0,2}\s+just|whether or not|no fewer|no less|no more than|not less than"
    r"|not more than|or not|never mind|not without|in no small"
    r"|if not|none other|no sooner|not necessarily|never before|more than ever|n['’]t only|cannot help"
    r"|(?:not|n['’]t)(?:\s+\S+){0,4}?\s+until|not before|to say nothing of|not surprisingly"
    # "never to stop meddling" (= to go on: "weiter"), "a no brainer", "without a moment's delay" (sofort)
    r"|(?:not|never|n['’]t)(?:\s+\S+){0,2}?\s+(?:stop|stops|stopped|stopping|cease\w*|quit\w*)"
    r"|no[- ]brainer|without (?:\S+\s+){0,2}?(?:delay|hesitation)",
    "fr": r"sans doute|sans cesse|sans précédent|non seulement|n['’]importe|pas mal|ne serait-ce"
    r"|plus que jamais"
    r"|jamais vu|non loin|ou pas|ou non|(?:ne\s+|n['’])(?:\S+\s+){0,4}?plus\s+que",
    "de": r"nicht nur|ohne Zweifel|nicht zuletzt|nicht mehr als|nicht weniger als|mehr denn je"
    r"|noch nie dagewesen|oder nicht|nicht weniger|nicht (?:bloß|allein|einfach|lediglich)|nicht un\w+"
    r"|nicht enden wollend\w*|nicht (?:übertragbar|ansteckend|ausgelastet)\w*|wie (?:noch )?nie"
    r"|(?:noch )?nie da ?gewesen\w*|nicht mehr nur"
    r"|nicht (?:gering|wenig)\w*|keine Einbahnstraße|ohne weiteres|wenn nichts dazwischen\w*"
    r"|aus dem Nichts|nicht außer Acht",  # "from scratch"; "(darf) nicht außer Acht (gelassen werden)": note
    "es": r"no sólo|no solo|no solamente|sin embargo|no obstante|sin duda|sin precedentes|más que nunca"
    r"|no menos|ni siquiera|o no|sin cambios",
    "pt": r"não só|não apenas|não somente|sem dúvida|sem precedentes|mais do que nunca|não menos|ou não"
    r"|(?:para não|sem) (?:falar|dizer|mencionar)|sem (?:alteraç|mudanç)\w*|se não"
    r"|não(?:\s+\S+){0,2}\s+apenas|não obstante",
    "it": r"non solo|senza dubbio|più che mai|senza precedenti|non meno",
    "ru": r"не только|тем не менее|не раз|без сомнения|не менее|не более|ни один из|несмотря|как никогда"
    r"|не кто иной|или нет|не менее чем|не просто|не столько|а что нет|и без того|без того|не без"
    r"|не обязательно|не так ли|не\s+\S+\s+ли|не скрыва\w*|без изменени\w*"
    r"|не удивл\w*",  # "я не удивлюсь, если" (I do wonder if, I suspect)
    "zh": r"不断|不過|不过|不仅|不僅|不但|不少|不同|不久|不管|不论|无论|無論|不得不|未来|未來|非常|非洲|否则"
    r"|不错|差不多|不如|要不|不然|无人机|莫斯科|别人|别的|特别|区别|分别|级别|类别|个别|告别|识别|性别|派别"
    r"|别墅|无数|无限|无疑|毫无疑问|无线|不可避免|并不是只|非但|未曾有|前所未有|史无前例|不可思议|无比|不止"
    r"|不只|除非|莫过于|莫名|非凡|是非|无关|无所谓|非得|无非|不外|未免|不禁|不免|不定|说不定|不一定"
    r"|是否|能否|可否|与否|不乏|不知何故|不知不觉|不由得|了不起|不亚于|不仅仅|不光|不变"
    r"|(?P<ab>[\u4e00-\u9fff])[不没](?P=ab)",  # A-not-A questions: 会不会, 是不是, 有没有
}
# Chinese fixed expressions of the list above that still carry a negation ("not only", "whether"): a
# translation may keep or drop its negation word (other languages: every fixed expression is such)
_FIXED_ZH = (
    r"不仅|不僅|不但|不只|不止|并不是只|非但|不一定|说不定|不得不|不如|除非|不可避免|毫无疑问|无论|不管|不论"
    r"|不亚于|不仅仅|不光|不乏|是否|能否|与否|可否|不变|(?P<ab>[\u4e00-\u9fff])[不没](?P=ab)"
)
# French, Spanish and Portuguese words negated by a prefix (incapable, impossível, desconocido, ilegal): the
# stems, since most in-/im-/des- words negate nothing (investimento, importante, desenvolvimento)
_ROMANCE_PREFIXED = (
    r"in(?:capa|compét|compet|compat|accept|acept|aceit|adéqu|adecu|adequ|suffis|sufic|juste|just|certa|cert"
    r"|conven|feliz|sécur|segur|stab|estab|estáv|efica|effica|efici|évita|evita|exist|dispens|formel|formal"
    r"|útil|utile|viáv|viab|valid|válid|correct|corret|complet|constitu|conscien|conscient|connu|habit"
    r"|tolér|toler|attendu|esperad|espérad|humain|human|sensib|sensív|offens|ofens|ocent|égal|igual)\w*"
    r"|im(?:possib|posib|possív|prováv|probab|prévis|previs|prud|própri|propi|propr|popul|parcial|partial"
    r"|pun|perfei|perfect|parfait|precis|précis|productiv|produtiv|pacien|patien|mor[ae]l|legít|légit)\w*"
    r"|i(?:llégal|legal|lícit|llicite|rregul|rrégul|rrespons|rrelev|rréalis|rrealis)\w*"
    r"|d[eé]s(?:conhe|conoc|conn|igual|égal|favor|necess|nécess|emprego|empleo|confi|acord|accord|aprov"
    r"|approu|ativ|activ|honest|honnê|leal|loyal|cuid|interes|intéres|vantag|ventaj|avantag|equil|équil"
    r"|obe|respeit|respet|respect|prote|regul|règl|orden|ordem|ordre|conect|connect|continu|cumpr|crédit"
    r"|prestig|mentir|mint|aparec|apareç|fazer|hacer|faire|espera|esper)\w*"
)

# negation carried by a content word ("refuse" for "ne veut pas", "unable" for "ne peut pas"); whole words
# where a stem would take in others (ban, not bank; miss, not mission or missile; quit, not quite)
_SOFT: dict[str, str] = {
    "en": r"refus\w*|fail\w*|lack\w*|unable|impossible|inability|incapable|insufficient|inadequate|absen\w+"
    r"|few|little|rarely|seldom|hardly|barely|scarcely|only|except|instead|unless|rather than|avoid\w*"
    r"|prevent\w*|stop\w*|den(?:y|ied|ies)|reject\w*|illegal\w*|ban|bans|banned|banning|prohibit\w*"
    r"|free of|\w+-free|-less"
    r"|un(?!der|til|ion|ite|iver|ique|it\b|its\b|iform)[a-z]{3,}|non-?\w+|not-so|otherwise|else|less|fewer|neither|nor"
    r"|in(?:escap|dispens|evitab|equal|formal|accura|complete|suffic|effect|visib|capab|abil|valid|correct|secur|stab)\w*"
    r"|im(?:possib|balanc|moral|matur|precis|prop|patien|mobil|perfect|partial|plausib|practica)\w*|il(?:legal|logic|litera)\w*|ir(?:relev|regul|respons)\w*"
    r"|dis(?:agree|like|approv|miss)\w*|miss|misses|missed|missing|neglect\w*|ignor\w*|cease\w*"
    r"|quit|quits|quitting"
    r"|yet to|far from|anything|any|ever|either|remain\w* to be|\w+less|exempt\w*|short of|shortage\w*"
    r"|scarc\w*|distrust\w*|mistrust\w*|lest|exclud\w*|laps(?:e|es|ed)"
    r"|shortfall\w*|not-\w+(?:-\w+)*|no-\w+|f[ae]ll\w* short|until|advis\w* against"
    # what a privative "without" (sem, sin, sans, ohne) becomes in English: "ficavam sem medicamentos" (ran
    # out of), "sem conserto" (beyond fixing), "ruas sem saída" (dead-end), "sem emissões" (zero-carbon),
    # "sem misericórdia" (mercilessly)
    r"|zero-\w+|r[au]n(?:s|ning)? out of|dead[- ]ends?|\w+lessly"
    r"|beyond (?:repair|fixing|doubt|reach|recognition|control|help|question|dispute|measure|belief)"
    # told in German and elsewhere with a negation: "declined to comment" (gab keinen Kommentar ab),
    # "blocked from viewing" (nicht mehr sehen), "zero deaths" (keine Toten), "ongoing" (noch nicht
    # abgeschlossen), "surplus to requirements" (nicht mehr benötigt)
    r"|declin(?:e|es|ed|ing) to|block(?:s|ed|ing)? from|zero|surplus|ongoing|pending|inconceiv\w*"
    # "all-time highs" (noch nie erreicht), "as young as 5" (nicht älter als 5), "under-served" (nicht
    # ausreichend bedient), "struggled to come to terms" (noch nicht verarbeitet)
    r"|all-time|as (?:young|old|little|few|much|many|early|late|long) as|struggl\w* to"
    r"|under-?(?:serv|fund|report|estimat|stat|perform|staff|resourc|us|represent|valu)\w*"
    # words of resisting, avoiding, lacking and going wrong, which German and other translations often
    # tell with a negation: resisted (nicht ... eingegangen), eluded (keine Lösung eingefallen), barred
    # from (dürfen keine), reluctant (nicht bereit), ambiguous (nicht eindeutig), having lost their homes
    # (ohne ein Zuhause), minus Russia (ohne Russland), augurs ill (nichts Gutes), misaligned
    r"|resist\w*|elud\w*|evad\w*|bar(?:s|red|ring)? from|dissuad\w*|discourag\w*|deter(?:s|red|ring)?"
    r"|reluctan\w*|wary|refrain\w*|ambigu\w*|unclear|rare|lag\w* behind|(?:push|put|set)\w* aside"
    r"|shorn of|minus|def(?:y|ies|ied|ying)|repel\w*|turn\w* off|lost|lose|loses|losing|loss\w*"
    r"|augur\w* ill|bod\w* ill|spell\w* trouble|dead letter|take-it-or-leave-it|or face"
    r"|mis(?:align|represent|interpret|understand|judg|manag|calculat|read|guid|lead|led|tak|took|trust|us"
    r"|appl|match|fir|step|handl|inform|alloc|conceiv|direct|govern|plac|quot|report|construe)\w*",
    "de": r"kaum|nur|erst|verweiger\w*|fehl\w*|mangel\w*|verhinder\w*|vermeid\w*|un\w{4,}|ablehn\w*|lehnt\w*"
    r"|wenig\w*|lediglich|misstrau\w*|mißtrau\w*|verwehr\w*|versäum\w*|außerstande|scheiter\w*|gescheitert"
    r"|weigert\w*|verbot\w*|verbiet\w*|warn\w*|gewarnt|blieb\w*(?:\s+\S+){0,3}?\s+aus|ausgeblieben|ausbleib\w*"
    r"|los|\w+los\w*|\w+frei\w*|frei von|statt|anstatt|außer|gar|je|jemals",
    "fr": r"refus\w*|manqu\w*|empêch\w*|évit\w*|seul\w*|seulement|ne\s|n['’]|peu|absen\w+"
    r"|" + _ROMANCE_PREFIXED + r"|rejet\w*|interdi\w*|sauf|hormis|au lieu|loin de|jamais",
    "es": r"rechaz\w*|negó|niega\w*|falt\w*|evit\w*|impid\w*|sólo|solo|solamente|" + _ROMANCE_PREFIXED +
    r"|poco|apenas|salvo|excepto|prohib\w*|ausen\w*|en lugar|lejos de",
    # (neg- only as a verb or "negativo": negócio and negociação negate nothing)
    "pt": r"recus\w*|rejeit\w*|neg(?:ar|a|as|am|ou|aram|ado|ada|ados|adas|ando|ação|ações|ativ\w*)|falt\w*"
    r"|fracass\w*|falh\w*|malogr\w*|deix\w* de|livres? de|evit\w*|impe\w+|só|apenas|somente|"
    + _ROMANCE_PREFIXED +
    r"|pouco|mal|salvo|exceto|proib\w*|ausen\w*|em vez|longe de|qualquer",
    "ru": r"отказ\w*|отверг\w*|отклон\w*|нехват\w*|недостат\w*|избег\w*|предотвра\w*|только|лишь|не\w{3,}"
    r"|без\w{3,}|мало|едва|кроме|вместо|запрет\w*|отсутств\w*|вряд ли|ли|за исключением",
    "zh": r"非|拒绝|拒|缺乏|缺少|难以|避免|防止|只|仅|除了|而非|禁止|反对|失败|放弃|停止|少|难|免|否认|缺",
}
# verbs of refusing, and of failing *to do* something: a negation of their own when the other side has
# nothing negative at all; not "failure" or "collapsed" (谈判失败, "ont échoué", "провалились" render "the
# talks collapsed")
_REFUSAL: dict[str, str] = {
    "en": r"refus(?:e|es|ed|ing) to|fail(?:s|ed|ing)? to|unable to",
    "de": r"weiger\w* sich|versäum\w*",
    "fr": r"refus\w* de|incapables? de",
    "es": r"se neg\w* a|rehus\w*|incapa\w* de",
    "pt": r"recus\w*|incapa\w* de",
    "ru": r"отказал\w*|отказыва\w*|откаж\w*",
    "zh": r"拒绝|未能|没能",
}
# antonym pairs: "不容易" is rendered "difficult", "not high" "low", "n'est pas facile" "schwierig". A
# negation before one pole on one side with the other pole on the other side keeps the meaning.
# {lang: (pole +, pole -)}
_ANTONYMS: tuple[dict[str, tuple[str, str]], ...] = (
    {  # easy / difficult
        "en": (r"easy|easily|simple", r"difficult\w*|hard|harder|tough\w*"),
        "zh": (r"容易|简单|易", r"困难|艰难|难"),
        "ru": (r"легк\w*|легко|прост\w*", r"трудн\w*|сложн\w*|тяжел\w*|нелегк\w*|непрост\w*"),
        "de": (r"leicht\w*|einfach\w*", r"schwer\w*|schwierig\w*"),
        "fr": (r"facile\w*|simple\w*", r"difficile\w*|dur\w*"),
        "es": (r"fácil\w*|sencill\w*", r"difícil\w*|dur\w*"),
        "pt": (r"fácil\w*|simples", r"difícil\w*|difíceis|dur\w*"),
    },
    {  # high / low
        "en": (r"high\w*", r"low\w*"),
        "zh": (r"高", r"低"),
        "ru": (r"высок\w*", r"низк\w*"),
        "de": (r"hoch|hoh\w*|höher\w*", r"niedrig\w*|gering\w*"),
        "fr": (r"haut\w*|élevé\w*", r"bas|basse\w*|faible\w*"),
        "es": (r"alt[oa]s?", r"baj[oa]s?"),
        "pt": (r"alt[oa]s?|elevad\w*", r"baix[oa]s?"),
    },
    {  # good / bad
        "en": (r"good|well", r"bad|badly|poor\w*"),
        "zh": (r"好|佳", r"差|坏"),
        "ru": (r"хорош\w*", r"плох\w*"),
        "de": (r"gut\w*", r"schlecht\w*"),
        "fr": (r"bon|bonne\w*|bien", r"mauvais\w*|mal"),
        "es": (r"buen\w*|bien", r"mal[oa]?s?"),
        "pt": (r"bo[ma]\w*|bem", r"ru[ií]\w*|mal"),
    },
    {  # enough / short
        "en": (r"enough|sufficient\w*|adequate\w*", r"short\w*|lack\w*|scarc\w*"),
        "zh": (r"够|足", r"缺|短缺"),
        "ru": (r"достаточн\w*|хвата\w*", r"нехват\w*|дефицит\w*|недостат\w*"),
        "de": (r"genug|ausreichend\w*|genügend\w*", r"knapp\w*|mangel\w*"),
    },
    {  # apply / exempt
        "en": (r"appl(?:y|ies|ied)|cover\w*|subject to", r"exempt\w*"),
        "ru": (r"распространя\w*|применя\w*|касает\w*", r"освобожд\w*|исключ\w*"),
        "de": (r"gelt\w*|gilt|betr[iaeo]ff\w*", r"ausgenommen|befreit"),
    },
    {  # stay / leave: "do not leave their car" -> "im Auto bleiben"
        "en": (r"stay\w*|remain\w*", r"leav(?:e|es|ing)|left"),
        "de": (r"bleib\w*|blieb\w*|geblieben", r"verlass\w*|verließ\w*|verlie[ßs]\w*"),
        "fr": (r"rest(?:er|e|ent|é|ée|és|ées|ait|aient)", r"quitt\w*"),
        "es": (r"qued\w*|permanec\w*", r"dej\w*|sal\w*|abandon\w*"),
        "pt": (r"fic\w*|permanec\w*", r"deix\w*|sa[ií]\w*|abandon\w*"),
        "ru": (r"оста\w*", r"покида\w*|покину\w*|выход\w*|выйт\w*"),
        "zh": (r"留|待在", r"离开"),
    },
    axis_poles("permission"),  # allow / ban: "would prohibit the sale" -> "nicht mehr zulassen"
    {  # public / private: "keep accounts private" -> "nicht öffentlich"
        "en": (r"public\w*", r"private\w*"),
        "de": (r"öffentlich\w*", r"privat\w*"),
        "fr": (r"public|publique\w*", r"privé\w*"),
        "es": (r"públic\w*", r"privad\w*"),
        "pt": (r"públic\w*", r"privad\w*"),
        "ru": (r"публичн\w*|открыт\w*", r"частн\w*|закрыт\w*"),
        "zh": (r"公开", r"私人|私密"),
    },
    {  # remember / forget
        "en": (r"forget\w*|forgot\w*", r"remember\w*|bear in mind|keep in mind"),
        "zh": (r"忘", r"记得|牢记|记住"),
        "ru": (r"забы\w*|забудь\w*", r"помн\w*|запомн\w*"),
        "de": (r"vergess\w*|vergaß\w*", r"erinner\w*|denk\w* daran"),
        "fr": (r"oubli\w*", r"rappel\w*|souven\w*"),
    },
)
@functools.lru_cache(maxsize=64)
def _patterns(lang: str) -> tuple[re.Pattern | None, re.Pattern | None, re.Pattern | None]:
    neg = _NEGATION.get(lang)
    not_neg = _NOT_NEGATION.get(lang)
    soft = _SOFT.get(lang)
    return (
        bounded(neg, lang) if neg else None,
        bounded(not_neg, lang) if not_neg else None,
        bounded(soft, lang) if soft else None,
    )


def fixed_negations(text: str, lang: str) -> list[Cue]:
    """Negation words inside fixed expressions ("not only", "не просто", 不仅, 是否): uncounted by
    `negations`, but a sign that the other side's lone negation may render the expression."""
    lang = primary(lang)
    neg, not_neg, _ = _patterns(lang)
    if neg is None or not_neg is None:
        return []
    fixed = bounded(_FIXED_ZH, lang) if lang == "zh" else not_neg
    spans = [m.span() for m in fixed.finditer(text)]
    return [
        Cue(m.group(), m.start(), m.end())
        for m in neg.finditer(text)
        if any(s <= m.start() < e for s, e in spans)
    ]


@functools.lru_cache(maxsize=64)
def _antonym_patterns(lang: str) -> list[tuple[re.Pattern, re.Pattern] | None]:
    out: list[tuple[re.Pattern, re.Pattern] | None] = []
    for concept in _ANTONYMS:
        poles = concept.get(lang)
        out.append((bounded(poles[0], lang), bounded(poles[1], lang)) if poles else None)
    return out


def antonym_rendering(text: str, cue: Cue, lang: str, other: str, other_lang: str) -> Cue | None:
    """The word of `other` that renders a negation cue and the word after it by an antonym ("不容易" ->
    "difficult", "not high" -> "низкий"): the opposite pole of the negated word's pair, or None."""
    after = text[cue.end : cue.end + 24]
    after = after[:4] if primary(lang) in NO_SPACES else " ".join(after.split()[:2])
    mine, theirs = _antonym_patterns(primary(lang)), _antonym_patterns(primary(other_lang))
    for poles, other_poles in zip(mine, theirs, strict=True):
        if poles is None or other_poles is None:
            continue
        for k in (0, 1):
            m = poles[k].match(after.strip())
            hit = other_poles[1 - k].search(other) if m else None
            if hit:
                return Cue(hit.group(), hit.start(), hit.end())
    return None


def supported(lang: str) -> bool:
    return primary(lang) in _NEGATION


def negations(text: str, lang: str) -> list[Cue]:
    """Spans of explicit negation in `text` (empty for a language without a cue list)."""
    neg, not_neg, _ = _patterns(primary(lang))
    if neg is None:
        return []
    found = list(neg.finditer(text))
    if not found:
        return []
    masked = [m.span() for m in not_neg.finditer(text)] if not_neg else []
    out = []
    for m in found:
        if any(s <= m.start() < e or s < m.end() <= e for s, e in masked):
            continue
        out.append(Cue(m.group(), m.start(), m.end()))
    return out


def soft_negations(text: str, lang: str) -> list[Cue]:
    """Words that negate without a negation word (refuse, unable, 拒绝); empty where unknown."""
    _, _, soft = _patterns(primary(lang))
    return [Cue(m.group(), m.start(), m.end()) for m in soft.finditer(text)] if soft else []


@functools.lru_cache(maxsize=64)
def _refusal_pattern(lang: str) -> re.Pattern | None:
    return bounded(_REFUSAL[lang], lang) if lang in _REFUSAL else None


def refusals(text: str, lang: str) -> list[Cue]:
    """Verbs that say an act did not happen: "refused to", "failed to", 拒绝; empty where unknown."""
    pattern = _refusal_pattern(primary(lang))
    return [Cue(m.group(), m.start(), m.end()) for m in pattern.finditer(text)] if pattern else []


__all__ = ["Cue", "antonym_rendering", "directions", "fixed_negations", "negations", "refusals",
           "soft_negations", "supported"]
