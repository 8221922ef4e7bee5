"""Tables of the embedded engine's index file (`search.sqlite3` in the data folder).

`docs` holds each document (its JSON, sort keys and facet values), `fts` the stemmed
text for FTS5, `vocab` every indexed word with its stems (for typo tolerance), `vectors`
each document's sentence embedding (float16, for the meaning side) and `meta`
the generation, bumped by every write so that other connections and processes see it.
A rebuild fills `*_next` tables and renames them over the live ones in one transaction.
While it runs, `touched_next` exists: every other write (from any process) goes to the
live and the `_next` tables and names its slug there, so the rebuild, whose documents
may have been read before that write, leaves those slugs alone.
"""

from __future__ import annotations

import sqlite3
import time

from indexer.search.fields import SEARCHABLE, SORTABLE

TABLES = ("docs", "fts", "vocab", "vectors")
REQUIRED = (*TABLES, "meta")
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
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS vectors{suffix} (id INTEGER PRIMARY KEY, vector BLOB NOT NULL)"
    )


def create_meta(connection: sqlite3.Connection) -> None:
    connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER)")
    # A new file (one replacing a damaged file, too) starts past any generation an older
    # file reached, so that no process takes its cached snapshot or results for current.
    start = time.time_ns() // 1000
    connection.execute("INSERT OR IGNORE INTO meta VALUES ('generation', ?)", (start,))


def generation(connection: sqlite3.Connection) -> int:
    row = connection.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0])


def bump_generation(connection: sqlite3.Connection) -> None:
    connection.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")


def damage(connection: sqlite3.Connection, *, thorough: bool) -> str | None:
    """What is wrong with the index file (None: nothing, or a new empty file); `thorough`
    also reads every page (`quick_check`, about a second per 100 MB). Raises
    `sqlite3.DatabaseError` for a file that is not a database at all."""
    names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if not names:
        return None
    missing = [table for table in REQUIRED if table not in names]
    if missing:
        return f"table {', '.join(missing)} missing"
    if thorough:
        verdict = str(connection.execute("PRAGMA quick_check(1)").fetchone()[0])
        if verdict != "ok":
            return verdict
    return None


def start_rebuild(connection: sqlite3.Connection, suffix: str) -> None:
    drop(connection, suffix)
    create_tables(connection, suffix)
    connection.execute(f"CREATE TABLE touched{suffix} (slug TEXT PRIMARY KEY) WITHOUT ROWID")


def rebuilding(connection: sqlite3.Connection, suffix: str) -> bool:
    row = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (f"touched{suffix}",)
    ).fetchone()
    return row is not None


def touch(connection: sqlite3.Connection, suffix: str, slugs: list[str]) -> None:
    connection.executemany(
        f"INSERT OR IGNORE INTO touched{suffix} VALUES (?)", [(slug,) for slug in slugs]
    )


def touched(connection: sqlite3.Connection, suffix: str) -> set[str]:
    return {row[0] for row in connection.execute(f"SELECT slug FROM touched{suffix}")}


def swap_in(connection: sqlite3.Connection, suffix: str) -> None:
    """Replace the live tables by the `suffix` ones (inside the caller's transaction)."""
    for table in TABLES:
        connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute(f"ALTER TABLE {table}{suffix} RENAME TO {table}")
    connection.execute(f"DROP TABLE IF EXISTS touched{suffix}")


def drop(connection: sqlite3.Connection, suffix: str) -> None:
    for table in (*TABLES, "touched"):
        connection.execute(f"DROP TABLE IF EXISTS {table}{suffix}")
