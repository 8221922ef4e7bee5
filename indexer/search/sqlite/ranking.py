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
    # Per id, one lexical score for fusing with the meaning side: bm25 (higher is better)
    # scaled by the share of the query's word weight the document matches.
    scores: dict[int, float]


def rank(connection: sqlite3.Connection, compiled: Compiled, reader: int) -> Ranking:
    """Rank the documents matching any group; `reader` is the bitset of the documents in
    the reader's language (0: no preference)."""
    rows: list[tuple[int, float]] = connection.execute(
        f"SELECT rowid, bm25(fts, {BM25_MARKS}) FROM fts WHERE fts MATCH ? ORDER BY 2, 1",
        (*WEIGHTS, compiled.match),
    ).fetchall()
    groups = compiled.groups
    matched: list[set[int]] = []
    direct: list[set[int]] = []
    for group in groups:
        found = {row[0] for row in rows} if len(groups) == 1 else _ids(connection, group.match)
        matched.append(found)
        direct.append(found if group.direct == group.match else _ids(connection, group.direct))
    weights = [group.weight for group in groups]
    tiered = len(groups) > 1 or direct[0] is not matched[0]

    def key(row: tuple[int, float]) -> tuple[int, int, float]:
        doc_id, score = row
        if not tiered:
            return (0, 0, round(score, SCORE_DIGITS))
        return (
            -sum(w for w, ids in zip(weights, matched, strict=True) if doc_id in ids),
            -sum(w for w, ids in zip(weights, direct, strict=True) if doc_id in ids),
            round(score, SCORE_DIGITS),
        )

    keyed = [(key(row), row[0]) for row in rows]
    if tiered:
        keyed.sort(key=lambda item: item[0][:2])  # stable: bm25 order within a tier
    ids = _readers_first(keyed, reader) if reader else [doc_id for _, doc_id in keyed]
    total = sum(weights) or 1
    scores = {
        doc_id: -score
        * sum(w for w, found in zip(weights, matched, strict=True) if doc_id in found)
        / total
        for doc_id, score in rows
    }
    return Ranking(ids, [bitset(found) for found in matched], scores)


def _readers_first(keyed: list[tuple[tuple[int, int, float], int]], reader: int) -> list[int]:
    """Ids in order, except that among equal keys (ties) the reader's language comes first."""
    packed = reader.to_bytes((reader.bit_length() + 7) // 8, "little")

    def not_theirs(doc_id: int) -> bool:
        byte = doc_id >> 3
        return not (byte < len(packed) and packed[byte] >> (doc_id & 7) & 1)

    out: list[int] = []
    start = 0
    while start < len(keyed):
        end = start + 1
        while end < len(keyed) and keyed[end][0] == keyed[start][0]:
            end += 1
        out.extend(sorted((doc_id for _, doc_id in keyed[start:end]), key=not_theirs))
        start = end
    return out


def _ids(connection: sqlite3.Connection, match: str) -> set[int]:
    return {
        row[0] for row in connection.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (match,))
    }
