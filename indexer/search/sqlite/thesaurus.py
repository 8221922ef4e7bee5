"""Taxonomy synonyms as index terms: synonyms cost one term lookup at query time.

Each synonym group (see `indexer.search.synonyms`) gets a token, `zzsyn<n>`. Where a
document's text contains any phrase of a group (compared as stems, so "hospitals" is
"hospital"), the group's token is added to that column of the index. A query word or
phrase that belongs to a group then also matches the group's token: "newcomer" finds
documents that say "immigrant", and the other way round, at the cost of one term.
"""

from __future__ import annotations

from collections import defaultdict

from indexer.search.sqlite.analysis import STEMMERS, Analyzer
from indexer.words import tokens

GROUP_TERM_PREFIX = "zzsyn"
MAX_PHRASE_WORDS = 5
MIN_HIGHLIGHT_WORD = 4

# language -> first stem -> [(stems of the phrase, group number)], longest phrases first
PhraseIndex = dict[str, dict[str, list[tuple[tuple[str, ...], int]]]]


class Thesaurus:
    def __init__(self, groups: list[list[str]], analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        index: PhraseIndex = {language: defaultdict(list) for language in STEMMERS}
        self.group_stems: list[set[str]] = []
        for number, group in enumerate(groups):
            stems_of_group: set[str] = set()
            for phrase in group:
                words = tokens(phrase)[:MAX_PHRASE_WORDS]
                for language in STEMMERS:
                    stems = tuple(analyzer.stem_all(words, language))
                    if stems:
                        index[language][stems[0]].append((stems, number))
                        # Highlighting: a one-word synonym, or the longer words of a phrase
                        # (not "to" of "how-to guide", nor "a" of "boîte à outils").
                        stems_of_group.update(
                            stem
                            for word, stem in zip(words, stems, strict=True)
                            if len(words) == 1 or len(word) >= MIN_HIGHLIGHT_WORD
                        )
            self.group_stems.append(stems_of_group)
        for by_first in index.values():
            for phrases in by_first.values():
                phrases.sort(key=lambda item: -len(item[0]))
        self._index = {language: dict(by_first) for language, by_first in index.items()}

    @staticmethod
    def token(group: int) -> str:
        return f"{GROUP_TERM_PREFIX}{group}"

    def _match(self, stems: list[str], start: int, language: str) -> tuple[int, set[int]]:
        """The longest phrase at `start`: its length in words and its groups."""
        best_length, groups = 0, set()
        for phrase, group in self._index[language].get(stems[start], ()):
            length = len(phrase)
            if length < best_length:
                break
            if tuple(stems[start : start + length]) == phrase:
                best_length = length
                groups.add(group)
        return best_length, groups

    def document_tokens(self, stems: list[str], language: str) -> list[str]:
        """The group tokens for a column whose text has these stems."""
        found: set[int] = set()
        for start in range(len(stems)):
            found |= self._match(stems, start, language)[1]
        return [self.token(group) for group in sorted(found)]

    def query_groups(self, words: list[str], start: int) -> tuple[int, set[int]]:
        """The longest synonym phrase starting at query word `start`, in either language."""
        best_length, best_groups = 0, set()
        for language in STEMMERS:
            stems = self.analyzer.stem_all(words, language)
            length, groups = self._match(stems, start, language)
            if length > best_length:
                best_length, best_groups = length, groups
            elif length == best_length:
                best_groups |= groups
        return best_length, best_groups
