"""Answers mapped back: documents, escaped highlights, snippets, facet counts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from indexer.search.base import FACETS, SearchQuery
from tests.search.test_meilisearch_data import DOCUMENT_FIELDS, POST, PRE, answer, document, hit
from tests.search.test_meilisearch_support import FakeMeili, fake_server, make_engine


@pytest.fixture
def fake() -> Iterator[FakeMeili]:
    for server in fake_server():
        server.ready()
        yield server


def searches(fake: FakeMeili) -> list[dict[str, Any]]:
    return fake.bodies("/multi-search")


def test_facet_counts_merge_disjunctively(fake: FakeMeili) -> None:
    fake.search(
        lambda body: [
            answer(
                total=3,
                themes={"housing": 2, "health": 0, "jobs": 3},
                province={"on": 1},
                sectors={"health": 1},  # the selected facet's own counts come from below
            ),
            answer(total=9, sectors={"health": 3, "education": 6, "legal": 0}),
        ]
    )
    result = make_engine().search(SearchQuery(text="x", filters={"sector": ["legal", "health"]}))
    assert result.total == 3
    assert set(result.facets) == set(FACETS)
    assert result.facets["sector"] == {"education": 6, "health": 3, "legal": 0}
    assert result.facets["theme"] == {"jobs": 3, "housing": 2}
    assert result.facets["province"] == {"on": 1}
    assert result.facets["status"] == {}


def test_hits_come_back_as_documents_with_escaped_highlights(fake: FakeMeili) -> None:
    formatted = {
        "title": f"Welcome <script>alert(1)</script> & {PRE}housing{POST}",
        "summary": f"Help with <b>{PRE}housing{POST}</b>",
        "body": f"…word word\n\n{PRE}housing{POST} at last <i>here</i>",
    }
    fake.search(lambda body: [answer(hit("one", **formatted)), answer()])
    result = make_engine().search(SearchQuery(text="housing", filters={"theme": ["housing"]}))
    (found,) = result.hits
    assert found.document == dataclasses.replace(  # no body or tags: hits do not bring them
        document("one"),
        tags="",
        body="",
        title="Welcome <script>alert(1)</script> & housing",
        summary="Help with <b>housing</b>",
    )
    assert found.highlight.title == (
        "Welcome &lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>housing</mark>"
    )
    assert found.highlight.summary == "Help with &lt;b&gt;<mark>housing</mark>&lt;/b&gt;"
    assert (
        found.highlight.snippet == "…word word <mark>housing</mark> at last &lt;i&gt;here&lt;/i&gt;"
    )


def test_markers_typed_into_content_cannot_unbalance_the_marks(fake: FakeMeili) -> None:
    formatted = {"title": f"{POST}a{PRE}b{PRE}c{POST}{POST}d{PRE}<e>", "summary": "", "body": ""}
    fake.search(lambda body: [answer(hit("one", **formatted))])
    result = make_engine().search(SearchQuery(text="b", facets=False))
    assert result.hits[0].highlight.title == "a<mark>bc</mark>d<mark>&lt;e&gt;</mark>"


def test_the_empty_query_lists_newest_first_without_highlighting(fake: FakeMeili) -> None:
    start = "Intro. " + "word " * 28 + "word…"  # what the server crops with no query
    fake.search(lambda body: [answer(hit("one", body=start))])
    result = make_engine().search(SearchQuery(text="  ?! ", facets=False))
    (sent,) = searches(fake)[0]["queries"]
    assert sent == {
        "indexUid": "practices",
        "q": "",
        "page": 1,
        "hitsPerPage": 20,
        "attributesToRetrieve": DOCUMENT_FIELDS,
        "attributesToCrop": ["body"],
        "cropLength": 30,
        "cropMarker": "…",
        "sort": ["date:desc", "title_sort:asc"],
    }
    highlight = result.hits[0].highlight
    assert highlight.title == "Welcome &lt;script&gt;alert(1)&lt;/script&gt; &amp; housing"
    assert highlight.summary == "Help with &lt;b&gt;housing&lt;/b&gt;"
    assert highlight.snippet == start
    assert "<mark>" not in highlight.title + highlight.summary + highlight.snippet
