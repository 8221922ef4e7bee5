"""Words to index terms for the embedded engine: folded, then stemmed by language.

The FTS5 table holds stems (English documents stemmed in English, French in French),
so "mentors" and "mentoring" meet at "mentor" and "mentorats" and "mentorat" at
"mentorat". Queries are stemmed in both languages, since a query's language is unknown.
Stemming runs in PyStemmer's C code, which keeps its own cache of recent words.
"""

from __future__ import annotations

import threading

import Stemmer

from indexer.casestudy.words import fold, iter_token_spans, tokens

STEMMERS = {"en": "english", "fr": "french"}


class Analyzer:
    """Stems words; one instance is shared by an engine's threads (stemmers are per thread)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _stemmer(self, language: str) -> Stemmer.Stemmer:
        stemmers = getattr(self._local, "stemmers", None)
        if stemmers is None:
            stemmers = {lang: Stemmer.Stemmer(name) for lang, name in STEMMERS.items()}
            self._local.stemmers = stemmers
        return stemmers[language if language in stemmers else "en"]

    def stem(self, word: str, language: str) -> str:
        """The stem of an already folded word."""
        stem: str = self._stemmer(language).stemWord(word)
        return stem

    def stem_all(self, words: list[str], language: str) -> list[str]:
        stems: list[str] = self._stemmer(language).stemWords(words)
        return stems

    def index_text(self, text: str, language: str) -> str:
        """The text as the FTS5 column stores it: stems separated by spaces."""
        return " ".join(self.stem_all(tokens(text), language))

    def stems(self, word: str) -> set[str]:
        """A folded query word's stems in every language."""
        return {self.stem(word, language) for language in STEMMERS}

    def spans(self, text: str, language: str) -> list[tuple[int, int, str, str]]:
        """(start, end, folded word, stem) of each word of `text`, for highlighting."""
        spans = list(iter_token_spans(text))
        words = [fold(text[start:end]) for start, end in spans]
        stems = self.stem_all(words, language)
        return [(s, e, w, st) for (s, e), w, st in zip(spans, words, stems, strict=True)]
