"""Cheap, model-free signals that complement the cross-encoder (length ratio, numbers, copying)."""

from __future__ import annotations

import math
import re

_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+", re.UNICODE)

FEATURES = ("abs_log_len_ratio", "number_mismatch", "copy_rate")


def _numbers(text: str) -> set[str]:
    return {re.sub(r"[.,]", "", m) for m in _NUM.findall(text)}


def cheap_features(source: str, target: str) -> list[float]:
    """[|log(len(mt) / len(src))|, share of numbers not on both sides, share of mt words copied from src]."""
    ls, lt = max(len(source.strip()), 1), max(len(target.strip()), 1)
    ratio = abs(math.log(lt / ls))
    ns, nt = _numbers(source), _numbers(target)
    union = ns | nt
    mismatch = len(ns ^ nt) / len(union) if union else 0.0
    sw = {w.lower() for w in _WORD.findall(source) if not w.isdigit()}
    tw = [w.lower() for w in _WORD.findall(target) if not w.isdigit()]
    copy = sum(w in sw for w in tw) / len(tw) if tw else 0.0
    return [ratio, mismatch, copy]
