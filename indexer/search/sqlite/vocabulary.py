"""The indexed words, for typo tolerance.

FTS5 matches whole terms only, so a misspelt word is corrected here first: the words of
the index within one edit (words of 5+ letters) or two (9+ letters) of the query word,
found with rapidfuzz over words of nearby lengths. A transposition counts as one edit.
"""

from __future__ import annotations

from collections import defaultdict

from rapidfuzz import process
from rapidfuzz.distance import OSA

ONE_TYPO_LENGTH = 5
TWO_TYPOS_LENGTH = 9
MAX_VARIANTS = 8


def allowed_typos(word: str) -> int:
    if len(word) >= TWO_TYPOS_LENGTH:
        return 2
    return 1 if len(word) >= ONE_TYPO_LENGTH else 0


class Vocabulary:
    def __init__(self, words: dict[str, set[str]]) -> None:
        self._words = words  # folded word -> its stems in the languages it occurs in
        self._stems = {stem for stems in words.values() for stem in stems}
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in words:
            by_length[len(word)].append(word)
        self._by_length = dict(by_length)

    def knows(self, word: str, stems: set[str]) -> bool:
        return word in self._words or not stems.isdisjoint(self._stems)

    def stems_of(self, word: str) -> set[str]:
        return self._words.get(word, set())

    def typo_variants(self, word: str) -> list[str]:
        typos = allowed_typos(word)
        if not typos:
            return []
        found: list[tuple[int, str]] = []
        for length in range(len(word) - typos, len(word) + typos + 1):
            candidates = self._by_length.get(length)
            if not candidates:
                continue
            for candidate, distance, _ in process.extract(
                word, candidates, scorer=OSA.distance, score_cutoff=typos, limit=MAX_VARIANTS
            ):
                found.append((int(distance), candidate))
        return [candidate for _, candidate in sorted(found)[:MAX_VARIANTS]]
