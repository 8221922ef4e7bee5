"""`GET /api/practices/{slug}` (JSON), `.md` (Markdown) and `/similar`.

An unpublished practice answers 410 on each: it was here and was withdrawn.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from api.deps import SearchDep, StoreDep, TaxonomyDep
from api.problems import ProblemError, responses
from api.routes.search import hit_out
from api.schemas import (
    AdaptedFromOut,
    LineageOut,
    PracticeOut,
    ProvenanceOut,
    RelatedOut,
    SimilarOut,
    TagOut,
)
from indexer.casestudy.practice import Practice
from indexer.casestudy.schema import MAX_SLUG_LENGTH
from indexer.casestudy.writer import write
from indexer.search.documents import to_document
from indexer.search.similar import similar_practices
from indexer.store import Store, StoredPractice

router = APIRouter(tags=["practices"])
Slug = Annotated[str, Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=MAX_SLUG_LENGTH)]


def find_published(store: Store, slug: str) -> StoredPractice:
    stored = store.get(slug)
    if stored is None:
        raise ProblemError(404, f"no practice has the slug {slug!r}")
    if stored.unpublished_at is not None:
        raise ProblemError(
            410, f"the practice {slug!r} was withdrawn on {stored.unpublished_at:%Y-%m-%d}"
        )
    return stored


def _related(store: Store, slug: str | None) -> RelatedOut | None:
    stored = store.get(slug) if slug else None
    if stored is None or not stored.published:
        return None
    return _related_out(stored)


def _related_out(stored: StoredPractice) -> RelatedOut:
    case_study = stored.practice.case_study
    return RelatedOut(slug=case_study.slug, title=case_study.title, language=case_study.language)


def _lineage(store: Store, slug: str, adapted: str | None, local: RelatedOut | None) -> LineageOut:
    source = None
    if local is not None:
        source = AdaptedFromOut(
            slug=local.slug, title=local.title, language=local.language, url=None
        )
    elif adapted and "/" in adapted:
        source = AdaptedFromOut(slug=None, title=None, language=None, url=adapted)
    return LineageOut(
        adapted_from=source,
        adapted_by=[_related_out(one) for one in store.adapted_by(slug)],
        translations=[_related_out(one) for one in store.translations(slug)],
    )


def _provenance(store: Store, slug: str) -> ProvenanceOut | None:
    found = store.provenance(slug)
    return ProvenanceOut.model_validate(found, from_attributes=True) if found else None


@router.get(
    "/api/practices/{slug}.md",
    response_class=Response,
    responses={
        200: {
            "content": {"text/markdown": {"schema": {"type": "string"}}},
            "description": "The case study as a Markdown file",
        },
        **responses(404, 410, 422),
    },
)
def read_practice_markdown(slug: Slug, store: StoreDep) -> Response:
    stored = find_published(store, slug)
    return Response(
        write(stored.practice.case_study),
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{slug}.md"'},
    )


def practice_out(
    store: Store, practice: Practice, revision: int, created_at: datetime, updated_at: datetime
) -> PracticeOut:
    """The whole entry: what `GET /api/practices/{slug}` gives, and a submission's preview."""
    case_study = practice.case_study
    data = case_study.model_dump(exclude={"sectors", "transferability"})
    adapted = case_study.adapted_from
    adapted_local = _related(store, adapted if adapted and "/" not in adapted else None)
    return PracticeOut(
        **data,
        sectors=practice.sectors,
        factors=practice.factors,
        transferability=case_study.transferability,
        tags=[
            TagOut(vocabulary=t.vocabulary, term=t.term, source=t.source, evidence=list(t.evidence))
            for t in practice.tags
        ],
        html=practice.html,
        sections=practice.sections,
        revision=revision,
        created_at=created_at,
        updated_at=updated_at,
        translation=_related(store, case_study.translation_of),
        adapted_from_practice=adapted_local,
        provenance=_provenance(store, case_study.slug),
        lineage=_lineage(store, case_study.slug, adapted, adapted_local),
    )


@router.get("/api/practices/{slug}", response_model=PracticeOut, responses=responses(404, 410, 422))
def read_practice(slug: Slug, store: StoreDep) -> PracticeOut:
    stored = find_published(store, slug)
    return practice_out(
        store, stored.practice, stored.revision, stored.created_at, stored.updated_at
    )


@router.get(
    "/api/practices/{slug}/similar",
    response_model=SimilarOut,
    responses=responses(404, 410, 422, 502, 503),
)
def read_similar_practices(
    slug: Slug, store: StoreDep, engine: SearchDep, taxonomy: TaxonomyDep
) -> SimilarOut:
    stored = find_published(store, slug)
    document = to_document(stored.practice, taxonomy, stored.updated_at.date())
    exclude = {slug, stored.practice.case_study.translation_of or ""}
    hits = similar_practices(engine, document, exclude)
    return SimilarOut(slug=slug, practices=[hit_out(hit) for hit in hits])
