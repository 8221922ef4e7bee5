"""Sectors and transferability factors: the author's, plus those the text clearly implies.

A tag the author gave has source `author`. A tag the text implies has source `inferred`
and keeps the phrases that triggered it, so that a moderator can see why. Inference is
built for precision: a term's labels and synonyms (in both languages, accents and case
ignored) must appear in the title or summary, or at least three times in the body.
`tests/indexer/test_tagger.py` measures precision and recall on the seed corpus.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from indexer.casestudy.schema import CaseStudy
from indexer.casestudy.taxonomy import Taxonomy
from indexer.casestudy.words import tokens

TAGGED_VOCABULARIES = ("sectors", "factors")
Source = Literal["author", "inferred"]

# Weight of one phrase occurrence by where it stands; a tag is inferred at THRESHOLD.
TITLE_WEIGHT = 3
SUMMARY_WEIGHT = 3
BODY_WEIGHT = 1
THRESHOLD = 3
MAX_EVIDENCE = 5


@dataclass(frozen=True)
class Tag:
    vocabulary: str  # "sectors" or "factors"
    term: str
    source: Source
    evidence: tuple[str, ...] = ()  # the phrases that triggered an inferred tag


@dataclass
class _Hits:
    score: int = 0
    phrases: dict[str, None] = field(default_factory=dict)


@dataclass
class _Vocabulary:
    """One vocabulary's phrases: words -> (term, the phrase as written); first word ->
    the phrase lengths that start with it, longest first."""

    phrases: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    lengths: dict[str, list[int]] = field(default_factory=dict)


class Tagger:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self._vocabularies: dict[str, _Vocabulary] = {}
        for name in TAGGED_VOCABULARIES:
            vocabulary = _Vocabulary()
            lengths: dict[str, set[int]] = defaultdict(set)
            for term in taxonomy.vocabulary(name).terms:
                for phrase in term.phrases():
                    words = tuple(tokens(phrase))
                    if words:
                        vocabulary.phrases.setdefault(words, (term.id, phrase))
                        lengths[words[0]].add(len(words))
            vocabulary.lengths = {w: sorted(n, reverse=True) for w, n in lengths.items()}
            self._vocabularies[name] = vocabulary

    def tag(self, case_study: CaseStudy, body_text: str) -> list[Tag]:
        author = {"sectors": case_study.sectors, "factors": case_study.factors}
        tags = [Tag(v, term, "author") for v in TAGGED_VOCABULARIES for term in author[v]]
        texts = self._texts(case_study.title, case_study.summary, body_text)
        for vocabulary in TAGGED_VOCABULARIES:
            hits = self._scan(vocabulary, texts)
            for term, found in sorted(hits.items()):
                if term in author[vocabulary] or not self._clear(found):
                    continue
                evidence = tuple(list(found.phrases)[:MAX_EVIDENCE])
                tags.append(Tag(vocabulary, term, "inferred", evidence))
        return tags

    def infer(self, vocabulary: str, title: str, summary: str, body_text: str) -> set[str]:
        """The terms the text alone implies (what `tag` would add with no author tags)."""
        hits = self._scan(vocabulary, self._texts(title, summary, body_text))
        return {term for term, found in hits.items() if self._clear(found)}

    @staticmethod
    def _clear(found: _Hits) -> bool:
        return found.score >= THRESHOLD

    @staticmethod
    def _texts(title: str, summary: str, body: str) -> list[tuple[list[str], int]]:
        """Each text's words with the weight of a mention there (tokenised once)."""
        return [
            (tokens(title), TITLE_WEIGHT),
            (tokens(summary), SUMMARY_WEIGHT),
            (tokens(body), BODY_WEIGHT),
        ]

    def _scan(self, name: str, texts: list[tuple[list[str], int]]) -> dict[str, _Hits]:
        hits: dict[str, _Hits] = defaultdict(_Hits)
        vocabulary = self._vocabularies[name]
        for words, weight in texts:
            resume = 0  # a matched phrase's words are not matched again
            for position in [i for i, word in enumerate(words) if word in vocabulary.lengths]:
                if position < resume:
                    continue
                for length in vocabulary.lengths[words[position]]:
                    match = vocabulary.phrases.get(tuple(words[position : position + length]))
                    if match:
                        term, phrase = match
                        hits[term].score += weight
                        hits[term].phrases.setdefault(phrase, None)
                        resume = position + length
                        break
        return dict(hits)
