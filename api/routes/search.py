"""`GET /api/search`: text, filters, facets, sort and pages (SPEC sections 6 and 7)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import SearchDep, TaxonomyDep
from api.problems import FieldError, ProblemError, responses
from api.schemas import HighlightOut, HitOut, SearchOut
from indexer.search.base import FACETS, MAX_PER_PAGE, MAX_QUERY_LENGTH, Hit, SearchQuery, Sort
from indexer.taxonomy import Taxonomy

router = APIRouter(tags=["search"])
MAX_PAGE = 10_000
MAX_VALUES = 50
FilterValues = Annotated[list[str] | None, Query(max_length=MAX_VALUES)]


def check_filters(taxonomy: Taxonomy, filters: dict[str, list[str] | None]) -> dict[str, list[str]]:
    """Every filter value must be a taxonomy id; a bad one is a 422 that names it."""
    errors = []
    for facet, values in filters.items():
        vocabulary = taxonomy.vocabulary(FACETS[facet])
        for value in values or []:
            if value not in vocabulary.ids:
                suggestions = vocabulary.suggest(value)
                hint = (
                    f" (did you mean {' or '.join(map(repr, suggestions))}?)" if suggestions else ""
                )
                errors.append(
                    FieldError(field=facet, message=f"{value[:80]!r} is not a known {facet}{hint}")
                )
    if errors:
        raise ProblemError(422, "; ".join(e.message for e in errors), errors)
    return {facet: list(dict.fromkeys(values)) for facet, values in filters.items() if values}


def hit_out(hit: Hit) -> HitOut:
    document = hit.document
    # Built without validation: every value comes from a validated practice.
    return HitOut.model_construct(
        slug=document.slug,
        title=document.title,
        summary=document.summary,
        province=document.province,
        community=document.community,
        community_size=document.community_size,
        sectors=list(document.sectors),
        factors=list(document.factors),
        themes=list(document.themes),
        populations=list(document.populations),
        evidence=document.evidence,
        status=document.status,
        language=document.language,
        date=document.date,
        highlight=HighlightOut.model_construct(
            title=hit.highlight.title, summary=hit.highlight.summary, snippet=hit.highlight.snippet
        ),
    )


@router.get("/api/search", response_model=SearchOut, responses=responses(422, 502, 503))
def search_practices(
    engine: SearchDep,
    taxonomy: TaxonomyDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH, description="search text")] = "",
    sector: FilterValues = None,
    factor: FilterValues = None,
    theme: FilterValues = None,
    population: FilterValues = None,
    province: FilterValues = None,
    community_size: FilterValues = None,
    evidence: FilterValues = None,
    language: FilterValues = None,
    status: FilterValues = None,
    sort: Sort = "relevance",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
) -> Response:
    filters = check_filters(
        taxonomy,
        {
            "sector": sector,
            "factor": factor,
            "theme": theme,
            "population": population,
            "province": province,
            "community_size": community_size,
            "evidence": evidence,
            "language": language,
            "status": status,
        },
    )
    result = engine.search(
        SearchQuery(text=q, filters=filters, sort=sort, page=page, per_page=per_page)
    )
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
