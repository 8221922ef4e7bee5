"""Words to index terms for the embedded engine: folded, then stemmed by language.

The FTS5 table holds stems (English documents stemmed in English, French in French),
so "mentors" and "mentoring" meet at "mentor" and "mentorats" and "mentorat" at
"mentorat". Queries are stemmed in both languages, since a query's language is unknown.
"""

from __future__ import annotations

import re
import threading

import Stemmer

from indexer.words import fold, tokens

STEMMERS = {"en": "english", "fr": "french"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CACHE_LIMIT = 200_000


class Analyzer:
    """Stems words with a cache; one instance is shared by an engine's threads."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._cache: dict[tuple[str, str], str] = {}

    def _stemmer(self, language: str) -> Stemmer.Stemmer:
        stemmers = getattr(self._local, "stemmers", None)
        if stemmers is None:
            stemmers = {lang: Stemmer.Stemmer(name) for lang, name in STEMMERS.items()}
            self._local.stemmers = stemmers
        return stemmers[language if language in stemmers else "en"]

    def stem(self, word: str, language: str) -> str:
        """The stem of an already folded word."""
        key = (word, language)
        stem = self._cache.get(key)
        if stem is None:
            stem = self._stemmer(language).stemWord(word) if len(word) > 2 else word
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = stem
        return stem

    def index_text(self, text: str, language: str) -> str:
        """The text as the FTS5 column stores it: stems separated by spaces."""
        return " ".join(self.stem(word, language) for word in tokens(text))

    def stems(self, word: str) -> set[str]:
        """A folded query word's stems in every language."""
        return {self.stem(word, language) for language in STEMMERS}

    def spans(self, text: str, language: str) -> list[tuple[int, int, str, str]]:
        """(start, end, folded word, stem) of each word of `text`, for highlighting."""
        out = []
        for match in _WORD.finditer(text):
            word = fold(match.group())
            out.append((match.start(), match.end(), word, self.stem(word, language)))
        return out


def vocabulary_words(text: str) -> set[str]:
    """Distinct folded words of a text: the typo-tolerance vocabulary."""
    return set(tokens(text))
