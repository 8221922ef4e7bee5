"""`MeilisearchEngine`: the production engine, through the official `meilisearch` client."""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from pydantic import SecretStr

from indexer.casestudy.taxonomy import Taxonomy
from indexer.operations.config import Settings
from indexer.search.base import (
    Capabilities,
    EngineFailure,
    Health,
    SearchDocument,
    SearchEngine,
    SearchError,
    SearchQuery,
    SearchResult,
)
from indexer.search.embedding import Embedder, attach_vectors
from indexer.search.meilisearch import hybrid, keys, queries, version
from indexer.search.meilisearch.connection import Connection, IndexMissing, Keys
from indexer.search.meilisearch.results import closest_of, results_of, to_result, total
from indexer.search.meilisearch.settings import index_settings
from indexer.search.meilisearch.writer import BATCH_SIZE, Writer, batches

NO_STEMMING = "Meilisearch has no stemming: only typos and prefixes relate word forms"
CLOSEST = 5  # practices offered by meaning when nothing matches
KEEPS_RAREST = (
    "matchingStrategy 'frequency' lets the most frequent words go but keeps the rarest: a "
    "document matching only a more frequent word is not found"
)


class MeilisearchEngine(SearchEngine):
    name = "meilisearch"
    capabilities = Capabilities(
        stemming_en=False,
        stemming_fr=False,
        any_word=False,
        reasons={
            "stemming_en": NO_STEMMING,
            "stemming_fr": NO_STEMMING,
            "any_word": KEEPS_RAREST,
        },
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
        search_key: str | None = None,
        admin_key: str | None = None,
    ) -> None:
        """Nothing is sent until first use. `api_key` is the master key: it finds the
        search and admin keys not given (`keys`). `timeout` bounds every HTTP request,
        `task_timeout` the wait for each write to be processed. With an `embedder`,
        text queries are hybrid (`hybrid`): documents carry their vectors."""
        self.index_uid = index
        self.embedder = embedder
        # Until the master key found the others, the given keys (None: no key sent, as
        # to a development server started without a master key).
        self._master = api_key if api_key and not (search_key and admin_key) else None
        given = Keys(search_key, admin_key)
        self.connection = Connection(url, given, timeout, task_timeout, master=api_key)
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
        return cls(
            settings.meili_url,
            _secret(settings.meili_master_key),
            taxonomy,
            index=settings.meili_index,
            timeout=settings.meili_timeout,
            embedder=embedder,
            search_key=_secret(settings.meili_search_key),
            admin_key=_secret(settings.meili_admin_key),
        )

    def __repr__(self) -> str:
        return f"MeilisearchEngine(url={self.connection.where!r}, index={self.index_uid!r})"

    def prepare(self) -> None:
        """Check the server, find the keys, create the index or bring its settings up to
        date, awaiting the re-indexing a settings change causes (`lipkb migrate`, start-up)."""
        with self._lock:
            self._prepare_held()

    def _prepare_held(self) -> None:
        if not self._ready:  # another thread may have prepared it while this one waited
            self._connected()
            self.writer.prepare(self.index_uid)
            self._ready = True

    @contextmanager
    def _using(self) -> Iterator[None]:
        """For a write: the live index exists with our settings (prepared on first use,
        and again after it turned out to be missing)."""
        if not self._ready:
            self.prepare()
        try:
            yield
        except IndexMissing:
            self._ready = False
            raise

    def _connected(self) -> None:
        """The keys known and the server's version checked, once (one request each;
        two threads may both make them, to the same effect)."""
        master = self._master
        if master is not None:
            found = keys.derive(self.connection, master, self.index_uid, self.connection.keys)
            self.connection.use(found)
            self._master = None
        if self._version is None:
            self._version = version.check(self.connection, self.minimum)

    # writing -------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> None:
        with self._using(), self._writes:
            self.writer.add(self.index_uid, self._noted(self._with_vectors(documents)))

    def delete(self, slugs: Iterable[str]) -> None:
        with self._using(), self._writes:
            self.writer.delete(self.index_uid, self._noted_deletions(slugs))

    def _with_vectors(self, documents: Iterable[SearchDocument]) -> Iterator[SearchDocument]:
        """Each document with its vector, embedded here when the caller gave none (the
        core passes the store's, so this runs for direct callers only)."""
        if self.embedder is None:
            yield from documents
            return
        for batch in batches(documents, self.writer.batch_size):
            yield from attach_vectors(batch, self.embedder)[0]

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
                self.writer.add(spare, self._with_vectors(documents))
                with self._writes:
                    self.writer.add(spare, [d for d in made.values() if d is not None])
                    self.writer.delete(spare, [s for s, d in made.items() if d is None])
                    self.writer.swap(self.index_uid, spare)
            finally:
                self._during_rebuild = None
                self.writer.drop(spare)

    # reading -------------------------------------------------------------------------

    def count(self) -> int:
        self._connected()
        try:
            with self.connection.translated(f"count the documents of index {self.index_uid}"):
                stats = self.connection.client.index(self.index_uid).get_stats()
        except IndexMissing:
            return 0
        return int(stats.number_of_documents)

    def health(self) -> Health:
        """Reachable, and prepared (here, when it could not be before serving: the
        server started after us). A check made while another thread prepares the index
        says so at once rather than waiting for it."""
        try:
            with self.connection.translated("check health"):
                self.connection.client.health()
            if not self._ready:
                if not self._lock.acquire(blocking=False):
                    return Health(False, f"index {self.index_uid} is being prepared")
                try:
                    self._prepare_held()
                finally:
                    self._lock.release()
            documents = self.count()
        except SearchError as err:
            return Health(False, str(err))
        return Health(True, "ok", documents)

    def search(self, query: SearchQuery) -> SearchResult:
        """One multi-search: the page, the facet counts and each meaningful word's count
        (see `queries`). Words that matched nothing are `dropped_words`; when the others
        match but Meilisearch found nothing for them all together (it keeps the rarest
        word, which a word matching nothing is), they are asked again without those.

        With an embedder, the page and facet queries are hybrid (`hybrid`), and when
        nothing matches, the closest practices by meaning are asked for."""
        started = time.perf_counter()
        words = queries.query_words(query.text)
        prefix = queries.wants_prefix(query.text)
        counted = queries.word_queries(words, prefix)
        vector = self.embedder.embed_query(query.text) if self.embedder and words else None
        meaning = hybrid.hybrid_params(vector, len(words)) if vector is not None else None
        self._connected()  # never the settings: `prepare` applied them before serving
        first = queries.query_text(words, prefix)
        answer, totals = self._ask(query, first, counted, meaning)
        nothing = {q.strip() for q, n in zip(counted, totals, strict=True) if n == 0}
        dropped = [word for word in words if word in nothing]
        kept = [word for word in words if word not in nothing]
        if total(answer) == 0 and dropped and len(nothing) < len(counted):
            again = queries.query_text(kept, prefix and kept[-1] == words[-1])
            answer, _ = self._ask(query, again, (), meaning)
        if total(answer) == 0:
            dropped = []  # nothing matched: the query is reported as it was
        result = to_result(query, answer, dropped)
        if result.total == 0 and vector is not None:
            nearest = queries.closest(self.index_uid, query, hybrid.closest_params(vector), CLOSEST)
            result = dataclasses.replace(result, closest=closest_of(self._send([nearest])))
        took = round((time.perf_counter() - started) * 1000, 2)
        return dataclasses.replace(result, took_ms=took)

    def _send(self, sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
        try:
            with self.connection.translated(f"search index {self.index_uid}"):
                return results_of(self.connection.searcher.multi_search(sent))
        except IndexMissing:
            self._ready = False  # the next readiness check or write sets it up again
            raise

    def _ask(
        self,
        query: SearchQuery,
        q: str,
        counted: Sequence[str] = (),
        meaning: dict[str, Any] | None = None,
    ) -> tuple[list[dict[str, Any]], list[int]]:
        """The results of the page and facet queries, and the total of each counted word."""
        sent = queries.build(self.index_uid, query, q, counted, meaning)
        results = self._send(sent)
        if len(results) != len(sent):
            raise EngineFailure(
                f"unexpected answer from Meilisearch: {len(results)} results to {len(sent)} queries"
            )
        split = len(results) - len(counted)
        return results[:split], [total([counting]) for counting in results[split:]]


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None
