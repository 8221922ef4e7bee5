"""Relevance order of the embedded engine (SPEC section 6).

No query word is required. Documents are ordered by

1. how many meaningful query words they match (a `Group` covers one word, or the words of
   a taxonomy phrase; a synonym match counts as matching the word),
2. how many of those they match directly rather than only through a synonym ("youth"
   said, not only "students"),
3. bm25 over the weighted columns (`fields.WEIGHTS`),
4. the reader's language: of two equally good practices, theirs comes first.

Each group costs one FTS5 lookup (two when it has synonyms); bm25 comes from one more, so
a query of k words costs at most 2k + 1 lookups in SQLite's C code, then one pass
over the matching documents for the tiers, vectorised with NumPy (none for one word
without synonyms).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from indexer.search.fields import WEIGHTS
from indexer.search.sqlite.query import Compiled
from indexer.search.sqlite.snapshot import bitset

BM25_MARKS = ", ".join("?" * len(WEIGHTS))
SCORE_DIGITS = 6  # bm25 scores this close are a tie, left to the reader's language


@dataclass(frozen=True)
class Ranking:
    ids: list[int]  # every matching document, best first
    group_bits: list[int]  # per group of the query, the documents it matches (a bitset)

    def scores(self) -> list[tuple[int, float]]:
        """One lexical score per id for fusing with the meaning side, falling linearly
        from 1 with the rank: the fusion then keeps this order (more meaningful words
        matched first), which bm25 alone would not."""
        count = len(self.ids)
        return [(doc_id, (count - rank) / count) for rank, doc_id in enumerate(self.ids)]


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
    tiered = len(groups) > 1 or direct[0] is not matched[0]
    ids = [row[0] for row in rows]
    scores = [row[1] for row in rows]
    words = said = [0] * len(ids)
    if tiered:
        # The tiers of every document at once (NumPy): the weight of the groups it
        # matches, then of those it matches directly; bm25 order kept within a tier.
        present = np.array(ids, dtype=np.int64)
        weights = np.zeros(len(ids), dtype=np.int64)
        direct_weights = np.zeros(len(ids), dtype=np.int64)
        for group, match_ids, direct_ids in zip(groups, matched, direct, strict=True):
            in_match = np.isin(present, _array(match_ids))
            in_direct = (
                in_match if direct_ids is match_ids else np.isin(present, _array(direct_ids))
            )
            weights += group.weight * in_match
            direct_weights += group.weight * in_direct
        order = np.lexsort((-direct_weights, -weights)).tolist()  # stable
        ids = [ids[i] for i in order]
        scores = [scores[i] for i in order]
        words = (-weights[order]).tolist()
        said = (-direct_weights[order]).tolist()
    if not reader:
        return Ranking(ids, [bitset(found) for found in matched])
    keys = [
        (w, d, round(score, SCORE_DIGITS)) for w, d, score in zip(words, said, scores, strict=True)
    ]
    ranked = _readers_first(list(zip(keys, ids, strict=True)), reader)
    return Ranking(ranked, [bitset(found) for found in matched])


def _array(ids: set[int]) -> npt.NDArray[np.int64]:
    return np.fromiter(ids, dtype=np.int64, count=len(ids))


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
