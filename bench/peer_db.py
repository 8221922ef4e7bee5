"""The peers' SQLite file: the same documents the engine indexed, in a plain table + FTS5.

Read from the embedded engine's own index (`search.sqlite3`, table `docs`, the JSON of
each `SearchDocument`), so the FTS5 floor and Datasette serve exactly what `/api/search`
serves. List facets are JSON arrays (Datasette's `_facet_array=`) and, for the FTS5
endpoint, rows of a `doc_terms` join table (doc, facet, value); the FTS5 table is an
external-content table named `docs_fts` with `content="docs"`, which Datasette detects
as the table's full-text index (as `sqlite-utils enable-fts` would make it). Stdlib only.

    python bench/peer_db.py --size 10000
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

from common import data_dir, emit, peer_db

SCHEMA = """
CREATE TABLE docs (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    tags TEXT NOT NULL,
    body TEXT NOT NULL,
    province TEXT,
    community TEXT,
    community_size TEXT,
    evidence TEXT,
    language TEXT,
    status TEXT,
    date TEXT NOT NULL,
    sectors TEXT NOT NULL,
    factors TEXT NOT NULL,
    themes TEXT NOT NULL,
    populations TEXT NOT NULL
);
CREATE INDEX docs_date ON docs (date);
CREATE TABLE doc_terms (
    doc_id INTEGER NOT NULL,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (doc_id, facet, value)
) WITHOUT ROWID;
CREATE INDEX doc_terms_value ON doc_terms (facet, value, doc_id);
CREATE VIRTUAL TABLE docs_fts USING fts5 (
    title, summary, tags, body,
    content="docs", content_rowid="id",
    tokenize="porter unicode61 remove_diacritics 2"
);
"""
COLUMNS = (
    "slug",
    "title",
    "summary",
    "tags",
    "body",
    "province",
    "community",
    "community_size",
    "evidence",
    "language",
    "status",
    "date",
    "sectors",
    "factors",
    "themes",
    "populations",
)
LIST_COLUMNS = ("sectors", "factors", "themes", "populations")


def build(index_file: Path, out: Path) -> int:
    if out.exists():
        out.unlink()
    source = sqlite3.connect(f"file:{index_file}?mode=ro", uri=True)
    target = sqlite3.connect(out)
    target.executescript(SCHEMA)
    marks = ", ".join("?" * len(COLUMNS))
    insert = f"INSERT INTO docs ({', '.join(COLUMNS)}) VALUES ({marks})"
    count = 0
    with target:
        for (data,) in source.execute("SELECT data FROM docs ORDER BY id"):
            document = json.loads(data)
            target.execute(
                insert,
                [
                    json.dumps(document[column]) if column in LIST_COLUMNS else document[column]
                    for column in COLUMNS
                ],
            )
            count += 1
        # One bulk build, as `sqlite-utils enable-fts` does; no 'optimize' (the engine's
        # index gets none either).
        target.execute("INSERT INTO docs_fts (docs_fts) VALUES ('rebuild')")
        for column in LIST_COLUMNS:
            target.execute(
                "INSERT INTO doc_terms SELECT d.id, ?, j.value FROM docs d, json_each(d."
                + column
                + ") j",
                (column,),
            )
    target.execute("ANALYZE")
    target.close()
    source.close()
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    count = build(data_dir(args.size) / "search.sqlite3", peer_db(args.size))
    emit({"documents": count, "seconds": round(time.perf_counter() - started, 1)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
