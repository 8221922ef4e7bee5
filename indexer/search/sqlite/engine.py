"""`SqliteEngine`: the embedded, zero-set-up search engine (SQLite FTS5 in its own file)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

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
from indexer.search.embedding import SIMILARITY_FLOOR, Embedder, Vector, attach_vectors
from indexer.search.fusion import FUSIONS, Scores, meaning_weight
from indexer.search.sqlite import schema
from indexer.search.sqlite.analysis import Analyzer
from indexer.search.sqlite.cache import ResultCache, query_key
from indexer.search.sqlite.dense import Dense, members_mask, to_blob
from indexer.search.sqlite.highlight import highlight
from indexer.search.sqlite.query import MAX_WORDS, Compiled, compile_query
from indexer.search.sqlite.snapshot import Snapshot, bitset, ids_in
from indexer.search.sqlite.thesaurus import Thesaurus
from indexer.search.synonyms import synonym_groups
from indexer.settings import Settings
from indexer.taxonomy import Taxonomy
from indexer.words import fold, tokens

# bm25 weights of title, summary, tags and body. bm25 saturates, so one column's
# contribution is bounded by about 2.2 x its weight x idf: with these ratios, a single
# title match outranks any number of summary matches, and so on down the columns.
WEIGHTS = (30.0, 10.0, 3.0, 1.0)
REBUILD_SUFFIX = "_next"
WRITE_BATCH = 500
CLOSEST = 5  # practices offered by meaning when nothing matches


class SqliteEngine(SearchEngine):
    name = "sqlite"
    capabilities = Capabilities()

    def __init__(
        self,
        path: Path,
        taxonomy: Taxonomy,
        embedder: Embedder | None,
        cache_size: int = 256,
        fusion: str = "blend",
    ) -> None:
        """`embedder` None: lexical matching only (the benchmark and the judged sets
        measure each side); `cache_size` recent results are kept (0: none); `fusion`
        names one of `fusion.FUSIONS` (the judged sets compare them)."""
        self.path = path
        self.embedder = embedder
        self.fuse = FUSIONS[fusion]
        self._dense: Dense | None = None
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
    def from_settings(
        cls, settings: Settings, taxonomy: Taxonomy, embedder: Embedder | None
    ) -> SqliteEngine:
        return cls(settings.data_dir / "search.sqlite3", taxonomy, embedder)

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
        for batch in self._with_vectors(documents):
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
                    connection.execute("DELETE FROM vectors WHERE id = ?", row)
            schema.bump_generation(connection)

    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        with self._write() as connection:
            schema.drop(connection, REBUILD_SUFFIX)
            schema.create_tables(connection, REBUILD_SUFFIX)
        # Filled in several transactions so that readers are never blocked for long; the
        # live tables answer searches until the swap below.
        known: set[tuple[str, str]] = set()
        for batch in self._with_vectors(documents):
            with self._write() as connection:
                for document in batch:
                    self._insert(connection, document, REBUILD_SUFFIX, known, replace=False)
        with self._write() as connection:
            schema.swap_in(connection, REBUILD_SUFFIX)
            schema.bump_generation(connection)

    def _with_vectors(self, documents: Iterable[SearchDocument]) -> Iterator[list[SearchDocument]]:
        """Batches of documents, each with its vector (embedded here when the caller
        gave none: the core passes the store's, so this runs for direct callers only)."""
        for batch in _batches(documents):
            yield attach_vectors(batch, self.embedder)[0] if self.embedder else batch

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
            document.date,
            fold(document.title),
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
            connection.execute(
                "UPDATE docs SET date = ?, title_sort = ?, facets = ?, data = ? WHERE id = ?",
                (*values, doc_id),
            )
            connection.execute("DELETE FROM fts WHERE rowid = ?", (doc_id,))
        else:
            cursor = connection.execute(
                f"INSERT INTO docs{suffix} (slug, date, title_sort, facets, data) "
                "VALUES (?, ?, ?, ?, ?)",
                (document.slug, *values),
            )
            doc_id = int(cursor.lastrowid or 0)
        fields = (document.title, document.summary, document.tags, document.body)
        words = [tokens(text) for text in fields]
        language = document.language
        stems = [self.analyzer.stem_all(field_words, language) for field_words in words]
        columns = [
            " ".join([*field_stems, *self.thesaurus.document_tokens(field_stems, language)])
            for field_stems in stems
        ]
        connection.execute(
            f"INSERT INTO fts{suffix} (rowid, title, summary, tags, body) VALUES (?, ?, ?, ?, ?)",
            (doc_id, *columns),
        )
        if document.vector is not None:
            connection.execute(
                f"INSERT OR REPLACE INTO vectors{suffix} (id, vector) VALUES (?, ?)",
                (doc_id, to_blob(document.vector)),
            )
        elif replace:
            connection.execute(f"DELETE FROM vectors{suffix} WHERE id = ?", (doc_id,))
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

    def _current_dense(self, connection: sqlite3.Connection, generation: int) -> Dense:
        dense = self._dense
        if dense is None or dense.generation != generation:
            dense = Dense.load(connection, generation)
            self._dense = dense
        return dense

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        connection = self._connection()
        connection.execute("BEGIN")  # one consistent view of tables and generation
        try:
            generation = schema.generation(connection)
            key = query_key(generation, query)
            result = self.cache.get(key)
            if result is None:
                result = self._search(connection, generation, query)
                self.cache.put(key, result)
        finally:
            connection.execute("COMMIT")
        took = (time.perf_counter() - started) * 1000
        return dataclasses.replace(result, took_ms=round(took, 2))

    def _search(
        self, connection: sqlite3.Connection, generation: int, query: SearchQuery
    ) -> SearchResult:
        snapshot = self._current(connection, generation)
        filters = {f: list(v) for f, v in query.filters.items() if v and f in FACETS}
        selected = snapshot.filter_bits(filters)
        all_filters = snapshot.all_ids
        for bits in selected.values():
            all_filters &= bits
        words = tokens(query.text)[:MAX_WORDS]
        meaning = self._meaning(connection, generation, query.text) if words else None
        meaning_bits = meaning.matches if meaning else 0
        last_is_prefix = bool(query.text) and not query.text[-1].isspace()
        dropped: list[str] = []
        lexical: list[tuple[int, float]] | None = None
        compiled: Compiled | None = None
        text_bits = snapshot.all_ids
        while words:
            compiled = compile_query(
                words, last_is_prefix, self.analyzer, snapshot.vocabulary, self.thesaurus
            )
            lexical = connection.execute(
                "SELECT rowid, -bm25(fts, ?, ?, ?, ?) AS score FROM fts WHERE fts MATCH ? "
                "ORDER BY score DESC",
                (*WEIGHTS, compiled.match),
            ).fetchall()
            text_bits = bitset(row[0] for row in lexical) | meaning_bits
            if text_bits & all_filters or len(words) == 1:
                break
            dropped.insert(0, words.pop())
            last_is_prefix = False
        matches = text_bits & all_filters
        if not matches:
            dropped = []  # relaxing found nothing either: report the query as it was
        skip = (query.page - 1) * query.per_page
        if lexical is None or query.sort != "relevance":
            order = snapshot.by_title if query.sort == "title" else snapshot.newest
        elif meaning is None:
            order = [row[0] for row in lexical]
        else:
            order = meaning.fused(lexical, matches, len(tokens(query.text)), self.fuse)
        page_ids = ids_in(order, matches, skip, query.per_page)
        facets = self._facets(snapshot, text_bits, selected, filters) if query.facets else {}
        closest: list[Hit] = []
        if meaning is not None and not matches:
            closest = self._hits(
                connection, generation, meaning.closest(all_filters, CLOSEST), None
            )
        return SearchResult(
            total=matches.bit_count(),
            hits=self._hits(connection, generation, page_ids, compiled),
            facets=facets,
            dropped_words=dropped,
            closest=closest,
        )

    def _meaning(
        self, connection: sqlite3.Connection, generation: int, text: str
    ) -> Meaning | None:
        if self.embedder is None:
            return None
        dense = self._current_dense(connection, generation)
        if not len(dense.ids):
            return None
        return Meaning(dense, dense.similarities(self.embedder.embed_query(text)))

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
        self,
        connection: sqlite3.Connection,
        generation: int,
        ids: list[int],
        compiled: Compiled | None,
    ) -> list[Hit]:
        """The hits of `ids`, each document with its vector when the engine has one
        (similar practices compare them)."""
        if not ids:
            return []
        dense = self._current_dense(connection, generation) if self.embedder else None
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
            if dense is not None:
                document = dataclasses.replace(document, vector=dense.vector(doc_id))
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


@dataclass(frozen=True)
class Meaning:
    """The query's similarity to every document with a vector."""

    dense: Dense
    similarities: Vector

    @property
    def matches(self) -> int:
        """The meaning matches: documents at or above the similarity floor."""
        return bitset(int(i) for i in self.dense.ids[self.similarities >= SIMILARITY_FLOOR])

    def fused(
        self,
        lexical: list[tuple[int, float]],
        members: int,
        words: int,
        fuse: Callable[[Scores, Scores, float], Scores],
    ) -> list[int]:
        """The ids of `members`, best first by the fusion of both rankings."""
        rows = members_mask(self.dense.ids, members)
        ids = self.dense.ids[rows]
        similarity = self.similarities[rows].astype(np.float64)
        lexical_score = dict(lexical)
        with_vector = set(ids.tolist())
        lexical_only = [i for i, _ in lexical if i not in with_vector]  # indexed without one
        scores = np.fromiter((lexical_score.get(int(i), 0.0) for i in ids), np.float64, len(ids))
        fused = fuse(scores, similarity, meaning_weight(words))
        order = ids[np.argsort(-fused, kind="stable")].tolist()
        return [*order, *lexical_only]

    def closest(self, members: int, count: int) -> list[int]:
        rows = np.flatnonzero(members_mask(self.dense.ids, members))
        best = rows[np.argsort(-self.similarities[rows], kind="stable")[:count]]
        return [int(i) for i in self.dense.ids[best]]


def _batches(documents: Iterable[SearchDocument]) -> Iterator[list[SearchDocument]]:
    batch: list[SearchDocument] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= WRITE_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
