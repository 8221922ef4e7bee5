"""Search: one interface (`base`), engines registered by name (`registry`).

The built-in engines register below exactly as a third-party engine would. Factories
import their engine lazily, so the Meilisearch client loads only when it is used.
"""

from __future__ import annotations

from indexer.casestudy.taxonomy import Taxonomy
from indexer.operations.config import Settings
from indexer.search import registry
from indexer.search.base import SearchEngine
from indexer.search.embedding import Embedder


def _sqlite(settings: Settings, taxonomy: Taxonomy, embedder: Embedder) -> SearchEngine:
    from indexer.search.sqlite import SqliteEngine

    return SqliteEngine.from_settings(settings, taxonomy, embedder)


def _meilisearch(settings: Settings, taxonomy: Taxonomy, embedder: Embedder) -> SearchEngine:
    from indexer.search.meilisearch import MeilisearchEngine

    return MeilisearchEngine.from_settings(settings, taxonomy, embedder)


registry.register("sqlite", _sqlite)
registry.register("meilisearch", _meilisearch)
