"""`SqliteEngine`: the embedded, zero-set-up search engine (SQLite FTS5 in its own file)."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.casestudy.taxonomy import Taxonomy
from indexer.casestudy.words import tokens
from indexer.operations.config import Settings
from indexer.search.base import (
    FACETS,
    Capabilities,
    EngineUnavailable,
    Health,
    Hit,
    SearchDocument,
    SearchEngine,
    SearchQuery,
    SearchResult,
)
from indexer.search.embedding import SIMILARITY_FLOOR, Embedder, Vector, attach_vectors
from indexer.search.fields import SEARCHABLE, SORTABLE
from indexer.search.fusion import FUSIONS, Scores, meaning_weight
from indexer.search.sqlite import schema
from indexer.search.sqlite.analysis import Analyzer
from indexer.search.sqlite.cache import ResultCache, query_key
from indexer.search.sqlite.connections import Pool
from indexer.search.sqlite.dense import Dense, members_mask, to_blob
from indexer.search.sqlite.highlight import highlight
from indexer.search.sqlite.query import MAX_WORDS, Compiled, compile_query
from indexer.search.sqlite.ranking import Ranking, rank
from indexer.search.sqlite.schema import FTS_COLUMNS, SORT_COLUMNS
from indexer.search.sqlite.snapshot import Snapshot, bitset, ids_in
from indexer.search.sqlite.thesaurus import Thesaurus
from indexer.search.synonyms import synonym_groups

REBUILD_SUFFIX = "_next"
WRITE_BATCH = 500
INCREMENTAL_VACUUM = 2  # PRAGMA auto_vacuum: freed pages can be given back after a rebuild
LOG = logging.getLogger(__name__)
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
        self._pool = Pool(path)
        self._write_lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._vocabulary: tuple[int, set[tuple[str, str]]] | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        self._open_index()

    @classmethod
    def from_settings(
        cls, settings: Settings, taxonomy: Taxonomy, embedder: Embedder | None
    ) -> SqliteEngine:
        return cls(settings.data_dir / "search.sqlite3", taxonomy, embedder)

    # the file ------------------------------------------------------------------------

    def _open_index(self) -> None:
        """Create the tables, after moving a damaged file aside: the index is derived, and
        an empty one is rebuilt from the store (`ensure_index`, `lipkb reindex`)."""
        try:
            with self._pool.connection() as connection:
                damage = schema.damage(connection, thorough=True)
        except sqlite3.DatabaseError as err:
            damage = str(err)
        if damage:
            LOG.warning("search index %s is damaged (%s): starting a new one", self.path, damage)
            self._pool.close()
            os.replace(self.path, self.path.with_name(f"{self.path.name}.damaged"))
            for suffix in ("-wal", "-shm"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        with self._pool.connection() as connection:
            # Only takes effect before the first table exists (see `_compact`).
            connection.execute(f"PRAGMA auto_vacuum = {INCREMENTAL_VACUUM}")
        with self._write() as connection:
            schema.create_meta(connection)
            schema.create_tables(connection)

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A connection; a damaged or unreadable file is `EngineUnavailable` (HTTP 503)."""
        try:
            with self._pool.connection() as connection:
                yield connection
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError):
            raise  # our mistakes, not the file's
        except sqlite3.DatabaseError as err:
            raise EngineUnavailable(
                f"the search index cannot be read ({err}); `lipkb reindex` rebuilds it"
            ) from err

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._reading() as connection, self._write_lock:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _compact(self) -> None:
        """Give the replaced tables' pages back and empty the WAL: without it the file
        stays at the size of two indexes after a rebuild. Readers go on meanwhile."""
        with self._reading() as connection, self._write_lock:
            if connection.execute("PRAGMA auto_vacuum").fetchone()[0] == INCREMENTAL_VACUUM:
                # executescript steps it to the end; execute frees a single page.
                connection.executescript("PRAGMA incremental_vacuum")
            else:  # a file made before auto_vacuum was set: converted once, the slow way
                connection.execute(f"PRAGMA auto_vacuum = {INCREMENTAL_VACUUM}")
                connection.execute("VACUUM")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def close(self) -> None:
        self._pool.close()

    # writing -------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> None:
        for batch in self._with_vectors(documents):
            with self._write() as connection:
                known = self._known_vocabulary(connection)
                rebuilding = schema.rebuilding(connection, REBUILD_SUFFIX)
                for document in batch:
                    self._insert(connection, document, "", known)
                    if rebuilding:
                        self._insert(connection, document, REBUILD_SUFFIX, set())
                if rebuilding:
                    schema.touch(connection, REBUILD_SUFFIX, [d.slug for d in batch])
                schema.bump_generation(connection)
                self._vocabulary = (schema.generation(connection), known)

    def delete(self, slugs: Iterable[str]) -> None:
        with self._write() as connection:
            suffixes = [""]
            gone = list(slugs)
            if schema.rebuilding(connection, REBUILD_SUFFIX):
                suffixes.append(REBUILD_SUFFIX)
                schema.touch(connection, REBUILD_SUFFIX, gone)
            for suffix in suffixes:
                for slug in gone:
                    row = connection.execute(
                        f"SELECT id FROM docs{suffix} WHERE slug = ?", (slug,)
                    ).fetchone()
                    if row:
                        connection.execute(f"DELETE FROM docs{suffix} WHERE id = ?", row)
                        connection.execute(f"DELETE FROM fts{suffix} WHERE rowid = ?", row)
                        connection.execute(f"DELETE FROM vectors{suffix} WHERE id = ?", row)
            schema.bump_generation(connection)

    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        self._open_index()  # a damaged file is replaced first: the rebuild mends it
        with self._write() as connection:
            schema.start_rebuild(connection, REBUILD_SUFFIX)
        # Filled in several transactions so that readers are never blocked for long; the
        # live tables answer searches until the swap below. Writes made meanwhile are
        # newer than the documents read before them: their slugs are skipped here.
        known: set[tuple[str, str]] = set()
        try:
            for batch in self._with_vectors(documents):
                with self._write() as connection:
                    skip = schema.touched(connection, REBUILD_SUFFIX)
                    for document in batch:
                        if document.slug not in skip:
                            self._insert(connection, document, REBUILD_SUFFIX, known, False)
        except BaseException:
            with self._write() as connection:
                schema.drop(connection, REBUILD_SUFFIX)
            raise
        with self._write() as connection:
            schema.swap_in(connection, REBUILD_SUFFIX)
            schema.bump_generation(connection)
        self._compact()

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
            connection.execute(
                f"UPDATE docs{suffix} SET {assignments} WHERE id = ?", (*values, doc_id)
            )
            connection.execute(f"DELETE FROM fts{suffix} WHERE rowid = ?", (doc_id,))
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
        with self._reading() as connection:
            return int(connection.execute("SELECT count(*) FROM docs").fetchone()[0])

    def health(self) -> Health:
        try:
            with self._reading() as connection:
                damage = schema.damage(connection, thorough=False)
                count = int(connection.execute("SELECT count(*) FROM docs").fetchone()[0])
        except (EngineUnavailable, sqlite3.Error) as err:
            return Health(False, str(err))
        if damage:
            return Health(False, f"the search index is damaged ({damage}); run `lipkb reindex`")
        return Health(True, "ok", count)

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
        with self._reading() as connection:
            connection.execute("BEGIN")  # one consistent view of tables and generation
            generation = schema.generation(connection)
            key = query_key(generation, query)
            result = self.cache.get(key)
            if result is None:
                result = self._search(connection, generation, query)
                self.cache.put(key, result)
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
        dropped: list[str] = []
        ranking: Ranking | None = None
        compiled: Compiled | None = None
        text_bits = snapshot.all_ids
        if words:
            last_is_prefix = not query.text[-1].isspace()
            compiled = compile_query(
                words, last_is_prefix, self.analyzer, snapshot.vocabulary, self.thesaurus
            )
            reader = snapshot.facets["language"].get(query.lang or "", 0)
            ranking = rank(connection, compiled, reader)
            lexical_bits = bitset(ranking.ids)
            text_bits = lexical_bits | (meaning.matches if meaning else 0)
            if lexical_bits & all_filters:  # else: report the query as it was
                dropped = [
                    word
                    for group, bits in zip(compiled.groups, ranking.group_bits, strict=True)
                    if not bits & all_filters
                    for word in group.words
                ]
        matches = text_bits & all_filters
        skip = (query.page - 1) * query.per_page
        if ranking is None or query.sort != "relevance":
            order = snapshot.by_title if query.sort == "title" else snapshot.newest
        elif meaning is None:
            order = ranking.ids
        else:
            words_typed = len(tokens(query.text))
            order = meaning.fused(ranking.scores(), matches, words_typed, self.fuse)
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
