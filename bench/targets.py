"""The HTTP request each target gets for a query of the mix (stdlib only).

- `api`: the project's `GET /api/search` (top 20, every facet, highlights), served with
  the engine's result cache off: every request is computed.
- `api-cached`: the same, with the engine's default result cache. The mix repeats, so
  nearly every request is a cache hit: an upper bound, not a typical load.
- `trivial`: a tiny JSON route mounted on the same app: the framework's floor.
- `fts5`: the straightforward FTS5 endpoint of `fts5_app.py`, same parameters as the API.
- `datasette`: Datasette's table JSON with `_search=`, the same facets as `_facet=` /
  `_facet_array=`, filters as `column=value` / `column__arraycontains=value`, top 20, and
  the columns of a hit (not the whole body).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

# Facets of the API (FACETS in indexer.search.base) -> the peer table's column.
SCALAR_FACETS = {
    "province": "province",
    "community_size": "community_size",
    "evidence": "evidence",
    "language": "language",
    "status": "status",
}
LIST_FACETS = {
    "sector": "sectors",
    "factor": "factors",
    "theme": "themes",
    "population": "populations",
}
HIT_COLUMNS = (
    "slug",
    "title",
    "summary",
    "province",
    "community",
    "sectors",
    "factors",
    "evidence",
    "language",
)
PER_PAGE = 20
DATASETTE_DB = "peer"
TARGETS = ("api", "api-cached", "trivial", "fts5", "datasette")


def _search_params(query: dict[str, Any]) -> list[tuple[str, str]]:
    params = [("q", query["text"])] if query["text"] else []
    for facet, values in query["filters"].items():
        params += [(facet, value) for value in values]
    params.append(("per_page", str(PER_PAGE)))
    return params


def _datasette_params(query: dict[str, Any]) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    if query["text"]:
        params.append(("_search", query["text"]))
    else:
        params.append(("_sort_desc", "date"))
    for facet, values in query["filters"].items():
        if facet in LIST_FACETS:
            params += [(f"{LIST_FACETS[facet]}__arraycontains", value) for value in values]
        elif len(values) == 1:
            params.append((SCALAR_FACETS[facet], values[0]))
        else:
            params.append((f"{SCALAR_FACETS[facet]}__in", ",".join(values)))
    params += [("_facet", column) for column in SCALAR_FACETS.values()]
    params += [("_facet_array", column) for column in LIST_FACETS.values()]
    params += [("_col", column) for column in HIT_COLUMNS]
    params.append(("_size", str(PER_PAGE)))
    return params


def request_path(target: str, query: dict[str, Any]) -> str:
    if target in ("api", "api-cached"):
        return "/api/search?" + urlencode(_search_params(query))
    if target == "trivial":
        return "/bench/trivial"
    if target == "fts5":
        return "/search?" + urlencode(_search_params(query))
    if target == "datasette":
        return f"/{DATASETTE_DB}/docs.json?" + urlencode(_datasette_params(query))
    raise ValueError(f"unknown target {target!r}")


def request_paths(target: str, queries: list[dict[str, Any]]) -> list[str]:
    return [request_path(target, query) for query in queries]
