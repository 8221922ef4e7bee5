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

from indexer.schema import CaseStudy
from indexer.taxonomy import Taxonomy
from indexer.words import tokens

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
class _Phrase:
    words: tuple[str, ...]
    text: str
    term: str


@dataclass
class _Hits:
    score: int = 0
    phrases: dict[str, None] = field(default_factory=dict)


class Tagger:
    def __init__(self, taxonomy: Taxonomy) -> None:
        # vocabulary -> first word -> phrases starting with it, longest first
        self._index: dict[str, dict[str, list[_Phrase]]] = {}
        for vocabulary in TAGGED_VOCABULARIES:
            by_first: dict[str, list[_Phrase]] = defaultdict(list)
            for term in taxonomy.vocabulary(vocabulary).terms:
                for phrase in term.phrases():
                    words = tuple(tokens(phrase))
                    if words:
                        by_first[words[0]].append(_Phrase(words, phrase, term.id))
            for phrases in by_first.values():
                phrases.sort(key=lambda p: -len(p.words))
            self._index[vocabulary] = dict(by_first)

    def tag(self, case_study: CaseStudy, body_text: str) -> list[Tag]:
        author = {"sectors": case_study.sectors, "factors": case_study.factors}
        tags = [Tag(v, term, "author") for v in TAGGED_VOCABULARIES for term in author[v]]
        for vocabulary in TAGGED_VOCABULARIES:
            hits = self._scan(vocabulary, case_study.title, case_study.summary, body_text)
            for term, found in sorted(hits.items()):
                if term in author[vocabulary] or not self._clear(found):
                    continue
                evidence = tuple(list(found.phrases)[:MAX_EVIDENCE])
                tags.append(Tag(vocabulary, term, "inferred", evidence))
        return tags

    def infer(self, vocabulary: str, title: str, summary: str, body_text: str) -> set[str]:
        """The terms the text alone implies (what `tag` would add with no author tags)."""
        hits = self._scan(vocabulary, title, summary, body_text)
        return {term for term, found in hits.items() if self._clear(found)}

    @staticmethod
    def _clear(found: _Hits) -> bool:
        return found.score >= THRESHOLD

    def _scan(self, vocabulary: str, title: str, summary: str, body: str) -> dict[str, _Hits]:
        hits: dict[str, _Hits] = defaultdict(_Hits)
        index = self._index[vocabulary]
        for text, weight in ((title, TITLE_WEIGHT), (summary, SUMMARY_WEIGHT), (body, BODY_WEIGHT)):
            words = tokens(text)
            resume = 0  # a matched phrase's words are not matched again
            for position in [i for i, word in enumerate(words) if word in index]:
                if position < resume:
                    continue
                for phrase in index[words[position]]:
                    end = position + len(phrase.words)
                    if tuple(words[position:end]) == phrase.words:
                        found = hits[phrase.term]
                        found.score += weight
                        found.phrases.setdefault(phrase.text, None)
                        resume = end
                        break
        return dict(hits)
