"""Search engines by name. Built-in engines register here exactly as a third one would:

from indexer.search.registry import register
register("elastic", ElasticEngine.from_settings)

A factory is given the settings, the taxonomy and the sentence embedder; the engine
embeds query text itself with it (SPEC section 6, hybrid retrieval).
"""

from __future__ import annotations

from collections.abc import Callable

from indexer.casestudy.taxonomy import Taxonomy
from indexer.operations.config import Settings
from indexer.search.base import SearchEngine
from indexer.search.embedding import Embedder, default_embedder

EngineFactory = Callable[[Settings, Taxonomy, Embedder], SearchEngine]
_ENGINES: dict[str, EngineFactory] = {}


def register(name: str, factory: EngineFactory) -> None:
    _ENGINES[name] = factory


def names() -> list[str]:
    return sorted(_ENGINES)


def create(
    settings: Settings, taxonomy: Taxonomy, embedder: Embedder | None = None
) -> SearchEngine:
    """The configured engine; `embedder` defaults to the process-wide model."""
    try:
        factory = _ENGINES[settings.search_engine]
    except KeyError:
        raise ValueError(
            f"unknown search engine {settings.search_engine!r}: choose one of {', '.join(names())}"
        ) from None
    return factory(settings, taxonomy, embedder or default_embedder())
