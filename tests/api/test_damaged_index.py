"""A damaged search index never stops the service: rebuilt from the store at start-up,
a clear 503 (and not ready) while the running service cannot read it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from indexer.operations.config import Settings
from tests.api.conftest import seeded_settings
from tests.search.test_sqlite_reliability import DAMAGE

SEEDED = 63  # practices in content/


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return seeded_settings(tmp_path_factory.mktemp("seeded"))


def copy_of(seeded: Settings, tmp_path: Path) -> Settings:
    """A data folder of its own holding the seeded store and index."""
    for path in seeded.data_dir.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    return Settings(data_dir=tmp_path, content_dir=seeded.content_dir)


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_index_is_rebuilt_from_the_store_at_start_up(
    seeded: Settings, tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    settings = copy_of(seeded, tmp_path)
    damage(settings.data_dir / "search.sqlite3")
    with TestClient(create_app(settings)) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["indexed"] == ready.json()["practices"] == SEEDED
        assert client.get("/api/search", params={"q": "housing"}).json()["total"] > 0


def test_an_index_damaged_while_serving_answers_503_and_is_not_ready(
    seeded: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = copy_of(seeded, tmp_path)
    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").status_code == 200
        with sqlite3.connect(settings.data_dir / "search.sqlite3") as connection:
            connection.execute("DROP TABLE fts")
        response = client.get("/api/search", params={"q": "interpreters"})
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["detail"] == "search is not ready (sqlite); see the server log"
        assert "fts missing" in caplog.text
        assert client.get("/healthz").status_code == 200
