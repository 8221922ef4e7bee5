"""Sentence embeddings for the documents being indexed, computed once and kept in the store.

Every path that builds documents for an engine (loading files, publishing, rebuilding
the index) passes them through `with_vectors`: a vector the store already holds for the
same model and text is reused, so `lipkb reindex` never runs the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from indexer.search.base import SearchDocument
from indexer.search.embedding import Embedder, attach_vectors, content_hash, passage_text
from indexer.store import Store

BATCH = 256  # documents embedded (and looked up) together


def with_vectors(
    documents: Iterable[SearchDocument], store: Store, embedder: Embedder | None
) -> Iterator[SearchDocument]:
    """The documents with their vectors (unchanged when the engine has no embedder)."""
    if embedder is None:
        yield from documents
        return
    batch: list[SearchDocument] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= BATCH:
            yield from _attached(batch, store, embedder)
            batch = []
    if batch:
        yield from _attached(batch, store, embedder)


def _attached(
    batch: list[SearchDocument], store: Store, embedder: Embedder
) -> list[SearchDocument]:
    hashes = [content_hash(passage_text(document)) for document in batch]
    known = store.embeddings.get(embedder.model_id, hashes)
    documents, computed = attach_vectors(batch, embedder, known)
    store.embeddings.put(embedder.model_id, computed)
    return documents
