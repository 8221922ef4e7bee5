"""The Meilisearch engine: SPEC section 6 on a Meilisearch server.

- `settings`: the index settings payload, and the comparison that applies it only when
  the server's settings differ (so a restart costs one GET).
- `filters`: filter expressions in which no value can change the expression.
- `queries`: one POST /multi-search per search: the page of hits plus one facet-count
  query per selected facet (disjunctive faceting).
- `mapping`: documents to Meilisearch, and hits, highlights and facet counts back.
- `results`: a multi-search answer to a `SearchResult`.
- `connection`: the official client per thread, its errors turned into ours, writes
  awaited through their tasks.
- `writer`: index creation, settings, document batches, swap and drop.
- `hybrid`: meaning search with our vectors (a `userProvided` embedder, `_vectors`, the
  query vector with `hybrid` and the similarity floor as `rankingScoreThreshold`).
- `version`: the server version the engine needs (1.10; 1.13 with meaning search).
- `engine`: `MeilisearchEngine`, which ties them together.

Registered in `indexer.search` (not here), as a third engine would be.
"""

from indexer.search.meilisearch.engine import MeilisearchEngine

__all__ = ["MeilisearchEngine"]
