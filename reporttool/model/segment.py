"""Chinese word segmentation (jieba), loaded only when a step needs it: title breaks, import.

One place builds the tokenizers. jieba's full dictionary costs one to three seconds to load, which
is most of a `render`; a title needs a few hundred of its 350,000 words, so `tokenizer_for` builds
a tokenizer from just the entries inside the given texts (and cuts them exactly as the full one
would). The importer, which cuts whole reports, loads the full dictionary once per process.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import warnings
from collections.abc import Iterable
from typing import Any

_lock = threading.Lock()
_built: dict[tuple[tuple[str, ...], bool], Any] = {}


def _import_jieba() -> Any:
    import logging

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if "pkg_resources" in sys.modules:
            import jieba
        else:
            # jieba imports pkg_resources only to open its own files, falling back to open() without
            # it; the import costs ~0.2 s and a deprecation warning, so it is hidden while jieba loads.
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]
            try:
                import jieba
            finally:
                del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)  # its loading chatter is not the writer's business
    return jieba


def tokenizer(words: tuple[str, ...], *, pos: bool = False) -> Any:
    """A jieba tokenizer with the full dictionary that knows `words` (tagged as nouns); with `pos`,
    one that tags parts of speech."""
    key = (words, pos)
    with _lock:
        if key not in _built:
            jieba = _import_jieba()
            base = jieba.Tokenizer()
            base.initialize()
            for word in words:
                base.add_word(word, tag="n")
            if pos:  # the tag table costs a second more: loaded only for the tagging tokenizer
                from jieba.posseg import POSTokenizer

                _built[key] = POSTokenizer(base)
            else:
                _built[key] = base
        return _built[key]


def tokenizer_for(texts: Iterable[str], words: tuple[str, ...]) -> Any:
    """A tokenizer that cuts each of `texts` as `tokenizer(words)` would, knowing only what it needs.

    Built once per set of texts in a process (~0.05 s each: one pass over the dictionary file).
    jieba looks up only substrings of the text it cuts (a word is found when it and each of its
    prefixes are entries), so the entries that are substrings of the texts and of `words` (whose
    frequencies `add_word` derives by cutting them), with their prefixes and the dictionary's
    total, give the same cuts. Other texts are cut as if their unknown words were new.
    """
    return _tokenizer_for(tuple(texts), words)


@functools.lru_cache(maxsize=128)
def _tokenizer_for(texts: tuple[str, ...], words: tuple[str, ...]) -> Any:
    wanted: set[str] = set()
    for text in (*texts, *words):
        wanted.update(text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + MAX_WORD) + 1))
    found = _index().lookup(wanted)
    freq: dict[str, int] = dict(found)
    for word in found:
        for end in range(1, len(word)):
            freq.setdefault(word[:end], 0)
    jieba = _import_jieba()
    built = jieba.Tokenizer()
    built.FREQ, built.total, built.initialized = freq, _index().total, True
    for word in words:
        built.add_word(word, tag="n")
    return built


MAX_WORD = 32  # characters; jieba's longest word has 16
INDEX_FORMAT = 1


class _Index:
    """jieba's dictionary as a table on disk (built once per machine in the user cache directory, an
    index lookup per title), else the dictionary text read and scanned once per process."""

    def __init__(self, path: str) -> None:
        from reporttool import usercache

        self.path = path
        info = os.stat(path)
        base = usercache.directory()
        self.table = (os.path.join(base, f"jieba-{INDEX_FORMAT}-{info.st_size}-{info.st_mtime_ns}.sqlite")
                      if base else None)
        self.total = self._open()

    def _open(self) -> int:
        import sqlite3

        self.db: Any = None
        if self.table is not None:
            for _ in range(2):  # a missing or damaged table is (re)built once
                try:
                    db = sqlite3.connect(f"file:{self.table}?mode=ro", uri=True, check_same_thread=False)
                    total = int(db.execute("SELECT total FROM meta").fetchone()[0])
                    self.db = db
                    return total
                except (sqlite3.Error, OSError, TypeError, ValueError):
                    if not self._build():
                        break
        self.entries, total = self._read()
        return total

    def _read(self) -> tuple[dict[str, int], int]:
        """The entries and, as jieba counts it, the sum over all lines (a word listed twice counts twice)."""
        with open(self.path, "rb") as handle:
            lines = handle.read().decode("utf-8").splitlines()
        entries, total = {}, 0
        for line in filter(None, lines):
            word, count = line.split(" ", 2)[:2]
            entries[word] = int(count)
            total += int(count)
        return entries, total

    def _build(self) -> bool:
        """Write the table beside its place and rename it there: readers never see half of one."""
        import sqlite3
        import tempfile

        assert self.table is not None
        entries, total = self._read()
        try:
            os.makedirs(os.path.dirname(self.table), exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".jieba-", suffix=".tmp", dir=os.path.dirname(self.table))
            os.close(handle)
            try:
                db = sqlite3.connect(temp)
                with db:
                    db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, count INTEGER) WITHOUT ROWID")
                    db.execute("CREATE TABLE meta (total INTEGER)")
                    db.executemany("INSERT INTO words VALUES (?, ?)", entries.items())
                    db.execute("INSERT INTO meta VALUES (?)", (total,))
                db.close()
                os.replace(temp, self.table)
            finally:
                if os.path.exists(temp):
                    os.remove(temp)
        except (sqlite3.Error, OSError):  # a read-only or full cache directory: read the text instead
            self.entries = entries
            return False
        return True

    def lookup(self, wanted: set[str]) -> dict[str, int]:
        if self.db is None:
            return {word: self.entries[word] for word in wanted if word in self.entries}
        found: dict[str, int] = {}
        items = sorted(wanted)
        with _lock:  # one connection, shared by threads (the language server's checking thread)
            for start in range(0, len(items), 500):
                chunk = items[start:start + 500]
                rows = self.db.execute(f"SELECT word, count FROM words WHERE word IN ({','.join('?' * len(chunk))})",
                                       chunk)
                found.update(rows)
        return found


@functools.cache
def _index() -> _Index:
    jieba = _import_jieba()
    return _Index(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"))
