"""A process killed between the store commit and the index update (SIGKILL, through the
`LIPKB_FAULT` point) loses nothing: the next start, or `lipkb sync`, repairs the index.

On SQLite and, through the `store` fixture, on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from indexer.faults import VARIABLE
from indexer.operations.config import Settings
from indexer.store import Store
from tests.indexer.test_store import TEXT

LIPKB = Path(sys.executable).parent / "lipkb"
CRASH = {VARIABLE: "after-store-commit"}


def lipkb(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LIPKB), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


@pytest.fixture
def env(store: Store, tmp_path: Path) -> dict[str, str]:
    """The environment of a deployment on the store's database, its content in tmp_path."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "tea.md").write_text(TEXT, encoding="utf-8")
    return {
        **os.environ,
        "LIPKB_DATA_DIR": str(tmp_path / "data"),
        "LIPKB_DATABASE_URL": store.engine.url.render_as_string(hide_password=False),
        "LIPKB_CONTENT_DIR": str(tmp_path / "content"),
    }


def slugs(client: TestClient, query: str) -> list[str]:
    answer = client.get("/api/search", params={"q": query})
    assert answer.status_code == 200, answer.text
    return [hit["slug"] for hit in answer.json()["hits"]]


def test_a_crash_after_the_store_commit_is_repaired_by_the_next_start(
    env: dict[str, str], store: Store, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    assert lipkb(env, "index", str(content)).returncode == 0
    settings = Settings(
        data_dir=Path(env["LIPKB_DATA_DIR"]), database_url=env["LIPKB_DATABASE_URL"]
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").status_code == 200
        (content / "tea.md").write_text(TEXT.replace("monthly tea", "weekly tea"))
        crashed = lipkb({**env, **CRASH}, "index", str(content))
        assert crashed.returncode == -signal.SIGKILL, crashed.stderr
        stored = store.get("seniors-tea")
        assert stored is not None
        assert stored.practice.case_study.summary.startswith("A weekly tea")  # committed
        assert slugs(client, "weekly") == []  # the index has the old text
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert "behind the store by 1 change" in ready.json()["detail"]
    with TestClient(create_app(settings)) as client:  # the restart
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["indexed"] == 1  # replaced, not indexed twice
        assert slugs(client, "weekly") == ["seniors-tea"]
        assert slugs(client, "monthly") == []


def test_lipkb_sync_repairs_a_crashed_load_and_a_crashed_unpublish(
    env: dict[str, str], store: Store, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    crashed = lipkb({**env, **CRASH}, "index", str(content))
    assert crashed.returncode == -signal.SIGKILL
    assert store.count() == 1
    repaired = lipkb(env, "sync")
    assert repaired.returncode == 0, repaired.stderr
    assert repaired.stdout == "1 pending changes applied to the search index\n"
    assert lipkb(env, "sync").stdout.startswith("0 pending changes")  # idempotent
    settings = Settings(
        data_dir=Path(env["LIPKB_DATA_DIR"]), database_url=env["LIPKB_DATABASE_URL"]
    )
    with TestClient(create_app(settings)) as client:
        assert slugs(client, "monthly") == ["seniors-tea"]
        assert client.get("/readyz").json()["indexed"] == 1
        crashed = lipkb({**env, **CRASH}, "unpublish", "seniors-tea")
        assert crashed.returncode == -signal.SIGKILL
        assert slugs(client, "monthly") == ["seniors-tea"]  # still in the index...
        assert client.get("/readyz").status_code == 503  # ...and readiness says so
        assert lipkb(env, "sync").returncode == 0
        assert slugs(client, "monthly") == []
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert (ready.json()["practices"], ready.json()["indexed"]) == (0, 0)
        gone = client.get("/api/practices/seniors-tea")
        assert gone.status_code == 410
        assert gone.json()["detail"].startswith("the practice 'seniors-tea' was withdrawn on ")
        assert client.get("/practices/seniors-tea").status_code == 410
        assert client.get("/practices/no-such-practice").status_code == 404
