"""Serve the straightforward FTS5 endpoint (`GET /search`) with uvicorn, one worker.

A second, small FastAPI app over `peer_db.py`'s file, with the same query parameters as
`/api/search`; a sync route (run in the threadpool), one read-only connection per thread.

    .venv/bin/python bench/serve_fts5.py --db bench/out/data/10000/peer.sqlite3 --port 8702
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import threading
from typing import Annotated, Any

import uvicorn
from common import HOST
from fastapi import FastAPI, Query
from fts5_search import connect, search

Values = Annotated[list[str] | None, Query()]


def create_app(db: str) -> FastAPI:
    app = FastAPI(title="Straightforward FTS5 search")
    local = threading.local()

    def connection() -> sqlite3.Connection:
        current: sqlite3.Connection | None = getattr(local, "connection", None)
        if current is None:
            current = connect(db)
            local.connection = current
        return current

    @app.get("/search")
    def search_route(
        q: str = "",
        sector: Values = None,
        factor: Values = None,
        theme: Values = None,
        population: Values = None,
        province: Values = None,
        community_size: Values = None,
        evidence: Values = None,
        language: Values = None,
        status: Values = None,
        per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> dict[str, Any]:
        given = {
            "sector": sector,
            "factor": factor,
            "theme": theme,
            "population": population,
            "province": province,
            "community_size": community_size,
            "evidence": evidence,
            "language": language,
            "status": status,
        }
        filters = {facet: values for facet, values in given.items() if values}
        return search(connection(), q, filters, per_page)

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    uvicorn.run(
        create_app(args.db), host=HOST, port=args.port, log_level="warning", access_log=False
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
