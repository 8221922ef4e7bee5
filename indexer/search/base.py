"""The search-engine interface every engine implements (SPEC section 6).

Engines are registered by name in `registry` (the built-in `sqlite` and `meilisearch`
exactly as a third one would be) and must pass the shared conformance suite in
`tests/search/conformance.py`. An engine that cannot do something says so in its
`capabilities`; the suite skips those tests with the reason.

Behaviour every engine gives:

- `search` matches the query text against title, summary, tags (labels of the practice's
  vocabulary terms, both languages) and body, ranked in that order of importance; one
  typo is allowed in words of 5+ letters, two in words of 9+; the last word also matches
  as a prefix (when it has 3+ letters); taxonomy synonyms match both ways; accents and
  case are ignored; English and French word forms match (stemming).
- No word is required: documents matching more of the query's meaningful words rank
  first. Stop words (`stopwords`) are never required, counted or highlighted (unless the
  query has no other word); the words that matched nothing are `dropped_words`.
- A multi-word synonym matches, and is highlighted, only as a phrase. With
  `SearchQuery.lang`, of two equally good documents the one in that language comes first.
- Hybrid: text queries also match by meaning (`embedding.SIMILARITY_FLOOR`); the results
  are the lexical matches plus the meaning matches, ranked by `fusion`; `closest` offers
  the nearest practices by meaning when nothing matches. An empty query is never
  matched by meaning.
- Filters: values of one facet combine with OR, different facets with AND.
- Facet counts for every facet in `FACETS`, over the documents matching the text and
  the *other* facets' filters (disjunctive faceting). Values with a zero count are left
  out, except selected values, which are always present.
- Highlights: `<mark>` around matched words in title and summary and a cropped body
  snippet, all built from HTML-escaped text.
- Sort: `relevance` (the default; for an empty query it means newest first), `newest`
  (by `SearchDocument.date`, then title) or `title` (accent- and case-insensitive).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

# The document and its field description live in `fields`; both are part of this interface.
from indexer.search.fields import FACETS as FACETS
from indexer.search.fields import SearchDocument as SearchDocument

if TYPE_CHECKING:
    from indexer.search.embedding import Embedder

Sort = Literal["relevance", "newest", "title"]
SORTS: tuple[Sort, ...] = ("relevance", "newest", "title")
MAX_PER_PAGE = 100
MAX_QUERY_LENGTH = 500


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)  # facet -> values
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = 20
    facets: bool = True  # compute facet counts
    lang: str | None = None  # the reader's language ("en", "fr"): it breaks ties


@dataclass(frozen=True)
class Highlight:
    title: str  # escaped HTML, matches in <mark>
    summary: str
    snippet: str  # a cropped part of the body around the best match ("…" where cut)


@dataclass(frozen=True)
class Hit:
    document: SearchDocument
    highlight: Highlight


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]  # facet -> value -> count
    dropped_words: list[str] = field(default_factory=list)
    took_ms: float = 0.0
    # When nothing matches a text query: the practices nearest to it by meaning (within
    # the filters), so the empty state has something to offer.
    closest: list[Hit] = field(default_factory=list)


@dataclass(frozen=True)
class Capabilities:
    """What an engine supports; the conformance suite skips what is False, with the reason."""

    typo_tolerance: bool = True
    prefix_search: bool = True
    synonyms: bool = True
    stemming_en: bool = True
    stemming_fr: bool = True
    disjunctive_facets: bool = True
    any_word: bool = True  # a document matching any one meaningful query word is found
    atomic_rebuild: bool = True
    reasons: Mapping[str, str] = field(default_factory=dict)  # capability -> why it is missing


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str
    documents: int | None = None


class SearchError(Exception):
    """Base of the engine errors.

    SearchError
    ├── EngineUnavailable  the engine cannot be reached or does not answer (HTTP 503)
    └── EngineFailure      the engine answered with an error (HTTP 502)
    """


class EngineUnavailable(SearchError):
    pass


class EngineFailure(SearchError):
    pass


class SearchEngine(ABC):
    name: ClassVar[str]
    capabilities: ClassVar[Capabilities] = Capabilities()
    # The sentence model the engine embeds queries with (None: lexical matching only);
    # the core attaches document vectors with the same one (`indexer.vectors`).
    embedder: Embedder | None = None

    def prepare(self) -> None:  # noqa: B027  (an engine that sets itself up when opened)
        """Make the index ready to serve (create it, apply its settings), awaiting the
        work that takes: run by `lipkb migrate` and before serving, never by a search."""

    @abstractmethod
    def index(self, documents: Iterable[SearchDocument]) -> None:
        """Add or replace documents (by slug); searchable when this returns."""

    @abstractmethod
    def delete(self, slugs: Iterable[str]) -> None:
        """Remove documents; unknown slugs are ignored."""

    @abstractmethod
    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        """Replace the whole index atomically: searches keep answering from the old
        index until the new one is complete, then see only the new one."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Run a query (see the module docstring for the behaviour)."""

    @abstractmethod
    def count(self) -> int:
        """How many documents are indexed."""

    @abstractmethod
    def health(self) -> Health:
        """Whether the engine can answer searches now."""

    def close(self) -> None:  # noqa: B027  (most engines hold nothing to release)
        """Release connections and files."""
