"""An app over a store and index loaded with the seed corpus, shared by the API tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy
from indexer.loading import find_case_studies, load
from indexer.operations.config import Settings
from indexer.publishing import Publisher
from indexer.search import registry
from indexer.store import Store

if TYPE_CHECKING:
    from tests.api.writers import Writers

CONTENT = Path(__file__).resolve().parents[2] / "content"


def seeded_settings(data_dir: Path) -> Settings:
    """Settings over a data folder loaded with the seed corpus."""
    settings = Settings(data_dir=data_dir, content_dir=CONTENT)
    taxonomy = Taxonomy.load(settings.taxonomy_path)
    store = Store.open(settings.store_url, taxonomy)
    engine = registry.create(settings, taxonomy)
    publisher = Publisher(store, engine, taxonomy)
    report = load(find_case_studies([CONTENT]), Pipeline(taxonomy), publisher, author="test")
    assert not report.failed, report.problems
    engine.close()
    store.close()
    return settings


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    return create_app(seeded_settings(tmp_path_factory.mktemp("api-data")))


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def writers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Writers]:
    """A seeded app of its own (writes change it) with a token of each role."""
    from tests.api.writers import writers_app  # it builds on seeded_settings, above

    with writers_app(tmp_path_factory.mktemp("writers-data")) as found:
        yield found
