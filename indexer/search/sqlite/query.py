"""User text to FTS5 MATCH expressions, one per meaningful query word, with the terms to
highlight.

No user input reaches MATCH as syntax: words come from `indexer.casestudy.words.tokens` (letters
and digits only) and every term is double-quoted. Each meaningful query word becomes a
`Group`: an OR of its stems in both languages (or, for the last word, their prefixes)
and its typo variants (when the word itself is not in the index), its `direct` match,
plus the synonym-group tokens of any taxonomy phrase it starts (see `thesaurus`); a
phrase of the taxonomy is one group covering its words. Stop words (`stopwords`) make no
group of their own. No group is required: the engine ranks documents by how many query
words their groups cover, then by directness, then by bm25.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.search.sqlite.analysis import STEMMERS, Analyzer
from indexer.search.sqlite.thesaurus import Thesaurus
from indexer.search.sqlite.vocabulary import Vocabulary
from indexer.search.stopwords import ignored

MAX_WORDS = 10
MIN_PREFIX = 3


@dataclass
class Terms:
    """What a query matches, for highlighting: stems, prefixes of folded words, phrases
    (as stems in a row), and the stop words never to mark."""

    stems: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    ignored: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Group:
    words: tuple[str, ...]  # the query words it stands for
    weight: int  # how many meaningful words it covers
    direct: str  # MATCH expression of the words themselves (forms, prefix, typos)
    match: str  # `direct` or any synonym of them


@dataclass
class Compiled:
    groups: list[Group]
    terms: Terms

    @property
    def match(self) -> str:
        """Documents matching any group."""
        return " OR ".join(group.match for group in self.groups)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _any(options: list[str]) -> str:
    return "(" + " OR ".join(dict.fromkeys(options)) + ")"


def compile_query(
    words: list[str],
    last_is_prefix: bool,
    analyzer: Analyzer,
    vocabulary: Vocabulary,
    thesaurus: Thesaurus,
) -> Compiled:
    """Compile folded query words (see `indexer.casestudy.words.tokens`)."""
    stop = ignored(words)
    terms = Terms(ignored=stop)
    groups: list[Group] = []
    position = 0
    while position < len(words):
        length, synonym_groups = thesaurus.query_groups(words, position)
        if not length and words[position] in stop:
            position += 1
            continue
        length = max(length, 1)
        covered = words[position : position + length]
        is_last = position + length == len(words)
        if length == 1:
            direct = _word_options(
                covered[0], is_last and last_is_prefix, analyzer, vocabulary, terms
            )
        else:
            direct = _phrase(covered, analyzer, terms)
        synonyms = []
        for group in sorted(synonym_groups):
            synonyms.append(_quote(thesaurus.token(group)))
            stems, phrases = thesaurus.group_terms[group]
            terms.stems.update(stems)
            terms.phrases.update(phrases)
        weight = max(1, sum(word not in stop for word in covered))
        groups.append(Group(tuple(covered), weight, _any(direct), _any(direct + synonyms)))
        position += length
    return Compiled(groups, terms)


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
        terms.phrases.add(tuple(stems))
    return options
