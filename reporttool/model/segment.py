"""Chinese word segmentation (jieba), loaded only when a step needs it: title breaks, import.

One place builds the tokenizers. jieba's full dictionary costs one to three seconds to load, which
was most of a `render`; a title needs a few hundred of its 350,000 words, so `tokenizer_for` builds
a `Cutter` from just the entries inside the given texts (and cuts them exactly as jieba with its
whole dictionary would), without importing jieba at all once the dictionary's index exists. The
importer, which cuts whole reports and tags parts of speech, loads jieba's full dictionary once.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator
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
                from jieba import posseg

                # posseg's import already read the (same, default) dictionary's tags for its own
                # tokenizer: share that table instead of reading the file a second time
                tagger = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
                tagger.tokenizer, tagger.word_tag_tab = base, posseg.dt.word_tag_tab
                _built[key] = tagger
            else:
                _built[key] = base
        return _built[key]


def tokenizer_for(texts: Iterable[str], words: tuple[str, ...]) -> Cutter:
    """A tokenizer that cuts each of `texts` as `tokenizer(words)` would, knowing only what it needs.

    Built once per set of texts in a process (a few ms: index lookups of its substrings and of the
    HMM emissions of its characters; without a cache directory, one pass over jieba's files).
    jieba looks up only substrings of the text it cuts (a word is found when it and each of its
    prefixes are entries), so the entries that are substrings of the texts and of `words` (whose
    frequencies `add_word` derives by cutting them), with their prefixes and the dictionary's
    total, give the same cuts. Other texts are cut as if their unknown words were new.
    """
    return _tokenizer_for(tuple(texts), words)


@functools.lru_cache(maxsize=128)
def _tokenizer_for(texts: tuple[str, ...], words: tuple[str, ...]) -> Cutter:
    wanted: set[str] = set()
    for text in (*texts, *words):
        wanted.update(text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + MAX_WORD) + 1))
    index = _index()
    found = index.lookup(wanted)
    freq: dict[str, int] = dict(found)
    for word in found:
        for end in range(1, len(word)):
            freq.setdefault(word[:end], 0)
    built = Cutter(freq, index.total, index.hmm({char for text in texts for char in text}))
    for word in words:
        built.add_word(word)
    return built


# jieba 0.42's accurate mode, as its Tokenizer.cut does it: text runs of these characters are cut
# by the dictionary (the route of greatest probability through the words found at each place), the
# rest split at white space and otherwise into characters; with HMM, a run of single characters
# that is no word is cut again by the BMES model (finalseg), over runs of Han characters only.
_RUN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
_SPACE = re.compile("(\r\n|\\s)")
_LATIN = re.compile("[a-zA-Z0-9]")
_HAN = re.compile("([\u4E00-\u9FD5]+)")
_NOT_HAN = re.compile("([a-zA-Z0-9]+(?:\\.\\d+)?%?)")
_UNSEEN = -3.14e100  # the log probability of an emission or transition the model has none of
_BEFORE = {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}


class Cutter:
    """Cuts as a jieba Tokenizer with `freq` (and `total`) as its dictionary would, without importing
    jieba: that import (its HMM tables are Python source) is ~45 ms of a render. `hmm` is the
    BMES model (start, transitions, emissions of the characters that will be cut)."""

    def __init__(self, freq: dict[str, int], total: int, hmm: tuple[dict, dict, dict]) -> None:
        self.FREQ, self.total = freq, total  # jieba's names: the tests compare the two
        self.start, self.trans, self.emit = hmm

    def add_word(self, word: str) -> None:
        """jieba's add_word with its suggested frequency: enough for `word` to be cut out whole."""
        product: float = 1
        for part in self.cut(word, HMM=False):
            product *= self.FREQ.get(part, 1) / float(self.total)
        freq = max(int(product * self.total) + 1, self.FREQ.get(word, 1))
        self.FREQ[word] = freq
        self.total += freq
        for end in range(1, len(word) + 1):
            self.FREQ.setdefault(word[:end], 0)

    def cut(self, sentence: str, HMM: bool = True) -> Iterator[str]:  # noqa: N803 - jieba's keyword
        for block in _RUN.split(sentence):
            if not block:
                continue
            if _RUN.match(block):
                yield from self._with_hmm(block) if HMM else self._plain(block)
                continue
            for part in _SPACE.split(block):
                if _SPACE.match(part):
                    yield part
                else:
                    yield from part

    def _route(self, sentence: str) -> list[int]:
        """For each place, where the best word starting there ends (exclusive)."""
        n, freq = len(sentence), self.FREQ
        ends: list[list[int]] = []
        for k in range(n):
            found, i, fragment = [], k, sentence[k]
            while i < n and fragment in freq:
                if freq[fragment]:
                    found.append(i)
                i += 1
                fragment = sentence[k:i + 1]
            ends.append(found or [k])
        route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        log_total = math.log(self.total)
        for k in range(n - 1, -1, -1):  # the same sums in the same order as jieba: ties fall alike
            route[k] = max((math.log(freq.get(sentence[k:x + 1]) or 1) - log_total + route[x + 1][0], x)
                           for x in ends[k])
        return [end + 1 for _, end in route[:n]]

    def _plain(self, sentence: str) -> Iterator[str]:
        route, x, latin = self._route(sentence), 0, ""
        while x < len(sentence):
            word = sentence[x:route[x]]
            x = route[x]
            if len(word) == 1 and _LATIN.match(word):  # single letters and digits run together
                latin += word
                continue
            if latin:
                yield latin
                latin = ""
            yield word
        if latin:
            yield latin

    def _with_hmm(self, sentence: str) -> Iterator[str]:
        route, x, single = self._route(sentence), 0, ""
        while x < len(sentence):
            word = sentence[x:route[x]]
            x = route[x]
            if len(word) == 1:
                single += word
                continue
            if single:
                yield from self._unknown(single)
                single = ""
            yield word
        if single:
            yield from self._unknown(single)

    def _unknown(self, run: str) -> Iterator[str]:
        if len(run) == 1 or self.FREQ.get(run):
            yield from run
            return
        for block in _HAN.split(run):
            if _HAN.match(block):
                yield from self._viterbi(block)
            else:
                yield from (part for part in _NOT_HAN.split(block) if part)

    def _viterbi(self, text: str) -> Iterator[str]:
        emit, trans = self.emit, self.trans
        score = {y: self.start[y] + emit[y].get(text[0], _UNSEEN) for y in "BMES"}
        path = {y: [y] for y in "BMES"}
        for char in text[1:]:
            scores, paths = {}, {}
            for y in "BMES":
                e = emit[y].get(char, _UNSEEN)
                best, before = max([(score[y0] + trans[y0].get(y, _UNSEEN) + e, y0) for y0 in _BEFORE[y]])
                scores[y], paths[y] = best, path[before] + [y]
            score, path = scores, paths
        _, last = max((score[y], y) for y in "ES")
        begin = done = 0
        for i, tag in enumerate(path[last]):
            if tag == "B":
                begin = i
            elif tag == "E":
                yield text[begin:i + 1]
                done = i + 1
            elif tag == "S":
                yield text[i]
                done = i + 1
        if done < len(text):
            yield text[done:]


MAX_WORD = 32  # characters; jieba's longest word has 16
INDEX_FORMAT = 2  # 2: with the HMM tables


class _Index:
    """jieba's dictionary and HMM tables as a table on disk (built once per machine in the user cache
    directory, an index lookup per title), else jieba's own files read once per process."""

    def __init__(self, folder: str) -> None:
        from reporttool import usercache

        self.path = os.path.join(folder, "dict.txt")
        info = os.stat(self.path)
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
                    total, model = db.execute("SELECT total, model FROM meta").fetchone()
                    self.start, self.trans = json.loads(model)
                    self.db = db
                    return int(total)
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

    @functools.cached_property
    def _model(self) -> tuple[dict, dict, dict]:
        """jieba's BMES tables (start, transitions, emissions), from its modules (~45 ms to import)."""
        _import_jieba()
        from jieba.finalseg import emit_P, start_P, trans_P

        return start_P, trans_P, emit_P

    def _build(self) -> bool:
        """Write the table beside its place and rename it there: readers never see half of one."""
        import sqlite3
        import tempfile

        assert self.table is not None
        entries, total = self._read()
        start, trans, emit = self._model
        chars = sorted({char for table in emit.values() for char in table})
        try:
            os.makedirs(os.path.dirname(self.table), exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".jieba-", suffix=".tmp", dir=os.path.dirname(self.table))
            os.close(handle)
            try:
                db = sqlite3.connect(temp)
                with db:
                    db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, count INTEGER) WITHOUT ROWID")
                    db.execute("CREATE TABLE emit (char TEXT PRIMARY KEY, b REAL, m REAL, e REAL, s REAL) "
                               "WITHOUT ROWID")
                    db.execute("CREATE TABLE meta (total INTEGER, model TEXT)")
                    db.executemany("INSERT INTO words VALUES (?, ?)", entries.items())
                    db.executemany("INSERT INTO emit VALUES (?, ?, ?, ?, ?)",
                                   ((char, *(emit[y].get(char) for y in "BMES")) for char in chars))
                    db.execute("INSERT INTO meta VALUES (?, ?)", (total, json.dumps([start, trans])))
                db.close()
                os.replace(temp, self.table)
            finally:
                if os.path.exists(temp):
                    os.remove(temp)
        except (sqlite3.Error, OSError):  # a read-only or full cache directory: read the text instead
            self.entries = entries
            return False
        return True

    def _select(self, sql: str, keys: set[str]) -> list[tuple]:
        rows: list[tuple] = []
        items = sorted(keys)
        with _lock:  # one connection, shared by threads (the language server's checking thread)
            for start in range(0, len(items), 500):
                chunk = items[start:start + 500]
                rows += self.db.execute(sql.format(",".join("?" * len(chunk))), chunk)
        return rows

    def lookup(self, wanted: set[str]) -> dict[str, int]:
        if self.db is None:
            return {word: self.entries[word] for word in wanted if word in self.entries}
        return {word: count for word, count in self._select("SELECT word, count FROM words WHERE word IN ({})",
                                                             wanted)}

    def hmm(self, chars: set[str]) -> tuple[dict, dict, dict]:
        """The BMES model with the emissions of `chars` (all that a cut of text made of them looks up)."""
        if self.db is None:
            return self._model
        emit: dict[str, dict[str, float]] = {y: {} for y in "BMES"}
        for char, *probabilities in self._select("SELECT char, b, m, e, s FROM emit WHERE char IN ({})", chars):
            for y, probability in zip("BMES", probabilities):
                if probability is not None:
                    emit[y][char] = probability
        return self.start, self.trans, emit


@functools.cache
def _index() -> _Index:
    """jieba's data files, found without importing it (that import is what the index saves)."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    return _Index(list(spec.submodule_search_locations)[0])
