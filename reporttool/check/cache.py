"""Findings of drafts already checked, so that a CI re-run does not check an unchanged draft again.

The key is a hash of everything the findings depend on: the draft's bytes, the configuration that
applies (the project file's bytes), and the checker itself (its version and the bytes of each of
its files and of the schemas, so an edited rule in a checkout is never served stale results).
The file name is not in the key (a fresh CI clone hits); it is put back into each finding.
Entries live in the user's cache directory, one file per key, written by atomic rename: two runs
at once may both write an entry, never half of one. A cache that cannot be read or written is
simply not used: it never changes what a check reports. Beside the entries, each folder's index
(FolderIndex) knows its unchanged drafts by their stat, so a re-run in the same checkout reads
neither the drafts nor one entry per draft.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time

from reporttool import usercache
from reporttool.check.config import Config
from reporttool.problems import Problem, Severity
from reporttool.version import __version__

FORMAT = 2  # of an entry; part of the key


@functools.cache
def _checker() -> bytes:
    """The checker's identity: its version and the bytes of every file of the package and of the
    schemas (beside the package in a checkout). Contents, not mtimes: a fresh CI clone of the same
    commit has new mtimes and must still hit (reading them all costs ~3 ms)."""
    from reporttool.resources import PACKAGE, data_folder

    digest = hashlib.sha256(f"{__version__}\0{FORMAT}".encode())
    found = []
    for top in (PACKAGE, os.path.realpath(data_folder("schemas"))):
        for folder, folders, names in os.walk(top):
            folders[:] = [name for name in folders if name != "__pycache__"]
            found += [(os.path.relpath(os.path.join(folder, name), os.path.dirname(top)), os.path.join(folder, name))
                      for name in names if name.endswith((".py", ".yaml", ".toml", ".json"))]
    for name, path in sorted(set(found)):
        with open(path, "rb") as handle:
            data = handle.read()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.digest()


@functools.lru_cache(maxsize=64)
def _config_file(path: str, mtime_ns: int, size: int) -> bytes:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).digest()


def _config_part(config: Config) -> bytes | None:
    """What of the configuration the key holds, or None when it cannot be told (built in a program).
    The broken pyproject.toml files passed over count too: their note is among the findings."""
    ignored = repr(config.ignored).encode() if config.ignored else b""
    if config.source is None:
        return b"default" + ignored if not config.levels and config.units is None else None
    try:
        info = os.stat(config.source)
        return _config_file(config.source, info.st_mtime_ns, info.st_size) + ignored
    except OSError:
        return None


def key(data: bytes, config: Config) -> str | None:
    """The entry's name, or None when the findings depend on more than the key can hold."""
    part = _config_part(config)
    if part is None or b"previous_report" in data or b"rollup" in data:  # they depend on other drafts
        return None
    digest = hashlib.sha256(_checker())
    digest.update(part)
    digest.update(data)
    return digest.hexdigest()


def _entry(name: str) -> str:
    return os.path.join(f"v{FORMAT}", name[:2], name)


def _encode(problems: list[Problem]) -> list[dict]:
    stored = [{**p.to_dict(), "source_line": p.source_line, "fatal_io": p.fatal_io, "node": list(p.node),
               "fields": [list(pair) for pair in p.fields]} for p in problems]
    for item in stored:
        del item["file"]
    return stored


def _decode(stored: list[dict], file: str) -> list[Problem]:
    return [Problem(file, item["line"], item["column"], Severity(item["severity"]), item["rule"], item["message"],
                    item["hint"], item["path"], item["source_line"], item["fatal_io"], tuple(item["node"]),
                    tuple((name, text) for name, text in item["fields"])) for item in stored]


def get(name: str | None, file: str) -> list[Problem] | None:
    """The findings stored under this key, given the draft's name; None when there is no usable entry."""
    data = usercache.read(_entry(name)) if name else None
    if data is None:
        return None
    try:
        return _decode(json.loads(data), file)
    except (ValueError, KeyError, TypeError):  # half-written by a killed run, or foreign
        return None


def put(name: str | None, problems: list[Problem]) -> None:
    if not name or any(p.rule == "internal/error" for p in problems):  # a bug is never remembered
        return
    usercache.write(_entry(name), json.dumps(_encode(problems), ensure_ascii=False).encode("utf-8"))


# --- the folder index: unchanged files known by their stat, without reading them -------------------

RACY_NS = 2_000_000_000  # a file changed this close to its stat may change again with the same mtime


def stat_of(info: os.stat_result) -> list[int]:
    """What tells a file's version without reading it. ctime changes with every write and cannot be
    set back (touch -d sets only mtime); the inode changes when an editor saves by rename."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


class FolderIndex:
    """The findings of each draft of one folder, with the stat of the version they belong to.

    A CI re-run in the same checkout answers every unchanged draft from one read of this file:
    no draft is read or hashed. A file whose stat differs is checked (or found by content hash).
    An entry is kept only for a file last changed well before it was read (RACY_NS), so an edit in
    the same clock tick as the check is never mistaken for the checked version.
    """

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.name = os.path.join(f"v{FORMAT}", "folders",
                                 hashlib.sha256(os.fsencode(folder)).hexdigest()[:32] + ".json")
        self.entries: dict[str, list] = {}
        self.changed = False
        self.opened_ns = time.time_ns()  # before any stat of this run: the racy bound is taken from it
        data = usercache.read(self.name)
        try:
            stored = json.loads(data) if data is not None else None
            if isinstance(stored, dict) and stored.get("checker") == _checker().hex() \
                    and stored.get("folder") == os.fsdecode(folder):
                self.entries = {k: v for k, v in stored["files"].items() if isinstance(v, list) and len(v) == 3}
        except (ValueError, KeyError, TypeError, AttributeError):  # damaged or foreign: start afresh
            self.entries = {}

    def get(self, base: str, info: os.stat_result, config: Config, file: str) -> list[Problem] | None:
        entry = self.entries.get(base)
        part = _config_part(config)
        if entry is None or part is None or entry[0] != stat_of(info) or entry[1] != part.hex():
            return None
        try:
            return _decode(entry[2], file)
        except (ValueError, KeyError, TypeError):
            return None

    def put(self, base: str, info: os.stat_result, config: Config, problems: list[Problem]) -> None:
        part = _config_part(config)
        if part is None or any(p.rule == "internal/error" or p.fatal_io for p in problems) \
                or info.st_mtime_ns > self.opened_ns - RACY_NS:
            self.entries.pop(base, None)
            return
        self.entries[base] = [stat_of(info), part.hex(), _encode(problems)]
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        # files gone from the folder are forgotten, so the index never outgrows the folder
        kept = {k: v for k, v in self.entries.items() if os.path.exists(os.path.join(self.folder, k))}
        stored = {"checker": _checker().hex(), "folder": os.fsdecode(self.folder), "files": kept}
        usercache.write(self.name, json.dumps(stored, ensure_ascii=False).encode("utf-8"))
