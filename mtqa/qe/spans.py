"""Character offsets of the translation's e5 sub-tokens, and the word-level head's spans.

The e5 tokeniser first maps every codepoint through a table (one character may become none or several), then
runs `tokenizers`. `mt_token_offsets` undoes both, so each translation sub-token of
`E5Tokenizer.encode_pairs` gets a (start, end) range in the original translation text. `bad_spans` turns
per-sub-token BAD probabilities into character spans snapped to whole words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_UNEVEN: dict[int, tuple[dict[int, str], frozenset[str]]] = {}  # id(table) -> (table, uneven characters)


def _uneven(table: dict[int, str]) -> frozenset[str]:
    """The characters `table` maps to none or to several: elsewhere a character stays one character."""
    got = _UNEVEN.get(id(table))
    if got is None or got[0] is not table:
        got = _UNEVEN[id(table)] = (table, frozenset(chr(k) for k, v in table.items() if len(v) != 1))
    return got[1]


def normalize_with_map(text: str, table: dict[int, str]) -> tuple[str, list[int]]:
    """`text.translate(table).strip(" ")` and, for every character of the result, its index in `text`."""
    where: range | list[int]
    if _uneven(table).isdisjoint(text):  # one character for one (most texts): the map is the identity
        out, where = text.translate(table), range(len(text))
    else:
        chars: list[str] = []
        where = []
        for i, c in enumerate(text):
            rep = table.get(ord(c), c)
            chars.extend(rep)
            where.extend([i] * len(rep))
        out = "".join(chars)
    lead = len(out) - len(out.lstrip(" "))
    stripped = out.strip(" ")
    return stripped, list(where[lead : lead + len(stripped)])


def mt_token_offsets(tok, targets: list[str], src_lens: list[int], seqs: list[list[int]]) -> list[np.ndarray]:
    """Per pair, an (n, 2) int array of character offsets into `targets[i]` of the translation sub-tokens
    kept by `tok.encode_pairs` (`seqs`, `src_lens` are its output); a token made of inserted characters
    only (the word-start marker) gets an empty range at its position."""
    normed = [normalize_with_map(t, tok.table) for t in targets]
    encs = tok.tok.encode_batch([n for n, _ in normed], add_special_tokens=False)
    out = []
    for (norm, where), enc, seq, a in zip(normed, encs, seqs, src_lens, strict=True):
        n_mt = len(seq) - 4 - a
        offs = np.zeros((n_mt, 2), dtype=np.int64)
        for k, (s, e) in enumerate(enc.offsets[:n_mt]):
            while s < e and norm[s] == " ":
                s += 1
            if s >= e or not where:
                pos = where[min(s, len(where) - 1)] if where else 0
                offs[k] = (pos, pos)
            else:
                offs[k] = (where[s], where[e - 1] + 1)
        out.append(offs)
    return out


def word_spans(text: str) -> list[tuple[int, int]]:
    """Whitespace-delimited words of `text` as character ranges."""
    spans, start = [], None
    for i, c in enumerate(text):
        if c.isspace():
            if start is not None:
                spans.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        spans.append((start, len(text)))
    return spans


def token_labels(offsets: np.ndarray, bad: list[tuple[int, int]], words: list[tuple[int, int]]) -> np.ndarray:
    """Sub-token targets from word-level gold: 1 if the token overlaps a BAD range, 0 if it overlaps a word,
    -1 (ignored) if it overlaps nothing."""
    lab = np.full(len(offsets), -1, dtype=np.int64)
    for k, (s, e) in enumerate(offsets):
        if e <= s:
            continue
        if any(s < be and bs < e for bs, be in bad):
            lab[k] = 1
        elif any(s < we and ws < e for ws, we in words):
            lab[k] = 0
    return lab


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    confidence: float  # the largest BAD probability inside


def bad_spans(text: str, offsets: np.ndarray, probs: np.ndarray, threshold: float) -> list[Span]:
    """Words of `text` whose largest sub-token BAD probability is >= threshold, neighbouring BAD words
    merged (only whitespace between them) into one span."""
    words = word_spans(text)
    word_prob = np.zeros(len(words))
    w = 0
    for (s, e), p in zip(offsets, probs, strict=False):
        if e <= s:
            continue
        while w < len(words) and words[w][1] <= s:
            w += 1
        k = w
        while k < len(words) and words[k][0] < e:
            word_prob[k] = max(word_prob[k], float(p))
            k += 1
    spans: list[Span] = []
    for (s, e), p in zip(words, word_prob, strict=True):
        if p < threshold:
            continue
        if spans and not text[spans[-1].end : s].strip():
            last = spans.pop()
            spans.append(Span(last.start, e, max(last.confidence, float(p))))
        else:
            spans.append(Span(s, e, float(p)))
    return spans
