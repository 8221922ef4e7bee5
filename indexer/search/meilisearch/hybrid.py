"""Meaning search on Meilisearch with our own vectors (SPEC section 6, hybrid retrieval).

The index gets a `userProvided` embedder of our model's dimensions, each document its
vector in `_vectors`, and each text query our query vector with `hybrid`. Meilisearch
cannot embed a query for such an embedder, so every hybrid query carries the vector.

The result set is the keyword matches plus the meaning matches at or above
`SIMILARITY_FLOOR`, as in the embedded engine: `rankingScoreThreshold` is that floor in
Meilisearch's terms. A meaning hit's ranking score is `1 - distance`, its cosine
distance being `(1 - cos) / 2` (read in the server's source, not checked against a live
server: none runs here), so the floor becomes `(1 + floor) / 2`. The threshold applies
to keyword hits' ranking scores too, which Meilisearch computes its own way: with a live
server, check on the judged sets that no keyword match is lost to it.

The embedder cannot be used before Meilisearch 1.13 (`MIN_HYBRID_VERSION`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from indexer.search.embedding import SIMILARITY_FLOOR, Vector

EMBEDDER = "lipkb"  # the embedder's name in the index settings and in `_vectors`
MIN_HYBRID_VERSION = (1, 13)
RANKING_SCORE_THRESHOLD = round((1 + SIMILARITY_FLOOR) / 2, 4)
# Share of the meaning side in Meilisearch's merge, by query length: a few keywords lean
# on the words, a sentence on its meaning.
SEMANTIC_RATIO = {"keywords": 0.3, "sentence": 0.7}
SENTENCE_WORDS = 4


def as_json(vector: Vector) -> list[float]:
    """A vector as JSON numbers: six decimals keep cosines to 1e-5 at a third of the size."""
    values: list[float] = np.round(vector.astype(np.float64), 6).tolist()
    return values


def embedder_settings(dimensions: int) -> dict[str, Any]:
    """The `embedders` entry of the index settings."""
    return {EMBEDDER: {"source": "userProvided", "dimensions": dimensions}}


def semantic_ratio(words: int) -> float:
    return SEMANTIC_RATIO["sentence" if words >= SENTENCE_WORDS else "keywords"]


def hybrid_params(vector: Vector, words: int) -> dict[str, Any]:
    """What a text query adds to be hybrid, in every query of one multi-search (the
    facet-counting ones count the same result set)."""
    return {
        "vector": as_json(vector),
        "hybrid": {"embedder": EMBEDDER, "semanticRatio": semantic_ratio(words)},
        "rankingScoreThreshold": RANKING_SCORE_THRESHOLD,
    }


def closest_params(vector: Vector) -> dict[str, Any]:
    """A query by meaning only and with no floor: the nearest practices to offer when
    nothing matches."""
    return {"vector": as_json(vector), "hybrid": {"embedder": EMBEDDER, "semanticRatio": 1.0}}
