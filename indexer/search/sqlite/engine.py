"""`SqliteEngine`: the embedded, zero-set-up search engine (SQLite FTS5 in its own file)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from indexer.search.base import (
    FACETS,
    Capabilities,
    Health,
    Hit,
    SearchDocument,
    SearchEngine,
    SearchQuery,
    SearchResult,
)
from indexer.search.fields import SEARCHABLE, SORTABLE, WEIGHTS
from indexer.search.sqlite import schema
from indexer.search.sqlite.analysis import Analyzer
from indexer.search.sqlite.cache import ResultCache, query_key
from indexer.search.sqlite.highlight import highlight
from indexer.search.sqlite.query import MAX_WORDS, Compiled, compile_query
from indexer.search.sqlite.schema import FTS_COLUMNS, SORT_COLUMNS
from indexer.search.sqlite.snapshot import Snapshot, bitset, ids_in
from indexer.search.sqlite.thesaurus import Thesaurus
from indexer.search.synonyms import synonym_groups
from indexer.settings import Settings
from indexer.taxonomy import Taxonomy
from indexer.words import tokens

# bm25 weights (`fields.WEIGHTS`) of title, summary, tags and body. bm25 saturates, so one
# column's contribution is bounded by about 2.2 x its weight x idf: with ratios of 3 or
# more, a single title match outranks any number of summary matches, and so on down.
BM25_MARKS = ", ".join("?" * len(WEIGHTS))
REBUILD_SUFFIX = "_next"
WRITE_BATCH = 500


class SqliteEngine(SearchEngine):
    name = "sqlite"
    capabilities = Capabilities()

    def __init__(self, path: Path, taxonomy: Taxonomy, cache_size: int = 256) -> None:
        """`cache_size` recent results are kept (0: none; the benchmark measures both)."""
        self.path = path
        self.cache = ResultCache(cache_size)
        self.analyzer = Analyzer()
        self.thesaurus = Thesaurus(synonym_groups(taxonomy), self.analyzer)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._vocabulary: tuple[int, set[tuple[str, str]]] | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._write() as connection:
            schema.create_meta(connection)
            schema.create_tables(connection)

    @classmethod
    def from_settings(cls, settings: Settings, taxonomy: Taxonomy) -> SqliteEngine:
        return cls(settings.data_dir / "search.sqlite3", taxonomy)

    # connections ---------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                self.path, isolation_level=None, timeout=30, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        connection = self._connection()
        with self._write_lock:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    # writing -------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> None:
        for batch in _batches(documents):
            with self._write() as connection:
                known = self._known_vocabulary(connection)
                for document in batch:
                    self._insert(connection, document, "", known)
                schema.bump_generation(connection)
                self._vocabulary = (schema.generation(connection), known)

    def delete(self, slugs: Iterable[str]) -> None:
        with self._write() as connection:
            for slug in slugs:
                row = connection.execute("SELECT id FROM docs WHERE slug = ?", (slug,)).fetchone()
                if row:
                    connection.execute("DELETE FROM docs WHERE id = ?", row)
                    connection.execute("DELETE FROM fts WHERE rowid = ?", row)
            schema.bump_generation(connection)

    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        with self._write() as connection:
            schema.drop(connection, REBUILD_SUFFIX)
            schema.create_tables(connection, REBUILD_SUFFIX)
        # Filled in several transactions so that readers are never blocked for long; the
        # live tables answer searches until the swap below.
        known: set[tuple[str, str]] = set()
        for batch in _batches(documents):
            with self._write() as connection:
                for document in batch:
                    self._insert(connection, document, REBUILD_SUFFIX, known, replace=False)
        with self._write() as connection:
            schema.swap_in(connection, REBUILD_SUFFIX)
            schema.bump_generation(connection)

    def _known_vocabulary(self, connection: sqlite3.Connection) -> set[tuple[str, str]]:
        """The (word, stem) pairs already in `vocab`, kept between batches; read again
        only when another connection or process has written since."""
        generation = schema.generation(connection)
        if self._vocabulary is None or self._vocabulary[0] != generation:
            rows = connection.execute("SELECT word, stem FROM vocab")
            self._vocabulary = (generation, {(word, stem) for word, stem in rows})
        return self._vocabulary[1]

    def _insert(
        self,
        connection: sqlite3.Connection,
        document: SearchDocument,
        suffix: str,
        known: set[tuple[str, str]],
        replace: bool = True,
    ) -> None:
        facets = {facet: list(document.facet_values(facet)) for facet in FACETS}
        values = (
            *(field.sort_value(document) for field in SORTABLE),
            json.dumps(facets),
            json.dumps(document.to_dict()),
        )
        row = None
        if replace:
            row = connection.execute(
                f"SELECT id FROM docs{suffix} WHERE slug = ?", (document.slug,)
            ).fetchone()
        if row:
            doc_id = int(row[0])
            assignments = ", ".join(f"{column} = ?" for column in (*SORT_COLUMNS, "facets", "data"))
            connection.execute(f"UPDATE docs SET {assignments} WHERE id = ?", (*values, doc_id))
            connection.execute("DELETE FROM fts WHERE rowid = ?", (doc_id,))
        else:
            names = ", ".join(("slug", *SORT_COLUMNS, "facets", "data"))
            marks = ", ".join("?" * (len(values) + 1))
            cursor = connection.execute(
                f"INSERT INTO docs{suffix} ({names}) VALUES ({marks})", (document.slug, *values)
            )
            doc_id = int(cursor.lastrowid or 0)
        words = [tokens(getattr(document, field.name)) for field in SEARCHABLE]
        language = document.language
        stems = [self.analyzer.stem_all(field_words, language) for field_words in words]
        columns = [
            " ".join([*field_stems, *self.thesaurus.document_tokens(field_stems, language)])
            for field_stems in stems
        ]
        connection.execute(
            f"INSERT INTO fts{suffix} (rowid, {', '.join(FTS_COLUMNS)}) "
            f"VALUES (?, {', '.join('?' * len(columns))})",
            (doc_id, *columns),
        )
        pairs = {
            pair for w, st in zip(words, stems, strict=True) for pair in zip(w, st, strict=True)
        }
        new = pairs - known
        if new:
            connection.executemany(f"INSERT OR IGNORE INTO vocab{suffix} VALUES (?, ?)", new)
            known |= new

    # reading -------------------------------------------------------------------------

    def count(self) -> int:
        row = self._connection().execute("SELECT count(*) FROM docs").fetchone()
        return int(row[0])

    def health(self) -> Health:
        try:
            return Health(True, "ok", self.count())
        except sqlite3.Error as err:
            return Health(False, f"search index unreadable: {err}")

    def _current(self, connection: sqlite3.Connection, generation: int) -> Snapshot:
        snapshot = self._snapshot
        if snapshot is None or snapshot.generation != generation:
            snapshot = Snapshot.load(connection, generation)
            self._snapshot = snapshot
        return snapshot

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        connection = self._connection()
        connection.execute("BEGIN")  # one consistent view of tables and generation
        try:
            generation = schema.generation(connection)
            key = query_key(generation, query)
            result = self.cache.get(key)
            if result is None:
                result = self._search(connection, self._current(connection, generation), query)
                self.cache.put(key, result)
        finally:
            connection.execute("COMMIT")
        took = (time.perf_counter() - started) * 1000
        return dataclasses.replace(result, took_ms=round(took, 2))

    def _search(
        self, connection: sqlite3.Connection, snapshot: Snapshot, query: SearchQuery
    ) -> SearchResult:
        filters = {f: list(v) for f, v in query.filters.items() if v and f in FACETS}
        selected = snapshot.filter_bits(filters)
        all_filters = snapshot.all_ids
        for bits in selected.values():
            all_filters &= bits
        words = tokens(query.text)[:MAX_WORDS]
        last_is_prefix = bool(query.text) and not query.text[-1].isspace()
        dropped: list[str] = []
        ranked: list[int] | None = None
        compiled: Compiled | None = None
        text_bits = snapshot.all_ids
        while words:
            compiled = compile_query(
                words, last_is_prefix, self.analyzer, snapshot.vocabulary, self.thesaurus
            )
            rows = connection.execute(
                f"SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, {BM25_MARKS})",
                (compiled.match, *WEIGHTS),
            ).fetchall()
            ranked = [row[0] for row in rows]
            text_bits = bitset(ranked)
            if text_bits & all_filters or len(words) == 1:
                break
            dropped.insert(0, words.pop())
            last_is_prefix = False
        matches = text_bits & all_filters
        if not matches:
            dropped = []  # relaxing found nothing either: report the query as it was
        skip = (query.page - 1) * query.per_page
        if ranked is not None and query.sort == "relevance":
            order = ranked
        else:
            order = snapshot.by_title if query.sort == "title" else snapshot.newest
        page_ids = ids_in(order, matches, skip, query.per_page)
        facets = self._facets(snapshot, text_bits, selected, filters) if query.facets else {}
        return SearchResult(
            total=matches.bit_count(),
            hits=self._hits(connection, page_ids, compiled),
            facets=facets,
            dropped_words=dropped,
        )

    @staticmethod
    def _facets(
        snapshot: Snapshot, text_bits: int, selected: dict[str, int], filters: dict[str, list[str]]
    ) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            base = text_bits  # every other facet's filter applies; this facet's own does not
            for other, bits in selected.items():
                if other != facet:
                    base &= bits
            values = {}
            for value, bits in snapshot.facets[facet].items():
                count = (base & bits).bit_count()
                if count:
                    values[value] = count
            for value in filters.get(facet, []):
                values.setdefault(value, 0)
            counts[facet] = dict(sorted(values.items(), key=lambda item: (-item[1], item[0])))
        return counts

    def _hits(
        self, connection: sqlite3.Connection, ids: list[int], compiled: Compiled | None
    ) -> list[Hit]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = dict(
            connection.execute(
                f"SELECT id, data FROM docs WHERE id IN ({marks})",
                ids,
            ).fetchall()
        )
        terms = compiled.terms if compiled else None
        hits = []
        for doc_id in ids:
            document = SearchDocument.from_dict(json.loads(rows[doc_id]))
            hits.append(
                Hit(
                    document,
                    highlight(
                        document.title,
                        document.summary,
                        document.body,
                        document.language,
                        terms,
                        self.analyzer,
                    ),
                )
            )
        return hits


def _batches(documents: Iterable[SearchDocument]) -> Iterator[list[SearchDocument]]:
    batch: list[SearchDocument] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= WRITE_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
