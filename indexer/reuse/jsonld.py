"""A practice as schema.org JSON-LD (an `Article`), embedded in its page and exported.

Only the schema.org terms in `TERMS` are used; `tests/indexer/test_reuse.py` holds the
output to that list, each term checked against the schema.org vocabulary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from indexer.casestudy.taxonomy import Taxonomy
from indexer.reuse.licenses import license_of
from indexer.reuse.records import practice_url
from indexer.store import StoredPractice

TYPES = ("Article", "Organization", "Place", "PostalAddress", "Audience", "CreativeWork")
PROPERTIES = (
    "headline", "name", "description", "url", "identifier", "inLanguage", "license",
    "author", "spatialCoverage", "address", "addressRegion", "addressCountry", "audience",
    "audienceType", "keywords", "isBasedOn", "workTranslation", "translationOfWork",
    "dateModified", "datePublished",
)  # fmt: skip
TERMS = frozenset((*TYPES, *PROPERTIES))


def _labels(taxonomy: Taxonomy, vocabulary: str, ids: Sequence[str], language: str) -> list[str]:
    vocab = taxonomy.vocabulary(vocabulary)
    labels = []
    for term_id in ids:
        term = vocab.term(term_id)
        # A term retired from the taxonomy since is shown by its id.
        labels.append(getattr(term.label, language) if term else term_id)
    return labels


def jsonld(
    stored: StoredPractice,
    base_url: str,
    taxonomy: Taxonomy,
    translations: Sequence[str] = (),
) -> dict[str, Any]:
    """`translations`: slugs of the practices that say they translate this one."""
    practice = stored.practice
    case_study = practice.case_study
    language = case_study.language
    url = practice_url(base_url, case_study.slug)
    licence = license_of(case_study.license)
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": url,
        "url": url,
        "identifier": case_study.slug,
        "headline": case_study.title,
        "name": case_study.title,
        "description": case_study.summary,
        "inLanguage": language,
        "license": licence.url or case_study.license,
        "datePublished": stored.created_at.date().isoformat(),
        "dateModified": (case_study.updated or stored.updated_at.date()).isoformat(),
        "spatialCoverage": {
            "@type": "Place",
            "name": case_study.community or case_study.province,
            "address": {
                "@type": "PostalAddress",
                "addressRegion": case_study.province,
                "addressCountry": "CA",
            },
        },
        "keywords": [
            *_labels(taxonomy, "sectors", practice.sectors, language),
            *_labels(taxonomy, "themes", case_study.themes, language),
            *_labels(taxonomy, "factors", practice.factors, language),
        ],
    }
    if case_study.organization:
        document["author"] = {"@type": "Organization", "name": case_study.organization}
    if case_study.populations:
        document["audience"] = [
            {"@type": "Audience", "audienceType": label}
            for label in _labels(taxonomy, "populations", case_study.populations, language)
        ]
    if case_study.adapted_from:
        source = case_study.adapted_from
        based_on = source if "://" in source else practice_url(base_url, source)
        document["isBasedOn"] = {"@type": "CreativeWork", "url": based_on}
    if case_study.translation_of:
        document["translationOfWork"] = {
            "@type": "Article",
            "url": practice_url(base_url, case_study.translation_of),
        }
    if translations:
        document["workTranslation"] = [
            {"@type": "Article", "url": practice_url(base_url, slug)} for slug in translations
        ]
    return document
