"""How many threads model inference uses on this machine, defined once. Imported by qe and scorers;
imports nothing of mtqa."""

from __future__ import annotations

import os

#: at most this many inference threads: more buys little on the small models and starves other jobs
MAX_INFERENCE_THREADS = 4


def inference_threads(requested: int | None = None) -> int:
    """`requested` when given (and not 0), else the machine's CPU count, at least 1, at most
    MAX_INFERENCE_THREADS."""
    return requested or max(1, min(MAX_INFERENCE_THREADS, os.cpu_count() or 1))
