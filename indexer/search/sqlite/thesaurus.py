"""Taxonomy synonyms as index terms: synonyms cost one term lookup at query time.

Each synonym group (see `indexer.search.synonyms`) gets a token, `zzsyn<n>`. Where a
document's text contains any phrase of a group (compared as stems, so "hospitals" is
"hospital"), the group's token is added to that column of the index. A query word or
phrase that belongs to a group then also matches the group's token: "newcomer" finds
documents that say "immigrant", and the other way round, at the cost of one term.
"""

from __future__ import annotations

from collections import defaultdict

from indexer.casestudy.words import tokens
from indexer.search.sqlite.analysis import STEMMERS, Analyzer

GROUP_TERM_PREFIX = "zzsyn"
MAX_PHRASE_WORDS = 5


class Thesaurus:
    def __init__(self, groups: list[list[str]], analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        # language -> phrase (as stems) -> its groups; language -> first stem -> lengths
        self._phrases: dict[str, dict[tuple[str, ...], set[int]]] = {
            language: defaultdict(set) for language in STEMMERS
        }
        lengths: dict[str, dict[str, set[int]]] = {
            language: defaultdict(set) for language in STEMMERS
        }
        # Highlighting: per group, its one-word stems and its phrases (stems in a row), so
        # that "young people" is marked where it is said, never "young" or "people" alone.
        self.group_terms: list[tuple[set[str], set[tuple[str, ...]]]] = []
        for number, group in enumerate(groups):
            single: set[str] = set()
            phrases: set[tuple[str, ...]] = set()
            for phrase in group:
                words = tokens(phrase)[:MAX_PHRASE_WORDS]
                for language in STEMMERS:
                    stems = tuple(analyzer.stem_all(words, language))
                    if not stems:
                        continue
                    self._phrases[language][stems].add(number)
                    lengths[language][stems[0]].add(len(stems))
                    if len(stems) == 1:
                        single.add(stems[0])
                    else:
                        phrases.add(stems)
            self.group_terms.append((single, phrases))
        self._lengths = {
            language: {first: sorted(found, reverse=True) for first, found in by_first.items()}
            for language, by_first in lengths.items()
        }

    @staticmethod
    def token(group: int) -> str:
        return f"{GROUP_TERM_PREFIX}{group}"

    def _match(self, stems: list[str], start: int, language: str) -> tuple[int, set[int]]:
        """The longest phrase at `start`: its length in words and its groups."""
        phrases = self._phrases[language]
        for length in self._lengths[language].get(stems[start], ()):
            groups = phrases.get(tuple(stems[start : start + length]))
            if groups:
                return length, groups
        return 0, set()

    def document_tokens(self, stems: list[str], language: str) -> list[str]:
        """The group tokens for a column whose text has these stems."""
        found: set[int] = set()
        firsts = self._lengths[language]
        for start in [i for i, stem in enumerate(stems) if stem in firsts]:
            found |= self._match(stems, start, language)[1]
        return [self.token(group) for group in sorted(found)]

    def query_groups(self, words: list[str], start: int) -> tuple[int, set[int]]:
        """The longest synonym phrase starting at query word `start`, in either language."""
        best_length, best_groups = 0, set()
        for language in STEMMERS:
            stems = self.analyzer.stem_all(words, language)
            length, groups = self._match(stems, start, language)
            if length > best_length:
                best_length, best_groups = length, set(groups)
            elif length and length == best_length:
                best_groups |= groups
        return best_length, best_groups
