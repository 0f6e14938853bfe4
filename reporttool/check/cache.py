"""Findings of drafts already checked, so that a CI re-run does not check an unchanged draft again.

The key is a hash of everything the findings depend on: the draft's bytes, the configuration that
applies (the project file's bytes), and the checker itself (its version and the size and time of
each of its files, so an edited rule in a development checkout is never served stale results).
The file name is not in the key (a fresh CI clone hits); it is put back into each finding.
Entries live in the user's cache directory, one file per key, written by atomic rename: two runs
at once may both write an entry, never half of one. A cache that cannot be read or written is
simply not used: it never changes what a check reports.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from reporttool import usercache
from reporttool.check.config import Config
from reporttool.problems import Problem, Severity
from reporttool.version import __version__

FORMAT = 1  # of an entry; part of the key


@functools.cache
def _checker() -> bytes:
    """The checker's identity: its version and every file of the package (size and mtime)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}".encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".yaml", ".toml", ".json"):
            info = path.stat()
            digest.update(f"{path.relative_to(root)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.digest()


@functools.lru_cache(maxsize=64)
def _config_file(path: str, mtime_ns: int, size: int) -> bytes:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).digest()


def _config_part(config: Config) -> bytes | None:
    """What of the configuration the key holds, or None when it cannot be told (built in a program)."""
    if config.source is None:
        return b"default" if not config.levels and config.units is None else None
    try:
        info = os.stat(config.source)
        return _config_file(config.source, info.st_mtime_ns, info.st_size)
    except OSError:
        return None


def key(data: bytes, config: Config) -> str | None:
    part = _config_part(config)
    if part is None:
        return None
    digest = hashlib.sha256(_checker())
    digest.update(part)
    digest.update(data)
    return digest.hexdigest()


def _entry(name: str) -> str:
    return os.path.join(f"v{FORMAT}", name[:2], name)


def get(name: str | None, file: str) -> list[Problem] | None:
    """The findings stored under this key, given the draft's name; None when there is no usable entry."""
    data = usercache.read(_entry(name)) if name else None
    if data is None:
        return None
    try:
        stored = json.loads(data)
        return [Problem(file, item["line"], item["column"], Severity(item["severity"]), item["rule"], item["message"],
                        item["hint"], item["path"], item["source_line"], item["fatal_io"],
                        tuple(item["node"])) for item in stored]
    except (ValueError, KeyError, TypeError):  # half-written by a killed run, or foreign
        return None


def put(name: str | None, problems: list[Problem]) -> None:
    if not name or any(p.rule == "internal/error" for p in problems):  # a bug is never remembered
        return
    stored = [{**p.to_dict(), "source_line": p.source_line, "fatal_io": p.fatal_io, "node": list(p.node)}
              for p in problems]
    for item in stored:
        del item["file"]
    usercache.write(_entry(name), json.dumps(stored, ensure_ascii=False).encode("utf-8"))
