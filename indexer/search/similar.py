"""Similar practices: the nearest by meaning, then by shared sectors, themes, populations
and factors (SPEC section 6).

Works through the engine interface alone, so every engine gives the same answer. The
candidates are the practices nearest by meaning (a search for the practice's own title
and summary) and those sharing a sector (the newest); each is scored by the cosine of
the two practices' vectors plus a smaller share for the tags they have in common, so a
practice on the same topic beats one that merely shares many sectors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

import numpy as np

from indexer.search.base import Hit, SearchDocument, SearchEngine, SearchQuery
from indexer.search.embedding import attach_vectors, passage_text

CANDIDATES = 100
WEIGHTS = {"sectors": 3.0, "factors": 2.0, "themes": 1.0, "populations": 1.0}
TAG_SHARE = 0.3  # of the score; the rest is the cosine of the two vectors


def overlap(a: SearchDocument, b: SearchDocument) -> float:
    score = sum(
        weight * len(set(getattr(a, field)) & set(getattr(b, field)))
        for field, weight in WEIGHTS.items()
    )
    score += 0.5 * (a.community_size is not None and a.community_size == b.community_size)
    return score + 0.5 * (a.province == b.province)


def similar_practices(
    engine: SearchEngine, document: SearchDocument, exclude: Collection[str], limit: int = 5
) -> list[Hit]:
    candidates: dict[str, Hit] = {}
    searches = []
    if engine.embedder is not None:
        searches.append(SearchQuery(text=passage_text(document)[:500]))
    if document.sectors:
        searches.append(SearchQuery(filters={"sector": list(document.sectors)}, sort="newest"))
    for query in searches:
        result = engine.search(dataclasses.replace(query, per_page=CANDIDATES, facets=False))
        for hit in result.hits:
            if hit.document.slug not in exclude and hit.document.slug != document.slug:
                candidates.setdefault(hit.document.slug, hit)
    hits = list(candidates.values())
    if not hits:
        return []
    most = overlap(document, document) or 1.0
    tags = np.array([overlap(document, hit.document) / most for hit in hits])
    meaning = np.zeros(len(hits))
    if engine.embedder is not None:
        documents, _ = attach_vectors([document, *(hit.document for hit in hits)], engine.embedder)
        vectors = np.stack([d.vector for d in documents if d.vector is not None])
        meaning = vectors[1:] @ vectors[0]
    score = (1 - TAG_SHARE) * meaning + TAG_SHARE * tags
    order = np.argsort(-score, kind="stable")[:limit]
    return [hits[i] for i in order]
