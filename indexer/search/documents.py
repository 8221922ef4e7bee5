"""Practices to the documents the search engines index."""

from __future__ import annotations

from datetime import date

from indexer.casestudy.practice import Practice
from indexer.casestudy.taxonomy import Taxonomy
from indexer.search.base import SearchDocument


def tag_text(practice: Practice, taxonomy: Taxonomy) -> str:
    """Labels (both languages) of every term the practice is tagged with, so that a query
    for "Santé" or "housing" finds practices by their tags."""
    case_study = practice.case_study
    terms = [
        ("sectors", practice.sectors),
        ("factors", practice.factors),
        ("themes", case_study.themes),
        ("populations", case_study.populations),
    ]
    labels: dict[str, None] = {}
    for vocabulary, ids in terms:
        vocab = taxonomy.vocabulary(vocabulary)
        for term_id in ids:
            term = vocab.term(term_id)
            if term is not None:
                labels.setdefault(term.label.en, None)
                labels.setdefault(term.label.fr, None)
    return " · ".join(labels)


def to_document(practice: Practice, taxonomy: Taxonomy, stored_on: date) -> SearchDocument:
    case_study = practice.case_study
    when = case_study.updated or case_study.reviewed or stored_on
    return SearchDocument(
        slug=case_study.slug,
        title=case_study.title,
        summary=case_study.summary,
        tags=tag_text(practice, taxonomy),
        body=practice.text,
        language=case_study.language,
        province=case_study.province,
        community=case_study.community,
        community_size=case_study.community_size,
        sectors=tuple(practice.sectors),
        factors=tuple(practice.factors),
        themes=tuple(case_study.themes),
        populations=tuple(case_study.populations),
        evidence=case_study.evidence,
        status=case_study.status,
        license=case_study.license,
        date=when.isoformat(),
    )
