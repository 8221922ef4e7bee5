"""Test data for the Meilisearch engine's unit tests: a small taxonomy, documents, the
server's settings and search answers as the HTTP API gives them."""

from __future__ import annotations

from typing import Any

from indexer.casestudy.taxonomy import Bilingual, Synonyms, Taxonomy, Term, Vocabulary
from indexer.search.base import SearchDocument
from indexer.search.meilisearch.mapping import to_meili
from indexer.search.meilisearch.settings import index_settings

PRE, POST = "\ue000", "\ue001"


def small_taxonomy() -> Taxonomy:
    """Every vocabulary a facet reads, a few terms each, synonyms on two of them."""

    def term(term_id: str, label_en: str, label_fr: str, synonyms: tuple[str, ...] = ()) -> Term:
        return Term(
            id=term_id,
            label=Bilingual(en=label_en, fr=label_fr),
            definition=Bilingual(en=label_en, fr=label_fr),
            synonyms=Synonyms(en=list(synonyms)),
        )

    def vocabulary(*terms: Term) -> Vocabulary:
        return Vocabulary(label=Bilingual(en="V", fr="V"), terms=list(terms))

    plain = {
        "province": [("on", "Ontario", "Ontario"), ("qc", "Quebec", "Québec")],
        "community_size": [("rural", "Rural", "Rural"), ("urban", "Urban", "Urbain")],
        "themes": [("housing", "Housing", "Logement")],
        "factors": [("partners", "Partners", "Partenaires")],
        "evidence": [("evaluated", "Evaluated", "Évalué")],
        "status": [("active", "Active", "Actif")],
        "language": [("en", "English", "Anglais"), ("fr", "French", "Français")],
    }
    vocabularies = {name: vocabulary(*(term(*t) for t in terms)) for name, terms in plain.items()}
    vocabularies["sectors"] = vocabulary(
        term("health", "Health", "Santé", ("healthcare",)),
        term("education", "Education", "Éducation"),
    )
    vocabularies["populations"] = vocabulary(
        term("newcomers", "Newcomers", "Nouveaux arrivants", ("immigrants",)),
    )
    return Taxonomy(version=1, vocabularies=vocabularies)


TAXONOMY = small_taxonomy()
# The fields a hit brings back: those the API shows, never the body or the tags (the
# snippet comes cropped in `_formatted`).
DOCUMENT_FIELDS = [
    "slug",
    "title",
    "summary",
    "sectors",
    "factors",
    "themes",
    "populations",
    "province",
    "community",
    "community_size",
    "evidence",
    "language",
    "status",
    "license",
    "date",
]
SETTINGS = index_settings(TAXONOMY)


def document(slug: str, **fields: Any) -> SearchDocument:
    values: dict[str, Any] = {
        "slug": slug,
        "title": f"Title of {slug}",
        "summary": "A summary.",
        "tags": "Health · Santé",
        "body": "Body text of the practice.",
        "language": "en",
        "province": "on",
        "community": "Guelph",
        "community_size": "urban",
        "sectors": ("health",),
        "factors": ("partners",),
        "themes": ("housing",),
        "populations": ("newcomers",),
        "evidence": "evaluated",
        "status": "active",
        "license": "CC-BY-4.0",
        "date": "2024-03-01",
    }
    values.update(fields)
    return SearchDocument(**values)


def as_server_returns(payload: dict[str, Any]) -> dict[str, Any]:
    """Settings as GET /indexes/{uid}/settings gives them back after `payload` was applied:
    sets sorted, the server's own defaults added around ours."""
    return {
        "displayedAttributes": payload.get("displayedAttributes", ["*"]),
        "searchableAttributes": payload["searchableAttributes"],
        "filterableAttributes": sorted(payload["filterableAttributes"]),
        "sortableAttributes": sorted(payload["sortableAttributes"]),
        "rankingRules": payload["rankingRules"],
        "stopWords": sorted(payload.get("stopWords", [])),
        "nonSeparatorTokens": [],
        "separatorTokens": [],
        "dictionary": [],
        "synonyms": {k: list(reversed(v)) for k, v in payload["synonyms"].items()},
        "distinctAttribute": None,
        "proximityPrecision": "byWord",
        "typoTolerance": {
            **payload["typoTolerance"],
            "disableOnWords": [],
            "disableOnAttributes": [],
            "disableOnNumbers": False,
        },
        "faceting": {**payload["faceting"], "sortFacetValuesBy": {"*": "alpha"}},
        "pagination": payload["pagination"],
        "searchCutoffMs": None,
        "localizedAttributes": payload["localizedAttributes"],
        "facetSearch": True,
        "prefixSearch": "indexingTime",
    }


def answer(*hits: dict[str, Any], total: int | None = None, **facets: Any) -> dict[str, Any]:
    return {
        "hits": list(hits),
        "totalHits": len(hits) if total is None else total,
        "facetDistribution": facets,
    }


def hit(slug: str, **formatted: str) -> dict[str, Any]:
    stored = to_meili(
        document(
            slug,
            title="Welcome <script>alert(1)</script> & housing",
            summary="Help with <b>housing</b>",
            body="Intro. " + "word " * 50 + "housing at last <i>here</i>",
        )
    )
    shown = {name: value for name, value in stored.items() if name in DOCUMENT_FIELDS}
    return {**shown, "_formatted": formatted} if formatted else shown
