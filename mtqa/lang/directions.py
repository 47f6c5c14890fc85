"""Polarity words on five axes, per language: change (rise / fall / keep), outcome (win / lose), decision
(accept / reject), permission (allow / ban) and development (developed / developing countries).
`directions(text, lang)` gives (axis, +1, -1 or 0 (keeping, on the change axis), cue)."""

from __future__ import annotations

import functools
import re

from mtqa.lang.codes import primary
from mtqa.lang.cues import Cue, bounded

# English verbs of keeping: a keeping only with a level after them ("held rates") or a word of no change
# ("kept prices unchanged", "remained stable"): alone they have too many other senses (maintain security,
# hold a meeting, freeze funds)
_KEEP_EN = r"maintain(?:s|ed|ing)?|kept|keep(?:s|ing)?|held|hold(?:s|ing)?|froze|frozen|freez(?:e|es|ing)"
_STAY_EN = rf"{_KEEP_EN}|left|leav(?:e|es|ing)|remain(?:s|ed|ing)?|stay(?:s|ed|ing)?"
_LEVELS_EN = (
    r"(?:interest )?rates?|prices?|tax(?:es)?|tariffs?|wages?|fees?|output|production|forecasts?|targets?"
)
# polarity words by axis and sign; the change axis has three: a rise (1), a fall (-1) and keeping (0), each
# the reversal of the others ("mantuvo los precios" -> "raised prices")
_DIRECTION_WORDS: dict[str, dict[tuple[str, int], str]] = {
    "en": {
        (
            "change",
            1,
        ): r"increas\w*|rise|rises|rose|risen|rising|grow|grows|grew|grown|growing|climb\w*|soar\w*"
        r"|surg\w*|jump\w*|higher|growth|hike\w*|rais(?:e|es|ed|ing)",
        ("change", -1): r"decreas\w*|fall|falls|fell|fallen|falling|declin\w*|drop|drops|dropp\w*|shrink\w*"
        r"|shrank|plung\w*|slump\w*|lower\w*|reduc\w*|slash\w*"
        r"|cut(?:s|ting)?(?!\s+(?:across|through|off|ties|short)\b)",
        ("change", 0): rf"(?:{_STAY_EN})(?:\s+\S+){{0,3}}?\s+"
        r"(?:unchanged|steady|stable|constant|flat|on hold)"
        rf"|(?:{_KEEP_EN})(?:\s+\S+){{0,2}}?\s+(?:{_LEVELS_EN})|unchanged",
        ("outcome", 1): r"win|wins|won|winning|victor\w*",
        ("outcome", -1): r"lose|loses|lost|losing|defeat",
        ("decision", 1): r"accept\w*|approv\w*",
        ("decision", -1): r"reject\w*|refus\w*",
        ("permission", 1): r"allow\w*|permit\w*|authori[sz]\w*|legali[sz]\w*",
        ("permission", -1): r"ban|bans|banned|banning|prohibit\w*|forb[ia]d\w*|outlaw\w*",
        ("development", 1): r"developed (?:world|countr(?:y|ies)|econom(?:y|ies)|nations?|markets?)"
        r"|industriali[sz]ed (?:countries|nations|world)",
        ("development", -1): r"developing (?:world|countr(?:y|ies)|econom(?:y|ies)|nations?)"
        r"|less[- ]developed|underdeveloped",
    },
    "de": {
        ("change", 1): r"steig\w*|stieg\w*|gestiegen|erhöh\w*|zunahm|zunehm\w*|zugenommen|wachs\w*|wuchs"
        r"|\w+(?:erhöhung|anstieg|zuwachs|wachstum)\w*"
        r"|gewachsen|anstieg\w*|zunahme|wachstum|höher\w*",
        (
            "change",
            -1,
        ): r"sink\w*|sank|sanken|gesunken|\w+(?:senkung|rückgang)\w*|fällt|fiel\w*|gefallen|rückgang\w*"
        r"|zurückgegangen|zurückgeh\w*"
        r"|verringer\w*|senk\w*|abnahm|abgenommen|abnahme|niedriger\w*",
        ("change", 0): r"beibehalt\w*|(?:behielt|behält)\w*(?:\s+\S+){0,4}?\s+bei|unverändert\w*|eingefroren"
        r"|einfrier\w*|(?:stabil|konstant) (?:ge)?halten",
        ("outcome", 1): r"gewinn\w*|gewann\w*|gewonnen|sieg\w*",
        ("outcome", -1): r"verlier\w*|verlor\w*|niederlage\w*",
        ("decision", 1): r"akzeptier\w*|billig\w*|genehmig\w*|zustimm\w*|zugestimmt",
        ("decision", -1): r"ablehn\w*|lehnt\w*|lehnte\w*|abgelehnt|zurückgewiesen|zurückweis\w*|verwarf\w*",
        ("permission", 1): r"erlaub\w*|zulass\w*|zugelassen|gestatt\w*",
        ("permission", -1): r"verbiet\w*|verbot\w*|untersag\w*",
        ("development", 1): r"Industrieländer\w*|Industriestaat\w*|Industrienation\w*"
        r"|entwickelte\w* (?:Länder\w*|Staaten|Welt)",
        ("development", -1): r"Entwicklungsl[äa]nd\w*|Entwicklungsstaat\w*|Entwicklungswelt"
        r"|unterentwickelt\w*",
    },
    "fr": {
        ("change", 1): r"augment\w*|hausse\w*|croiss\w*|croît|progress\w*|grimp\w*",
        ("change", -1): r"baiss\w*|diminu\w*|recul\w*|chut\w*|réduction\w*|décroi\w*",
        ("change", 0): r"maint(?:enir|iens|ient|iennent|enu|enue|enus|enues|enait|enaient|iendr\w*|int"
        r"|inrent)|inchangé\w*|gel(?:er|é|ée|és|ées)",  # not "maintenant" (now)
        ("outcome", 1): r"gagn\w*|remport\w*|victoire\w*",
        ("outcome", -1): r"perd\w*|défaite\w*",
        ("decision", 1): r"accept\w*|approuv\w*",
        ("decision", -1): r"rejet\w*|rejett\w*|refus\w*",
        ("permission", 1): r"autoris\w*|permet\w*|permis",
        ("permission", -1): r"interdi\w*|prohib\w*",
        ("development", 1): r"(?:pays|économies|nations|monde|marchés) développé\w*",
        ("development", -1): r"en (?:voie de )?développement|sous-développé\w*|moins (?:développé|avancé)\w*",
    },
    "es": {
        ("change", 1): r"aument\w*|subi\w*|crec\w*|alza\w*",
        ("change", -1): r"disminu\w*|caíd\w*|cay\w*|descen\w*|descend\w*|reduc\w*|redujo|baja",
        ("change", 0): r"mant(?:ener|ene|iene|ienen|uvo|uvieron|enido|enida|enidos|enidas|eniendo|enía\w*"
        r"|endr\w*|enga\w*)|sin cambios|inalterad\w*|congel\w*",  # not "mantenimiento" (upkeep)
        ("outcome", 1): r"ganó|ganar\w*|gana|ganan|victoria\w*",
        ("outcome", -1): r"perd\w*|pierd\w*|derrota\w*",
        ("decision", 1): r"acept\w*|aprob\w*|aprueb\w*",
        ("decision", -1): r"rechaz\w*",
        ("permission", 1): r"permit\w*|autoriz\w*",
        ("permission", -1): r"prohib\w*",
        ("development", 1): r"(?:países|economías|naciones|mundo|mercados) desarrollad\w*",
        ("development", -1): r"en (?:vías de )?desarrollo|subdesarrollad\w*|menos desarrollad\w*",
    },
    "pt": {
        ("change", 1): r"aument\w*|subi\w*|sobe|cresc\w*|alta",
        ("change", -1): r"diminu\w*|caiu|cai|caem|queda\w*|desce|descer|desceu|desceram|descendo|descida\w*"
        r"|cort(?:e|es|ar|ou|aram|a|am)"
        r"|reduz\w*|reduç\w*",
        ("change", 0): r"mant(?:er|ém|êm|eve|iveram|ido|ida|idos|idas|endo|inha\w*|enha\w*|erá\w*|eria\w*)"
        r"|inalterad\w*|congel\w*|sem (?:alteraç|mudanç)\w*",
        ("outcome", 1): r"ganh\w*|venc\w*|vitória\w*",
        ("outcome", -1): r"perd\w*|derrota\w*",
        ("decision", 1): r"aceit\w*|aprov\w*",
        ("decision", -1): r"rejeit\w*|recus\w*",
        ("permission", 1): r"permit\w*|autoriz\w*",
        ("permission", -1): r"proib\w*|interdi\w*",
        ("development", 1): r"(?:países|economias|nações|mundo|mercados) desenvolvid\w*",
        ("development", -1): r"em (?:vias de )?desenvolvimento|subdesenvolvid\w*|menos desenvolvid\w*",
    },
    "ru": {
        ("change", 1): r"рост\w*|вырос\w*|увелич\w*|повыс\w*|повыш\w*",
        ("change", -1): r"сниж\w*|сократ\w*|сокращ\w*|упал\w*|падени\w*|уменьш\w*",
        ("change", 0): r"сохран\w*|без изменени\w*|неизменн\w*|замороз\w*|заморож\w*",
        ("outcome", 1): r"выигр\w*|побед\w*",
        ("outcome", -1): r"проигр\w*|поражени\w*",
        ("decision", 1): r"одобр\w*",
        ("decision", -1): r"отклон\w*|отверг\w*",
        ("permission", 1): r"разреш\w*|позвол\w*",
        ("permission", -1): r"запрет\w*|запрещ\w*",
        ("development", 1): r"развит\w+ (?:стран\w*|экономик\w*|мир\w*|государств\w*)",
        ("development", -1): r"развивающ\w+|слаборазвит\w+|менее развит\w+",
    },
    "zh": {
        ("change", 1): r"增加|增长|上升|上涨|提高|升高|增多",
        ("change", -1): r"减少|下降|下跌|降低|减小|下滑",
        ("change", 0): r"维持|保持|不变|持平|冻结",
        ("outcome", 1): r"赢得|赢了|获胜|胜利",
        ("outcome", -1): r"输了|输掉|败给",
        ("decision", 1): r"接受|批准|同意",
        ("decision", -1): r"拒绝|驳回|否决",
        ("permission", 1): r"允许|准许",
        ("permission", -1): r"禁止",
        ("development", 1): r"发达国家|发达经济体|发达世界",
        ("development", -1): r"发展中国家|发展中经济体|欠发达",
    },
}


@functools.lru_cache(maxsize=64)
def _direction_patterns(lang: str) -> list[tuple[tuple[str, int], re.Pattern]]:
    return [(key, bounded(alt, lang)) for key, alt in _DIRECTION_WORDS.get(lang, {}).items()]


@functools.lru_cache(maxsize=64)
def _any_direction(lang: str) -> re.Pattern | None:
    """One pattern of every polarity word of `lang`: most sentences have none, and one scan tells."""
    words = _DIRECTION_WORDS.get(lang)
    return bounded("|".join(f"(?:{alt})" for alt in words.values()), lang) if words else None


def directions(text: str, lang: str) -> list[tuple[str, int, Cue]]:
    """(axis, +1 / -1, cue) of the polarity words of `text`."""
    lang = primary(lang)
    gate = _any_direction(lang)
    if gate is None or gate.search(text) is None:
        return []
    out = []
    for (axis, sign), pattern in _direction_patterns(lang):
        for m in pattern.finditer(text):
            out.append((axis, sign, Cue(m.group(), m.start(), m.end())))
    return sorted(out, key=lambda x: x[2].start)


def axis_poles(axis: str) -> dict[str, tuple[str, str]]:
    """{language: (words of +1, words of -1)} of an axis, in the languages that have both: an antonym pair
    (mtqa.lang.polarity), as "allow" and "ban" are."""
    return {lang: (words[(axis, 1)], words[(axis, -1)]) for lang, words in _DIRECTION_WORDS.items()
            if (axis, 1) in words and (axis, -1) in words}
