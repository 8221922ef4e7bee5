"""The index settings payload, and whether a server's settings already match it.

Choices worth knowing (see also the package docstring):

- `rankingRules` puts `sort` FIRST. Meilisearch's `sort` rule does nothing when a search
  has no `sort` parameter, so relevance is unchanged; when the user asks for "newest" or
  "title" the order is then strictly by date or title, as the interface promises, instead
  of by date only among documents that tie on typo, proximity and attribute.
- `localizedAttributes`: documents stay in one set of fields whatever their language
  (separate `*_fr` fields would rank a French title below an English one, the attribute
  rule going by field position). The rule restricts language detection of the text
  fields to English and French; both use the same Latin-script pipeline, and a short text
  can no longer be taken for, say, Turkish or Swedish, whose normalisers differ. Queries
  pass the same `locales` (see `queries.LOCALES`).
- `slug` is filterable too, so that `delete` removes documents with one filter.
- Every attribute list comes from the field description (`indexer.search.fields`):
  searchable in order of weight, filterable facets, sort keys, displayed fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indexer.casestudy.taxonomy import Taxonomy
from indexer.search.fields import FACETS, FIELDS, SEARCHABLE, SORTABLE
from indexer.search.meilisearch.hybrid import embedder_settings
from indexer.search.stopwords import STOP_WORDS, STOP_WORDS_AS_WRITTEN
from indexer.search.synonyms import synonym_map

PRIMARY_KEY = "slug"
RANKING_RULES = ("sort", "words", "typo", "proximity", "attribute", "exactness")
LOCALES = ("eng", "fra")
MIN_VALUES_PER_FACET = 100
MAX_TOTAL_HITS = 1_000_000  # every document of a 100k corpus can be counted and paged
# Compared regardless of order: the server returns these sorted.
_UNORDERED = frozenset({"filterableAttributes", "sortableAttributes", "stopWords"})


def facet_field(facet: str) -> str:
    """The document field of a facet of `FACETS` ("sector" -> "sectors")."""
    return FACETS[facet].name


def index_settings(taxonomy: Taxonomy, dimensions: int | None = None) -> dict[str, Any]:
    """The whole settings payload (PATCH /indexes/{uid}/settings); with `dimensions`,
    the embedder for our vectors of that size (`hybrid`)."""
    largest = max(
        (
            len(taxonomy.vocabularies[f.indexed.vocabulary].terms)
            for f in FACETS.values()
            if f.indexed.vocabulary in taxonomy.vocabularies
        ),
        default=0,
    )
    searchable = [field.name for field in SEARCHABLE]  # most important first
    settings: dict[str, Any] = {
        "searchableAttributes": searchable,
        "filterableAttributes": [*(facet_field(f) for f in FACETS), PRIMARY_KEY],
        "sortableAttributes": [field.sort_key for field in SORTABLE],
        "displayedAttributes": [field.name for field in FIELDS],
        "rankingRules": list(RANKING_RULES),
        # As written and folded: whether the server's normaliser strips accents or not.
        "stopWords": sorted({*STOP_WORDS_AS_WRITTEN, *STOP_WORDS}),
        "synonyms": synonym_map(taxonomy),
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
        },
        "faceting": {"maxValuesPerFacet": max(MIN_VALUES_PER_FACET, largest)},
        "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
        "localizedAttributes": [{"attributePatterns": list(searchable), "locales": list(LOCALES)}],
    }
    if dimensions is not None:
        settings["embedders"] = embedder_settings(dimensions)
    return settings


def differences(wanted: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """The top-level settings of `wanted` that `current` (GET .../settings) lacks.

    Objects are compared on the keys we set (the server adds its defaults), filterable
    and sortable attributes as sets, synonyms as sets of equivalents."""
    return [key for key in wanted if not _same(key, wanted[key], current.get(key))]


def _same(key: str, wanted: Any, current: Any) -> bool:
    if key == "synonyms":
        return _synonym_sets(wanted) == _synonym_sets(current)
    if key in _UNORDERED and isinstance(current, list):
        return sorted(map(str, wanted)) == sorted(map(str, current))
    return _covers(wanted, current)


def _covers(wanted: Any, current: Any) -> bool:
    if hasattr(current, "model_dump"):  # the client reads `embedders` into its own models
        current = current.model_dump(by_alias=True)
    if isinstance(wanted, Mapping):
        return isinstance(current, Mapping) and all(
            _covers(value, current.get(name)) for name, value in wanted.items()
        )
    if isinstance(wanted, list):
        return (
            isinstance(current, list)
            and len(wanted) == len(current)
            and all(_covers(w, c) for w, c in zip(wanted, current, strict=True))
        )
    return bool(wanted == current)


def _synonym_sets(value: Any) -> dict[str, frozenset[str]] | None:
    if not isinstance(value, Mapping):
        return None
    return {str(k): frozenset(map(str, v)) for k, v in value.items()}
