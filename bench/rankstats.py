"""Rank statistics for the document benchmarks (numpy only): Spearman, Kendall tau-b, pairwise accuracy,
and Markdown tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence

import numpy as np


def ranks(x: Sequence[float]) -> np.ndarray:
    """1-based ranks, ties get their average rank."""
    a = np.asarray(x, dtype=float)
    order = np.argsort(a, kind="mergesort")
    r = np.empty(len(a))
    r[order] = np.arange(1, len(a) + 1)
    for v in np.unique(a):
        tie = a == v
        if tie.sum() > 1:
            r[tie] = r[tie].mean()
    return r


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    if len(x) < 3:
        return float("nan")
    rx, ry = ranks(x), ranks(y)
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def kendall(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall's tau-b."""
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(a) < 3:
        return float("nan")
    dx = np.sign(a[:, None] - a[None, :])
    dy = np.sign(b[:, None] - b[None, :])
    iu = np.triu_indices(len(a), 1)
    dx, dy = dx[iu], dy[iu]
    s = float((dx * dy).sum())
    den = np.sqrt(float((dx != 0).sum()) * float((dy != 0).sum()))
    return s / den if den else float("nan")


def pairwise_accuracy(items: Sequence[tuple[Hashable, float, float]]) -> tuple[float, int]:
    """Share of pairs within the same group that the metric orders as the gold does (both "higher is
    better"); pairs tied in gold are left out, a metric tie counts half. `items`: (group, metric, gold).
    Returns (accuracy, number of pairs)."""
    groups: dict[Hashable, list[tuple[float, float]]] = defaultdict(list)
    for g, m, y in items:
        groups[g].append((m, y))
    hit = 0.0
    n = 0
    for vals in groups.values():
        for i in range(len(vals)):
            for j in range(i + 1, len(vals)):
                gy = np.sign(vals[i][1] - vals[j][1])
                if gy == 0:
                    continue
                gm = np.sign(vals[i][0] - vals[j][0])
                hit += 0.5 if gm == 0 else float(gm == gy)
                n += 1
    return (hit / n if n else float("nan")), n


def fmt(v: float | int | str | None, digits: int = 3) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return "—" if v != v else f"{v:.{digits}f}"
    return str(v)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(c) if not isinstance(c, str) else c for c in r) + " |" for r in rows]
    return "\n".join(lines)
