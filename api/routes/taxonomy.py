"""`GET /api/taxonomy`: every vocabulary, with English and French labels."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import TaxonomyDep
from indexer.casestudy.taxonomy import Taxonomy

router = APIRouter(tags=["taxonomy"])


@router.get("/api/taxonomy", response_model=Taxonomy)
def read_taxonomy(taxonomy: TaxonomyDep, response: Response) -> Taxonomy:
    response.headers["Cache-Control"] = "public, max-age=300"
    return taxonomy
