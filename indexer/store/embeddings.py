"""Stored sentence embeddings (the `embedding` table), read and written in batches."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from indexer.store.models import EmbeddingRow

Vector = npt.NDArray[np.float32]

BATCH = 500  # hashes per SELECT, well under every backend's parameter limit


class EmbeddingStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, model_id: str, hashes: Collection[str]) -> dict[str, Vector]:
        """The stored vectors of `hashes` (those never stored are left out)."""
        wanted = sorted(set(hashes))
        table = EmbeddingRow.__table__  # type: ignore[attr-defined]
        out: dict[str, Vector] = {}
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), BATCH):
                rows = connection.execute(
                    select(table.c.content_hash, table.c.vector).where(
                        table.c.model_id == model_id,
                        table.c.content_hash.in_(wanted[start : start + BATCH]),
                    )
                )
                for digest, blob in rows:
                    out[digest] = np.frombuffer(blob, dtype="<f4")
        return out

    def put(self, model_id: str, vectors: Mapping[str, Vector]) -> None:
        """Store vectors; one already stored (a concurrent writer's) is kept as it is."""
        if not vectors:
            return
        table = EmbeddingRow.__table__  # type: ignore[attr-defined]
        rows = [
            {
                "model_id": model_id,
                "content_hash": digest,
                "vector": np.asarray(vector, dtype="<f4").tobytes(),
            }
            for digest, vector in vectors.items()
        ]
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        with self.engine.begin() as connection:
            connection.execute(dialect.insert(table).on_conflict_do_nothing(), rows)
