"""Replacing a file safely: write beside it, fsync, rename over it (one place for every writer)."""

from __future__ import annotations

import glob
import os
import sys
import tempfile
import time
from pathlib import Path


def replace_atomically(target, write, durable: bool = True) -> None:
    """Call write(stream) on a temporary file beside `target`, then rename it over `target`.

    A crash or a full disk never leaves half a file: the old one stays until the rename. The old
    file's permission bits are kept; a symlinked target is replaced through the link. `durable`
    False skips the fsync, for files that may be lost but never be half (cache entries).
    """
    target = Path(os.path.realpath(target))
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
    temp = _flushed_temporary(target, write, mode, durable)
    try:
        os.replace(temp, target)
    except BaseException:
        _remove(temp)
        raise


def write_bytes_atomically(target, data: bytes, durable: bool = True) -> None:
    replace_atomically(target, lambda stream: stream.write(data), durable)


def create_atomically(target, data: bytes) -> None:
    """Create `target` with `data`, whole or not at all; FileExistsError if it exists (never replaced).

    The bytes go to a temporary file first; a hard link then gives it its name, which fails
    atomically when the name is taken. Where hard links are not supported, exclusive creation.
    """
    target = Path(target)
    if target.exists() or target.is_symlink():
        raise FileExistsError(17, "文件已存在", str(target))
    temp = _flushed_temporary(Path(os.path.abspath(target)), lambda stream: stream.write(data), 0o666 & ~_umask())
    try:
        try:
            os.link(temp, target)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (some network or FAT file systems)
            with open(target, "xb") as out:
                try:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                except BaseException:
                    os.unlink(target)  # ours, just created: never leave half a draft
                    raise
    finally:
        _remove(temp)


class ChangedMeanwhile(Exception):
    """The target no longer holds the bytes it was read with: someone saved it meanwhile."""


def replace_if_unchanged(target, data: bytes, expected: bytes) -> None:
    """Write `data` over `target` only if `target` still holds `expected` at the moment of the swap.

    The check comes after the temporary file is written (the slow fsync is where an editor's save
    lands). Where the kernel can swap two names atomically (Linux renameat2 RENAME_EXCHANGE) it is
    made on what was actually swapped out, and a newer save is swapped back: no window is left in
    which an edit can be lost. Elsewhere it is made just before the rename.
    Raises ChangedMeanwhile (nothing written) or OSError.
    """
    target = Path(os.path.realpath(target))
    info = target.stat()
    temp = _flushed_temporary(target, lambda stream: stream.write(data), info.st_mode & 0o7777)
    try:
        if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            try:  # keep the owner (possible as root): a colleague's draft stays theirs
                os.chown(temp, info.st_uid, info.st_gid)
            except PermissionError:
                pass
        if _exchange(temp, str(target)):
            if _read(Path(temp)) != expected:  # what was swapped out is someone's newer save
                if not _exchange(temp, str(target)):
                    raise OSError(f"无法恢复被替换的文件，原内容在 {temp}")
                raise ChangedMeanwhile(str(target))
            os.unlink(temp)
        else:
            if _read(target) != expected:
                raise ChangedMeanwhile(str(target))
            os.replace(temp, target)
    except BaseException:
        _remove(temp)
        raise


def _flushed_temporary(target: Path, write, mode: int, durable: bool = True) -> str:
    """A temporary file beside `target` holding what write(stream) wrote, on disk (fsync), with `mode`."""
    handle, temp = _temporary(target)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        os.chmod(temp, mode)
    except BaseException:
        _remove(temp)
        raise
    return temp


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: str, b: str) -> bool:
    """Atomically swap two names; False where the system or the file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot swap
        return False
    raise OSError(errno, os.strerror(errno), b)


_RENAMEAT2: list = []


def _renameat2():
    if not _RENAMEAT2:
        function = None
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                function = ctypes.CDLL(None, use_errno=True).renameat2
                function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
                function.restype = ctypes.c_int
            except (OSError, AttributeError):  # an old C library without renameat2
                function = None
        _RENAMEAT2.append(function)
    return _RENAMEAT2[0]


STALE_SECONDS = 600  # a temporary file this old was left by a killed run (a live one takes seconds)


def _temporary(target: Path) -> tuple[int, str]:
    """A new temporary file beside `target`, after removing the ones killed runs left behind.

    Its name says whose it is (.NAME.HOST-PID-XXXX.tmp): one of this machine whose process is gone
    is removed at once; any other only when it is old (a writer on another machine may be alive).
    """
    now = time.time()
    prefix = f".{target.name}."
    host = _host()
    for old in target.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        try:
            if now - old.lstat().st_mtime > STALE_SECONDS or _dead_here(old.name[len(prefix):-4], host):
                old.unlink()
        except OSError:
            pass
    return tempfile.mkstemp(dir=target.parent, prefix=f"{prefix}{host}-{os.getpid()}-", suffix=".tmp")


def _host() -> str:
    import socket

    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in socket.gethostname())[:40] or "host"


def _dead_here(tag: str, host: str) -> bool:
    """Whether HOST-PID-XXXX names a process of this machine that no longer runs (POSIX only: on
    Windows os.kill(pid, 0) would end the process)."""
    parts = tag.rsplit("-", 2)
    if os.name != "posix" or len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, another user's
        return False
    return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
