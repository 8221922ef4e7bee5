"""Sentence embeddings kept in the store: computed once per text and model, reused by
every index rebuild (SPEC section 3), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, inspect, text

from indexer.loading import find_case_studies
from indexer.pipeline import Pipeline
from indexer.search.base import SearchQuery
from indexer.search.embedding import Embedder, Vector, default_embedder
from indexer.search.sqlite import SqliteEngine
from indexer.store import Store
from indexer.store.database import MIGRATIONS, migrate, sqlite_url
from indexer.sync import load_and_index, rebuild_index
from tests.conftest import CONTENT, POSTGRES_URL

PREVIOUS = "0001"  # the revision 0004 follows in this branch ("0003" once merged)


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
    files = seed_files()
    load_and_index(files, pipeline, store, engine)
    assert model.passages == len(files)
    assert rebuild_index(store, engine) == len(files)
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
    files = seed_files()[:5]
    load_and_index(files, pipeline, store, engine)
    load_and_index(files, pipeline, store, engine)
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


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database on SQLite, and on PostgreSQL when LIPKB_TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        engine = create_engine(sqlite_url(tmp_path / "old.sqlite3"))
        yield engine
        engine.dispose()
        return
    if not POSTGRES_URL:
        pytest.skip("LIPKB_TEST_DATABASE_URL is not set: no PostgreSQL server to test against")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    engine = create_engine(f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}")
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_the_migration_keeps_the_practices_of_an_older_store(empty_database: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with empty_database.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, PREVIOUS)
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
