"""Chinese word segmentation (jieba), loaded only when a step needs it: title breaks, import.

One place builds the tokenizers: jieba's first load costs about a second, so each word list gets
one tokenizer per process, shared by threads.
"""

from __future__ import annotations

import threading
import warnings
from typing import Any

_lock = threading.Lock()
_built: dict[tuple[tuple[str, ...], bool], Any] = {}


def tokenizer(words: tuple[str, ...], *, pos: bool = False) -> Any:
    """A jieba tokenizer that knows `words` (tagged as nouns); with `pos`, one that tags parts of speech."""
    key = (words, pos)
    with _lock:
        if key not in _built:
            import logging

            with warnings.catch_warnings():  # jieba imports pkg_resources, deprecated in new setuptools
                warnings.simplefilter("ignore", DeprecationWarning)
                import jieba
                import jieba.posseg
            jieba.setLogLevel(logging.WARNING)  # its loading chatter is not the writer's business
            base = jieba.Tokenizer()
            base.initialize()
            for word in words:
                base.add_word(word, tag="n")
            _built[key] = jieba.posseg.POSTokenizer(base) if pos else base
        return _built[key]
