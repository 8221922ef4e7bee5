"""What the fit rules' conditions and placeholders read of a practice and a community."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from indexer.casestudy.practice import Practice
from indexer.casestudy.taxonomy import Bilingual, Taxonomy
from indexer.reuse.rules import Condition

if TYPE_CHECKING:
    from indexer.reuse.fit import Profile

LANGUAGES = ("en", "fr")


def _in_sentence(label: str) -> str:
    """A label inside a sentence: "Low" -> "low", "Paid staff" -> "paid staff"; names and
    acronyms ("Ontario" is a province, handled by the caller; "CLIC") keep their case."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


class Facts:
    """What the conditions and placeholders read of a practice and a profile."""

    def __init__(self, practice: Practice, profile: Profile, taxonomy: Taxonomy) -> None:
        self.case_study = practice.case_study
        self.factors = frozenset(practice.factors)
        self.sections = frozenset(name for name, text in practice.sections.items() if text.strip())
        self.profile = profile
        self.taxonomy = taxonomy
        sizes = taxonomy.vocabulary("community_size").ids
        size = self.case_study.community_size
        self.size_order = (
            (sizes.index(size) - sizes.index(profile.community_size)) if size else None
        )

    def holds(self, c: Condition) -> bool:
        cs, p = self.case_study, self.profile
        checks = [
            c.factors is None or not self.factors.isdisjoint(c.factors),
            c.cost is None or cs.cost in c.cost,
            c.evidence is None or cs.evidence in c.evidence,
            c.status is None or cs.status in c.status,
            c.language is None or cs.language in c.language,
            c.province is None or cs.province in c.province,
            c.sections is None or self.sections.issuperset(c.sections),
            c.community_size is None or p.community_size in c.community_size,
            c.resources is None or p.resources.issuperset(c.resources),
            c.partners is None or p.partners.issuperset(c.partners),
            c.francophone_minority is None or p.francophone_minority == c.francophone_minority,
            c.same_province is None or (cs.province == p.province) == c.same_province,
            c.same_size is None or (self.size_order == 0) == c.same_size,
            c.larger_than_yours is None or _sign(self.size_order, 1) == c.larger_than_yours,
            c.smaller_than_yours is None or _sign(self.size_order, -1) == c.smaller_than_yours,
        ]
        return all(checks)

    def fill(self, text: Bilingual, lists: Mapping[str, list[Bilingual]]) -> Bilingual:
        filled = {}
        for language in LANGUAGES:
            values = self._values(language)
            for name, labels in lists.items():
                values[name] = ", ".join(_in_sentence(label.get(language)) for label in labels)
            filled[language] = text.get(language).format(**values)
        return Bilingual(**filled)

    def _values(self, language: str) -> dict[str, str]:
        cs, p = self.case_study, self.profile

        def label(vocabulary: str, value: str | None, lower: bool = True) -> str:
            term = self.taxonomy.vocabulary(vocabulary).term(value) if value else None
            text = term.label.get(language) if term else (value or "?")
            return _in_sentence(text) if lower else text

        return {
            "cost": label("cost", cs.cost),
            "evidence": label("evidence", cs.evidence),
            "status": label("status", cs.status),
            "size": label("community_size", cs.community_size),
            "your_size": label("community_size", p.community_size),
            "province": label("province", cs.province, lower=False),
            "your_province": label("province", p.province, lower=False),
            "community": cs.community or label("province", cs.province, lower=False),
        }


def _sign(order: int | None, sign: int) -> bool:
    return order is not None and order * sign > 0
