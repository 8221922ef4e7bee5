"""The vocabularies of SPEC section 5, loaded from `content/taxonomy.yaml`.

The taxonomy is data so that editors extend it without touching Python. Ids are stable;
labels, definitions and synonyms come in English and French.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from indexer.casestudy.words import fold

DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parents[2] / "content" / "taxonomy.yaml"

# Vocabulary names as the front matter and the search filters call them.
FIELD_VOCABULARY = {
    "province": "province",
    "community_size": "community_size",
    "sectors": "sectors",
    "themes": "themes",
    "populations": "populations",
    "transferability.factors": "factors",
    "evidence": "evidence",
    "cost": "cost",
    "status": "status",
    "language": "language",
}


class Bilingual(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    en: str
    fr: str

    def get(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


class Synonyms(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    en: list[str] = Field(default_factory=list)
    fr: list[str] = Field(default_factory=list)


class Group(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    label: Bilingual
    question: Bilingual | None = None


class Term(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    label: Bilingual
    definition: Bilingual
    synonyms: Synonyms = Synonyms()
    group: str | None = None

    def phrases(self) -> list[str]:
        """Every way of saying this term: labels and synonyms in both languages."""
        seen: dict[str, None] = {}
        for phrase in [self.label.en, self.label.fr, *self.synonyms.en, *self.synonyms.fr]:
            seen.setdefault(phrase, None)
        return list(seen)


class Vocabulary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    label: Bilingual
    terms: list[Term]
    groups: list[Group] = Field(default_factory=list)

    @cached_property
    def ids(self) -> list[str]:
        return [term.id for term in self.terms]

    def term(self, term_id: str) -> Term | None:
        return next((t for t in self.terms if t.id == term_id), None)

    def suggest(self, value: str, limit: int = 3) -> list[str]:
        """The closest valid ids to a bad value, for "did you mean" messages."""
        folded = {fold(term_id): term_id for term_id in self.ids}
        for term in self.terms:  # a label typed instead of the id ("Health", "Santé")
            for label in (term.label.en, term.label.fr):
                folded.setdefault(fold(label), term.id)
        matches = process.extract(
            fold(value), list(folded), scorer=Levenshtein.normalized_distance, limit=limit * 2
        )
        out: list[str] = []
        for candidate, distance, _ in sorted(matches, key=lambda m: m[1]):
            if distance <= 0.5 and folded[candidate] not in out:
                out.append(folded[candidate])
        return out[:limit]


class Taxonomy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    vocabularies: dict[str, Vocabulary]

    def vocabulary(self, name: str) -> Vocabulary:
        return self.vocabularies[name]

    @cached_property
    def fingerprint(self) -> str:
        """The version plus a hash of the content, so that an edit without a version bump
        is noticed too (comments and layout of the file do not count)."""
        digest = hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()
        return f"v{self.version}-{digest[:16]}"

    @classmethod
    def load(cls, path: Path = DEFAULT_TAXONOMY_PATH) -> Taxonomy:
        with path.open(encoding="utf-8") as handle:
            return cls.model_validate(yaml.safe_load(handle))
