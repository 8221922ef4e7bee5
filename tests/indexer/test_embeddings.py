"""Sentence embeddings kept in the store: computed once per text and model, reused by
every index rebuild (SPEC section 3), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import inspect, text

from indexer.casestudy.pipeline import Pipeline
from indexer.loading import find_case_studies, load
from indexer.publishing import Publisher
from indexer.search.base import SearchQuery
from indexer.search.embedding import Embedder, Vector, default_embedder
from indexer.search.sqlite import SqliteEngine
from indexer.store import Store
from indexer.store.database import create_store_engine, migrate
from tests.conftest import CONTENT

PREVIOUS = "0003"  # the revision 0004 follows


class Counting(Embedder):
    """The real model, counting the passages it is asked to embed."""

    def __init__(self, model: Embedder) -> None:
        self.model = model
        self.model_id = model.model_id
        self.dimensions = model.dimensions
        self.passages = 0

    def embed_query(self, text: str) -> Vector:
        return self.model.embed_query(text)

    def embed_passages(self, texts: Sequence[str]) -> Vector:
        self.passages += len(texts)
        return self.model.embed_passages(texts)


def seed_files() -> list[Path]:
    return find_case_studies([CONTENT])


def test_loading_embeds_each_practice_once_and_a_rebuild_embeds_none(
    store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    model = Counting(default_embedder())
    engine = SqliteEngine(tmp_path / "search.sqlite3", pipeline.taxonomy, model)
    publisher = Publisher(store, engine, pipeline.taxonomy)
    files = seed_files()
    load(files, pipeline, publisher, author="test")
    assert model.passages == len(files)
    assert publisher.rebuild() == len(files)
    assert model.passages == len(files)  # every vector came from the store
    # the rebuilt index still answers by meaning, across languages
    result = engine.search(SearchQuery(text="une ligue de soccer pour les jeunes réfugiés"))
    assert result.hits[0].document.slug == "newcomer-soccer-league-surrey"
    engine.close()


def test_loading_the_same_files_again_embeds_nothing(
    store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    model = Counting(default_embedder())
    engine = SqliteEngine(tmp_path / "search.sqlite3", pipeline.taxonomy, model)
    publisher = Publisher(store, engine, pipeline.taxonomy)
    files = seed_files()[:5]
    load(files, pipeline, publisher, author="test")
    load(files, pipeline, publisher, author="test")
    assert model.passages == 5
    engine.close()


def test_stored_vectors_are_the_models_and_keyed_by_model(store: Store) -> None:
    model = default_embedder()
    vector = model.embed_passages(["Settlement workers in the public library."])[0]
    store.embeddings.put(model.model_id, {"a" * 64: vector})
    store.embeddings.put(model.model_id, {"a" * 64: np.zeros_like(vector)})  # kept as it was
    assert np.array_equal(store.embeddings.get(model.model_id, ["a" * 64])["a" * 64], vector)
    assert store.embeddings.get("another-model-1.0", ["a" * 64]) == {}
    assert store.embeddings.get(model.model_id, ["b" * 64]) == {}


def test_the_migration_keeps_the_practices_of_an_older_store(store_url: str) -> None:
    empty_database = create_store_engine(store_url)
    migrate(empty_database, PREVIOUS)
    with empty_database.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO practice (slug, language, title, front_matter, body, html, text, "
                "sections, content_hash, revision, source, created_at, updated_at) VALUES "
                "('kept', 'en', 'Kept', '{}', '', '', '', '{}', 'h', 1, 's', "
                "'2024-01-01', '2024-01-01')"
            )
        )
    migrate(empty_database)
    assert "embedding" in inspect(empty_database).get_table_names()
    with empty_database.connect() as connection:
        assert connection.execute(text("SELECT slug FROM practice")).scalar_one() == "kept"
    empty_database.dispose()
