"""A practice as linked data: its schema.org JSON-LD (served alone and embedded in its
page) and the `<head>` links of its page to its other-language versions."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from indexer.operations.config import Settings
from indexer.reuse.jsonld import jsonld
from indexer.reuse.records import practice_url
from indexer.store import Store, StoredPractice

JSONLD_MEDIA_TYPE = "application/ld+json"
# A data block never runs, so the CSP (script-src 'self') allows it; escaping "<", ">" and
# "&" keeps any text of the practice from closing the element.
SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def practice_jsonld(store: Store, stored: StoredPractice, settings: Settings) -> dict[str, Any]:
    return jsonld(stored, settings.public_url, store.taxonomy, store.translated_by(stored.slug))


def page_head(store: Store, stored: StoredPractice, settings: Settings) -> str:
    """What the practice page's `<head>` gains: the JSON-LD, and one `hreflang` link per
    language version (itself included, as search engines ask)."""
    document = json.dumps(practice_jsonld(store, stored, settings), ensure_ascii=False)
    lines = [f'<script type="application/ld+json">{document.translate(SCRIPT_ESCAPES)}</script>']
    case_study = stored.practice.case_study
    languages = {case_study.language: stored.slug}
    for other in store.translations(stored.slug):
        if other.practice.case_study.language not in languages:
            languages[other.practice.case_study.language] = other.slug
    if len(languages) > 1:
        for language, slug in sorted(languages.items()):
            href = escape(practice_url(settings.public_url, slug))
            lines.append(f'<link rel="alternate" hreflang="{language}" href="{href}">')
    return "\n".join(lines) + "\n"
