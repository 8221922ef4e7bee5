"""Searching: the multi-search requests sent for a query (composition, disjunctive
facets, sorts, query text, words that match nothing, the reader's language)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from indexer.search.base import EngineFailure, SearchQuery
from tests.search.test_meilisearch_data import DOCUMENT_FIELDS, POST, PRE, answer, hit
from tests.search.test_meilisearch_support import FakeMeili, fake_server, make_engine

LOCALES = ["eng", "fra"]
HIGHLIGHTING = {
    "attributesToCrop": ["body"],
    "cropLength": 30,
    "cropMarker": "…",
    "attributesToHighlight": ["title", "summary", "body"],
    "highlightPreTag": PRE,
    "highlightPostTag": POST,
}


@pytest.fixture
def fake() -> Iterator[FakeMeili]:
    for server in fake_server():
        server.ready()
        yield server


def searches(fake: FakeMeili) -> list[dict[str, Any]]:
    return fake.bodies("/multi-search")


def each(main: dict[str, Any]) -> Any:
    """Answers: `main` to the first query, an empty answer with one hit to the others."""
    return lambda body: [main] + [answer(total=1) for _ in body["queries"][1:]]


def test_selected_facets_and_words_get_one_counting_query_each_in_the_same_request(
    fake: FakeMeili,
) -> None:
    fake.search(each(answer(total=1)))
    make_engine().search(
        SearchQuery(
            text="Housing newcomers",
            filters={"province": ["on"], "sector": ["health", "education"]},
            page=2,
            per_page=10,
        )
    )
    both = 'sectors IN ["health", "education"] AND province IN ["on"]'
    common = {"indexUid": "practices", "q": "housing newcomers", "matchingStrategy": "frequency"}
    word = {"matchingStrategy": "frequency", "locales": LOCALES, "filter": both, "limit": 0}
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
                {"indexUid": "practices", "q": "housing ", **word},
                {"indexUid": "practices", "q": "newcomers", **word},
            ],
            "federation": None,
        }
    ]


def test_without_facets_only_the_page_is_asked(fake: FakeMeili) -> None:
    fake.search(each(answer()))
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
    fake.search(each(answer()))
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
    fake.search(each(answer(hit("one"))))
    make_engine().search(SearchQuery(text=text, facets=False))
    assert searches(fake)[0]["queries"][0]["q"] == q


def matching(*found: str) -> Any:
    """Answers: a word's count is 1 when it is one of `found` (else 0); the page has a hit
    when every word of its `q` is one of them."""

    def respond(body: dict[str, Any]) -> list[dict[str, Any]]:
        main, *others = body["queries"]
        words = main["q"].split()
        page = answer(hit("one"), sectors={"health": 1}) if set(words) <= set(found) else answer()
        counts = [
            answer(total=int(q["q"].strip() in found))
            if "facets" not in q
            else answer(sectors={"health": 4})
            for q in others
        ]
        return [page, *counts]

    return respond


def sent_q(fake: FakeMeili) -> list[list[str]]:
    return [[q["q"] for q in s["queries"]] for s in searches(fake)]


def test_words_that_match_nothing_are_reported_from_the_same_request(fake: FakeMeili) -> None:
    counts = matching("mentoring", "newcomers")
    fake.search(lambda body: [answer(hit("one"), total=3), *counts(body)[1:]])  # pages match
    query = SearchQuery(text="Mentoring the newcomers xyzzy", facets=False)
    result = make_engine().search(query)
    assert sent_q(fake) == [["mentoring the newcomers xyzzy", "mentoring ", "newcomers ", "xyzzy"]]
    assert result.dropped_words == ["xyzzy"]  # "the", a stop word, is not counted


def test_when_all_words_together_find_nothing_the_others_are_asked_again(
    fake: FakeMeili,
) -> None:
    fake.search(matching("mentoring", "newcomers"))
    query = SearchQuery(text="Mentoring newcomers xyzzy plugh", filters={"sector": ["health"]})
    result = make_engine().search(query)
    assert [qs[0] for qs in sent_q(fake)] == [
        "mentoring newcomers xyzzy plugh",
        "mentoring newcomers ",
    ]
    assert all(s["queries"][0]["filter"] == 'sectors IN ["health"]' for s in searches(fake))
    assert result.dropped_words == ["xyzzy", "plugh"]
    assert [h.document.slug for h in result.hits] == ["one"]
    assert result.total == 1
    assert result.facets["sector"] == {"health": 4}


def test_when_no_word_matches_the_query_is_reported_as_it_was(fake: FakeMeili) -> None:
    fake.search(matching())
    result = make_engine().search(SearchQuery(text="xyzzy plugh quux", facets=False))
    assert len(searches(fake)) == 1
    assert (result.total, result.hits, result.dropped_words) == (0, [], [])


def test_one_word_is_not_counted_apart(fake: FakeMeili) -> None:
    fake.search(matching("other"))
    result = make_engine().search(SearchQuery(text="the xyzzy", facets=False))
    assert sent_q(fake) == [["the xyzzy"]]  # one meaningful word: its count is the total
    assert result.dropped_words == []


def test_a_page_past_the_end_is_not_a_reason_to_drop_words(fake: FakeMeili) -> None:
    fake.search(each(answer(total=5)))
    result = make_engine().search(SearchQuery(text="housing newcomers", page=9, facets=False))
    assert len(searches(fake)) == 1
    assert (result.total, result.hits, result.dropped_words) == (5, [], [])
    assert result.took_ms >= 0


def test_too_few_results_are_an_engine_failure(fake: FakeMeili) -> None:
    fake.search(lambda body: [answer(total=5)])
    with pytest.raises(EngineFailure, match="1 results to 3 queries"):
        make_engine().search(SearchQuery(text="housing newcomers", facets=False))


def scored(slug: str, language: str, score: float) -> dict[str, Any]:
    return {**hit(slug), "language": language, "_rankingScore": score}


def test_the_readers_language_breaks_ties_of_ranking_score(fake: FakeMeili) -> None:
    page = answer(
        scored("en-best", "en", 0.9),
        scored("en-tie", "en", 0.7),
        scored("fr-tie", "fr", 0.7),
        scored("en-last", "en", 0.5),
        scored("fr-last", "fr", 0.4),
    )
    fake.search(each(page))
    engine = make_engine()
    french = engine.search(SearchQuery(text="logement", lang="fr", facets=False))
    assert [h.document.slug for h in french.hits] == [
        "en-best",  # a better score stays first
        "fr-tie",
        "en-tie",
        "en-last",
        "fr-last",
    ]
    english = engine.search(SearchQuery(text="logement", lang="en", facets=False))
    assert [h.document.slug for h in english.hits] == [
        "en-best",
        "en-tie",
        "fr-tie",
        "en-last",
        "fr-last",
    ]
    engine.search(SearchQuery(text="logement", facets=False))
    engine.search(SearchQuery(text="logement", lang="fr", sort="newest", facets=False))
    asked = [s["queries"][0].get("showRankingScore") for s in searches(fake)]
    assert asked == [True, True, None, None]  # only to rank by relevance for a reader
