"""Response models of the HTTP API: the OpenAPI document is generated from these."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, get_type_hints

from pydantic import BaseModel, create_model

from indexer.casestudy.schema import Contact, Link, Transferability
from indexer.search.fields import SHOWN, SearchDocument


class HighlightOut(BaseModel):
    title: str
    summary: str
    snippet: str


class HitBase(BaseModel):
    highlight: HighlightOut


def _hit_fields() -> dict[str, Any]:
    """The fields `indexer.search.fields` shows in hits, typed as the document types them
    (tuples as JSON lists)."""
    hints = get_type_hints(SearchDocument)
    return {field.name: (list[str] if field.many else hints[field.name], ...) for field in SHOWN}


if TYPE_CHECKING:  # the checker sees the base; the fields come from the description

    class HitOut(HitBase):
        pass

else:
    HitOut = create_model("HitOut", __base__=HitBase, **_hit_fields())


class SearchOut(BaseModel):
    query: str
    total: int
    page: int
    per_page: int
    pages: int
    sort: str
    hits: list[HitOut]
    facets: dict[str, dict[str, int]]
    dropped_words: list[str]
    took_ms: float
    # When a text query matches nothing: the practices nearest to it by meaning.
    closest: list[HitOut] = []


class TagOut(BaseModel):
    vocabulary: str
    term: str
    source: str
    evidence: list[str]


class RelatedOut(BaseModel):
    slug: str
    title: str
    language: str


class ProvenanceOut(BaseModel):
    """Where an imported practice came from (null for a local one)."""

    source: str  # the instance's base URL, or the folder or zip as a file: URL
    original_slug: str
    original_url: str
    license: str
    source_hash: str  # the content hash of the revision imported
    imported_at: datetime


class AdaptedFromOut(BaseModel):
    """The practice this one adapts: here (slug, title) or elsewhere (url)."""

    slug: str | None
    title: str | None
    language: str | None
    url: str | None


class LineageOut(BaseModel):
    adapted_from: AdaptedFromOut | None
    adapted_by: list[RelatedOut]  # the practices whose adapted_from names this one
    translations: list[RelatedOut]  # its other-language versions, named from either side


class PracticeOut(BaseModel):
    slug: str
    title: str
    summary: str
    province: str
    community: str | None
    community_size: str | None
    organization: str | None
    lip: str | None
    sectors: list[str]  # the author's and the inferred ones (see `tags`)
    factors: list[str]
    themes: list[str]
    populations: list[str]
    transferability: Transferability
    evidence: str | None
    cost: str | None
    reach: int | None
    start_year: int | None
    end_year: int | None
    status: str | None
    language: str
    license: str
    adapted_from: str | None
    translation_of: str | None
    updated: date | None
    reviewed: date | None
    contact: Contact | None
    links: list[Link]
    tags: list[TagOut]
    body: str
    html: str
    sections: dict[str, str]
    revision: int
    created_at: datetime
    updated_at: datetime
    translation: RelatedOut | None
    adapted_from_practice: RelatedOut | None
    provenance: ProvenanceOut | None
    lineage: LineageOut


class SimilarOut(BaseModel):
    slug: str
    practices: list[HitOut]


class HealthOut(BaseModel):
    status: str


class ReadyOut(BaseModel):
    status: str
    practices: int
    indexed: int | None
    engine: str


class BilingualOut(BaseModel):
    en: str
    fr: str


class CriterionFitOut(BaseModel):
    id: str
    group: str
    verdict: Literal["supports", "concern", "unknown"]
    reason: BilingualOut


class FitCountsOut(BaseModel):
    supports: int
    concerns: int
    unknowns: int


class GroupFitOut(FitCountsOut):
    weight: int


class FitOut(BaseModel):
    criteria: list[CriterionFitOut]  # the groups weighed above 0, in the rules' order
    counts: FitCountsOut
    groups: dict[str, GroupFitOut]


class FitHitOut(HitOut):
    fit: FitOut


class FitSearchOut(BaseModel):
    query: str
    total: int  # practices ranked by fit
    matched: int  # what the search found: more than `total` when only its best were ranked
    page: int
    per_page: int
    pages: int
    ordering: BilingualOut  # how the hits are ordered, in words
    hits: list[FitHitOut]
    facets: dict[str, dict[str, int]]
    took_ms: float


class PracticeFitOut(BaseModel):
    slug: str
    fit: FitOut


class OfferOut(BaseModel):
    id: str
    label: BilingualOut


class FitCriterionOut(BaseModel):
    id: str
    group: str
    title: BilingualOut


class WeightLevelOut(BaseModel):
    value: int
    label: BilingualOut


class FitRulesOut(BaseModel):
    groups: list[str]
    default_weight: int
    weights: list[WeightLevelOut]
    resources: list[OfferOut]
    partners: list[OfferOut]
    criteria: list[FitCriterionOut]
