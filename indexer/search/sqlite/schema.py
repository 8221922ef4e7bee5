"""Tables of the embedded engine's index file (`search.sqlite3` in the data folder).

`docs` holds each document (its JSON, sort keys and facet values), `fts` the stemmed
text for FTS5, `vocab` every indexed word with its stems (for typo tolerance) and `meta`
the generation, bumped by every write so that other connections and processes see it.
A rebuild fills `*_next` tables and renames them over the live ones in one transaction.
"""

from __future__ import annotations

import sqlite3

from indexer.search.fields import SEARCHABLE, SORTABLE

TABLES = ("docs", "fts", "vocab")
FTS_COLUMNS = tuple(field.name for field in SEARCHABLE)  # bm25 weights in this order
SORT_COLUMNS = tuple(field.sort_key for field in SORTABLE)


def create_tables(connection: sqlite3.Connection, suffix: str = "") -> None:
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS docs{suffix} (id INTEGER PRIMARY KEY, slug TEXT NOT NULL "
        f"UNIQUE, {', '.join(f'{c} TEXT NOT NULL' for c in SORT_COLUMNS)}, facets TEXT NOT NULL, "
        "data TEXT NOT NULL)"
    )
    connection.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS fts{suffix} USING fts5({', '.join(FTS_COLUMNS)}, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS vocab{suffix} (word TEXT NOT NULL, stem TEXT NOT NULL, "
        "PRIMARY KEY (word, stem)) WITHOUT ROWID"
    )


def create_meta(connection: sqlite3.Connection) -> None:
    connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER)")
    connection.execute("INSERT OR IGNORE INTO meta VALUES ('generation', 0)")


def generation(connection: sqlite3.Connection) -> int:
    row = connection.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0])


def bump_generation(connection: sqlite3.Connection) -> None:
    connection.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")


def swap_in(connection: sqlite3.Connection, suffix: str) -> None:
    """Replace the live tables by the `suffix` ones (inside the caller's transaction)."""
    for table in TABLES:
        connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute(f"ALTER TABLE {table}{suffix} RENAME TO {table}")


def drop(connection: sqlite3.Connection, suffix: str) -> None:
    for table in TABLES:
        connection.execute(f"DROP TABLE IF EXISTS {table}{suffix}")
