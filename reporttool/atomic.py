"""Replacing a file safely: write beside it, fsync, rename over it (one place for every writer)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_atomically(target, write) -> None:
    """Call write(stream) on a temporary file beside `target`, then rename it over `target`.

    A crash or a full disk never leaves half a file: the old one stays until the rename. The old
    file's permission bits are kept; a symlinked target is replaced through the link.
    """
    target = Path(os.path.realpath(target))
    mode = None
    if target.exists():
        mode = target.stat().st_mode & 0o7777
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


def write_bytes_atomically(target, data: bytes) -> None:
    replace_atomically(target, lambda stream: stream.write(data))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
