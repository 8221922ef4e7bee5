"""Searching: the multi-search requests sent for a query (composition, disjunctive
facets, sorts, query text, dropping words)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from indexer.search.base import SearchQuery
from tests.search.test_meilisearch_data import DOCUMENT_FIELDS, POST, PRE, answer, hit
from tests.search.test_meilisearch_support import FakeMeili, fake_server, make_engine

LOCALES = ["eng", "fra"]
HIGHLIGHTING = {
    "attributesToHighlight": ["title", "summary", "body"],
    "highlightPreTag": PRE,
    "highlightPostTag": POST,
    "attributesToCrop": ["body"],
    "cropLength": 30,
    "cropMarker": "…",
}


@pytest.fixture
def fake() -> Iterator[FakeMeili]:
    for server in fake_server():
        server.ready()
        yield server


def searches(fake: FakeMeili) -> list[dict[str, Any]]:
    return fake.bodies("/multi-search")


def test_selected_facets_get_one_counting_query_each_in_the_same_request(
    fake: FakeMeili,
) -> None:
    fake.search(lambda body: [answer(total=1), answer(), answer()])
    make_engine().search(
        SearchQuery(
            text="Housing newcomers",
            filters={"province": ["on"], "sector": ["health", "education"]},
            page=2,
            per_page=10,
        )
    )
    both = 'sectors IN ["health", "education"] AND province IN ["on"]'
    common = {"indexUid": "practices", "q": "housing newcomers", "matchingStrategy": "all"}
    assert searches(fake) == [
        {
            "queries": [
                {
                    **common,
                    "locales": LOCALES,
                    "filter": both,
                    "page": 2,
                    "hitsPerPage": 10,
                    "attributesToRetrieve": DOCUMENT_FIELDS,
                    **HIGHLIGHTING,
                    "facets": [
                        "factors",
                        "themes",
                        "populations",
                        "community_size",
                        "evidence",
                        "language",
                        "status",
                        "license",
                    ],
                },
                {
                    **common,
                    "locales": LOCALES,
                    "filter": 'province IN ["on"]',
                    "limit": 0,
                    "facets": ["sectors"],
                },
                {
                    **common,
                    "locales": LOCALES,
                    "filter": 'sectors IN ["health", "education"]',
                    "limit": 0,
                    "facets": ["province"],
                },
            ],
            "federation": None,
        }
    ]


def test_without_facets_only_the_page_is_asked(fake: FakeMeili) -> None:
    fake.search(lambda body: [answer()])
    result = make_engine().search(SearchQuery(text="x", filters={"sector": ["a"]}, facets=False))
    (sent,) = searches(fake)[0]["queries"]
    assert "facets" not in sent
    assert sent["filter"] == 'sectors IN ["a"]'
    assert result.facets == {}


@pytest.mark.parametrize(
    ("sort", "text", "expected"),
    [
        ("relevance", "housing", None),
        ("relevance", "", ["date:desc", "title_sort:asc"]),
        ("newest", "housing", ["date:desc", "title_sort:asc"]),
        ("title", "housing", ["title_sort:asc"]),
        ("title", "", ["title_sort:asc"]),
    ],
)
def test_sorts(fake: FakeMeili, sort: Any, text: str, expected: list[str] | None) -> None:
    fake.search(lambda body: [answer()])
    make_engine().search(SearchQuery(text=text, sort=sort, facets=False))
    assert searches(fake)[0]["queries"][0].get("sort") == expected


@pytest.mark.parametrize(
    ("text", "q"),
    [
        ("Housing", "housing"),  # the last word is a prefix while typing...
        ("housing ", "housing "),  # ...not once a space follows it
        ("housing ab", "housing ab "),  # nor when shorter than 3 letters
        ('"exact phrase" -excluded', "exact phrase excluded"),  # no operators from input
        ("l'intégration des réfugiés", "integration des refugies"),
        # Meilisearch reads 10 words: the 10th is no prefix when more were typed after it
        (" ".join(f"word{n}" for n in range(12)), " ".join(f"word{n}" for n in range(10)) + " "),
    ],
)
def test_query_text(fake: FakeMeili, text: str, q: str) -> None:
    fake.search(lambda body: [answer(hit("one"))])
    make_engine().search(SearchQuery(text=text, facets=False))
    assert searches(fake)[0]["queries"][0]["q"] == q


def found_with(*words: str) -> Any:
    """Answers: hits only when the query is exactly these words."""
    wanted = " ".join(words)

    def respond(body: dict[str, Any]) -> list[dict[str, Any]]:
        q = body["queries"][0]["q"].strip()
        main = answer(hit("one"), sectors={"health": 1}) if q == wanted else answer()
        return [main] + [answer(sectors={"health": 4}) for _ in body["queries"][1:]]

    return respond


def test_words_are_dropped_from_the_end_until_something_matches(fake: FakeMeili) -> None:
    fake.search(found_with("mentoring", "newcomers"))
    query = SearchQuery(text="Mentoring newcomers xyzzy plugh", filters={"sector": ["health"]})
    result = make_engine().search(query)
    assert [s["queries"][0]["q"] for s in searches(fake)] == [
        "mentoring newcomers xyzzy plugh",
        "mentoring newcomers xyzzy ",
        "mentoring newcomers ",
    ]
    assert all(s["queries"][0]["filter"] == 'sectors IN ["health"]' for s in searches(fake))
    assert result.dropped_words == ["xyzzy", "plugh"]
    assert [h.document.slug for h in result.hits] == ["one"]
    assert result.total == 1
    assert result.facets["sector"] == {"health": 4}


def test_when_relaxing_finds_nothing_the_query_is_reported_as_it_was(fake: FakeMeili) -> None:
    fake.search(found_with("nothing", "at", "all", "matches"))  # never asked
    result = make_engine().search(SearchQuery(text="xyzzy plugh quux", facets=False))
    assert [s["queries"][0]["q"] for s in searches(fake)] == [
        "xyzzy plugh quux",
        "xyzzy plugh ",
        "xyzzy ",
    ]
    assert (result.total, result.hits, result.dropped_words) == (0, [], [])


def test_one_word_that_matches_nothing_is_not_retried(fake: FakeMeili) -> None:
    fake.search(found_with("other"))
    result = make_engine().search(SearchQuery(text="xyzzy", facets=False))
    assert len(searches(fake)) == 1
    assert result.dropped_words == []


def test_a_page_past_the_end_is_not_a_reason_to_drop_words(fake: FakeMeili) -> None:
    fake.search(lambda body: [answer(total=5)])
    result = make_engine().search(SearchQuery(text="housing newcomers", page=9, facets=False))
    assert len(searches(fake)) == 1
    assert (result.total, result.hits, result.dropped_words) == (5, [], [])
    assert result.took_ms >= 0
