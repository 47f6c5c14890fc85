"""How many threads model inference uses on this machine, defined once, and small BLAS products kept on one
thread. Imported by qe, scorers, encoders and align; imports nothing of mtqa."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

#: at most this many inference threads: more buys little on the small models and starves other jobs
MAX_INFERENCE_THREADS = 4


#: cores given to each `mtqa batch` worker by default. A worker loads its own models and runs the QE model
#: and the encoders on all its threads; its checks are Python on one. Measured on 2 cores, 150 articles of 10
#: paragraphs (accurate): one process with 2 threads 69.5 s wall / 120 CPU-s, two one-thread workers 84.9 s /
#: 165 CPU-s (60 articles: 37.9 s against 42.3 s)
CORES_PER_WORKER = 2

#: the environment variable that caps inference threads (set to 1 in `mtqa batch`'s workers: one core each)
THREADS_VAR = "MTQA_INFERENCE_THREADS"


def inference_threads(requested: int | None = None) -> int:
    """`requested` when given (and not 0), else MTQA_INFERENCE_THREADS when set, else the machine's CPU
    count, at least 1, at most MAX_INFERENCE_THREADS."""
    if requested:
        return requested
    try:
        cap = int(os.environ.get(THREADS_VAR, "0"))
    except ValueError:
        cap = 0
    return max(1, min(cap or MAX_INFERENCE_THREADS, MAX_INFERENCE_THREADS, os.cpu_count() or 1))


def default_workers(cpus: int | None = None) -> int:
    """`mtqa batch`'s default number of worker processes: one per CORES_PER_WORKER cores, at least one."""
    return max(1, (cpus or os.cpu_count() or 1) // CORES_PER_WORKER)


def worker_threads(workers: int, cpus: int | None = None) -> int:
    """Inference threads of each of `workers` processes: the cores shared out, at least one."""
    return max(1, (cpus or os.cpu_count() or 1) // max(1, workers))


@functools.cache
def _blas_threads_setter() -> Callable[[int], int] | None:
    """openblas_set_num_threads_local of the OpenBLAS bundled with numpy (sets the BLAS thread count of
    the calling thread, returns the previous one); None when numpy uses another BLAS or it is not found."""
    import ctypes

    import numpy as np

    root = Path(np.__file__).parent
    for lib in [*root.parent.glob("numpy.libs/*openblas*"), *root.glob(".dylibs/*openblas*")]:
        try:
            fn = ctypes.CDLL(str(lib)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.argtypes, fn.restype = [ctypes.c_int], ctypes.c_int
        return fn
    return None


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run this thread's BLAS calls single-threaded. For small matrix products (the aligner's DP, the
    sentence head on a few rows): splitting them over threads gains little, and on a loaded machine every
    threaded call waits for its helper threads to be scheduled (~20-150 ms each with other jobs on the
    cores; measured). The results are the same: OpenBLAS splits the output among threads, not the sums."""
    setter = _blas_threads_setter()
    if setter is None:
        yield
        return
    old = setter(1)
    try:
        yield
    finally:
        setter(old)
