"""Title segmentation from a few dictionary entries cuts exactly as jieba with its whole dictionary.

Rendering reads only the entries a title needs (a full load is most of a render's time), so this is
the guarantee that the short cut changes no title break: real titles, every sentence of the corpus
fixtures and the import fixtures, in both of jieba's modes, with and without the domain words.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from reporttool.model import segment
from reporttool.render.title import DOMAIN_WORDS
from test_title import TITLES


def sentences() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "tests" / "fixtures").glob("*"))
             if path.suffix in (".yaml", ".txt")]
    found = {part.strip() for text in texts for part in re.split(r"[。；！？\n]", text)}
    return sorted(part for part in found if 4 <= len(part) <= 80)


@pytest.mark.parametrize("words", [DOMAIN_WORDS, ()], ids=["domain words", "none"])
def test_a_tokenizer_of_the_needed_entries_cuts_as_the_full_dictionary(words):
    full = segment.tokenizer(words)
    for text in TITLES:  # one title at a time, as rendering asks
        few = segment.tokenizer_for([text], words)
        assert len(few.FREQ) < len(full.FREQ) // 100  # it really is a short cut
        for hmm in (False, True):
            assert list(few.cut(text, HMM=hmm)) == list(full.cut(text, HMM=hmm)), (text, hmm)
        assert few.total == full.total
    texts = sentences()
    assert len(texts) > 300
    many = segment.tokenizer_for(texts, words)  # many texts at once: the same contract
    for text in texts:
        for hmm in (False, True):
            assert list(many.cut(text, HMM=hmm)) == list(full.cut(text, HMM=hmm)), (text, hmm)


def fresh_index():
    segment._index.cache_clear()
    segment._tokenizer_for.cache_clear()


def test_the_dictionary_table_is_built_once_and_a_damaged_one_rebuilt(own_cache):
    fresh_index()
    title = TITLES[0]
    expected = list(segment.tokenizer(DOMAIN_WORDS).cut(title))
    assert list(segment.tokenizer_for([title], DOMAIN_WORDS).cut(title)) == expected
    tables = list(own_cache.glob("jieba-*.sqlite"))
    assert len(tables) == 1 and segment._index().db is not None
    assert not [p for p in own_cache.iterdir() if p.suffix == ".tmp"]  # the build's temporary file is gone
    built = tables[0].stat().st_mtime_ns
    fresh_index()
    segment.tokenizer_for([title], DOMAIN_WORDS)
    assert tables[0].stat().st_mtime_ns == built  # read, not rebuilt
    tables[0].write_bytes(b"not a database")
    fresh_index()
    assert list(segment.tokenizer_for([title], DOMAIN_WORDS).cut(title)) == expected
    assert tables[0].read_bytes().startswith(b"SQLite format 3")


def test_without_a_cache_directory_the_dictionary_text_is_read(own_cache, monkeypatch):
    monkeypatch.setenv("REPORTTOOL_NO_CACHE", "1")
    fresh_index()
    try:
        full = segment.tokenizer(DOMAIN_WORDS)
        for text in TITLES:
            few = segment.tokenizer_for([text], DOMAIN_WORDS)
            assert list(few.cut(text)) == list(full.cut(text))
        assert segment._index().db is None and not list(own_cache.iterdir())
    finally:
        monkeypatch.delenv("REPORTTOOL_NO_CACHE")
        fresh_index()


def test_a_title_is_cut_without_importing_jieba_once_the_index_exists(own_cache):
    """jieba's import (its HMM tables are Python source, ~45 ms) is no part of a render: the index
    holds the emissions too. The first process builds the index (importing jieba once); the next
    breaks a long title with both modes and never imports it."""
    import subprocess
    import sys

    code = ("import sys; from reporttool.render.title import break_title; "
            f"lines = break_title({TITLES[0]!r}, 20); print('jieba' in sys.modules, len(lines) >= 2)")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert first.stdout.split()[1] == "True", first.stderr
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert again.stdout.split() == ["False", "True"], again.stderr
