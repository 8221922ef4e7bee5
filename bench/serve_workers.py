"""Serve the knowledge base as production does: the real `lipkb serve --workers N`
(`indexer.cli.main`, what the `lipkb` console script runs: migrations, index catch-up
once, then uvicorn's N worker processes with the production log and limits), on the
bench data folder of a size, with the engine's result cache off as in the "lipkb" row.

The engine has no setting for its cache, so this script registers the sqlite engine
with `cache_size=0` under its own name and selects it with LIPKB_SEARCH_ENGINE. The
registration is at module level on purpose: uvicorn starts its workers with
multiprocessing's "spawn", which re-imports this main script (as `__mp_main__`) in every
worker before the worker imports `api.app`, so each worker registers it too. A worker
without it would refuse to start ("unknown search engine"), never run with the cache on.

    .venv/bin/python bench/serve_workers.py --data bench/out/data/10000 --workers 2 --port 8702
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from common import HOST
from serve_lipkb import sqlite_with_cache

from indexer import cli
from indexer.search import registry

ENGINE = "sqlite-nocache"
registry.register(ENGINE, sqlite_with_cache(0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    # The workers read the same environment as the command (spawned processes inherit it).
    os.environ["LIPKB_DATA_DIR"] = str(args.data.resolve())
    os.environ["LIPKB_LOG_LEVEL"] = "WARNING"
    os.environ["LIPKB_SEARCH_ENGINE"] = ENGINE
    return cli.main(
        ["serve", "--host", HOST, "--port", str(args.port), "--workers", str(args.workers)]
    )


if __name__ == "__main__":
    sys.exit(main())
