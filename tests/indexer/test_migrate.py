"""`lipkb migrate`: processes started together migrate once and agree on the result."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from indexer.store.database import create_store_engine, schema_revision

LIPKB = Path(sys.executable).parent / "lipkb"


def test_concurrent_migrations_take_turns_and_reach_the_newest_schema(
    store_url: str, tmp_path: Path
) -> None:
    env = {**os.environ, "LIPKB_DATABASE_URL": store_url, "LIPKB_DATA_DIR": str(tmp_path)}
    runs = [
        subprocess.Popen(
            [str(LIPKB), "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, [err.decode() for _, err in outputs]
    engine = create_store_engine(store_url)
    try:
        head = schema_revision(engine)
        assert head is not None
        expected = [f"store schema at {head} (newest)", "search index ready (sqlite engine)"]
        assert all(out.decode().splitlines() == expected for out, _ in outputs)
        assert "practice" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_an_unreachable_meilisearch_fails_the_migration_in_one_line(tmp_path: Path) -> None:
    """The store is migrated; the index settings cannot be applied: exit 1, say why."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "LIPKB_DATA_DIR": str(tmp_path),
        "LIPKB_SEARCH_ENGINE": "meilisearch",
        "MEILI_URL": f"http://127.0.0.1:{port}",
        "MEILI_MASTER_KEY": "a-master-key-of-32-bytes-or-more!",
    }
    run = subprocess.run(
        [str(LIPKB), "migrate"], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 1
    assert run.stdout.startswith("store schema at ")
    (line,) = run.stderr.splitlines()
    assert line.startswith(
        "lipkb migrate: the search index could not be prepared: cannot reach Meilisearch at "
        f"http://127.0.0.1:{port} (list the API keys"
    )
    assert env["MEILI_MASTER_KEY"] not in run.stderr
