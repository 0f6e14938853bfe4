"""Reading drafts from disk: regular files only, size-limited, decoded and loaded with positions."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from reporttool import messages
from reporttool.load.decode import decode
from reporttool.problems import Problem

if TYPE_CHECKING:
    from reporttool.load.parse import Loaded

MAX_BYTES = 2 * 1024 * 1024  # a typical draft is ~60 KB; 30 MB costs minutes in a YAML parser

DRAFT_SUFFIXES = (".yaml", ".yml")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def load_bytes(data: bytes, file: str) -> Loaded:
    """Decode and load; the problems say why `data` is None when it could not be used."""
    from reporttool.load.parse import Loaded, load_text  # here: reading and listing files need no YAML parser

    if len(data) > MAX_BYTES:
        loaded = Loaded(file=file, text="")
        loaded.problems.append(messages.make("io/too-large", file, 0, 0, size=_size(len(data)),
                                             limit=_size(MAX_BYTES)))
        return loaded
    decoded = decode(data, file)
    if decoded.text is None:
        return Loaded(file=file, text="", problems=decoded.problems)
    loaded = load_text(decoded.text, file)
    loaded.problems[:0] = decoded.problems
    return loaded


def read_draft(path: str, display: str) -> tuple[bytes | None, list[Problem]]:
    """Read a regular file, refusing what would hang (FIFOs) or exhaust memory (huge files)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None, [messages.make("io/not-found", display)]
    except OSError as exc:
        return None, [messages.make("io/unreadable", display, reason=messages.os_reason(exc))]
    if not stat.S_ISREG(info.st_mode):
        kind = "目录" if stat.S_ISDIR(info.st_mode) else "管道" if stat.S_ISFIFO(info.st_mode) else "设备或特殊文件"
        return None, [messages.make("io/not-regular", display, kind=kind)]
    if info.st_size > MAX_BYTES:
        return None, [messages.make("io/too-large", display, size=_size(info.st_size), limit=_size(MAX_BYTES))]
    try:
        with open(path, "rb") as handle:
            # sized by the stat: a read of MAX_BYTES allocates 2 MB per draft (9x slower on 1000 drafts)
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew since the stat: read on up to the limit
                data += handle.read(MAX_BYTES + 1 - len(data))
    except OSError as exc:
        return None, [messages.make("io/unreadable", display, reason=messages.os_reason(exc))]
    return data, []


def expand(paths: Iterable[str], stats: dict[str, os.stat_result] | None = None
           ) -> Iterator[tuple[str, list[Problem] | None]]:
    """Yield (path, None) for each draft to check, or (path, problems) for an unusable argument;
    `stats` gets the stat of each draft listed (the batch's cache needs it: not taken twice).

    Directories are searched recursively for *.yaml/*.yml without following symlinked
    directories; each real file is yielded once; FIFOs and devices inside directories are skipped.
    """
    seen: set[tuple] = set()  # (device, inode) of each file yielded: a link or a second name counts once
    for arg in paths:
        display = os.fsdecode(arg)
        if os.path.isdir(arg):
            found = False
            for root, dirs, files in os.walk(arg, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.endswith(DRAFT_SUFFIXES) or name.startswith("."):
                        continue
                    full = os.path.join(root, name)
                    try:
                        info = os.stat(full)
                    except OSError:
                        yield full, [messages.make("io/unreadable", full, reason="无法访问（可能是失效的链接）")]
                        continue
                    if not stat.S_ISREG(info.st_mode) or (info.st_dev, info.st_ino) in seen:
                        continue
                    seen.add((info.st_dev, info.st_ino))
                    found = True
                    if stats is not None:
                        stats[full] = info
                    yield full, None
            if not found:
                yield display, [messages.make("io/no-drafts", display)]
            continue
        try:
            info = os.stat(arg)
            identity: tuple = (info.st_dev, info.st_ino)
        except (OSError, ValueError):  # absent or unreadable: reported when it is read
            identity = ("path", os.path.realpath(arg))
        if identity in seen:
            continue
        seen.add(identity)
        yield display, None


# what marks a YAML file as a draft: its top-level schema_version, or the modeline naming the schema
_DRAFT_MARK = re.compile(rb"^schema_version[ \t]*:|^#[ \t]*yaml-language-server:[^\n]*work-report\.schema", re.M)
_MARK_WITHIN = 64 * 1024  # both stand at the top of a draft


def looks_like_draft(path: str) -> bool:
    """Whether a YAML file is a reporttool draft (a mkdocs.yml or a workflow is not). A file that
    cannot be read counts as one, so that its problem is reported, not hidden."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_MARK_WITHIN)
    except OSError:
        return True
    return is_draft_head(head)


def is_draft_head(head: bytes) -> bool:
    """Whether the first bytes of a YAML text mark it as a draft (an editor's open buffer, a file's head)."""
    return _DRAFT_MARK.search(head[:_MARK_WITHIN].lstrip(b"\xef\xbb\xbf")) is not None
