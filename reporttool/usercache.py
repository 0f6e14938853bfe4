"""The user's cache directory: where reporttool keeps what it can recompute (findings, dictionary sums).

Nothing kept here changes a result: an entry that cannot be read or written is recomputed.
"""

from __future__ import annotations

import functools
import os
import sys

ENV_DIR = "REPORTTOOL_CACHE_DIR"  # another place (CI caches, tests)
ENV_OFF = "REPORTTOOL_NO_CACHE"  # any non-empty value: off, as --no-cache


def directory() -> str | None:
    """Where entries are kept: $REPORTTOOL_CACHE_DIR, else the platform's user cache directory."""
    return _directory(os.environ.get(ENV_OFF), os.environ.get(ENV_DIR), os.environ.get("XDG_CACHE_HOME"),
                      os.environ.get("LOCALAPPDATA"))


@functools.lru_cache(maxsize=8)  # asked once per draft: the answer changes only with the environment
def _directory(off: str | None, chosen: str | None, xdg: str | None, local: str | None) -> str | None:
    if off:
        return None
    if chosen:
        return chosen
    if sys.platform == "win32":
        return os.path.join(local, "reporttool", "Cache") if local else None
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~"), "Library", "Caches", "reporttool")
    return os.path.join(xdg or os.path.join(os.path.expanduser("~"), ".cache"), "reporttool")


def read(name: str) -> bytes | None:
    """The entry `name` (a relative path), or None when there is none or it cannot be read."""
    base = directory()
    if base is None:
        return None
    try:
        with open(os.path.join(base, name), "rb") as handle:
            return handle.read()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Keep `data` as `name`, whole or not at all; a read-only or full cache directory is passed over."""
    base = directory()
    if base is None:
        return
    from reporttool.atomic import write_bytes_atomically  # here: a cached re-run writes nothing

    path = os.path.join(base, name)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_bytes_atomically(path, data, durable=False)
    except OSError:
        pass
