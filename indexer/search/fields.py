"""The search document, and how each of its fields is indexed: the one description.

Like Wagtail's `search_fields`, each field of `SearchDocument` says once whether it is
searchable (and its weight), a filter and facet (its API name and the vocabulary or
pattern of its values), sortable, and shown in API hits. Every reader derives its list
from here: the document's facet values, `FACETS`, the embedded engine's FTS5 columns and
bm25 weights and sort columns, the Meilisearch settings, the API's filter parameters,
their OpenAPI enums and the hit schema. A field without a description (an embedding
vector, say) is carried by the document but indexed by no text rule.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from indexer.casestudy.schema import SPDX_PATTERN
from indexer.casestudy.words import fold


@dataclass(frozen=True)
class Indexed:
    """How one document field is indexed (see the module docstring)."""

    weight: float | None = None  # searchable, with this bm25 weight (higher: more important)
    facet: str | None = None  # filter and facet name of the HTTP API
    vocabulary: str | None = None  # taxonomy vocabulary of the facet's values...
    pattern: re.Pattern[str] | None = None  # ...or the pattern they match (no vocabulary)
    sortable: bool = False  # sorted on its folded text (`<name>_sort`) or, for dates, as is
    shown: bool = False  # part of each API hit


def described(**how: Any) -> Any:
    """A dataclass field carrying its `Indexed` description (typed Any for the dataclass)."""
    return dataclasses.field(metadata={"indexed": Indexed(**how)})


@dataclass(frozen=True)
class Field:
    name: str
    many: bool  # a tuple of values rather than one
    indexed: Indexed

    @property
    def sort_key(self) -> str:
        """The column (or Meilisearch attribute) the field is sorted by."""
        return self.name if self.name == "date" else f"{self.name}_sort"

    def sort_value(self, document: SearchDocument) -> str:
        """ISO dates sort as they are; text sorts folded (accents and case ignored)."""
        value = str(getattr(document, self.name) or "")
        return value if self.name == "date" else fold(value)


@dataclass(frozen=True)
class SearchDocument:
    """One practice as the engines index it; built by `documents.to_document`."""

    slug: str = described(shown=True)
    title: str = described(weight=30.0, sortable=True, shown=True)
    summary: str = described(weight=10.0, shown=True)
    # labels and synonyms of the practice's terms, both languages, one string
    tags: str = described(weight=3.0)
    body: str = described(weight=1.0)  # plain text of the body
    # author and inferred
    sectors: tuple[str, ...] = described(facet="sector", vocabulary="sectors", shown=True)
    factors: tuple[str, ...] = described(facet="factor", vocabulary="factors", shown=True)
    themes: tuple[str, ...] = described(facet="theme", vocabulary="themes", shown=True)
    populations: tuple[str, ...] = described(
        facet="population", vocabulary="populations", shown=True
    )
    province: str = described(facet="province", vocabulary="province", shown=True)
    community: str | None = described(shown=True)
    community_size: str | None = described(
        facet="community_size", vocabulary="community_size", shown=True
    )
    evidence: str | None = described(facet="evidence", vocabulary="evidence", shown=True)
    language: str = described(facet="language", vocabulary="language", shown=True)
    status: str | None = described(facet="status", vocabulary="status", shown=True)
    license: str = described(facet="license", pattern=SPDX_PATTERN, shown=True)  # SPDX id
    # ISO date of the "newest" sort: updated, else reviewed, else stored
    date: str = described(sortable=True, shown=True)
    # The meaning of the practice (`embedding.Embedder`), float32, L2-normalised; None
    # until attached where documents are built for indexing, and in hits. Not described:
    # no engine stores it as a field (and `to_dict` leaves it out).
    vector: npt.NDArray[np.float32] | None = dataclasses.field(
        default=None, compare=False, repr=False
    )

    def to_dict(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchDocument:
        """The inverse of `to_dict` after JSON (which gives lists where fields hold tuples)."""
        values: dict[str, Any] = {
            key: tuple(value) if isinstance(value, list) else value for key, value in data.items()
        }
        return cls(**values)

    def facet_values(self, facet: str) -> tuple[str, ...]:
        """The values this document has for a facet of `FACETS`."""
        value = getattr(self, FACETS[facet].name)
        if isinstance(value, tuple):
            return value
        return (value,) if value else ()


FIELDS: tuple[Field, ...] = tuple(
    Field(f.name, str(f.type).startswith("tuple"), f.metadata["indexed"])
    for f in dataclasses.fields(SearchDocument)
    if "indexed" in f.metadata
)
# Searchable fields, most important first, and their bm25 weights in that order.
SEARCHABLE: tuple[Field, ...] = tuple(
    sorted(
        (f for f in FIELDS if f.indexed.weight is not None),
        key=lambda f: -(f.indexed.weight or 0.0),
    )
)
# bm25 saturates, so one column's contribution is bounded by about 2.2 x its weight x idf:
# with ratios of 3 or more, a single title match outranks any number of summary matches,
# and so on down the columns.
WEIGHTS: tuple[float, ...] = tuple(f.indexed.weight or 0.0 for f in SEARCHABLE)
# Filter and facet name of the HTTP API -> its field, in the order of the description.
FACETS: dict[str, Field] = {f.indexed.facet: f for f in FIELDS if f.indexed.facet}
SORTABLE: tuple[Field, ...] = tuple(f for f in FIELDS if f.indexed.sortable)
SHOWN: tuple[Field, ...] = tuple(f for f in FIELDS if f.indexed.shown)
