"""The embedded engine's meaning side: every document's vector in one matrix in memory.

Vectors are kept in the index file as float16 (1 KB a document at 512 dimensions) and
held here as float32: NumPy has no fast float16 (or int8) product, and converting a
compact matrix on every query costs 8x the product itself (docs/search.md). Like the
snapshot, a `Dense` is immutable and tied to one index generation.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from indexer.search.embedding import Vector

Ids = npt.NDArray[np.int64]


def to_blob(vector: Vector) -> bytes:
    return np.asarray(vector, dtype="<f2").tobytes()


@dataclass(frozen=True)
class Dense:
    generation: int
    ids: Ids  # document id of each row
    matrix: Vector  # (rows, dimensions) float32

    @classmethod
    def load(cls, connection: sqlite3.Connection, generation: int) -> Dense:
        rows = connection.execute("SELECT id, vector FROM vectors ORDER BY id").fetchall()
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        if not rows:
            return cls(generation, ids, np.zeros((0, 0), dtype=np.float32))
        packed = b"".join(row[1] for row in rows)
        matrix = np.frombuffer(packed, dtype="<f2").astype(np.float32).reshape(len(rows), -1)
        return cls(generation, ids, matrix)

    def vector(self, doc_id: int) -> Vector | None:
        row = int(np.searchsorted(self.ids, doc_id))
        if row < len(self.ids) and self.ids[row] == doc_id:
            found: Vector = self.matrix[row]
            return found
        return None

    def similarities(self, query: Vector) -> Vector:
        """Cosine similarity of every row to the (normalised) query vector."""
        if not len(self.ids) or self.matrix.shape[1] != query.shape[0]:
            return np.zeros(len(self.ids), dtype=np.float32)
        scores: Vector = self.matrix @ query.astype(np.float32, copy=False)
        return scores


def members_mask(ids: Ids, members: int) -> npt.NDArray[np.bool_]:
    """For each id, whether its bit is set in the bitset `members`."""
    if not len(ids):
        return np.zeros(0, dtype=bool)
    size = int(ids.max()) + 1
    packed = members.to_bytes(max((members.bit_length() + 7) // 8, 1), "little")
    bits = np.unpackbits(np.frombuffer(packed, dtype=np.uint8), bitorder="little")
    if len(bits) < size:
        bits = np.pad(bits, (0, size - len(bits)))
    mask: npt.NDArray[np.bool_] = bits[ids].astype(bool)
    return mask
