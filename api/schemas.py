"""Response models of the HTTP API: the OpenAPI document is generated from these."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, get_type_hints

from pydantic import BaseModel, create_model

from indexer.schema import Contact, Link, Transferability
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
