"""User text to an FTS5 MATCH expression, with the terms to highlight.

No user input reaches MATCH as syntax: words come from `indexer.words.tokens` (letters
and digits only) and every term is double-quoted. Each query word becomes an OR-group
of its stems in both languages, its typo variants (when the word itself is not in the
index), a prefix when it is the last word, and the taxonomy synonyms of any phrase it
starts; the groups are joined by AND.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.search.sqlite.analysis import Analyzer
from indexer.search.sqlite.vocabulary import Vocabulary

MAX_WORDS = 10
MIN_PREFIX = 3
MAX_SYNONYM_WORDS = 4


@dataclass
class Terms:
    """What a query matches, for highlighting: stems, and prefixes of folded words."""

    stems: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)


@dataclass
class Compiled:
    match: str  # the MATCH expression
    terms: Terms


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def compile_query(
    words: list[str],
    last_is_prefix: bool,
    analyzer: Analyzer,
    vocabulary: Vocabulary,
    synonyms: dict[str, list[str]],
) -> Compiled:
    """Compile folded query words (see `indexer.words.tokens`)."""
    terms = Terms()
    groups: list[str] = []
    position = 0
    while position < len(words):
        length, alternatives = _synonym_phrase(words, position, synonyms)
        is_last = position + length == len(words)
        options: list[str] = []
        if length == 1:
            options.extend(
                _word_options(
                    words[position], is_last and last_is_prefix, analyzer, vocabulary, terms
                )
            )
        else:
            options.append(_phrase(words[position : position + length], analyzer, terms))
        for alternative in alternatives:
            options.append(_phrase(alternative.split(" "), analyzer, terms))
        groups.append("(" + " OR ".join(dict.fromkeys(options)) + ")")
        position += length
    return Compiled(" AND ".join(groups), terms)


def _synonym_phrase(
    words: list[str], start: int, synonyms: dict[str, list[str]]
) -> tuple[int, list[str]]:
    """The longest phrase starting at `start` that has synonyms, and those synonyms."""
    for length in range(min(MAX_SYNONYM_WORDS, len(words) - start), 0, -1):
        alternatives = synonyms.get(" ".join(words[start : start + length]))
        if alternatives:
            return length, alternatives
    return 1, []


def _word_options(
    word: str, prefix: bool, analyzer: Analyzer, vocabulary: Vocabulary, terms: Terms
) -> list[str]:
    stems = analyzer.stems(word)
    options = [_quote(stem) for stem in sorted(stems)]
    terms.stems.update(stems)
    if prefix and len(word) >= MIN_PREFIX:
        for start in sorted({word, *stems}):
            options.append(_quote(start) + "*")
            terms.prefixes.add(start)
    if not vocabulary.knows(word, stems):
        for variant in vocabulary.typo_variants(word):
            variant_stems = vocabulary.stems_of(variant)
            terms.stems.update(variant_stems)
            options.extend(_quote(stem) for stem in sorted(variant_stems))
    return options


def _phrase(words: list[str], analyzer: Analyzer, terms: Terms) -> str:
    """A multi-word synonym as an FTS5 phrase, once per language's stems."""
    options = []
    for language in ("en", "fr"):
        stems = tuple(analyzer.stem(word, language) for word in words)
        options.append(_quote(" ".join(stems)))
        terms.stems.update(stems)
    return " OR ".join(dict.fromkeys(options))
