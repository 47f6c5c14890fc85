"""Write a rendered report: atomically to a file, or to standard output."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from mtqa.errors import MtqaError


def write_atomic(path: str | Path, data: str) -> None:
    """Write via a temporary file in the same folder, then rename: never a half-written report."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise MtqaError(f"{path}: folder {folder} does not exist")
    if target.is_dir():
        raise MtqaError(f"{path}: is a directory; give a file name for -o")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise MtqaError(f"{path}: cannot write there ({exc.strerror})") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600 files; a report gets the usual permissions
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise MtqaError(f"{path}: cannot write the report ({exc.strerror or exc})") from None
        raise


def emit(data: str, output: str | None) -> None:
    if output and output != "-":
        write_atomic(output, data)
    else:
        sys.stdout.write(data)
        sys.stdout.flush()
