"""Configuration from `LIPKB_*` environment variables (SPEC section 7), all optional."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from indexer.store.database import sqlite_url
from indexer.taxonomy import DEFAULT_TAXONOMY_PATH

# Every variable the application reads, with what it means; `tests/test_docs.py` checks
# that each one is documented in the README.
VARIABLES = {
    "LIPKB_DATA_DIR": "folder for the SQLite store and the embedded search index (default: data)",
    "LIPKB_DATABASE_URL": "store URL (default: SQLite in the data folder; or postgresql+psycopg://)",
    "LIPKB_CONTENT_DIR": "case studies `lipkb serve` loads into an empty store (default: content)",
    "LIPKB_TAXONOMY": "the vocabularies file (default: content/taxonomy.yaml of this project)",
    "LIPKB_SEARCH_ENGINE": "search engine: sqlite (default) or meilisearch",
    "MEILI_URL": "Meilisearch server URL, for the meilisearch engine",
    "MEILI_MASTER_KEY": "Meilisearch key; it never leaves the server",
    "LIPKB_MEILI_INDEX": "Meilisearch index name (default: practices)",
    "LIPKB_MEILI_TIMEOUT": "seconds to wait for Meilisearch before answering 503 (default: 5)",
    "LIPKB_CORS_ORIGINS": "comma-separated origins allowed to call the API from a browser "
    "(default: none, CORS closed)",
    "LIPKB_AUTH_MAX_FAILURES": "failed authentications a client address may make in the window "
    "before 429 (default: 10)",
    "LIPKB_AUTH_FAILURE_WINDOW": "seconds the failed authentications of an address count "
    "(default: 300)",
}


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    database_url: str | None = None
    content_dir: Path = Path("content")
    taxonomy_path: Path = DEFAULT_TAXONOMY_PATH
    search_engine: str = "sqlite"
    meili_url: str | None = None
    meili_master_key: str | None = None
    meili_index: str = "practices"
    meili_timeout: float = 5.0
    cors_origins: tuple[str, ...] = ()
    auth_max_failures: int = 10
    auth_failure_window: float = 300.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            data_dir=Path(env.get("LIPKB_DATA_DIR") or "data"),
            database_url=env.get("LIPKB_DATABASE_URL") or None,
            content_dir=Path(env.get("LIPKB_CONTENT_DIR") or "content"),
            taxonomy_path=Path(env.get("LIPKB_TAXONOMY") or DEFAULT_TAXONOMY_PATH),
            search_engine=env.get("LIPKB_SEARCH_ENGINE") or "sqlite",
            meili_url=env.get("MEILI_URL") or None,
            meili_master_key=env.get("MEILI_MASTER_KEY") or None,
            meili_index=env.get("LIPKB_MEILI_INDEX") or "practices",
            meili_timeout=float(env.get("LIPKB_MEILI_TIMEOUT") or 5.0),
            cors_origins=tuple(
                o.strip() for o in (env.get("LIPKB_CORS_ORIGINS") or "").split(",") if o.strip()
            ),
            auth_max_failures=int(env.get("LIPKB_AUTH_MAX_FAILURES") or 10),
            auth_failure_window=float(env.get("LIPKB_AUTH_FAILURE_WINDOW") or 300.0),
        )

    @property
    def store_url(self) -> str:
        return self.database_url or sqlite_url(self.data_dir.resolve() / "lipkb.sqlite3")
