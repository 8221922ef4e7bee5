"""User text to an FTS5 MATCH expression, with the terms to highlight.

No user input reaches MATCH as syntax: words come from `indexer.words.tokens` (letters
and digits only) and every term is double-quoted. Each query word becomes an OR-group
of its stems in both languages (or, for the last word, their prefixes), its typo
variants (when the word itself is not in the index), and the synonym-group tokens of any
taxonomy phrase it starts (see `thesaurus`); the groups are joined by AND.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.search.sqlite.analysis import STEMMERS, Analyzer
from indexer.search.sqlite.thesaurus import Thesaurus
from indexer.search.sqlite.vocabulary import Vocabulary

MAX_WORDS = 10
MIN_PREFIX = 3


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
    thesaurus: Thesaurus,
) -> Compiled:
    """Compile folded query words (see `indexer.words.tokens`)."""
    terms = Terms()
    groups: list[str] = []
    position = 0
    while position < len(words):
        length, synonym_groups = thesaurus.query_groups(words, position)
        length = max(length, 1)
        is_last = position + length == len(words)
        options: list[str] = []
        if length == 1:
            options.extend(
                _word_options(
                    words[position], is_last and last_is_prefix, analyzer, vocabulary, terms
                )
            )
        else:
            options.extend(_phrase(words[position : position + length], analyzer, terms))
        for group in sorted(synonym_groups):
            options.append(_quote(thesaurus.token(group)))
            terms.stems.update(thesaurus.group_stems[group])
        groups.append("(" + " OR ".join(dict.fromkeys(options)) + ")")
        position += length
    return Compiled(" AND ".join(groups), terms)


def _word_options(
    word: str, prefix: bool, analyzer: Analyzer, vocabulary: Vocabulary, terms: Terms
) -> list[str]:
    stems = analyzer.stems(word)
    terms.stems.update(stems)
    options = [_quote(stem) for stem in sorted(stems)]
    if prefix and len(word) >= MIN_PREFIX:
        # The word as typed, as a prefix of indexed stems: "mento" finds "mentor".
        terms.prefixes.add(word)
        options.append(_quote(word) + "*")
    if not vocabulary.knows(word, stems):
        for variant in vocabulary.typo_variants(word):
            variant_stems = vocabulary.stems_of(variant)
            terms.stems.update(variant_stems)
            options.extend(_quote(stem) for stem in sorted(variant_stems))
    return options


def _phrase(words: list[str], analyzer: Analyzer, terms: Terms) -> list[str]:
    """A multi-word phrase as FTS5 phrases, once per language's stems."""
    options = []
    for language in STEMMERS:
        stems = analyzer.stem_all(words, language)
        options.append(_quote(" ".join(stems)))
        terms.stems.update(stems)
    return options
