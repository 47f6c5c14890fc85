"""Word forms shared by the entity families: a folded word found among others up to an ending, and two
folded forms of one declined word."""

from __future__ import annotations


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
