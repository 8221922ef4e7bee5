"""The index settings payload, and applying it only when the server's settings differ."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest

from indexer.casestudy.taxonomy import Taxonomy
from indexer.search.base import EngineFailure, SearchQuery
from indexer.search.meilisearch.settings import differences, index_settings
from indexer.search.synonyms import synonym_map
from tests.search.test_meilisearch_data import (
    DOCUMENT_FIELDS,
    SETTINGS,
    TAXONOMY,
    as_server_returns,
)
from tests.search.test_meilisearch_support import FakeMeili, error, fake_server, make_engine

EMPTY_ANSWER = [{"hits": [], "totalHits": 0, "facetDistribution": {}}]


@pytest.fixture
def fake() -> Iterator[FakeMeili]:
    yield from fake_server()


def test_the_payload_is_exactly_what_the_contract_asks_for() -> None:
    payload = index_settings(TAXONOMY)
    stop_words = set(payload.pop("stopWords"))
    assert {"the", "for", "a", "à", "les", "des", "dès", "ou", "où"} <= stop_words
    assert not {"housing", "logement", "sans", "abri", "youth", "jeunes"} & stop_words
    assert payload == {
        "searchableAttributes": ["title", "summary", "tags", "body"],
        "filterableAttributes": [
            "sectors",
            "factors",
            "themes",
            "populations",
            "province",
            "community_size",
            "evidence",
            "language",
            "status",
            "license",
            "slug",
        ],
        "sortableAttributes": ["title_sort", "date"],
        # every field: the body is cropped into each hit's snippet, though never retrieved
        "displayedAttributes": [*DOCUMENT_FIELDS[:3], "tags", "body", *DOCUMENT_FIELDS[3:]],
        "rankingRules": ["sort", "words", "typo", "proximity", "attribute", "exactness"],
        "synonyms": synonym_map(TAXONOMY),
        "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9}},
        "faceting": {"maxValuesPerFacet": 100},
        "pagination": {"maxTotalHits": 1_000_000},
        "localizedAttributes": [
            {"attributePatterns": ["title", "summary", "tags", "body"], "locales": ["eng", "fra"]}
        ],
    }


def test_synonyms_work_both_ways() -> None:
    synonyms = SETTINGS["synonyms"]
    assert synonyms["newcomers"] == ["nouveaux arrivants", "immigrants"]
    assert synonyms["immigrants"] == ["newcomers", "nouveaux arrivants"]
    assert synonyms["sante"] == ["health", "healthcare"]


def test_the_real_taxonomy_gives_its_synonyms_and_room_for_every_facet_value(
    taxonomy: Taxonomy,
) -> None:
    payload = index_settings(taxonomy)
    assert payload["synonyms"] == synonym_map(taxonomy)
    # No facet's values are cut off: every term of the largest vocabulary is counted.
    largest = max(len(vocabulary.terms) for vocabulary in taxonomy.vocabularies.values())
    assert payload["faceting"]["maxValuesPerFacet"] >= largest


def test_settings_as_the_server_returns_them_are_the_same() -> None:
    assert differences(SETTINGS, as_server_returns(SETTINGS)) == []


@pytest.mark.parametrize(
    ("key", "change"),
    [
        ("searchableAttributes", lambda s: s.reverse()),
        ("rankingRules", lambda s: s.append("words:desc")),
        ("filterableAttributes", lambda s: s.remove("status")),
        ("synonyms", lambda s: s.pop("health")),
        ("typoTolerance", lambda s: s["minWordSizeForTypos"].update(oneTypo=4)),
        ("faceting", lambda s: s.update(maxValuesPerFacet=10)),
        ("pagination", lambda s: s.update(maxTotalHits=1000)),
        ("stopWords", lambda s: s.clear()),
        ("displayedAttributes", lambda s: s.remove("license")),
    ],
)
def test_a_changed_setting_is_found(key: str, change: object) -> None:
    current = copy.deepcopy(as_server_returns(SETTINGS))
    change(current[key])  # type: ignore[operator]
    assert differences(SETTINGS, current) == [key]


def test_a_server_without_localized_attributes_differs() -> None:
    current = {**as_server_returns(SETTINGS), "localizedAttributes": None}
    assert differences(SETTINGS, current) == ["localizedAttributes"]


def prepare_then_search(fake: FakeMeili) -> None:
    """What `lipkb migrate` (or start-up) and then two searches send."""
    fake.search(lambda body: EMPTY_ANSWER)
    engine = make_engine()
    engine.prepare()
    engine.search(SearchQuery())
    engine.search(SearchQuery())  # settings are checked when preparing, never per search


def test_equal_settings_are_not_sent_again(fake: FakeMeili) -> None:
    fake.ready()
    prepare_then_search(fake)
    assert [(m, p) for m, p, _ in fake.sent()] == [
        ("GET", "/indexes/practices/settings"),
        ("POST", "/multi-search"),
        ("POST", "/multi-search"),
    ]


def test_different_settings_are_patched_and_awaited_when_preparing(fake: FakeMeili) -> None:
    current = as_server_returns(SETTINGS)
    current["rankingRules"] = ["words", "typo", "proximity", "attribute", "sort", "exactness"]
    fake.settings(current)
    fake.accept("PATCH", "/indexes/practices/settings")
    prepare_then_search(fake)
    assert [(m, p) for m, p, _ in fake.sent()] == [
        ("GET", "/indexes/practices/settings"),
        ("PATCH", "/indexes/practices/settings"),
        ("POST", "/multi-search"),
        ("POST", "/multi-search"),
    ]
    assert fake.bodies("/indexes/practices/settings") == [None, SETTINGS]
    assert fake.outcomes == {1: ("succeeded", None)}
    polled = [c.request.url for c in fake.rsps.calls if "/tasks/" in str(c.request.url)]
    assert polled == ["http://meili.test/tasks/1"]


def test_settings_of_an_older_release_are_brought_up_to_date(fake: FakeMeili) -> None:
    """A server configured before the licence facet: the missing filter is found and the
    whole payload applied when preparing, so that searches can filter by licence."""
    older = as_server_returns(SETTINGS)
    older["filterableAttributes"].remove("license")
    older.pop("displayedAttributes")
    fake.settings(older)
    fake.accept("PATCH", "/indexes/practices/settings")
    fake.search(lambda body: EMPTY_ANSWER)
    engine = make_engine()
    engine.prepare()
    engine.search(SearchQuery(filters={"license": ["CC-BY-SA-4.0"]}, facets=False))
    assert differences(SETTINGS, older) == ["filterableAttributes", "displayedAttributes"]
    assert fake.bodies("/indexes/practices/settings") == [None, SETTINGS]
    (sent,) = fake.bodies("/multi-search")[0]["queries"]
    assert sent["filter"] == 'license IN ["CC-BY-SA-4.0"]'


def test_a_missing_index_is_created_with_its_primary_key_then_configured(
    fake: FakeMeili,
) -> None:
    fake.reply(
        "GET", "/indexes/practices/settings", 404, error("Index not found.", "index_not_found")
    )
    fake.accept("POST", "/indexes")
    fake.accept("PATCH", "/indexes/practices/settings")
    prepare_then_search(fake)
    assert fake.sent()[:3] == [
        ("GET", "/indexes/practices/settings", None),
        ("POST", "/indexes", {"uid": "practices", "primaryKey": "slug"}),
        ("PATCH", "/indexes/practices/settings", SETTINGS),
    ]


def test_an_index_created_meanwhile_by_another_process_is_fine(fake: FakeMeili) -> None:
    fake.reply(
        "GET", "/indexes/practices/settings", 404, error("Index not found.", "index_not_found")
    )
    fake.accept(
        "POST", "/indexes", "failed", error("Index already exists.", "index_already_exists")
    )
    fake.accept("PATCH", "/indexes/practices/settings")
    prepare_then_search(fake)
    assert fake.bodies("/indexes/practices/settings") == [None, SETTINGS]


def test_rejected_settings_fail_with_meilisearchs_message(fake: FakeMeili) -> None:
    fake.settings({})
    fake.accept(
        "PATCH",
        "/indexes/practices/settings",
        "failed",
        error("Bad locale `xx`.", "invalid_settings"),
    )
    with pytest.raises(EngineFailure, match=r"Bad locale `xx`\. \[invalid_settings\]"):
        make_engine().prepare()


def test_a_search_never_reads_or_changes_the_settings(fake: FakeMeili) -> None:
    """Settings differing (a newer release not migrated yet) do not make a search wait
    for a re-index: it answers from the index as it is, and so does every other one."""
    current = as_server_returns(SETTINGS)
    current["rankingRules"] = ["words", "typo", "proximity", "attribute", "sort", "exactness"]
    fake.settings(current)
    fake.accept("PATCH", "/indexes/practices/settings")
    fake.search(lambda body: EMPTY_ANSWER)
    engine = make_engine()
    for _ in range(3):
        engine.search(SearchQuery(text="housing"))
    assert [(m, p) for m, p, _ in fake.sent()] == [("POST", "/multi-search")] * 3


def test_the_first_write_prepares_an_index_nobody_prepared(fake: FakeMeili) -> None:
    fake.ready()
    fake.accept("POST", "/indexes/practices/documents")
    engine = make_engine()
    engine.index([])
    engine.index([])
    assert [(m, p) for m, p, _ in fake.sent()] == [("GET", "/indexes/practices/settings")]
