"""Fusing the lexical and the meaning rankings into one (SPEC section 6, hybrid retrieval).

Both rankings score the same candidates: the lexical matches plus the meaning matches
(cosine similarity at or above `embedding.SIMILARITY_FLOOR`). Each side is weighed by
what the query is: a few keywords are best served by the lexical side (exact words,
typos, prefixes), a sentence by its meaning. Two fusions were compared on the judged
sets (docs/search.md): `blend` (the default) and reciprocal rank fusion, `rrf`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

Scores = npt.NDArray[np.float64]
RRF_K = 60.0
# Weight of the meaning side for a query of n words: KEYWORDS words or fewer get the
# least, SENTENCE words or more the most, linearly in between.
MEANING_WEIGHT = (0.3, 0.7)
KEYWORDS, SENTENCE = 2, 6


def meaning_weight(words: int) -> float:
    low, high = MEANING_WEIGHT
    share = min(max((words - KEYWORDS) / (SENTENCE - KEYWORDS), 0.0), 1.0)
    return low + (high - low) * share


def blend(lexical: Scores, meaning: Scores, weight: float) -> Scores:
    """Weighted sum of the two scores, each scaled to [0, 1] over the candidates: the
    lexical score by the best one (0 for meaning-only matches), the cosine between the
    lowest and the highest candidate."""
    top = lexical.max(initial=0.0)
    lex = lexical / top if top > 0 else lexical
    low, high = meaning.min(initial=0.0), meaning.max(initial=0.0)
    sim = (meaning - low) / (high - low) if high > low else np.zeros_like(meaning)
    fused: Scores = (1 - weight) * lex + weight * sim
    return fused


def rrf(lexical: Scores, meaning: Scores, weight: float) -> Scores:
    """Reciprocal rank fusion: weight / (k + rank) from each side it ranks on."""
    fused = np.zeros(len(lexical))
    matched = lexical > 0
    lex_rank = _ranks(np.where(matched, lexical, -np.inf))
    fused[matched] += (1 - weight) / (RRF_K + lex_rank[matched])
    fused += weight / (RRF_K + _ranks(meaning))
    return fused


def _ranks(scores: Scores) -> Scores:
    ranks = np.empty(len(scores))
    ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
    return ranks


FUSIONS: dict[str, Callable[[Scores, Scores, float], Scores]] = {"blend": blend, "rrf": rrf}
