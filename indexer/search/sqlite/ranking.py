"""Relevance order of the embedded engine (SPEC section 6).

No query word is required. Documents are ordered by

1. how many meaningful query words they match (a `Group` covers one word, or the words of
   a taxonomy phrase; a synonym match counts as matching the word),
2. how many of those they match directly rather than only through a synonym ("youth"
   said, not only "students"),
3. bm25 over the weighted columns (`fields.WEIGHTS`),
4. the reader's language: of two equally good practices, theirs comes first.

Each group costs one FTS5 lookup (two when it has synonyms); bm25 comes from one more, so
a query of k words costs at most 2k + 1 term-list scans, all in SQLite's C code.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from indexer.search.fields import WEIGHTS
from indexer.search.sqlite.query import Compiled
from indexer.search.sqlite.snapshot import bitset

BM25_MARKS = ", ".join("?" * len(WEIGHTS))
SCORE_DIGITS = 6  # bm25 scores this close are a tie, left to the reader's language


@dataclass(frozen=True)
class Ranking:
    ids: list[int]  # every matching document, best first
    group_bits: list[int]  # per group of the query, the documents it matches (a bitset)


def rank(connection: sqlite3.Connection, compiled: Compiled, reader: int) -> Ranking:
    """Rank the documents matching any group; `reader` is the bitset of the documents in
    the reader's language (0: no preference)."""
    rows = connection.execute(
        f"SELECT rowid, bm25(fts, {BM25_MARKS}) FROM fts WHERE fts MATCH ?",
        (*WEIGHTS, compiled.match),
    ).fetchall()
    groups = compiled.groups
    matched: list[set[int]] = []
    direct: list[set[int]] = []
    for group in groups:
        found = {row[0] for row in rows} if len(groups) == 1 else _ids(connection, group.match)
        matched.append(found)
        direct.append(found if group.direct == group.match else _ids(connection, group.direct))
    packed = reader.to_bytes((reader.bit_length() + 7) // 8, "little")

    def key(row: tuple[int, float]) -> tuple[int, int, float, bool, int]:
        doc_id, score = row
        byte = doc_id >> 3
        theirs = byte < len(packed) and bool(packed[byte] >> (doc_id & 7) & 1)
        return (
            -sum(g.weight for g, ids in zip(groups, matched, strict=True) if doc_id in ids),
            -sum(g.weight for g, ids in zip(groups, direct, strict=True) if doc_id in ids),
            round(score, SCORE_DIGITS),
            not theirs,
            doc_id,
        )

    ordered = sorted(rows, key=key)
    return Ranking([row[0] for row in ordered], [bitset(ids) for ids in matched])


def _ids(connection: sqlite3.Connection, match: str) -> set[int]:
    return {
        row[0] for row in connection.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (match,))
    }
