"""One practice as an export record: what every export format is made of.

A record carries the canonical Markdown (what `lipkb import` reads back, so that
parse(export(entry)) gives the same entry), the content hash that identifies the
revision, and the attribution a reuser owes: title, author organisation, source URL,
licence.
"""

from __future__ import annotations

from typing import Any

from indexer.casestudy.writer import write
from indexer.reuse.licenses import license_of
from indexer.store import StoredPractice
from indexer.store.saving import content_hash

FORMAT = "lipkb-export"
VERSION = 1


def practice_url(base_url: str, slug: str) -> str:
    return f"{base_url.rstrip('/')}/practices/{slug}"


def attribution(stored: StoredPractice, base_url: str) -> dict[str, Any]:
    case_study = stored.practice.case_study
    licence = license_of(case_study.license)
    return {
        "title": case_study.title,
        "organization": case_study.organization,
        "source_url": practice_url(base_url, case_study.slug),
        "license": case_study.license,
        "license_name": licence.name,
        "license_url": licence.url,
    }


def record(stored: StoredPractice, base_url: str) -> dict[str, Any]:
    practice = stored.practice
    markdown = write(practice.case_study)
    return {
        "slug": practice.slug,
        "title": practice.case_study.title,
        "language": practice.case_study.language,
        "revision": stored.revision,
        "content_hash": content_hash(markdown),
        "updated_at": stored.updated_at.isoformat(),
        "url": practice_url(base_url, practice.slug),
        "attribution": attribution(stored, base_url),
        "front_matter": practice.case_study.model_dump(mode="json", exclude={"body"}),
        "tags": [
            {"vocabulary": t.vocabulary, "term": t.term, "source": t.source} for t in practice.tags
        ],
        "markdown": markdown,
    }
