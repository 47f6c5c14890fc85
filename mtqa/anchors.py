"""Language-independent lexical anchors (Hunalign/Bleualign style) that the aligner may add to its score:
numbers, names, long words' prefixes and some punctuation shared by a source and a target block."""

from __future__ import annotations

import re

import numpy as np
from anyascii import anyascii

from mtqa.encoders.base import MAX_OVERLAP

_NUM_RE = re.compile(r"\d+(?:[ '’.,]\d{3})*(?![\d])")
_WORD_RE = re.compile(r"[^\W\d_]+")
_PUNCT = {"?": "?", "!": "!", "(": "(", ")": "(", "[": "(", "]": "(", ":": ":", ";": ";", "%": "%"}
_QUOTES = set('"\u00ab\u00bb\u201c\u201d\u201e\u2039\u203a')


def anchor_features(text: str, prefix: int = 4, min_len: int = 5) -> set[str]:
    """Language-independent lexical anchors of a sentence (Hunalign/Bleualign style).

    Numbers with thousands separators normalised (1'000, 1 000, 1.000 -> 1000), capitalised words and
    long words folded to ASCII lower case (names, places; long words also by their first `prefix`
    letters, so that cognates such as direkt/directe match), and question/exclamation marks,
    parentheses, colons and quotation marks.
    """
    feats: set[str] = set()
    for m in _NUM_RE.finditer(text):
        feats.add("#" + re.sub(r"\D", "", m.group()).lstrip("0"))
    for w in _WORD_RE.findall(text):
        f = anyascii(w).lower()
        if len(f) >= 3 and w[0].isupper() and len(w) > 1 and not w.isupper() or w.isupper() and len(w) >= 2:
            feats.add("=" + f)
        if len(f) >= min_len:
            feats.add("~" + f[:prefix])
    for ch in text:
        if ch in _PUNCT:
            feats.add(_PUNCT[ch])
        elif ch in _QUOTES:
            feats.add('"')
    return feats


class Anchors:
    """Shared lexical anchors of the two sides; row(i, r0, r1)[j - r0] = |F(src i) & F(tgt j)|."""

    def __init__(self, src_texts: list[str], tgt_texts: list[str]) -> None:
        sf = [anchor_features(t) for t in src_texts]
        tf = [anchor_features(t) for t in tgt_texts]
        post: dict[str, list[int]] = {}
        for j, fs in enumerate(tf):
            for f in fs:
                post.setdefault(f, []).append(j)
        self.post = {f: np.asarray(js, dtype=np.int64) for f, js in post.items()}
        self.src_feats = [[f for f in fs if f in self.post] for fs in sf]
        csum_s = np.concatenate([[0.0], np.cumsum([len(f) for f in sf])])
        csum_t = np.concatenate([[0.0], np.cumsum([len(f) for f in tf])])
        # cnt[k][i]: features (with repeats) in block i..i+k-1
        ks = range(1, MAX_OVERLAP + 1)
        self.src_cnt = [np.zeros(0)] + [csum_s[k:] - csum_s[: len(csum_s) - k] for k in ks]
        self.tgt_cnt = [np.zeros(0)] + [csum_t[k:] - csum_t[: len(csum_t) - k] for k in ks]
        self.cache: dict[int, tuple[int, np.ndarray]] = {}

    def row(self, i: int, r0: int, r1: int) -> np.ndarray:
        ent = self.cache.get(i)
        if ent is None or ent[0] > r0 or ent[0] + len(ent[1]) < r1:
            c0, c1 = max(0, r0 - 16), r1 + 16
            vec = np.zeros(c1 - c0)
            for f in self.src_feats[i]:
                js = self.post[f]
                a, b = np.searchsorted(js, [c0, c1])
                vec[js[a:b] - c0] += 1.0
            ent = (c0, vec)
            self.cache[i] = ent
        return ent[1][r0 - ent[0] : r1 - ent[0]]

    def dice(self, i0: int, a: int, j0: np.ndarray, b: int) -> np.ndarray:
        """Dice overlap of source block i0..i0+a-1 with target blocks j0..j0+b-1 (vector over j0)."""
        r0, r1 = int(j0.min()), int(j0.max()) + b
        vec = self.row(i0, r0, r1)
        for i in range(i0 + 1, i0 + a):
            vec = vec + self.row(i, r0, r1)
        cs = np.concatenate([[0.0], np.cumsum(vec)])
        inter = cs[j0 - r0 + b] - cs[j0 - r0]
        tot = self.src_cnt[a][i0] + self.tgt_cnt[b][j0]
        return np.where(tot > 0, np.minimum(2.0 * inter / np.maximum(tot, 1.0), 1.0), 0.0)
