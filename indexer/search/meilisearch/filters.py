"""Filter expressions for Meilisearch, built so that no value can change the expression.

Attribute names come from our own constants, never from input. Every value is a
double-quoted string in which `\\` and `"` are escaped with a backslash: Meilisearch's
filter parser ends a quoted value only at an unescaped `"`, so whatever a value holds
(`OR`, `AND`, `NOT`, brackets, parentheses, newlines, quotes) stays inside it, and the
parser gives back the value unchanged. Values of one facet combine with OR (`IN [...]`),
facets with AND.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from indexer.search.base import FACETS
from indexer.search.meilisearch.settings import PRIMARY_KEY, facet_field


def quote(value: str) -> str:
    """`value` as a double-quoted filter value."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def any_of(field: str, values: Iterable[str]) -> str:
    """`field IN ["a", "b"]`: documents whose field holds (or contains) one of the values."""
    return f"{field} IN [" + ", ".join(quote(str(v)) for v in dict.fromkeys(values)) + "]"


def selected(filters: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The facets of `FACETS` with at least one value, in `FACETS` order, values de-duplicated;
    unknown facet names are ignored (as the embedded engine does)."""
    out: dict[str, list[str]] = {}
    for facet in FACETS:
        values = list(dict.fromkeys(str(v) for v in filters.get(facet, ())))
        if values:
            out[facet] = values
    return out


def facet_filter(filters: Mapping[str, Sequence[str]], without: str | None = None) -> str | None:
    """Every selected facet's condition joined by AND, leaving out the facet `without`
    (the disjunctive count of that facet); None when nothing is left."""
    parts = [
        any_of(facet_field(facet), values)
        for facet, values in selected(filters).items()
        if facet != without
    ]
    return " AND ".join(parts) or None


def slug_filter(slugs: Iterable[str]) -> str:
    return any_of(PRIMARY_KEY, slugs)
