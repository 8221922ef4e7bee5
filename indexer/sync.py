"""Keeping the search index in step with the store (the index is derived and rebuildable)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from indexer.loading import LoadReport, load
from indexer.pipeline import Pipeline
from indexer.practice import Practice
from indexer.search.base import SearchDocument, SearchEngine
from indexer.search.documents import to_document
from indexer.store import Store
from indexer.vectors import with_vectors


def documents_from_store(store: Store) -> Iterator[SearchDocument]:
    for stored in store.iter_all():
        yield to_document(stored.practice, store.taxonomy, stored.updated_at.date())


def rebuild_index(store: Store, engine: SearchEngine) -> int:
    """Rebuild the whole index from the store; searches keep answering meanwhile. The
    vectors come from the store: the model runs only for text it never embedded."""
    engine.rebuild(with_vectors(documents_from_store(store), store, engine.embedder))
    return engine.count()


def load_and_index(
    files: list[Path],
    pipeline: Pipeline,
    store: Store,
    engine: SearchEngine,
    on_file: Callable[[], None] | None = None,
) -> LoadReport:
    """Load case-study files into the store and index what was added or updated."""

    def index(practices: list[Practice]) -> None:
        today = date.today()
        documents = (to_document(p, pipeline.taxonomy, today) for p in practices)
        engine.index(with_vectors(documents, store, engine.embedder))

    return load(files, pipeline, store, on_file=on_file, on_saved=index)
