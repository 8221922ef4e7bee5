"""Recent search results, keyed by the index generation so that any write invalidates them.

Search as you type and popular queries repeat the same request many times; a hit skips
the FTS5 ranking, which is the cost that grows with the number of matches.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from indexer.search.base import SearchQuery, SearchResult


def query_key(generation: int, query: SearchQuery) -> Hashable:
    filters = tuple(sorted((facet, tuple(sorted(v))) for facet, v in query.filters.items() if v))
    return (
        generation,
        query.text,
        filters,
        query.sort,
        query.page,
        query.per_page,
        query.facets,
        query.lang,
    )


class ResultCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, SearchResult] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> SearchResult | None:
        with self._lock:
            result = self._entries.get(key)
            if result is not None:
                self._entries.move_to_end(key)
            return result

    def put(self, key: Hashable, result: SearchResult) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._entries[key] = result
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
