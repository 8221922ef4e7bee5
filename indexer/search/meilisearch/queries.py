"""A `SearchQuery` to the `queries` of one POST /multi-search.

The first query is the page of hits, with every filter, counting the facets nobody has
selected. Each selected facet then gets a query of its own (`limit` 0) with the *other*
facets' filters, which counts that facet's values (disjunctive faceting). Last, when the
query has several meaningful words, each of them gets a `limit` 0 query with every
filter: the words whose count is 0 matched nothing (`dropped_words`).

No word is required: `matchingStrategy` "frequency" ranks documents matching all words
first, then lets the most frequent (least telling) words go first; the index's
`stopWords` (`indexer.search.stopwords`) are never required or highlighted. With a
reader's language, hits carry `_rankingScore` so that ties can be broken by it.

Query text: the words are `indexer.casestudy.words.tokens` of the user's text (the words the
embedded engine sees, at most `MAX_WORDS`), joined by spaces, so that no Meilisearch
operator (`"phrase"`, `-word`) reaches the engine from input. Meilisearch matches its
last query word as a prefix unless a space follows it: one follows when the user's text
ends with a space or has more than `MAX_WORDS` words, after words were dropped, and when
the last word is shorter than `MIN_PREFIX` letters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from indexer.casestudy.words import tokens
from indexer.search.base import FACETS, SearchQuery
from indexer.search.fields import SHOWN
from indexer.search.meilisearch.filters import facet_filter, selected
from indexer.search.meilisearch.mapping import CROP_MARKER, POST_TAG, PRE_TAG, SNIPPET_WORDS
from indexer.search.meilisearch.settings import LOCALES, facet_field
from indexer.search.stopwords import meaningful

MAX_WORDS = 10  # Meilisearch reads no more than 10 query words
MATCHING_STRATEGY = "frequency"
MIN_PREFIX = 3
NEWEST = ("date:desc", "title_sort:asc")
BY_TITLE = ("title_sort:asc",)
# What a hit brings back: the fields the API shows, and the snippet (the body cropped
# around the matches, or its start), never the whole body or the tags.
SHOWN_HITS: Mapping[str, Any] = {
    "attributesToRetrieve": [field.name for field in SHOWN],
    "attributesToCrop": ["body"],
    "cropLength": SNIPPET_WORDS,
    "cropMarker": CROP_MARKER,
}


def query_words(text: str) -> list[str]:
    return tokens(text)[:MAX_WORDS]


def query_text(words: Sequence[str], prefix: bool) -> str:
    """The `q` sent for `words`; `prefix` says whether the last word may be a prefix."""
    q = " ".join(words)
    if q and (not prefix or len(words[-1]) < MIN_PREFIX):
        q += " "
    return q


def wants_prefix(text: str) -> bool:
    """Whether the user is still typing the last word Meilisearch will read."""
    return bool(text) and not text[-1].isspace() and len(tokens(text)) <= MAX_WORDS


def sort_of(query: SearchQuery, has_words: bool) -> list[str] | None:
    if query.sort == "title":
        return list(BY_TITLE)
    if query.sort == "newest" or not has_words:
        return list(NEWEST)
    return None  # relevance: the ranking rules


def word_queries(words: Sequence[str], prefix: bool) -> list[str]:
    """The `q` of each meaningful word to count, when there are several (else none)."""
    kept = meaningful(list(words))
    if len(kept) < 2:
        return []
    last = len(words) - 1
    return [
        query_text([word], prefix and i == last) for i, word in enumerate(words) if word in kept
    ]


def _common(
    index: str, q: str, filters: str | None, hybrid: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"indexUid": index, "q": q}
    if q:
        body["matchingStrategy"] = MATCHING_STRATEGY
        body["locales"] = list(LOCALES)
        body.update(hybrid or {})
    if filters is not None:
        body["filter"] = filters
    return body


def build(
    index: str,
    query: SearchQuery,
    q: str,
    counted: Sequence[str] = (),
    hybrid: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The multi-search `queries` for one attempt with query text `q`, counting the
    documents of each of the `counted` word queries (by their words alone); `hybrid`: the
    parameters that add meaning matches (`hybrid.hybrid_params`)."""
    chosen = selected(query.filters)
    main = _common(index, q, facet_filter(chosen), hybrid)
    main["page"] = max(1, query.page)
    main["hitsPerPage"] = max(0, query.per_page)
    main.update(SHOWN_HITS)
    sort = sort_of(query, bool(q.strip()))
    if sort:
        main["sort"] = sort
    if q.strip() and query.lang and not sort:
        main["showRankingScore"] = True
    if q.strip():
        main["attributesToHighlight"] = ["title", "summary", "body"]
        main["highlightPreTag"] = PRE_TAG
        main["highlightPostTag"] = POST_TAG
    queries = [main]
    if query.facets:
        open_facets = [facet_field(f) for f in FACETS if f not in chosen]
        if open_facets:
            main["facets"] = open_facets
        for facet in chosen:
            counting = _common(index, q, facet_filter(chosen, without=facet), hybrid)
            counting["limit"] = 0
            counting["facets"] = [facet_field(facet)]
            queries.append(counting)
    for word in counted:
        queries.append({**_common(index, word, main.get("filter")), "limit": 0})
    return queries


def closest(
    index: str, query: SearchQuery, meaning: Mapping[str, Any], limit: int
) -> dict[str, Any]:
    """The query for the `limit` practices nearest by meaning within the filters
    (`meaning`: `hybrid.closest_params`)."""
    body = {"indexUid": index, "q": "", **meaning, "limit": limit, **SHOWN_HITS}
    chosen = facet_filter(selected(query.filters))
    if chosen is not None:
        body["filter"] = chosen
    return body


def counted_by(query: SearchQuery) -> list[str]:
    """Which facets each query after the first one counts, in order."""
    return list(selected(query.filters)) if query.facets else []
