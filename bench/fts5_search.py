"""The straightforward FTS5 search: the effort floor `/api/search` is compared with.

What one would write in an hour over `peer_db.py`'s file: every query word quoted (the
last one as a prefix, from 3 letters), implicit AND, bm25 weighted like the engine
(title 10, summary 4, tags 2, body 1), `snippet()` for the body, a `count(*)` for the
total and one GROUP BY per facet over the current results (list facets through the
`doc_terms` join table).
No typo tolerance, synonyms or disjunctive facets. Stdlib only.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from targets import LIST_FACETS, SCALAR_FACETS

_TOKEN = re.compile(r"\w+")
MAX_WORDS = 10
MIN_PREFIX = 3
HIT_SQL = (
    "d.slug, d.title, d.summary, d.province, d.community, d.sectors, d.factors, d.evidence, "
    "d.language"
)


def match_expression(text: str) -> str | None:
    words = _TOKEN.findall(text.lower())[:MAX_WORDS]
    if not words:
        return None
    terms = ['"' + word.replace('"', '""') + '"' for word in words]
    if len(words[-1]) >= MIN_PREFIX and not text[-1].isspace():
        terms[-1] += "*"
    return " ".join(terms)


def _conditions(filters: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    conditions: list[str] = []
    params: list[str] = []
    for facet, values in filters.items():
        marks = ", ".join("?" * len(values))
        if facet in SCALAR_FACETS:
            conditions.append(f"d.{SCALAR_FACETS[facet]} IN ({marks})")
        elif facet in LIST_FACETS:
            conditions.append(
                f"d.id IN (SELECT doc_id FROM doc_terms WHERE facet = ? AND value IN ({marks}))"
            )
            params.append(LIST_FACETS[facet])
        else:
            continue
        params += values
    return conditions, params


def search(
    connection: sqlite3.Connection,
    text: str,
    filters: dict[str, list[str]],
    per_page: int = 20,
    facets_wanted: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """Top hits, total and facet counts (every facet, or only `facets_wanted`)."""
    conditions, params = _conditions(filters)
    match = match_expression(text)
    if match:
        source = "docs_fts JOIN docs d ON d.id = docs_fts.rowid"
        conditions.insert(0, "docs_fts MATCH ?")
        params.insert(0, match)
        order = "bm25(docs_fts, 10.0, 4.0, 2.0, 1.0)"
        snippet = "snippet(docs_fts, 3, '<mark>', '</mark>', '…', 24)"
    else:
        source = "docs d"
        order = "d.date DESC, d.title"
        snippet = "substr(d.body, 1, 160)"
    where = " AND ".join(conditions) or "1"
    rows = connection.execute(
        f"SELECT {HIT_SQL}, {snippet} FROM {source} WHERE {where} ORDER BY {order} LIMIT ?",
        [*params, per_page],
    ).fetchall()
    total = connection.execute(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()[0]
    facets: dict[str, dict[str, int]] = {}
    for facet, column in SCALAR_FACETS.items():
        if facets_wanted is not None and facet not in facets_wanted:
            continue
        facets[facet] = dict(
            connection.execute(
                f"SELECT d.{column}, count(*) AS n FROM {source} WHERE {where} "
                f"AND d.{column} IS NOT NULL GROUP BY d.{column} ORDER BY n DESC",
                params,
            ).fetchall()
        )
    for facet, column in LIST_FACETS.items():
        if facets_wanted is not None and facet not in facets_wanted:
            continue
        facets[facet] = dict(
            connection.execute(
                f"SELECT t.value, count(*) AS n FROM {source} "
                f"JOIN doc_terms t ON t.doc_id = d.id AND t.facet = ? "
                f"WHERE {where} GROUP BY t.value ORDER BY n DESC",
                [column, *params],
            ).fetchall()
        )
    hits = [
        {
            "slug": row[0],
            "title": row[1],
            "summary": row[2],
            "province": row[3],
            "community": row[4],
            "sectors": row[5],
            "factors": row[6],
            "evidence": row[7],
            "language": row[8],
            "snippet": row[9],
        }
        for row in rows
    ]
    return {"total": total, "hits": hits, "facets": facets}


def connect(path: str) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
