"""The bottom floor: model signatures, file and content identities, the one cache root, derived artefacts.

Everything mtqa writes lives under `cache_root()`: the SQLite cache of embeddings and scores
(`cache.sqlite3`, mtqa.cache) and the *derived artefacts*, models built once from installed packages
(`e5-small/` the converted e5, `e5-qe-onnx/` its ONNX export, `use-m3-static/` the static USE table,
`gazetteer/` the place-name index of mtqa.lang.placenames).

A derived artefact is a folder with a `stamp.json`: what it was built from (`inputs`), the sha256, size and
mtime of each file, and its *identity*, a hash of its content that does not depend on how a writer lays
out the bytes (for safetensors: the tensors in name order, see `safetensors_identity`). `ensure()` is the
one way to get one: it returns a verified folder, or builds it in a temporary folder under a file lock
and renames it into place (so concurrent first runs build once and both succeed), and rebuilds a missing,
damaged or mismatching artefact once before it gives up with one line saying what to do.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from mtqa.errors import MtqaError

STAMP = "stamp.json"
#: how long a process waits for another one building the same artefact
LOCK_TIMEOUT_S = 1800.0


@dataclass(frozen=True)
class ModelSignature:
    """What makes a score reproducible: model name, revision and the sha256 of its weights."""

    name: str
    revision: str
    sha256: str
    licence: str = ""

    def __str__(self) -> str:
        return f"{self.name}|rev:{self.revision}|sha256:{self.sha256[:12]}"


#: digests of the files hashed in this process, by path and the file's identity on disk
_DIGESTS: dict[tuple, str] = {}


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """The file's sha256, remembered while its size, times and inode stay the same: every document of a
    batch verifies the same model files (15 ms a document, 4% of a short article's time)."""
    st = os.stat(path)
    key = (os.fspath(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    got = _DIGESTS.get(key)
    if got is None:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            while block := fh.read(chunk):
                h.update(block)
        got = _DIGESTS[key] = h.hexdigest()
    return got


def cache_root() -> Path:
    """The one folder for everything mtqa writes: MTQA_CACHE_DIR, else the platform's user cache."""
    env = os.environ.get("MTQA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mtqa", appauthor=False))


def artefact_root(kind: str) -> Path:
    """Where the artefacts of one kind live (one sub-folder per build key)."""
    return cache_root() / kind


# --- content identities ---------------------------------------------------------------------------------


def safetensors_identity(path: str | Path, chunk: int = 1 << 22) -> str:
    """sha256 over the tensors in name order (name, dtype, shape, bytes), not over the file: the header's
    key order and `__metadata__` do not change it. ValueError for a file that is not whole."""
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as fh:
        raw = fh.read(8)
        if len(raw) != 8:
            raise ValueError(f"{path}: not a safetensors file")
        (n,) = struct.unpack("<Q", raw)
        if n > min(size - 8, 1 << 27):
            raise ValueError(f"{path}: safetensors header length {n} does not fit the file")
        try:
            header = json.loads(fh.read(n))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path}: safetensors header is not JSON") from exc
        base = 8 + n
        h = hashlib.sha256(b"safetensors-content-v1\n")
        end_of_data = 0
        for name in sorted(k for k in header if k != "__metadata__"):
            info = header[name]
            start, end = (int(x) for x in info["data_offsets"])
            h.update(json.dumps([name, info["dtype"], list(info["shape"]), end - start]).encode() + b"\n")
            fh.seek(base + start)
            left = end - start
            while left:
                block = fh.read(min(chunk, left))
                if not block:
                    raise ValueError(f"{path}: truncated")
                h.update(block)
                left -= len(block)
            end_of_data = max(end_of_data, end)
        if base + end_of_data != size:
            raise ValueError(f"{path}: {size} bytes, the header describes {base + end_of_data}")
    return h.hexdigest()


def content_identity(path: str | Path) -> str:
    """A file's content identity: `safetensors_identity` for .safetensors, else the sha256 of its bytes."""
    path = Path(path)
    return safetensors_identity(path) if path.suffix == ".safetensors" else sha256_file(path)


def files_identity(folder: Path, names: list[str] | tuple[str, ...]) -> str:
    """One file: its content identity; several: sha256 over "name:identity" lines in name order."""
    if len(names) == 1:
        return content_identity(folder / names[0])
    lines = "".join(f"{n}:{content_identity(folder / n)}\n" for n in sorted(names))
    return hashlib.sha256(lines.encode()).hexdigest()


# --- stamps ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Artefact:
    """A verified derived artefact: its folder, content identity and stamp."""

    folder: Path
    identity: str
    stamp: dict


def stamped_identity(folder: Path) -> str:
    """The identity recorded in the stamp of a folder `ensure` returned."""
    return str(json.loads((folder / STAMP).read_text())["identity"])


def _file_info(path: Path) -> dict:
    st = path.stat()
    return {"sha256": sha256_file(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def write_stamp(folder: Path, kind: str, inputs: dict, identity_files: tuple[str, ...] | None = None) -> dict:
    """Stamp every file of `folder` (built by a builder) and its identity over `identity_files`."""
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != STAMP)
    if not names:
        raise MtqaError(f"building {kind} in {folder} produced no files")
    stamp = {"kind": kind, "inputs": inputs, "files": {n: _file_info(folder / n) for n in names},
             "identity_files": list(identity_files or names),
             "identity": files_identity(folder, tuple(identity_files or names))}
    (folder / STAMP).write_text(json.dumps(stamp, indent=1, sort_keys=True))
    return stamp


def verify(folder: Path, kind: str, inputs: dict) -> Artefact | None:
    """The one stamp check. The artefact when its stamp names `kind` and `inputs` and every stamped file
    is there with its size and sha256; None otherwise. A file whose size and mtime are the stamped ones
    is trusted without re-hashing (the e5 model is 470 MB); any other file is hashed, and the stamp is
    refreshed when it still matches (a copied cache folder)."""
    try:
        stamp = json.loads((folder / STAMP).read_text())
        if stamp.get("kind") != kind or stamp.get("inputs") != inputs or not stamp.get("files"):
            return None
        moved = False
        for name, want in stamp["files"].items():
            st = (folder / name).stat()
            if st.st_size != want["size"]:
                return None
            if st.st_mtime_ns != want["mtime_ns"]:
                if sha256_file(folder / name) != want["sha256"]:
                    return None
                want["mtime_ns"], moved = st.st_mtime_ns, True
        if moved:
            with suppress(OSError):
                _write_atomic(folder / STAMP, json.dumps(stamp, indent=1, sort_keys=True))
        return Artefact(folder, str(stamp["identity"]), stamp)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".stamp-", dir=path.parent)
    with open(fd, "w") as fh:
        fh.write(text)
    Path(tmp).replace(path)


# --- building ---------------------------------------------------------------------------------------------


@contextmanager
def lock(folder: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """An inter-process lock for building `folder` (a lock file beside it)."""
    from filelock import FileLock, Timeout

    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(folder.parent / f".{folder.name}.lock"), timeout=timeout):
            yield
    except Timeout:
        raise MtqaError(f"another mtqa process has been building {folder} for {timeout:.0f} s; "
                        "if none is running, delete that folder and try again") from None


@contextmanager
def building(folder: Path) -> Iterator[Path]:
    """A fresh temporary folder beside `folder` to build in; when the block ends without an error it
    replaces `folder` by renames (readers never see a half-built folder). The temporary folder is removed
    in every case. Callers that may race hold `lock(folder)` (as `ensure` does)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    for stale in folder.parent.glob(f".build-{folder.name}-*"):  # left by a killed process
        if time.time() - stale.stat().st_mtime > 6 * 3600:
            shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".build-{folder.name}-", dir=folder.parent))
    try:
        yield tmp
        discard(folder)
        tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def discard(folder: Path) -> None:
    """Remove `folder`: renamed aside first, so that a half-deleted folder is never seen under its name."""
    if not folder.exists():
        return
    trash = Path(tempfile.mkdtemp(prefix=f".trash-{folder.name}-", dir=folder.parent))
    try:
        folder.rename(trash / folder.name)
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def ensure(folder: Path, kind: str, inputs: dict, build: Callable[[Path], None], *, what: str,
           remedy: str, identity_files: tuple[str, ...] | None = None, expected_identity: str | None = None,
           progress: str | None = None) -> Artefact:
    """The verified artefact in `folder`, built by `build(tmp_folder)` when missing, damaged or not the
    `expected_identity`; rebuilt once; if the rebuilt one is still wrong it is removed and MtqaError says
    what is wrong and `remedy`. `progress` is printed to stderr before a build."""

    def good(art: Artefact | None) -> bool:
        return art is not None and (expected_identity is None or art.identity == expected_identity)

    art = verify(folder, kind, inputs)
    if good(art):
        return art  # type: ignore[return-value]
    try:
        with lock(folder):
            art = verify(folder, kind, inputs)  # another process may have built it meanwhile
            if good(art):
                return art  # type: ignore[return-value]
            for _attempt in range(2):
                if progress:
                    print(f"mtqa: {progress}", file=sys.stderr, flush=True)
                with building(folder) as tmp:
                    build(tmp)
                    write_stamp(tmp, kind, inputs, identity_files)
                art = verify(folder, kind, inputs)
                if good(art):
                    return art  # type: ignore[return-value]
            discard(folder)  # never leave a wrong artefact that every later run would trip over
    except OSError as exc:
        raise MtqaError(f"cannot build {what} in {folder.parent} ({exc.strerror or exc}); free some space "
                        "or set MTQA_CACHE_DIR to a writable folder") from None
    if art is None:
        raise MtqaError(f"{what} failed its stamp check twice after building it in {folder}; {remedy}")
    raise MtqaError(f"{what} has content identity {art.identity[:12]}..., expected "
                    f"{str(expected_identity)[:12]}... even after a rebuild; {remedy}")


# --- what is stored -------------------------------------------------------------------------------------


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def inventory(root: Path | None = None) -> list[dict]:
    """Every derived artefact under the cache root: kind, key, path, bytes and whether it verifies
    against its own stamp (a partial or damaged one is rebuilt on next use)."""
    root = root or cache_root()
    out = []
    if not root.is_dir():
        return out
    for kind_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for folder in sorted(p for p in kind_dir.iterdir()
                             if p.is_dir() and not p.name.startswith(".trash-")):
            stamp: dict = {}
            with suppress(OSError, ValueError):
                stamp = json.loads((folder / STAMP).read_text())
            if not isinstance(stamp, dict):
                stamp = {}
            state = "building" if folder.name.startswith(".build-") else (
                "ok" if stamp and verify(folder, stamp.get("kind"), stamp.get("inputs")) else "damaged")
            out.append({"kind": kind_dir.name, "key": folder.name, "path": str(folder),
                        "bytes": folder_bytes(folder), "state": state,
                        "identity": stamp.get("identity", "")})
    return out
