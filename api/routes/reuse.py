"""Reuse over HTTP (SPEC section 7): `GET /api/export` (every practice a search selects,
as NDJSON, a zip or CSV), `GET /feeds/practices.atom` (the newest of the same selection as
an Atom feed) and `GET /api/practices/{slug}.jsonld` (one practice as schema.org JSON-LD).

Every absolute link is built from `LIPKB_PUBLIC_URL`, never from the request's Host.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from api.deps import SearchDep, ServicesDep, StoreDep, TaxonomyDep
from api.linked_data import JSONLD_MEDIA_TYPE, practice_jsonld
from api.problems import responses
from api.routes.practices import Slug, find_published
from api.routes.search import FacetParameters, Lang, check_filters
from indexer.reuse import export, feeds
from indexer.reuse.selection import matching, newest
from indexer.search.base import MAX_QUERY_LENGTH
from indexer.store import StoredPractice

router = APIRouter(tags=["reuse"])
Text = Annotated[str, Query(max_length=MAX_QUERY_LENGTH, description="search text")]
ExportFormat = Literal["ndjson", "zip", "csv"]
CHUNK = 64 * 1024
SPOOL_LIMIT = 8 * 1024 * 1024  # a zip larger than this is spooled to disk
FEED_TITLES = {"en": "LIP practices: new and updated", "fr": "Pratiques des PLI : nouveautés"}


def _ndjson(practices: Iterator[StoredPractice], base_url: str) -> Iterator[bytes]:
    for stored in practices:
        line = io.BytesIO()
        export.write_ndjson([stored], base_url, line)
        yield line.getvalue()


def _csv(practices: Iterator[StoredPractice], base_url: str) -> Iterator[bytes]:
    header = io.BytesIO()
    export.write_csv([], base_url, header)  # the byte-order mark and the column names
    yield header.getvalue()
    for stored in practices:
        row = io.StringIO()
        csv.writer(row).writerow(export.csv_row(stored, base_url))
        yield row.getvalue().encode("utf-8")


def _zip(
    practices: Iterator[StoredPractice], base_url: str, services: ServicesDep
) -> Iterator[bytes]:
    """A zip needs a seekable file: spooled (memory, then disk), then streamed out."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT) as spool:
        export.write_zip(practices, base_url, services.settings.taxonomy_path, spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk


def _started(practices: Iterator[StoredPractice]) -> Iterator[StoredPractice]:
    """The selection with its first search already run: an unavailable engine is a 503
    problem before the answer starts, not a download cut short."""
    first = next(practices, None)
    return practices if first is None else itertools.chain([first], practices)


def _query_string(q: str, filters: dict[str, list[str]], **extra: str | None) -> str:
    pairs = [("q", q)] if q else []
    pairs += [(facet, value) for facet in sorted(filters) for value in filters[facet]]
    pairs += [(name, value) for name, value in extra.items() if value]
    return f"?{urlencode(pairs)}" if pairs else ""


@router.get(
    "/api/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                export.MEDIA_TYPES[f].split(";")[0]: {
                    "schema": {"type": "string", "format": "binary"}
                }
                for f in ("ndjson", "zip", "csv")
            },
            "description": "Every practice the search selects, with licence and attribution",
        },
        **responses(422, 502, 503),
    },
)
def export_practices(
    *,
    services: ServicesDep,
    engine: SearchDep,
    store: StoreDep,
    taxonomy: TaxonomyDep,
    q: Text = "",
    format: ExportFormat = "ndjson",
    facets: FacetParameters,
) -> StreamingResponse:
    filters = check_filters(taxonomy, facets)
    base_url = services.settings.public_url
    practices = _started(matching(engine, store, q, filters))
    if format == "zip":
        body = _zip(practices, base_url, services)
    elif format == "csv":
        body = _csv(practices, base_url)
    else:
        body = _ndjson(practices, base_url)
    name = f"lip-practices-{datetime.now(UTC):%Y-%m-%d}.{format}"
    return StreamingResponse(
        body,
        media_type=export.MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/feeds/practices.atom",
    response_class=Response,
    responses={
        200: {
            "content": {"application/atom+xml": {"schema": {"type": "string"}}},
            "description": "The newest practices the search selects, as an Atom feed",
        },
        **responses(422, 502, 503),
    },
)
def read_feed(
    *,
    services: ServicesDep,
    engine: SearchDep,
    store: StoreDep,
    taxonomy: TaxonomyDep,
    q: Text = "",
    lang: Annotated[Lang, Query(description="the feed's language")] = "en",
    facets: FacetParameters,
) -> Response:
    filters = check_filters(taxonomy, facets)
    base_url = services.settings.public_url.rstrip("/")
    practices = newest(matching(engine, store, q, filters), feeds.MAX_ENTRIES)
    query = _query_string(q, filters, lang=lang)
    document = feeds.atom(
        practices,
        title=FEED_TITLES[lang] + (f" — {q}" if q else ""),
        feed_url=f"{base_url}/feeds/practices.atom{query}",
        page_url=f"{base_url}/{query}",
        base_url=base_url,
        language=lang,
        # An empty selection has not changed since the epoch: readers see no new entry.
        updated=practices[0].updated_at if practices else datetime(1970, 1, 1, tzinfo=UTC),
    )
    return Response(document, media_type=feeds.MEDIA_TYPE)


@router.get(
    "/api/practices/{slug}.jsonld",
    response_class=Response,
    responses={
        200: {
            "content": {JSONLD_MEDIA_TYPE: {"schema": {"type": "object"}}},
            "description": "The practice as a schema.org Article",
        },
        **responses(404, 410, 422),
    },
)
def read_practice_jsonld(slug: Slug, store: StoreDep, services: ServicesDep) -> Response:
    stored = find_published(store, slug)
    body = json.dumps(practice_jsonld(store, stored, services.settings), ensure_ascii=False)
    return Response(body, media_type=JSONLD_MEDIA_TYPE)
