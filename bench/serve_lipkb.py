"""Serve the project's app (`api.app.create_app`) with uvicorn, one worker, plus a trivial
JSON route mounted on the same app object: the framework's floor.

`--cache-size N` re-registers the `sqlite` engine (through the public registry, as a
third-party engine would register) with a result cache of N entries; 0 turns it off.
Without it the engine keeps its default.

    .venv/bin/python bench/serve_lipkb.py --data bench/out/data/10000 --port 8701
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import uvicorn
from common import HOST

from api.app import create_app
from indexer.casestudy.taxonomy import Taxonomy
from indexer.operations.config import Settings
from indexer.search import registry
from indexer.search.base import SearchEngine
from indexer.search.embedding import Embedder
from indexer.search.sqlite import SqliteEngine


def sqlite_with_cache(cache_size: int) -> registry.EngineFactory:
    """A factory of the sqlite engine with a result cache of `cache_size` entries."""

    def sqlite_engine(settings: Settings, taxonomy: Taxonomy, embedder: Embedder) -> SearchEngine:
        path = settings.data_dir / "search.sqlite3"
        return SqliteEngine(path, taxonomy, embedder, cache_size=cache_size)

    return sqlite_engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cache-size", type=int, default=None)
    args = parser.parse_args(argv)
    if args.cache_size is not None:
        registry.register("sqlite", sqlite_with_cache(args.cache_size))
    app = create_app(Settings(data_dir=args.data))

    # A sync route like /api/search, so both take the same path through the framework
    # (validation, threadpool, JSON response); only the work inside differs.
    @app.get("/bench/trivial")
    def trivial() -> dict[str, object]:
        return {"ok": True, "engine": "none", "hits": []}

    uvicorn.run(app, host=HOST, port=args.port, log_level="warning", access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
