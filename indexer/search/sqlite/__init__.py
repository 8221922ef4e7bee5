"""The embedded search engine: SQLite FTS5, no server, the default."""

from indexer.search.sqlite.engine import SqliteEngine

__all__ = ["SqliteEngine"]
