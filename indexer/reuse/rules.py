"""The rules of "Fit for my community", loaded from `content/fit.yaml` (data, not code).

Loading checks every id against the taxonomy (factors, groups, vocabulary values) and
every placeholder of every reason, so a bad rules file stops the service at start with
the criterion that is wrong rather than giving a wrong answer later.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from indexer.casestudy.taxonomy import Bilingual, Taxonomy

DEFAULT_RULES_PATH = Path(__file__).resolve().parents[2] / "content" / "fit.yaml"
Verdict = Literal["supports", "concern", "unknown"]
ProfileList = Literal["resources", "partners"]
# What a reason may name; `fit.facts` fills each in the reason's language.
PLACEHOLDERS = frozenset(
    {"needs", "missing", "cost", "evidence", "status", "size", "your_size", "community"}
    | {"province", "your_province"}
)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Condition(Frozen):
    """Every condition given must hold. Practice facts: `factors` (has any of them), `cost`,
    `evidence`, `status`, `language`, `province` (its value is one of them), `sections`
    (has all of them). Community facts: `community_size` (one of them), `resources`,
    `partners` (has all of them), `francophone_minority`. Both: `same_province`,
    `same_size`, `larger_than_yours`, `smaller_than_yours` (the practice's original
    community size against the community's)."""

    factors: list[str] | None = None
    cost: list[str] | None = None
    evidence: list[str] | None = None
    status: list[str] | None = None
    language: list[str] | None = None
    province: list[str] | None = None
    sections: list[str] | None = None
    community_size: list[str] | None = None
    resources: list[str] | None = None
    partners: list[str] | None = None
    francophone_minority: bool | None = None
    same_province: bool | None = None
    same_size: bool | None = None
    larger_than_yours: bool | None = None
    smaller_than_yours: bool | None = None


class Rule(Frozen):
    when: Condition
    verdict: Verdict
    reason: Bilingual


class NeedsReasons(Frozen):
    met: Bilingual
    unmet: Bilingual
    none: Bilingual


class Criterion(Frozen):
    id: str
    group: str
    title: Bilingual
    kind: Literal["needs", "rules"]
    applies: list[Condition] = Field(default_factory=list)  # empty: always assessed
    # kind "needs": the practice's needs among `factors` against the community's `profile`
    profile: ProfileList | None = None
    factors: list[str] = Field(default_factory=list)
    reasons: NeedsReasons | None = None
    # kind "rules": the first rule that holds, else `unknown`
    rules: list[Rule] = Field(default_factory=list)
    unknown: Bilingual | None = None


class WeightLevel(Frozen):
    value: int
    label: Bilingual


class Weights(Frozen):
    default: int
    scale: list[WeightLevel]


class FitRules(Frozen):
    version: int
    weights: Weights
    offers: dict[ProfileList, dict[str, Bilingual]]
    criteria: list[Criterion]

    @classmethod
    def load(cls, taxonomy: Taxonomy, path: Path = DEFAULT_RULES_PATH) -> FitRules:
        rules = cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        problems = rules.problems(taxonomy)
        if problems:
            raise ValueError(f"{path}: " + "; ".join(problems))
        return rules

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(c.group for c in self.criteria))

    def problems(self, taxonomy: Taxonomy) -> list[str]:
        """What in these rules names nothing the taxonomy knows, or cannot be filled."""
        factors = taxonomy.vocabulary("factors")
        group_of = {term.id: term.group for term in factors.terms}
        out: list[str] = []
        for profile, offers in self.offers.items():
            out += [
                f"offers.{profile}: {f!r} is not a {profile} factor"
                for f in offers
                if group_of.get(f) != profile
            ]
        for criterion in self.criteria:
            where = f"criterion {criterion.id!r}"
            if criterion.group not in {g.id for g in factors.groups}:
                out.append(f"{where}: {criterion.group!r} is not a factor group")
            if criterion.kind == "needs":
                offers = self.offers.get(criterion.profile or "resources", {})
                if criterion.reasons is None or not criterion.factors:
                    out.append(f"{where}: a needs criterion needs factors and reasons")
                out += [
                    f"{where}: {f!r} has no offer" for f in criterion.factors if f not in offers
                ]
            elif criterion.unknown is None:
                out.append(f"{where}: a rules criterion needs an unknown reason")
            conditions = [*criterion.applies, *(rule.when for rule in criterion.rules)]
            out += [f"{where}: {p}" for c in conditions for p in _condition_problems(c, taxonomy)]
            out += [f"{where}: {p}" for p in _placeholder_problems(criterion)]
        return out


def _condition_problems(condition: Condition, taxonomy: Taxonomy) -> list[str]:
    vocabularies = {
        "factors": "factors",
        "cost": "cost",
        "evidence": "evidence",
        "status": "status",
        "language": "language",
        "province": "province",
        "community_size": "community_size",
        "resources": "factors",
        "partners": "factors",
    }
    out = []
    for name, vocabulary in vocabularies.items():
        known = taxonomy.vocabulary(vocabulary).ids
        out += [
            f"{v!r} is not a known {name} value"
            for v in getattr(condition, name) or []
            if v not in known
        ]
    return out


def _placeholder_problems(criterion: Criterion) -> list[str]:
    texts = [rule.reason for rule in criterion.rules]
    texts += [t for t in (criterion.unknown,) if t is not None]
    if criterion.reasons is not None:
        texts += [criterion.reasons.met, criterion.reasons.unmet, criterion.reasons.none]
    names = {
        name
        for text in texts
        for language_text in (text.en, text.fr)
        for _, name, _, _ in string.Formatter().parse(language_text)
        if name is not None
    }
    return [f"{name!r} is not a placeholder" for name in sorted(names - PLACEHOLDERS)]
