"""Relevance evaluation: judged queries, and how well an engine answers them.

The judged set lives in `tests/search/relevance.yaml`; the test suite holds a floor (every
query finds one of its best answers in the top 3) and the benchmark prints success@1,
success@3 and the mean reciprocal rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from indexer.search.base import SearchEngine, SearchQuery


@dataclass(frozen=True)
class Judgment:
    query: str
    kind: str  # plain, typo, prefix, synonym, french, accents, word-forms, filters, empty
    best: tuple[str, ...]  # slugs; any of them counts as the best answer
    filters: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    judgment: Judgment
    rank: int | None  # 1-based rank of the first best answer, None if not in the top 10
    top: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    outcomes: list[Outcome]

    def success_at(self, k: int) -> float:
        return sum(1 for o in self.outcomes if o.rank and o.rank <= k) / len(self.outcomes)

    @property
    def mrr(self) -> float:
        return sum(1 / o.rank for o in self.outcomes if o.rank) / len(self.outcomes)

    def misses(self, k: int) -> list[Outcome]:
        return [o for o in self.outcomes if not o.rank or o.rank > k]


def load_judgments(path: Path) -> list[Judgment]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Judgment(
            query=str(entry.get("query", "")),
            kind=entry["kind"],
            best=tuple(entry["best"]) if isinstance(entry["best"], list) else (entry["best"],),
            filters=entry.get("filters") or {},
        )
        for entry in entries
    ]


def evaluate(engine: SearchEngine, judgments: list[Judgment], depth: int = 10) -> Report:
    outcomes = []
    for judgment in judgments:
        result = engine.search(
            SearchQuery(text=judgment.query, filters=judgment.filters, per_page=depth, facets=False)
        )
        top = tuple(hit.document.slug for hit in result.hits)
        rank = next((i for i, slug in enumerate(top, 1) if slug in judgment.best), None)
        outcomes.append(Outcome(judgment, rank, top))
    return Report(outcomes)
