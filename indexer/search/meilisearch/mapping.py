"""Documents to Meilisearch and Meilisearch's answers back to `SearchResult` parts.

Highlights: Meilisearch is asked to wrap matches in two private-use characters, never
in markup. Here the text between them is HTML-escaped and the markers become `<mark>` and
`</mark>`, always balanced; so no markup from the content survives, and a marker
character typed into the content can at worst mark some escaped text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from indexer.search.base import FACETS, Highlight, SearchDocument
from indexer.search.fields import FIELDS, SORTABLE
from indexer.search.meilisearch.hybrid import EMBEDDER, as_json
from indexer.search.meilisearch.settings import facet_field

PRE_TAG = "\ue000"
POST_TAG = "\ue001"
CROP_MARKER = "…"
SNIPPET_WORDS = 30
# Fields that may be null; any other missing one reads as empty.
_OPTIONAL = frozenset(
    f.name for f in dataclasses.fields(SearchDocument) if str(f.type).endswith("| None")
)


def to_meili(document: SearchDocument) -> dict[str, Any]:
    """The stored document: every described field, plus the sort keys (`title_sort`, the
    folded title) and the vector, when it has one, in `_vectors`; `date` is an ISO date
    string, which sorts in date order."""
    data: dict[str, Any] = {}
    for field in FIELDS:
        value = getattr(document, field.name)
        data[field.name] = list(value) if field.many else value
    for field in SORTABLE:
        data[field.sort_key] = field.sort_value(document)
    if document.vector is not None:
        data["_vectors"] = {EMBEDDER: as_json(document.vector)}
    return data


def to_document(hit: Mapping[str, Any]) -> SearchDocument:
    """A hit back to the document it was made from (missing fields read as empty)."""
    values: dict[str, Any] = {}
    for field in FIELDS:
        value = hit.get(field.name)
        if field.many:
            value = [str(v) for v in value] if isinstance(value, list) else []
        elif value is None and field.name not in _OPTIONAL:
            value = ""
        values[field.name] = value
    return SearchDocument.from_dict(values)


def marked(text: str) -> str:
    """Text with PRE_TAG/POST_TAG markers to escaped HTML with balanced `<mark>` tags."""
    out: list[str] = []
    start, open_ = 0, False
    for index, char in enumerate(text):
        if char not in (PRE_TAG, POST_TAG):
            continue
        out.append(escape(text[start:index], quote=False))
        start = index + 1
        if char == PRE_TAG and not open_:
            out.append("<mark>")
            open_ = True
        elif char == POST_TAG and open_:
            out.append("</mark>")
            open_ = False
    out.append(escape(text[start:], quote=False))
    if open_:
        out.append("</mark>")
    return "".join(out).replace("<mark></mark>", "")


def highlight(hit: Mapping[str, Any], document: SearchDocument) -> Highlight:
    """From a hit's `_formatted` fields (the snippet is the cropped body: hits carry no
    body), else the plain text: escaped."""
    formatted = hit.get("_formatted")
    formatted = formatted if isinstance(formatted, Mapping) else {}

    def text(name: str, plain: str) -> str:
        value = formatted.get(name)
        return value if isinstance(value, str) else plain

    snippet = text("body", "")
    return Highlight(
        title=marked(text("title", document.title)),
        summary=marked(text("summary", document.summary)),
        snippet=marked(" ".join(snippet.split())),
    )


def merge_facets(
    distributions: Mapping[str, Mapping[str, Any]], selected: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, int]]:
    """Facet name -> value -> count from `facetDistribution`s (facet name -> the
    distribution that counts it). Zero counts are left out, except selected values, which
    are always present; values by count, then name, as the embedded engine gives them."""
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        raw = distributions.get(facet, {}).get(facet_field(facet)) or {}
        values = {str(v): int(n) for v, n in raw.items() if isinstance(n, int) and n > 0}
        for value in selected.get(facet, ()):
            values.setdefault(value, 0)
        counts[facet] = dict(sorted(values.items(), key=lambda item: (-item[1], item[0])))
    return counts
