"""New and updated practices as an Atom feed (RFC 4287): a saved search to subscribe to.

Each practice is one entry whose id never changes (its page's address), so a feed reader
shows an updated practice as the same item with a newer `updated`; each entry says its
language (`xml:lang`), its licence (`rights`, and a `license` link) and where its
Markdown is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from xml.etree import ElementTree as ET

from indexer.reuse.licenses import license_of
from indexer.reuse.records import practice_url
from indexer.store import StoredPractice

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ET.register_namespace("", ATOM)
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
MAX_ENTRIES = 50


def _element(
    parent: ET.Element, tag: str, text: str | None = None, **attributes: str
) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def atom(
    practices: Sequence[StoredPractice],
    *,
    title: str,
    feed_url: str,
    page_url: str,
    base_url: str,
    language: str,
    updated: datetime,
) -> bytes:
    """`practices` newest first; `page_url` is the search page showing the same results;
    `updated` is when the feed last changed (the newest entry, or the store's last change)."""
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: language})
    _element(feed, "id", feed_url)
    _element(feed, "title", title)
    _element(feed, "updated", _stamp(updated))
    _element(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _element(feed, "link", rel="alternate", type="text/html", href=page_url)
    author = _element(feed, "author")
    _element(author, "name", "LIP Practices Knowledge Base")
    _element(author, "uri", base_url)
    _element(feed, "generator", "lipkb", uri=base_url)
    for stored in practices[:MAX_ENTRIES]:
        case_study = stored.practice.case_study
        url = practice_url(base_url, case_study.slug)
        licence = license_of(case_study.license)
        entry = _element(feed, "entry", **{XML_LANG: case_study.language})
        _element(entry, "id", url)
        _element(entry, "title", case_study.title)
        _element(entry, "updated", _stamp(stored.updated_at))
        _element(entry, "published", _stamp(stored.created_at))
        _element(
            entry, "link", rel="alternate", type="text/html", href=url, hreflang=case_study.language
        )
        _element(
            entry,
            "link",
            rel="alternate",
            type="text/markdown",
            href=f"{base_url.rstrip('/')}/api/practices/{case_study.slug}.md",
        )
        if licence.url:
            _element(entry, "link", rel="license", href=licence.url)
        by = _element(entry, "author")
        _element(by, "name", case_study.organization or case_study.lip or "Unknown organisation")
        _element(entry, "summary", case_study.summary)
        _element(entry, "rights", f"{licence.name} ({case_study.license})")
        for sector in stored.practice.sectors:
            _element(
                entry,
                "category",
                term=sector,
                scheme=f"{base_url.rstrip('/')}/api/taxonomy#sectors",
            )
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document
