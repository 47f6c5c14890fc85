"""Word forms shared by the entity families: a folded word found among others up to an ending, two
folded forms of one declined word, a name's words joined in a compound, a place and a compass compound
of it."""

from __future__ import annotations

from mtqa.lang.lexicon import compass_head, fold


def stem_in(token: str, tokens: list[str]) -> bool:
    """Whether a folded word is among `tokens` up to an ending: its first len - 3 letters (at least 4)."""
    if len(token) < 4:
        return token in tokens
    stem = token[: max(4, len(token) - 3)]
    return any(
        len(t) >= 4 and (t.startswith(stem) or token.startswith(t[: max(4, len(t) - 3)])) for t in tokens
    )


def case_forms(a: str, b: str, declining: bool = True) -> bool:
    """Two folded forms of one declined word (Moskva / Moskvy, Andersen / Andersens). Without a language
    that declines names only an ending added (Merkels, Lankan / Lanka) is one: Dupont / Dupond differ."""
    short, long = sorted((a, b), key=len)
    if long.startswith(short) and len(long) - len(short) <= 3:
        return True
    return declining and len(short) >= 4 and abs(len(a) - len(b)) <= 2 and a[:-2] == b[:-2]


def compounded(a: str, b: str) -> bool:
    """Whether one folded form joins the other's words in one compound, each cut short ("islamstaats" /
    "islamischen staates"): the first word's first four letters begin it, then each word's follow in
    order, the last word's up to an ending."""
    one, many = sorted((a, b), key=lambda f: len(f.split()))
    words = many.split()
    if len(one.split()) != 1 or len(words) < 2:
        return False
    pos = 0
    for k, w in enumerate(words):
        stem = w[: max(4, len(w) - 3)] if k == len(words) - 1 else w[:4]
        at = one.find(stem, pos)
        if at < 0 or (k == 0 and at != 0):
            return False
        pos = at + len(stem)
    return True


def compass_part(a: str, b: str, lang: str) -> bool:
    """Whether one name is a compass compound of the other in `lang` (Afghanistan / Ostafghanistan: a part
    of one place, lexicon.compass_head)."""
    return any((h := compass_head(x, lang)) is not None and fold(h) == fold(y) for x, y in ((a, b), (b, a)))
