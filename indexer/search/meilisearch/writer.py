"""Index writes: creating an index with our settings, adding and deleting documents in
batches, swapping and dropping indexes; every write awaited through its task."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from indexer.search.base import SearchDocument, SearchError
from indexer.search.meilisearch.connection import Connection, IndexMissing
from indexer.search.meilisearch.filters import slug_filter
from indexer.search.meilisearch.mapping import to_meili
from indexer.search.meilisearch.settings import PRIMARY_KEY, differences

log = logging.getLogger(__name__)
BATCH_SIZE = 1_000  # documents per write
BATCH_CHARS = 5_000_000  # ...and at most about this much text, far below the 100 MB limit


class Writer:
    def __init__(
        self, connection: Connection, settings: Mapping[str, Any], batch_size: int = BATCH_SIZE
    ) -> None:
        self.connection = connection
        self.settings = settings
        self.batch_size = batch_size

    def prepare(self, uid: str, *, new: bool = False) -> None:
        """Create the index unless it exists, then apply the settings if they differ from
        the server's (one GET when nothing changed), awaiting both."""
        connection, client = self.connection, self.connection.client
        current: Mapping[str, Any] = {}
        if not new:
            try:
                with connection.translated(f"read the settings of index {uid}"):
                    current = client.index(uid).get_settings()
            except IndexMissing:
                new = True
        if new:
            with connection.translated(f"create index {uid}"):
                task = client.create_index(uid, {"primaryKey": PRIMARY_KEY})
            connection.wait(task, f"create index {uid}", accept=frozenset({"index_already_exists"}))
        changed = differences(self.settings, current)
        if changed:
            log.info("updating Meilisearch settings of %s: %s", uid, ", ".join(changed))
            action = f"update the settings of index {uid}"
            with connection.translated(action):
                task = client.index(uid).update_settings(dict(self.settings))
            connection.wait(task, action)

    def add(self, uid: str, documents: Iterable[SearchDocument]) -> None:
        for batch in batches(documents, self.batch_size):
            action = f"add {len(batch)} documents to index {uid}"
            with self.connection.translated(action):
                task = self.connection.client.index(uid).add_documents(
                    [to_meili(document) for document in batch], primary_key=PRIMARY_KEY
                )
            self.connection.wait(task, action)

    def delete(self, uid: str, slugs: Iterable[str]) -> None:
        batch: list[str] = []
        for slug in slugs:
            batch.append(slug)
            if len(batch) >= self.batch_size:
                self._delete(uid, batch)
                batch = []
        if batch:
            self._delete(uid, batch)

    def _delete(self, uid: str, slugs: list[str]) -> None:
        action = f"delete {len(slugs)} documents from index {uid}"
        with self.connection.translated(action):
            task = self.connection.client.index(uid).delete_documents(filter=slug_filter(slugs))
        self.connection.wait(task, action)

    def swap(self, live: str, spare: str) -> None:
        action = f"swap index {spare} with {live}"
        with self.connection.translated(action):
            task = self.connection.client.swap_indexes([{"indexes": [live, spare]}])
        self.connection.wait(task, action)

    def drop(self, uid: str) -> None:
        """Delete an index, logging (not raising) a failure: only ever a leftover."""
        try:
            with self.connection.translated(f"delete index {uid}"):
                task = self.connection.client.delete_index(uid)
            self.connection.wait(task, f"delete index {uid}", accept=frozenset({"index_not_found"}))
        except SearchError as err:
            log.warning("could not delete Meilisearch index %s: %s", uid, err)


def batches(documents: Iterable[SearchDocument], size: int) -> Iterator[list[SearchDocument]]:
    """Lists of at most `size` documents and about `BATCH_CHARS` characters of text."""
    batch: list[SearchDocument] = []
    chars = 0
    for document in documents:
        batch.append(document)
        chars += len(document.body) + len(document.summary) + len(document.tags) + 1_000
        chars += 0 if document.vector is None else 10 * len(document.vector)
        if len(batch) >= size or chars >= BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch
