"""Serve `peer_db.py`'s file with Datasette, under uvicorn, one worker, like the others.

Runs in the benchmark's own environment (bench/.venv), never the project's. Settings:
Datasette's defaults except the time limits, raised so that slow facets are computed
rather than silently dropped (its default gives up on a facet after 200 ms), and facet
suggestions, turned off since nothing asks for them.

    bench/.venv/bin/python bench/serve_datasette.py --db bench/out/data/10000/peer.sqlite3 \
        --port 8703
"""

from __future__ import annotations

import argparse
import sqlite3
import sys

import datasette
import uvicorn
from common import HOST, emit
from datasette.app import Datasette

SETTINGS = {
    "sql_time_limit_ms": 60_000,
    "facet_time_limit_ms": 60_000,
    "suggest_facets": False,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db")
    parser.add_argument("--port", type=int)
    parser.add_argument("--version", action="store_true", help="print the versions served")
    args = parser.parse_args(argv)
    if args.version:
        emit(
            {
                "datasette": datasette.__version__,
                "uvicorn": uvicorn.__version__,
                "sqlite": sqlite3.sqlite_version,
                "settings": SETTINGS,
            }
        )
        return 0
    if not args.db or not args.port:
        parser.error("--db and --port are required")
    app = Datasette(files=[args.db], settings=SETTINGS).app()
    uvicorn.run(app, host=HOST, port=args.port, log_level="warning", access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
