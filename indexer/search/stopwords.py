"""English and French stop words, shared by every engine (the list is `stopwords.txt`).

A query's stop words are never required, never highlighted and never counted among the
words a document matches; they still take part in a synonym phrase that holds one. A
query made of stop words only ("the who") is searched word for word, as if none were.
"""

from __future__ import annotations

import string
from pathlib import Path

from indexer.casestudy.words import fold

STOP_WORDS_FILE = Path(__file__).with_name("stopwords.txt")


def _load() -> tuple[str, ...]:
    words = (line.strip() for line in STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines())
    listed = [word for word in words if word and not word.startswith("#")]
    return tuple(dict.fromkeys([*listed, *string.ascii_lowercase]))


STOP_WORDS_AS_WRITTEN: tuple[str, ...] = _load()
STOP_WORDS: frozenset[str] = frozenset(fold(word) for word in STOP_WORDS_AS_WRITTEN)


def meaningful(words: list[str]) -> list[str]:
    """The folded query words that count: all of them when every one is a stop word."""
    kept = [word for word in words if word not in STOP_WORDS]
    return kept or words


def ignored(words: list[str]) -> frozenset[str]:
    """The stop words a query of these folded words ignores (none if it has only those)."""
    return STOP_WORDS if any(word not in STOP_WORDS for word in words) else frozenset()
