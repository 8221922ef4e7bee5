"""The seed corpus (content/practices) as documents with their vectors, and engines over it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from indexer.casestudy.pipeline import Pipeline
from indexer.loading import find_case_studies
from indexer.search.base import SearchDocument
from indexer.search.documents import to_document
from indexer.search.embedding import attach_vectors, default_embedder
from indexer.search.sqlite import SqliteEngine

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def seed_documents(pipeline: Pipeline) -> list[SearchDocument]:
    """Every seed practice, embedded once by the real model."""
    checked = [pipeline.check_file(path) for path in find_case_studies([ROOT / "content"])]
    documents = [
        to_document(c.practice, pipeline.taxonomy, date(2024, 1, 1)) for c in checked if c.practice
    ]
    return attach_vectors(documents, default_embedder())[0]


@pytest.fixture(scope="module")
def seeded_engine(
    tmp_path_factory: pytest.TempPathFactory,
    pipeline: Pipeline,
    seed_documents: list[SearchDocument],
) -> Iterator[SqliteEngine]:
    """The sqlite engine as users get it (hybrid) holding the seed corpus."""
    path = tmp_path_factory.mktemp("seeded") / "s.sqlite3"
    engine = SqliteEngine(path, pipeline.taxonomy, default_embedder())
    engine.index(seed_documents)
    yield engine
    engine.close()
