"""A multi-search answer to a `SearchResult`."""

from __future__ import annotations

from typing import Any

from indexer.search.base import FACETS, EngineFailure, Hit, SearchQuery, SearchResult
from indexer.search.meilisearch.filters import selected
from indexer.search.meilisearch.mapping import highlight, merge_facets, to_document
from indexer.search.meilisearch.queries import counted_by


def results_of(answer: Any) -> list[dict[str, Any]]:
    """The `results` of a POST /multi-search answer, checked for shape."""
    results = answer.get("results") if isinstance(answer, dict) else None
    if not isinstance(results, list) or not results or not isinstance(results[0], dict):
        raise EngineFailure("unexpected answer from Meilisearch: no search results")
    return results


def total(results: list[dict[str, Any]]) -> int:
    value = results[0].get("totalHits") or 0
    if not isinstance(value, int):
        raise EngineFailure(f"unexpected answer from Meilisearch: totalHits {value!r}")
    return value


def hits_of(raw_hits: Any) -> list[Hit]:
    """The `hits` of one search result as ours."""
    hits = []
    for raw in raw_hits:
        document = to_document(raw)
        hits.append(Hit(document, highlight(raw, document)))
    return hits


def closest_of(results: list[dict[str, Any]]) -> list[Hit]:
    """The hits of a `queries.closest` answer."""
    try:
        return hits_of(results[0].get("hits", []))
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise EngineFailure(f"unexpected answer from Meilisearch: {err!r}") from err


def to_result(
    query: SearchQuery, results: list[dict[str, Any]], dropped: list[str]
) -> SearchResult:
    """Hits of the first query; facet counts from the first query for the facets nobody
    selected, from the query that counts it for each selected facet."""
    try:
        main = results[0]
        hits = hits_of(readers_first(main.get("hits", []), query.lang))
        facets: dict[str, dict[str, int]] = {}
        if query.facets:
            distributions = {facet: main.get("facetDistribution") or {} for facet in FACETS}
            for facet, counting in zip(counted_by(query), results[1:], strict=True):
                distributions[facet] = counting.get("facetDistribution") or {}
            facets = merge_facets(distributions, selected(query.filters))
        return SearchResult(total=total(results), hits=hits, facets=facets, dropped_words=dropped)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise EngineFailure(f"unexpected answer from Meilisearch: {err!r}") from err


def readers_first(raw_hits: list[dict[str, Any]], lang: str | None) -> list[dict[str, Any]]:
    """Hits in Meilisearch's order, except that within a run of equal `_rankingScore`
    (a tie: sent only with a reader's language) those in the reader's language come first."""
    if not lang:
        return raw_hits
    out: list[dict[str, Any]] = []
    start = 0
    while start < len(raw_hits):
        score = raw_hits[start].get("_rankingScore")
        end = start + 1
        while score is not None and end < len(raw_hits):
            if raw_hits[end].get("_rankingScore") != score:
                break
            end += 1
        out.extend(sorted(raw_hits[start:end], key=lambda raw: raw.get("language") != lang))
        start = end
    return out
