"""Shared fixtures: the real taxonomy, a pipeline, stores on SQLite and PostgreSQL, and a
publisher over a store and the embedded search engine."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from indexer.pipeline import Pipeline
from indexer.publishing import Publisher
from indexer.search import registry
from indexer.settings import Settings
from indexer.store import Store
from indexer.store.database import sqlite_url
from indexer.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
POSTGRES_URL = os.environ.get("LIPKB_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


@pytest.fixture(scope="session")
def pipeline(taxonomy: Taxonomy) -> Pipeline:
    return Pipeline(taxonomy)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, and a fresh PostgreSQL schema when
    LIPKB_TEST_DATABASE_URL is set (dropped afterwards)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "store.sqlite3")
        return
    if not POSTGRES_URL:
        if os.environ.get("LIPKB_REQUIRE_POSTGRES"):
            pytest.fail("LIPKB_REQUIRE_POSTGRES is set but LIPKB_TEST_DATABASE_URL is not")
        pytest.skip("LIPKB_TEST_DATABASE_URL is not set: no PostgreSQL server to test against")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def store(database_url: str, taxonomy: Taxonomy) -> Iterator[Store]:
    """A fresh, migrated store on SQLite, and on PostgreSQL when LIPKB_TEST_DATABASE_URL is set."""
    opened = Store.open(database_url, taxonomy)
    yield opened
    opened.close()


@pytest.fixture
def publisher(store: Store, tmp_path: Path, taxonomy: Taxonomy) -> Iterator[Publisher]:
    """The publishing service over `store` and an embedded search index in `tmp_path`."""
    engine = registry.create(Settings(data_dir=tmp_path / "index"), taxonomy)
    yield Publisher(store, engine, taxonomy)
    engine.close()
