"""Similar practices: those sharing the most sectors, factors, themes and populations.

Works through the engine interface alone, so every engine gives the same answer:
candidates are the practices sharing a sector (newest 100), ranked by weighted overlap.
"""

from __future__ import annotations

from collections.abc import Collection

from indexer.search.base import Hit, SearchDocument, SearchEngine, SearchQuery

CANDIDATES = 100
WEIGHTS = {"sectors": 3.0, "factors": 2.0, "themes": 1.0, "populations": 1.0}


def overlap(a: SearchDocument, b: SearchDocument) -> float:
    score = sum(
        weight * len(set(getattr(a, field)) & set(getattr(b, field)))
        for field, weight in WEIGHTS.items()
    )
    score += 0.5 * (a.community_size is not None and a.community_size == b.community_size)
    return score + 0.5 * (a.province == b.province)


def similar_practices(
    engine: SearchEngine, document: SearchDocument, exclude: Collection[str], limit: int = 5
) -> list[Hit]:
    if not document.sectors:
        return []
    result = engine.search(
        SearchQuery(
            filters={"sector": list(document.sectors)},
            sort="newest",
            per_page=CANDIDATES,
            facets=False,
        )
    )
    candidates = [hit for hit in result.hits if hit.document.slug not in exclude]
    candidates.sort(key=lambda hit: -overlap(document, hit.document))
    return candidates[:limit]
