"""`lipkb migrate`: processes started together migrate once and agree on the result."""

from __future__ import annotations

import os
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
        assert all(out.decode().strip() == f"store schema at {head} (newest)" for out, _ in outputs)
        assert "practice" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
