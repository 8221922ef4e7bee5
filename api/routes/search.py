"""`GET /api/search`: text, filters, facets, sort and pages (SPEC sections 6 and 7)."""

from __future__ import annotations

import inspect
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from api.deps import SearchDep, TaxonomyDep
from api.metrics import SEARCHES
from api.problems import FieldError, ProblemError, responses
from api.schemas import HighlightOut, HitOut, SearchOut
from indexer.casestudy.taxonomy import Taxonomy
from indexer.search.base import MAX_PER_PAGE, MAX_QUERY_LENGTH, Hit, SearchQuery, Sort
from indexer.search.fields import FACETS, SHOWN

router = APIRouter(tags=["search"])
MAX_PAGE = 10_000
MAX_VALUES = 50
FilterValues = Annotated[list[str] | None, Query(max_length=MAX_VALUES)]
Lang = Literal["en", "fr"]


def _facet_parameters(**values: list[str] | None) -> dict[str, list[str] | None]:
    return values


# One repeatable query parameter per facet of the field description (`sector`, ...).
_facet_parameters.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [
        inspect.Parameter(
            facet, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=FilterValues
        )
        for facet in FACETS
    ]
)
FacetParameters = Annotated[dict[str, list[str] | None], Depends(_facet_parameters)]


def _refusal(taxonomy: Taxonomy, facet: str, value: str) -> str | None:
    """Why `value` is no valid value of `facet` (None when it is one)."""
    indexed = FACETS[facet].indexed
    if indexed.vocabulary is None:
        pattern = indexed.pattern
        if pattern is None or pattern.match(value):
            return None
        return f"{value[:80]!r} is not a valid {facet} (such as 'CC-BY-4.0')"
    vocabulary = taxonomy.vocabulary(indexed.vocabulary)
    if value in vocabulary.ids:
        return None
    suggestions = vocabulary.suggest(value)
    hint = f" (did you mean {' or '.join(map(repr, suggestions))}?)" if suggestions else ""
    return f"{value[:80]!r} is not a known {facet}{hint}"


def check_filters(taxonomy: Taxonomy, filters: dict[str, list[str] | None]) -> dict[str, list[str]]:
    """Every filter value must be a taxonomy id (or match its field's pattern); a bad one is
    a 422 that names it."""
    errors = []
    for facet, values in filters.items():
        for value in values or []:
            message = _refusal(taxonomy, facet, value)
            if message:
                errors.append(FieldError(field=facet, message=message))
    if errors:
        raise ProblemError(422, "; ".join(e.message for e in errors), errors)
    return {facet: list(dict.fromkeys(values)) for facet, values in filters.items() if values}


def hit_out(hit: Hit) -> HitOut:
    document = hit.document
    values: dict[str, Any] = {
        field.name: list(value) if field.many else value
        for field in SHOWN
        for value in [getattr(document, field.name)]
    }
    # Built without validation: every value comes from a validated practice.
    return HitOut.model_construct(
        **values,
        highlight=HighlightOut.model_construct(
            title=hit.highlight.title, summary=hit.highlight.summary, snippet=hit.highlight.snippet
        ),
    )


@router.get("/api/search", response_model=SearchOut, responses=responses(422, 502, 503))
def search_practices(
    *,
    engine: SearchDep,
    taxonomy: TaxonomyDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH, description="search text")] = "",
    sort: Sort = "relevance",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
    lang: Annotated[Lang | None, Query(description="the reader's language: it breaks ties")] = None,
    facets: FacetParameters,
) -> Response:
    filters = check_filters(taxonomy, facets)
    started = time.perf_counter()
    result = engine.search(
        SearchQuery(text=q, filters=filters, sort=sort, page=page, per_page=per_page, lang=lang)
    )
    SEARCHES.labels(engine.name).observe(time.perf_counter() - started)  # answers only
    body = SearchOut.model_construct(
        query=q,
        total=result.total,
        page=page,
        per_page=per_page,
        pages=-(-result.total // per_page),
        sort=sort,
        hits=[hit_out(hit) for hit in result.hits],
        facets=result.facets,
        dropped_words=result.dropped_words,
        took_ms=result.took_ms,
        closest=[hit_out(hit) for hit in result.closest],
    )
    # Serialised once here; FastAPI would validate the whole response again.
    return Response(body.model_dump_json(), media_type="application/json")
