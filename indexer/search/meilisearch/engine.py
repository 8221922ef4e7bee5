"""`MeilisearchEngine`: the production engine, through the official `meilisearch` client."""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from indexer.search.base import (
    Capabilities,
    Health,
    SearchDocument,
    SearchEngine,
    SearchError,
    SearchQuery,
    SearchResult,
)
from indexer.search.embedding import Embedder
from indexer.search.meilisearch import hybrid, queries, version
from indexer.search.meilisearch.connection import Connection, IndexMissing
from indexer.search.meilisearch.results import closest_of, results_of, to_result, total
from indexer.search.meilisearch.settings import index_settings
from indexer.search.meilisearch.writer import BATCH_SIZE, Writer
from indexer.settings import Settings
from indexer.taxonomy import Taxonomy

NO_STEMMING = "Meilisearch has no stemming: only typos and prefixes relate word forms"
CLOSEST = 5  # practices offered by meaning when nothing matches


class MeilisearchEngine(SearchEngine):
    name = "meilisearch"
    capabilities = Capabilities(
        stemming_en=False,
        stemming_fr=False,
        reasons={"stemming_en": NO_STEMMING, "stemming_fr": NO_STEMMING},
    )

    def __init__(
        self,
        url: str,
        api_key: str | None,
        taxonomy: Taxonomy,
        index: str = "practices",
        timeout: float = 5.0,
        *,
        embedder: Embedder | None = None,
        task_timeout: float = 120.0,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        """Nothing is sent until first use. `timeout` bounds every HTTP request,
        `task_timeout` the wait for each write to be processed. With an `embedder`,
        text queries are hybrid (`hybrid`): documents carry their vectors."""
        self.index_uid = index
        self.embedder = embedder
        self.connection = Connection(url, api_key, timeout, task_timeout)
        dimensions = embedder.dimensions if embedder else None
        self.writer = Writer(self.connection, index_settings(taxonomy, dimensions), batch_size)
        self.minimum = hybrid.MIN_HYBRID_VERSION if embedder else version.MIN_VERSION
        self._version: str | None = None
        self._ready = False
        self._lock = threading.Lock()
        # Held by each write and by a rebuild's last step: no write falls between the
        # replay of the writes made during the rebuild and the swap.
        self._writes = threading.Lock()
        self._during_rebuild: dict[str, SearchDocument | None] | None = None  # None: deleted

    @classmethod
    def from_settings(
        cls, settings: Settings, taxonomy: Taxonomy, embedder: Embedder | None = None
    ) -> MeilisearchEngine:
        if not settings.meili_url:
            raise ValueError("the meilisearch engine needs MEILI_URL")
        key = settings.meili_master_key
        return cls(
            settings.meili_url,
            key.get_secret_value() if key is not None else None,
            taxonomy,
            index=settings.meili_index,
            timeout=settings.meili_timeout,
            embedder=embedder,
        )

    def __repr__(self) -> str:
        return f"MeilisearchEngine(url={self.connection.where!r}, index={self.index_uid!r})"

    @contextmanager
    def _using(self) -> Iterator[None]:
        """The live index exists with our settings (checked on first use, and again after
        it turned out to be missing)."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self._checked_version()
                    self.writer.prepare(self.index_uid)
                    self._ready = True
        try:
            yield
        except IndexMissing:
            self._ready = False
            raise

    def _checked_version(self) -> str:
        """The server's version, read once: too old a server fails every use."""
        if self._version is None:
            self._version = version.check(self.connection, self.minimum)
        return self._version

    # writing -------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> None:
        with self._using(), self._writes:
            self.writer.add(self.index_uid, self._noted(documents))

    def delete(self, slugs: Iterable[str]) -> None:
        with self._using(), self._writes:
            self.writer.delete(self.index_uid, self._noted_deletions(slugs))

    def _noted(self, documents: Iterable[SearchDocument]) -> Iterator[SearchDocument]:
        for document in documents:
            if self._during_rebuild is not None:
                self._during_rebuild[document.slug] = document
            yield document

    def _noted_deletions(self, slugs: Iterable[str]) -> Iterator[str]:
        for slug in slugs:
            if self._during_rebuild is not None:
                self._during_rebuild[slug] = None
            yield slug

    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        """Fill `<index>_rebuild_<token>` with our settings, swap it with the live index,
        then delete it (it holds the old documents by then). Searches use the live index
        throughout; a failure before the swap leaves the live index as it was.

        Writes made meanwhile (by this process) are newer than the documents the rebuild
        read before them: they are made again on the new index just before the swap."""
        with self._using():
            spare = f"{self.index_uid}_rebuild_{secrets.token_hex(4)}"
            made: dict[str, SearchDocument | None] = {}
            with self._writes:
                self._during_rebuild = made
            try:
                self.writer.prepare(spare, new=True)
                self.writer.add(spare, documents)
                with self._writes:
                    self.writer.add(spare, [d for d in made.values() if d is not None])
                    self.writer.delete(spare, [s for s, d in made.items() if d is None])
                    self.writer.swap(self.index_uid, spare)
            finally:
                self._during_rebuild = None
                self.writer.drop(spare)

    # reading -------------------------------------------------------------------------

    def count(self) -> int:
        try:
            with self.connection.translated(f"count the documents of index {self.index_uid}"):
                stats = self.connection.client.index(self.index_uid).get_stats()
        except IndexMissing:
            return 0
        return int(stats.number_of_documents)

    def health(self) -> Health:
        try:
            with self.connection.translated("check health"):
                self.connection.client.health()
            self._checked_version()
            documents = self.count()
        except SearchError as err:
            return Health(False, str(err))
        return Health(True, "ok", documents)

    def search(self, query: SearchQuery) -> SearchResult:
        """Drop words from the end while nothing matches (base.py); when relaxing finds
        nothing either, the answer to the query as it was."""
        started = time.perf_counter()
        words = queries.query_words(query.text)
        vector = self.embedder.embed_query(query.text) if self.embedder and words else None
        meaning = hybrid.hybrid_params(vector, len(words)) if vector is not None else None
        with self._using():
            prefix = queries.wants_prefix(query.text)
            first = answer = self._ask(
                queries.build(self.index_uid, query, queries.query_text(words, prefix), meaning)
            )
            dropped: list[str] = []
            while total(answer) == 0 and len(words) > 1:
                dropped.insert(0, words.pop())
                answer = self._ask(
                    queries.build(
                        self.index_uid, query, queries.query_text(words, prefix=False), meaning
                    )
                )
            if total(answer) == 0:
                answer, dropped = first, []
            result = to_result(query, answer, dropped)
            if result.total == 0 and vector is not None:
                nearest = queries.closest(
                    self.index_uid, query, hybrid.closest_params(vector), CLOSEST
                )
                result = dataclasses.replace(result, closest=closest_of(self._ask([nearest])))
        took = round((time.perf_counter() - started) * 1000, 2)
        return dataclasses.replace(result, took_ms=took)

    def _ask(self, body: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with self.connection.translated(f"search index {self.index_uid}"):
            answer = self.connection.client.multi_search(body)
        return results_of(answer)
