"""The practices a search selects, every page of them: what exports and feeds are made of."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping, Sequence

from indexer.search.base import MAX_PER_PAGE, SearchEngine, SearchQuery
from indexer.store import Store, StoredPractice


def matching(
    engine: SearchEngine,
    store: Store,
    text: str,
    filters: Mapping[str, Sequence[str]],
    per_page: int = MAX_PER_PAGE,
) -> Iterator[StoredPractice]:
    """Every published practice the search finds (all of them when there is neither text
    nor filter), read one page at a time so memory stays flat."""
    if not text and not filters:
        yield from store.iter_all()
        return
    page = 1
    while True:
        query = SearchQuery(text=text, filters=filters, page=page, per_page=per_page, facets=False)
        hits = engine.search(query).hits
        found = store.get_many([hit.document.slug for hit in hits])
        for hit in hits:
            stored = found.get(hit.document.slug)
            if stored is not None and stored.published:  # not withdrawn since indexing
                yield stored
        if len(hits) < per_page:
            return
        page += 1


def newest(practices: Iterator[StoredPractice], count: int) -> list[StoredPractice]:
    """The `count` most recently added or updated, newest first."""
    return heapq.nlargest(count, practices, key=lambda stored: (stored.updated_at, stored.slug))
