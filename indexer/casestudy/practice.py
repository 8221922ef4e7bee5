"""A practice as the knowledge base holds it: the case study plus what is derived from it."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.casestudy.schema import CaseStudy
from indexer.casestudy.tagger import Source, Tag


@dataclass(frozen=True)
class Practice:
    case_study: CaseStudy
    html: str  # the body rendered and sanitised
    text: str  # the body as plain text
    sections: dict[str, str]  # named section id -> plain text
    tags: tuple[Tag, ...]

    @property
    def slug(self) -> str:
        return self.case_study.slug

    def terms(self, vocabulary: str, source: Source | None = None) -> list[str]:
        """Tag ids of one vocabulary ("sectors" or "factors"), author's first."""
        return [
            tag.term
            for tag in self.tags
            if tag.vocabulary == vocabulary and (source is None or tag.source == source)
        ]

    @property
    def sectors(self) -> list[str]:
        return self.terms("sectors")

    @property
    def factors(self) -> list[str]:
        return self.terms("factors")
