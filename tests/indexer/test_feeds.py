"""The Atom feed, read by a real feed library: ids, dates, links, language and licence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import feedparser
import pytest

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy
from indexer.loading import find_case_studies, load
from indexer.reuse.feeds import MAX_ENTRIES, atom
from indexer.reuse.licenses import license_of
from indexer.store import StoredPractice
from tests.conftest import CONTENT, publisher_at

BASE = "https://practices.example.org"


@pytest.fixture(scope="module")
def practices(
    tmp_path_factory: pytest.TempPathFactory, taxonomy: Taxonomy
) -> Iterator[list[StoredPractice]]:
    with publisher_at(tmp_path_factory.mktemp("feed"), taxonomy) as publisher:
        load(
            find_case_studies([CONTENT / "practices"]), Pipeline(taxonomy), publisher, author="test"
        )
        yield sorted(publisher.store.iter_all(), key=lambda s: s.updated_at, reverse=True)


def _feed(practices: list[StoredPractice]) -> feedparser.FeedParserDict:
    xml = atom(
        practices,
        title="Practices: sector health",
        feed_url=f"{BASE}/feeds/practices.atom?sector=health",
        page_url=f"{BASE}/?sector=health",
        base_url=BASE,
        language="en",
        updated=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
    )
    return feedparser.parse(xml)


def test_the_feed_is_valid_atom_with_one_entry_per_practice(
    practices: list[StoredPractice],
) -> None:
    feed = _feed(practices[:20])
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == f"{BASE}/feeds/practices.atom?sector=health"
    assert feed.feed.title == "Practices: sector health"
    assert feed.feed.updated_parsed[:3] == (2026, 12, 1)
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": feed.feed.id, "alternate": f"{BASE}/?sector=health"}
    assert [entry.id for entry in feed.entries] == [
        f"{BASE}/practices/{p.slug}" for p in practices[:20]
    ]


def test_each_entry_says_its_dates_links_language_and_licence(
    practices: list[StoredPractice],
) -> None:
    feed = _feed(practices)
    assert len(feed.entries) == min(len(practices), MAX_ENTRIES)
    by_id = {entry.id: entry for entry in feed.entries}
    for stored in practices[:MAX_ENTRIES]:
        entry = by_id[f"{BASE}/practices/{stored.slug}"]
        case_study = stored.practice.case_study
        assert entry.title == case_study.title
        assert entry.summary == case_study.summary
        assert entry.updated_parsed[:6] == stored.updated_at.utctimetuple()[:6]
        assert entry.published_parsed[:6] == stored.created_at.utctimetuple()[:6]
        assert entry.title_detail.language == case_study.language
        assert entry.summary_detail.language == case_study.language
        assert case_study.license in entry.rights
        kinds = {(link.rel, link.get("type")): link.href for link in entry.links}
        assert kinds[("alternate", "text/html")] == entry.id
        assert kinds[("alternate", "text/markdown")] == f"{BASE}/api/practices/{stored.slug}.md"
        licences = [link.href for link in entry.links if link.rel == "license"]
        assert licences == [license_of(case_study.license).url]
        assert {tag.term for tag in entry.tags} == set(stored.practice.sectors)


def test_text_from_the_content_is_escaped_not_markup(
    practices: list[StoredPractice], pipeline: Pipeline
) -> None:
    markdown = (
        '---\ntitle: "<script>alert(1)</script> & friends"\n'
        'summary: "]]> <b>bold</b> a summary of twenty characters"\n'
        "province: ON\nsectors: [health]\n---\n\nBody.\n"
    )
    hostile = pipeline.check(markdown, "hostile.md").practice
    assert hostile is not None
    now = datetime.now(UTC)
    feed = _feed([StoredPractice(hostile, 1, "x", now, now)])
    assert feed.bozo == 0
    assert feed.entries[0].title == "<script>alert(1)</script> & friends"
    assert feed.entries[0].title_detail.type == "text/plain"
