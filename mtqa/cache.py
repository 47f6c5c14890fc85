"""On-disk cache of model outputs: (model signature, sha256 of the text) -> vector or float.

One SQLite file (WAL journal, busy timeout) in the cache root (mtqa.artefacts.cache_root, beside the
derived models), so concurrent runs and batch workers share it safely; `MTQA_CACHE_DIR` moves the whole
root, `MTQA_NO_CACHE=1` (or `--no-cache`) turns it off.
The file is kept under a size bound by dropping the least recently used entries. The cache is an
optimisation only: any SQLite problem disables it for the process instead of failing a run.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import numpy as np

from mtqa.artefacts import cache_root, inventory

DEFAULT_MAX_MB = 1024
_CHUNK = 400  # keys per SELECT (well under SQLite's variable limit)
_FILE = "cache.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    sig   TEXT NOT NULL,
    key   BLOB NOT NULL,
    dtype TEXT,
    shape TEXT,
    value BLOB,
    size  INTEGER NOT NULL,
    atime REAL NOT NULL,
    PRIMARY KEY (sig, key)
);
CREATE INDEX IF NOT EXISTS entries_atime ON entries (atime);
"""

Value = np.ndarray | float


def cache_dir() -> Path:
    """The cache root (mtqa.artefacts.cache_root): MTQA_CACHE_DIR, else the platform's user cache."""
    return cache_root()


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _encode(value: Value) -> tuple[str | None, str | None, bytes | float, int]:
    if isinstance(value, np.ndarray):
        arr = np.ascontiguousarray(value)
        return arr.dtype.str, ",".join(map(str, arr.shape)), arr.tobytes(), arr.nbytes + 64
    return None, None, float(value), 72


def _decode(dtype: str | None, shape: str | None, value) -> Value:
    if dtype is None:
        return float("nan") if value is None else float(value)  # SQLite stores NaN (an abstention) as NULL
    dims = tuple(int(d) for d in shape.split(",")) if shape else ()
    return np.frombuffer(value, dtype=np.dtype(dtype)).reshape(dims).copy()


class Cache:
    """`get_many(sig, texts)` -> values or None per text; `put_many(sig, texts, values)`."""

    def __init__(self, folder: str | Path | None = None, *, max_mb: float | None = None,
                 enabled: bool = True) -> None:
        self.folder = Path(folder) if folder is not None else cache_dir()
        self.path = self.folder / _FILE
        if max_mb is None:
            max_mb = float(os.environ.get("MTQA_CACHE_MAX_MB", DEFAULT_MAX_MB))
        self.max_bytes = int(max_mb * 1024 * 1024)
        self.enabled = enabled
        self.error: str | None = None
        self._conn: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._puts_since_trim = 0

    # -- connection ----------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        if not self.enabled:
            return None
        if self._conn is not None and self._pid != os.getpid():
            self._conn = None  # inherited through fork: never share a SQLite connection across processes
        if self._conn is None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None,
                                       check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.executescript(_SCHEMA)
                self._conn, self._pid = conn, os.getpid()
            except (sqlite3.Error, OSError) as exc:
                self._disable(exc)
        return self._conn

    def _disable(self, exc: BaseException) -> None:
        self.error = f"{type(exc).__name__}: {exc}"
        self.enabled = False
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- API -----------------------------------------------------------------------------------------

    def get_many(self, signature: str, texts: Sequence[str]) -> list[Value | None]:
        """Cached value for each text (None where missing); refreshes the hits' access time."""
        out: list[Value | None] = [None] * len(texts)
        if not texts:
            return out
        with self._lock:
            conn = self._connect()
            if conn is None:
                return out
            keys = [text_key(t) for t in texts]
            where: dict[bytes, list[int]] = {}
            for i, k in enumerate(keys):
                where.setdefault(k, []).append(i)
            uniq = list(where)
            try:
                found: list[bytes] = []
                for c in range(0, len(uniq), _CHUNK):
                    part = uniq[c : c + _CHUNK]
                    rows = conn.execute(
                        f"SELECT key, dtype, shape, value FROM entries WHERE sig = ? AND key IN "
                        f"({','.join('?' * len(part))})", [signature, *part]).fetchall()
                    for key, dtype, shape, value in rows:
                        decoded = _decode(dtype, shape, value)
                        for i in where[key]:
                            out[i] = decoded
                        found.append(key)
                if found:
                    self._touch(conn, signature, found)
            except sqlite3.Error as exc:
                self._disable(exc)
                return [None] * len(texts)
        return out

    @staticmethod
    def _touch(conn: sqlite3.Connection, signature: str, keys: list[bytes]) -> None:
        """Refresh the access time of `keys`, in one transaction (one per row is ~100x slower); best
        effort: skipped if another process holds the write lock."""
        now = time.time()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return
        try:
            conn.executemany("UPDATE entries SET atime = ? WHERE sig = ? AND key = ?",
                             [(now, signature, k) for k in keys])
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.execute("ROLLBACK")
            raise

    def put_many(self, signature: str, texts: Sequence[str], values: Sequence[Value]) -> None:
        if len(texts) != len(values):
            raise ValueError("put_many needs one value per text")
        if not texts:
            return
        with self._lock:
            conn = self._connect()
            if conn is None:
                return
            now = time.time()
            rows = []
            for text, value in zip(texts, values, strict=True):
                dtype, shape, blob, size = _encode(value)
                rows.append((signature, text_key(text), dtype, shape, blob, size, now))
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                conn.execute("COMMIT")
                self._puts_since_trim += len(rows)
                if self._puts_since_trim >= 2000 or self._used_bytes(conn) > self.max_bytes:
                    self._trim(conn)
            except sqlite3.Error as exc:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                self._disable(exc)

    def _used_bytes(self, conn: sqlite3.Connection) -> int:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        count = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        return (count - free) * page

    def _trim(self, conn: sqlite3.Connection) -> None:
        """Drop least recently used entries until the data fits in 90% of the bound."""
        self._puts_since_trim = 0
        total = conn.execute("SELECT COALESCE(SUM(size), 0) FROM entries").fetchone()[0]
        target = int(self.max_bytes * 0.9)
        if total <= self.max_bytes:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            excess = total - target
            cur = conn.execute("SELECT sig, key, size FROM entries ORDER BY atime")
            doomed, freed = [], 0
            for sig, key, size in cur:
                doomed.append((sig, key))
                freed += size
                if freed >= excess:
                    break
            conn.executemany("DELETE FROM entries WHERE sig = ? AND key = ?", doomed)
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.execute("ROLLBACK")
            raise

    def trim(self) -> None:
        with self._lock:
            conn = self._connect()
            if conn is not None:
                try:
                    self._trim(conn)
                except sqlite3.Error as exc:
                    self._disable(exc)

    def info(self) -> dict:
        """Where the cache lives, how many entries (per signature) and how many bytes it holds, and the
        derived models stored beside it (`artefacts`: kind, key, path, bytes, state)."""
        data = {"path": str(self.path), "root": str(self.folder), "enabled": self.enabled,
                "max_bytes": self.max_bytes, "entries": 0, "bytes": 0, "file_bytes": 0, "signatures": {},
                "artefacts": inventory(self.folder)}
        data["artefact_bytes"] = sum(a["bytes"] for a in data["artefacts"])
        if not self.enabled or not self.path.exists():
            if self.error:
                data["error"] = self.error
            return data
        with self._lock:
            conn = self._connect()
            if conn is None:
                data["error"] = self.error
                return data
            for sig, n, size in conn.execute(
                "SELECT sig, COUNT(*), COALESCE(SUM(size), 0) FROM entries GROUP BY sig ORDER BY sig"
            ):
                data["signatures"][sig] = {"entries": n, "bytes": size}
                data["entries"] += n
                data["bytes"] += size
        data["file_bytes"] = sum(p.stat().st_size for p in self.folder.glob(_FILE + "*") if p.is_file())
        return data

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        with self._lock:
            conn = self._connect()
            if conn is None:
                return 0
            n = conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
            conn.execute("DELETE FROM entries")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("VACUUM")
            return n


_DEFAULT: Cache | None = None
_RUN_USES_CACHE: ContextVar[bool] = ContextVar("mtqa_run_uses_cache", default=True)


@contextmanager
def caching(enabled: bool) -> Iterator[None]:
    """Within the block, the process-wide cache is used only if `enabled` (a run's --no-cache)."""
    token = _RUN_USES_CACHE.set(enabled)
    try:
        yield
    finally:
        _RUN_USES_CACHE.reset(token)


def default_cache() -> Cache:
    """The process-wide cache; disabled (a no-op) when MTQA_NO_CACHE is set or inside caching(False)."""
    global _DEFAULT
    enabled = os.environ.get("MTQA_NO_CACHE", "") in ("", "0") and _RUN_USES_CACHE.get()
    folder = cache_dir()
    stale = _DEFAULT is not None and (
        _DEFAULT.folder != folder or (_DEFAULT.enabled != enabled and _DEFAULT.error is None))
    if _DEFAULT is None or stale:
        if _DEFAULT is not None:
            _DEFAULT.close()
        _DEFAULT = Cache(folder, enabled=enabled)
    return _DEFAULT


def cached(signature: str, texts: Sequence[str], compute) -> list[Value]:
    """Values for `texts`, computing (`compute(missing_texts) -> values`) only the ones not cached."""
    cache = default_cache()
    values = cache.get_many(signature, texts)
    missing = list(dict.fromkeys(t for t, v in zip(texts, values, strict=True) if v is None))
    if missing:
        fresh = list(compute(missing))
        cache.put_many(signature, missing, fresh)
        by_text = dict(zip(missing, fresh, strict=True))
        values = [by_text[t] if v is None else v for t, v in zip(texts, values, strict=True)]
    return values  # type: ignore[return-value]
