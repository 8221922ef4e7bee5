"""Practices ranked by fit within a search's results (the usual text and filters).

The search gives the candidates (its most relevant `MAX_CANDIDATES`, so the time a
request takes is bounded whatever the corpus); each is assessed against the profile and
the candidates are ordered as `fit.ORDERING` says, ties keeping the search's order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from indexer.casestudy.taxonomy import Taxonomy
from indexer.reuse.fit import Assessment, Profile, assess
from indexer.reuse.rules import FitRules
from indexer.search.base import MAX_PER_PAGE, Hit, SearchEngine, SearchQuery
from indexer.store import Store

MAX_CANDIDATES = 500


@dataclass(frozen=True)
class FitHit:
    hit: Hit
    assessment: Assessment


@dataclass(frozen=True)
class FitRanking:
    total: int  # candidates ranked
    matched: int  # what the search found (more than `total` when it found too many)
    hits: list[FitHit]  # the page asked for
    facets: dict[str, dict[str, int]]


def rank_by_fit(
    engine: SearchEngine,
    store: Store,
    query: SearchQuery,
    profile: Profile,
    rules: FitRules,
    taxonomy: Taxonomy,
) -> FitRanking:
    """The page `query.page` of the search's candidates ordered by fit (`query.sort` is
    ignored: fit is the order)."""
    candidates: list[Hit] = []
    first = None
    page = 1
    while len(candidates) < MAX_CANDIDATES:
        result = engine.search(
            replace(query, sort="relevance", page=page, per_page=MAX_PER_PAGE, facets=page == 1)
        )
        first = first or result
        candidates += result.hits
        if len(result.hits) < MAX_PER_PAGE:
            break
        page += 1
    assert first is not None
    assessed = []
    for position, hit in enumerate(candidates[:MAX_CANDIDATES]):
        stored = store.get(hit.document.slug)
        if stored is not None and stored.published:  # not withdrawn since the search
            assessment = assess(stored.practice, profile, rules, taxonomy)
            assessed.append((assessment.order_key(), position, FitHit(hit, assessment)))
    assessed.sort(key=lambda entry: (entry[0], entry[1]))
    start = (query.page - 1) * query.per_page
    return FitRanking(
        total=len(assessed),
        matched=first.total,
        hits=[entry[2] for entry in assessed[start : start + query.per_page]],
        facets=first.facets,
    )
