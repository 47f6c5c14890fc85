"""The on-disk model-output cache (issue 6): correctness, concurrency, size bound, CLI."""

from __future__ import annotations

import json
import multiprocessing as mp
import time

import numpy as np
import pytest

from mtqa import cache as cache_mod
from mtqa.cache import Cache, cached, default_cache
from mtqa.cli import main

SIG = "use-m3|rev:x|sha256:abc"


def test_roundtrip_vectors_and_floats(tmp_path):
    c = Cache(tmp_path)
    vecs = np.random.default_rng(0).standard_normal((3, 512)).astype(np.float32)
    c.put_many(SIG, ["a", "b", "c"], list(vecs))
    c.put_many("scorer|1", ["a", "b"], [0.25, 1.0])
    got = c.get_many(SIG, ["c", "zzz", "a", "a"])
    assert got[1] is None
    np.testing.assert_array_equal(got[0], vecs[2])
    np.testing.assert_array_equal(got[2], vecs[0])
    np.testing.assert_array_equal(got[3], vecs[0])
    assert got[0].dtype == np.float32 and got[0].shape == (512,)
    assert c.get_many("scorer|1", ["b", "a", "c"]) == [1.0, 0.25, None]
    assert c.get_many("other-model", ["a"]) == [None]  # keyed by signature too
    c.close()
    # persists across instances (processes)
    again = Cache(tmp_path)
    np.testing.assert_array_equal(again.get_many(SIG, ["b"])[0], vecs[1])
    assert again.info()["entries"] == 5
    assert again.info()["signatures"]["scorer|1"]["entries"] == 2


def test_an_abstention_nan_round_trips(tmp_path):
    """A scorer's abstention is cached as NaN, which SQLite stores as NULL: it must read back as NaN (a hit),
    not crash and not count as a miss."""
    c = Cache(tmp_path)
    c.put_many("scorer|1", ["kept", "abstained"], [0.5, float("nan")])
    again = Cache(tmp_path)
    kept, abstained = again.get_many("scorer|1", ["kept", "abstained"])
    assert kept == 0.5 and isinstance(abstained, float) and abstained != abstained


def test_unicode_and_2d_values(tmp_path):
    c = Cache(tmp_path)
    texts = ["日本語の文。", "emoji 🙂", "\ud800 lone surrogate", ""]
    vals = [np.arange(6, dtype=np.float64).reshape(2, 3) * i for i in range(4)]
    c.put_many(SIG, texts, vals)
    for v, w in zip(c.get_many(SIG, texts), vals, strict=True):
        np.testing.assert_array_equal(v, w)
        assert v.shape == (2, 3)


def test_many_keys_beyond_sqlite_variable_limit(tmp_path):
    c = Cache(tmp_path)
    texts = [f"sentence {i}" for i in range(5000)]
    c.put_many("s", texts, [float(i) for i in range(5000)])
    assert c.get_many("s", texts[::-1]) == [float(i) for i in range(4999, -1, -1)]


def test_cached_helper_computes_only_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MTQA_NO_CACHE", raising=False)
    seen: list[list[str]] = []

    def compute(texts):
        seen.append(list(texts))
        return [float(len(t)) for t in texts]

    assert cached("len", ["aa", "b", "aa"], compute) == [2.0, 1.0, 2.0]
    assert cached("len", ["b", "ccc"], compute) == [1.0, 3.0]
    assert seen == [["aa", "b"], ["ccc"]]


def test_disabled_by_env(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("MTQA_NO_CACHE", "1")
    c = default_cache()
    c.put_many("s", ["a"], [1.0])
    assert c.get_many("s", ["a"]) == [None]
    assert not (tmp_path / "c").exists()


def test_lru_trim_keeps_recently_used(tmp_path):
    c = Cache(tmp_path, max_mb=0.25)  # ~262 kB of data
    vec = np.zeros(1024, dtype=np.float32)  # ~4 kB an entry
    c.put_many(SIG, ["keep"], [vec])
    for batch in range(10):
        time.sleep(0.01)
        c.get_many(SIG, ["keep"])  # keep is read all along: most recently used
        c.put_many(SIG, [f"t{batch}-{i}" for i in range(20)], [vec] * 20)
    info = c.info()
    assert info["bytes"] <= c.max_bytes
    assert info["entries"] < 201
    assert c.get_many(SIG, ["keep"])[0] is not None
    assert c.get_many(SIG, ["t0-0"]) == [None]  # the oldest went first
    assert c.get_many(SIG, ["t9-19"])[0] is not None


def _worker(folder: str, k: int, out) -> None:
    c = Cache(folder)
    ok = True
    for r in range(15):
        texts = [f"w{k}-{r}-{i}" for i in range(30)] + [f"shared-{i}" for i in range(30)]
        c.put_many("conc", texts, [float(i) for i in range(60)])
        got = c.get_many("conc", texts)
        ok &= got == [float(i) for i in range(60)]
    out.put((k, ok, c.error))


def test_concurrent_processes(tmp_path):
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(str(tmp_path), k, q)) for k in range(4)]
    for p in procs:
        p.start()
    results = [q.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert sorted(results) == [(k, True, None) for k in range(4)]
    assert Cache(tmp_path).info()["entries"] == 4 * 15 * 30 + 30


def _forked_child(c: Cache, out) -> None:
    c.put_many("fork", ["child"], [2.0])
    out.put(c.get_many("fork", ["parent", "child"]))


def test_connection_not_shared_across_fork(tmp_path):
    c = Cache(tmp_path)
    c.put_many("fork", ["parent"], [1.0])  # the parent holds an open connection
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_forked_child, args=(c, q))
    p.start()
    assert q.get(timeout=60) == [1.0, 2.0]
    p.join(timeout=30)
    assert c.get_many("fork", ["parent", "child"]) == [1.0, 2.0]


def test_corrupt_file_disables_instead_of_failing(tmp_path):
    (tmp_path / cache_mod._FILE).write_bytes(b"this is not a database" * 100)
    c = Cache(tmp_path)
    c.put_many("s", ["a"], [1.0])
    assert c.get_many("s", ["a"]) == [None]
    assert c.error and not c.enabled


def test_put_many_checks_lengths(tmp_path):
    with pytest.raises(ValueError):
        Cache(tmp_path).put_many("s", ["a", "b"], [1.0])


def _cli(args, capsys):
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_cache_info_and_clear_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    Cache(tmp_path).put_many(SIG, ["a", "b"], [np.ones(4, dtype=np.float32)] * 2)
    code, out, _ = _cli(["cache", "info", "--format", "json"], capsys)
    assert code == 0
    info = json.loads(out)
    assert info["entries"] == 2 and info["path"] == str(tmp_path / "cache.sqlite3")
    code, out, _ = _cli(["cache", "info"], capsys)
    assert code == 0 and SIG in out
    code, out, _ = _cli(["cache", "clear"], capsys)
    assert code == 0 and "removed 2" in out
    assert Cache(tmp_path).info()["entries"] == 0
