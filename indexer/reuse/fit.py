"""One practice against a community profile, criterion by criterion (SPEC section 6).

The criteria and their rules are data (`rules.FitRules`, from `content/fit.yaml`); this
module applies them. Each criterion gives a verdict with its reason in both languages,
never a score alone: "unknown" where the practice says nothing, never a silent "supports".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from indexer.casestudy.practice import Practice
from indexer.casestudy.taxonomy import Bilingual, Taxonomy
from indexer.reuse.facts import Facts
from indexer.reuse.rules import Criterion, FitRules, ProfileList, Verdict

MAX_WEIGHT = 3


@dataclass(frozen=True)
class Profile:
    """A reusing community, and how much each criteria group matters to it (0 leaves it out)."""

    province: str
    community_size: str
    francophone_minority: bool
    partners: frozenset[str] = frozenset()  # partner factor ids it has at its table
    resources: frozenset[str] = frozenset()  # resource factor ids it can commit
    weights: Mapping[str, int] = field(default_factory=dict)  # group -> 0..3; missing: default

    def weight(self, group: str, rules: FitRules) -> int:
        return self.weights.get(group, rules.weights.default)

    def problems(self, rules: FitRules, taxonomy: Taxonomy) -> list[tuple[str, str]]:
        """(field, message) for every value these rules and the taxonomy do not know."""
        out: list[tuple[str, str]] = []
        for name in ("province", "community_size"):
            vocabulary = taxonomy.vocabulary(name)
            value = getattr(self, name)
            if value not in vocabulary.ids:
                hint = " or ".join(map(repr, vocabulary.suggest(value)))
                out.append(
                    (
                        name,
                        f"{value[:80]!r} is not a known {name}"
                        + (f" (did you mean {hint}?)" if hint else ""),
                    )
                )
        lists: tuple[ProfileList, ...] = ("partners", "resources")
        for name in lists:
            offers = rules.offers[name]
            for value in sorted(getattr(self, name) - offers.keys()):
                out.append((name, f"{value[:80]!r} is not one of the {name}: {', '.join(offers)}"))
        for group, weight in self.weights.items():
            if group not in rules.groups:
                out.append(("weights", f"{group[:80]!r} is not a group: {', '.join(rules.groups)}"))
            elif not 0 <= weight <= MAX_WEIGHT:
                out.append((f"weights.{group}", f"{weight} is not a weight from 0 to {MAX_WEIGHT}"))
        return out


@dataclass(frozen=True)
class CriterionFit:
    id: str
    group: str
    verdict: Verdict
    reason: Bilingual


@dataclass(frozen=True)
class Counts:
    supports: int = 0
    concerns: int = 0
    unknowns: int = 0


@dataclass(frozen=True)
class Assessment:
    criteria: tuple[CriterionFit, ...]
    weights: Mapping[str, int]  # group -> weight, the groups assessed

    def counts(self, group: str | None = None) -> Counts:
        verdicts = [c.verdict for c in self.criteria if group is None or c.group == group]
        return Counts(
            verdicts.count("supports"), verdicts.count("concern"), verdicts.count("unknown")
        )

    def order_key(self) -> tuple[int, int, int]:
        """`ORDERING`, in numbers: weighted concerns, then supports, then unknowns."""
        concerns = supports = unknowns = 0
        for c in self.criteria:
            weight = self.weights[c.group]
            concerns += weight * (c.verdict == "concern")
            supports += weight * (c.verdict == "supports")
            unknowns += weight * (c.verdict == "unknown")
        return concerns, -supports, unknowns


ORDERING = Bilingual(
    en="Fewest concerns first, each counted as many times as its group's weight; then most "
    "supports, then fewest unknowns, counted the same way; then the search's own order.",
    fr="Le moins de réserves d'abord, chacune comptée autant de fois que le poids de son "
    "groupe; puis le plus d'appuis, puis le moins d'inconnues, comptés de la même façon; "
    "puis l'ordre de la recherche.",
)


def assess(practice: Practice, profile: Profile, rules: FitRules, taxonomy: Taxonomy) -> Assessment:
    """Every criterion of the groups the profile weighs above 0, in the rules' order."""
    facts = Facts(practice, profile, taxonomy)
    weights = {g: profile.weight(g, rules) for g in rules.groups}
    results = [
        _assess(criterion, facts, rules)
        for criterion in rules.criteria
        if weights[criterion.group] > 0
        and (not criterion.applies or any(facts.holds(c) for c in criterion.applies))
    ]
    return Assessment(tuple(results), {g: w for g, w in weights.items() if w > 0})


def _assess(criterion: Criterion, facts: Facts, rules: FitRules) -> CriterionFit:
    def result(verdict: Verdict, text: Bilingual, **lists: list[Bilingual]) -> CriterionFit:
        return CriterionFit(criterion.id, criterion.group, verdict, facts.fill(text, lists))

    if criterion.kind == "needs" and criterion.reasons is not None and criterion.profile:
        offers = rules.offers[criterion.profile]
        needs = [f for f in criterion.factors if f in facts.factors]
        has = getattr(facts.profile, criterion.profile)
        missing = [f for f in needs if f not in has]
        if not needs:
            return result("unknown", criterion.reasons.none)
        labels = {"needs": [offers[f] for f in needs], "missing": [offers[f] for f in missing]}
        if missing:
            return result("concern", criterion.reasons.unmet, **labels)
        return result("supports", criterion.reasons.met, **labels)
    for rule in criterion.rules:
        if facts.holds(rule.when):
            return result(rule.verdict, rule.reason)
    assert criterion.unknown is not None  # checked when the rules were loaded
    return result("unknown", criterion.unknown)
