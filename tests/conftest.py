"""Shared fixtures: the real taxonomy, a pipeline, stores on SQLite and PostgreSQL, and a
publisher over a store and the embedded search engine."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy
from indexer.loading import LoadReport, find_case_studies, load
from indexer.operations.config import Settings
from indexer.publishing import Publisher
from indexer.search import registry
from indexer.store import Store
from indexer.store.database import sqlite_url

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
POSTGRES_URL = os.environ.get("LIPKB_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


@pytest.fixture(scope="session")
def pipeline(taxonomy: Taxonomy) -> Pipeline:
    return Pipeline(taxonomy)


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Makes URLs of fresh, empty databases: `fresh_database("sqlite")`, and
    `fresh_database("postgresql")` (a schema of its own, dropped afterwards) when
    LIPKB_TEST_DATABASE_URL is set."""
    schemas: list[str] = []

    def make(kind: str) -> str:
        if kind == "sqlite":
            return sqlite_url(tmp_path / f"store-{uuid.uuid4().hex[:8]}.sqlite3")
        if not POSTGRES_URL:
            if os.environ.get("LIPKB_REQUIRE_POSTGRES"):
                pytest.fail("LIPKB_REQUIRE_POSTGRES is set but LIPKB_TEST_DATABASE_URL is not")
            pytest.skip("LIPKB_TEST_DATABASE_URL is not set: no PostgreSQL server to test against")
        schema = f"test_{uuid.uuid4().hex[:12]}"
        assert admin is not None
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        schemas.append(schema)
        separator = "&" if "?" in POSTGRES_URL else "?"
        return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"

    admin = create_engine(POSTGRES_URL) if POSTGRES_URL else None
    yield make
    if admin is not None:
        with admin.begin() as connection:
            for schema in schemas:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, fresh_database: Callable[[str], str]) -> str:
    """The URL of a fresh, empty database on SQLite, and on PostgreSQL when
    LIPKB_TEST_DATABASE_URL is set."""
    return fresh_database(request.param)


@pytest.fixture
def store(store_url: str, taxonomy: Taxonomy) -> Iterator[Store]:
    """A fresh, migrated store on SQLite, and on PostgreSQL when LIPKB_TEST_DATABASE_URL is set."""
    opened = Store.open(store_url, taxonomy)
    yield opened
    opened.close()


@contextmanager
def publisher_at(folder: Path, taxonomy: Taxonomy) -> Iterator[Publisher]:
    """A publishing service over a SQLite store and an embedded index in `folder` (for
    module-scoped fixtures, which cannot use the function-scoped `store`)."""
    store = Store.open(sqlite_url(folder / "store.sqlite3"), taxonomy)
    engine = registry.create(Settings(data_dir=folder / "index"), taxonomy)
    try:
        yield Publisher(store, engine, taxonomy)
    finally:
        engine.close()
        store.close()


@pytest.fixture
def publisher(store: Store, tmp_path: Path, taxonomy: Taxonomy) -> Iterator[Publisher]:
    """The publishing service over `store` and an embedded search index in `tmp_path`."""
    engine = registry.create(Settings(data_dir=tmp_path / "index"), taxonomy)
    yield Publisher(store, engine, taxonomy)
    engine.close()


def load_folders(store: Store, folders: list[Path], index_dir: Path) -> LoadReport:
    """Publish the case studies of folders into `store`, indexing them in `index_dir`."""
    engine = registry.create(Settings(data_dir=index_dir), store.taxonomy)
    try:
        publisher = Publisher(store, engine, store.taxonomy)
        files = find_case_studies(folders)
        return load(files, Pipeline(store.taxonomy), publisher, author="test")
    finally:
        engine.close()
