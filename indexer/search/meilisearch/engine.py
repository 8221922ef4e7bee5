"""`MeilisearchEngine`: the production engine, through the official `meilisearch` client."""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

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
from indexer.search.meilisearch import queries
from indexer.search.meilisearch.connection import Connection, IndexMissing
from indexer.search.meilisearch.results import results_of, to_result, total
from indexer.search.meilisearch.settings import index_settings
from indexer.search.meilisearch.writer import BATCH_SIZE, Writer
from indexer.settings import Settings
from indexer.taxonomy import Taxonomy

NO_STEMMING = "Meilisearch has no stemming: only typos and prefixes relate word forms"
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
        task_timeout: float = 120.0,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        """Nothing is sent until first use. `timeout` bounds every HTTP request,
        `task_timeout` the wait for each write to be processed."""
        self.index_uid = index
        self.connection = Connection(url, api_key, timeout, task_timeout)
        self.writer = Writer(self.connection, index_settings(taxonomy), batch_size)
        self._ready = False
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, taxonomy: Taxonomy) -> MeilisearchEngine:
        if not settings.meili_url:
            raise ValueError("the meilisearch engine needs MEILI_URL")
        key = settings.meili_master_key
        return cls(
            settings.meili_url,
            key.get_secret_value() if key is not None else None,
            taxonomy,
            index=settings.meili_index,
            timeout=settings.meili_timeout,
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
                    self.writer.prepare(self.index_uid)
                    self._ready = True
        try:
            yield
        except IndexMissing:
            self._ready = False
            raise

    # writing -------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> None:
        with self._using():
            self.writer.add(self.index_uid, documents)

    def delete(self, slugs: Iterable[str]) -> None:
        with self._using():
            self.writer.delete(self.index_uid, slugs)

    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        """Fill `<index>_rebuild_<token>` with our settings, swap it with the live index,
        then delete it (it holds the old documents by then). Searches use the live index
        throughout; a failure before the swap leaves the live index as it was."""
        with self._using():
            spare = f"{self.index_uid}_rebuild_{secrets.token_hex(4)}"
            try:
                self.writer.prepare(spare, new=True)
                self.writer.add(spare, documents)
                self.writer.swap(self.index_uid, spare)
            finally:
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
            documents = self.count()
        except SearchError as err:
            return Health(False, str(err))
        return Health(True, "ok", documents)

    def search(self, query: SearchQuery) -> SearchResult:
        """One multi-search: the page, the facet counts and each meaningful word's count
        (see `queries`). Words that matched nothing are `dropped_words`; when the others
        match but Meilisearch found nothing for them all together (it keeps the rarest
        word, which a word matching nothing is), they are asked again without those."""
        started = time.perf_counter()
        words = queries.query_words(query.text)
        prefix = queries.wants_prefix(query.text)
        counted = queries.word_queries(words, prefix)
        with self._using():
            answer, totals = self._ask(query, queries.query_text(words, prefix), counted)
            nothing = {q.strip() for q, n in zip(counted, totals, strict=True) if n == 0}
            dropped = [word for word in words if word in nothing]
            kept = [word for word in words if word not in nothing]
            if total(answer) == 0 and dropped and len(nothing) < len(counted):
                again = queries.query_text(kept, prefix and kept[-1] == words[-1])
                answer, _ = self._ask(query, again)
        if total(answer) == 0:
            dropped = []  # nothing matched: the query is reported as it was
        result = to_result(query, answer, dropped)
        took = round((time.perf_counter() - started) * 1000, 2)
        return dataclasses.replace(result, took_ms=took)

    def _ask(
        self, query: SearchQuery, q: str, counted: Sequence[str] = ()
    ) -> tuple[list[dict[str, Any]], list[int]]:
        """The results of the page and facet queries, and the total of each counted word."""
        sent = queries.build(self.index_uid, query, q, counted)
        with self.connection.translated(f"search index {self.index_uid}"):
            results = results_of(self.connection.client.multi_search(sent))
        if len(results) != len(sent):
            raise EngineFailure(
                f"unexpected answer from Meilisearch: {len(results)} results to {len(sent)} queries"
            )
        split = len(results) - len(counted)
        return results[:split], [total([counting]) for counting in results[split:]]
