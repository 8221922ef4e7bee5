"""Errors, health, construction, and the master key staying secret."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from indexer.operations.config import Settings
from indexer.search import registry
from indexer.search.base import EngineFailure, EngineUnavailable, Health, SearchQuery
from indexer.search.meilisearch import MeilisearchEngine
from tests.search.test_meilisearch_data import TAXONOMY
from tests.search.test_meilisearch_support import (
    ADMIN_KEY,
    BASE,
    KEY,
    SEARCH_KEY,
    FakeMeili,
    error,
    fake_server,
    make_engine,
)


@pytest.fixture
def fake() -> Iterator[FakeMeili]:
    yield from fake_server()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_connection_refused_is_unavailable_at_once_and_never_shows_the_key(
    closed_port: int,
) -> None:
    engine = MeilisearchEngine(f"http://127.0.0.1:{closed_port}", KEY, TAXONOMY, timeout=2.0)
    started = time.monotonic()
    with pytest.raises(EngineUnavailable, match="cannot reach Meilisearch") as caught:
        engine.search(SearchQuery(text="housing"))
    health = engine.health()
    assert time.monotonic() - started < 2
    assert health.ok is False
    assert isinstance(caught.value.__cause__, Exception)  # raised from the client's error
    for text in (str(caught.value), health.detail, repr(engine)):
        assert KEY not in text


def test_a_request_timeout_is_unavailable(fake: FakeMeili) -> None:
    fake.rsps.add("POST", BASE + "/multi-search", body=requests.ReadTimeout("slow"))
    with pytest.raises(EngineUnavailable, match="did not answer in time"):
        make_engine().search(SearchQuery())


def test_the_client_timeout_is_set_from_ours() -> None:
    assert make_engine(timeout=0.5).connection.client.config.timeout == 0.5


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_gateway_error_is_unavailable(fake: FakeMeili, status: int) -> None:
    fake.reply("POST", "/multi-search", status, {"message": "upstream down"})
    with pytest.raises(EngineUnavailable, match=f"HTTP {status}"):
        make_engine().search(SearchQuery())


@pytest.mark.parametrize("key", [KEY, SEARCH_KEY, ADMIN_KEY])
def test_an_api_error_is_a_failure_with_meilisearchs_message_and_no_key(
    fake: FakeMeili, key: str
) -> None:
    fake.reply(
        "GET",
        "/indexes/practices/settings",
        403,
        error(f"Key `{key}` is invalid.", "invalid_api_key"),
    )
    with pytest.raises(EngineFailure) as caught:
        make_engine().prepare()
    assert str(caught.value) == (
        "Meilisearch refused to read the settings of index practices: "
        "Key `***` is invalid. [invalid_api_key]"
    )
    assert ("GET", "/indexes/practices/settings", ADMIN_KEY) in fake.keys_used()


def test_a_deleted_index_fails_searches_until_readiness_sets_it_up_again(fake: FakeMeili) -> None:
    fake.ready()
    fake.reply(
        "POST", "/multi-search", 404, error("Index `practices` not found.", "index_not_found")
    )
    fake.reply("GET", "/health", 200, {"status": "available"})
    stats = {"numberOfDocuments": 0, "isIndexing": False, "fieldDistribution": {}}
    fake.reply("GET", "/indexes/practices/stats", 200, stats)
    engine = make_engine()
    engine.prepare()
    for _ in range(2):
        with pytest.raises(EngineFailure, match="index_not_found"):
            engine.search(SearchQuery())
    engine.health()  # /readyz: prepares the index again
    engine.health()
    paths = [p for _, p, _ in fake.sent()]
    assert paths == [
        "/indexes/practices/settings",
        "/multi-search",
        "/multi-search",
        "/health",
        "/indexes/practices/settings",
        "/indexes/practices/stats",
        "/health",
        "/indexes/practices/stats",
    ]


def test_a_malformed_answer_is_a_failure(fake: FakeMeili) -> None:
    fake.ready()
    fake.reply(
        "POST", "/multi-search", 200, {"results": [{"hits": [{"slug": 3}], "totalHits": "x"}]}
    )
    with pytest.raises(EngineFailure, match="unexpected answer"):
        make_engine().search(SearchQuery(text="a b"))


def test_health_counts_the_documents(fake: FakeMeili) -> None:
    fake.ready()
    fake.reply("GET", "/health", 200, {"status": "available"})
    fake.reply(
        "GET",
        "/indexes/practices/stats",
        200,
        {"numberOfDocuments": 42, "isIndexing": False, "fieldDistribution": {"slug": 42}},
    )
    assert make_engine().health() == Health(True, "ok", 42)


def test_a_missing_index_counts_zero(fake: FakeMeili) -> None:
    fake.ready()
    fake.reply("GET", "/health", 200, {"status": "available"})
    fake.reply("GET", "/indexes/practices/stats", 404, error("Index not found.", "index_not_found"))
    assert make_engine().count() == 0
    assert make_engine().health() == Health(True, "ok", 0)


def test_an_answer_of_the_wrong_shape_is_a_failure(fake: FakeMeili) -> None:
    fake.reply("GET", "/indexes/practices/stats", 200, {"numberOfDocuments": "many"})
    with pytest.raises(EngineFailure, match="unexpected answer from Meilisearch"):
        make_engine().count()


def test_health_is_not_ok_while_the_index_cannot_be_prepared(fake: FakeMeili) -> None:
    fake.reply("GET", "/health", 200, {"status": "available"})
    fake.settings({})
    fake.accept("PATCH", "/indexes/practices/settings", "failed", error("No.", "invalid_settings"))
    health = make_engine().health()
    assert (health.ok, health.detail) == (
        False,
        "Meilisearch could not update the settings of index practices: No. [invalid_settings]",
    )


def test_the_registry_builds_it_from_settings_without_contacting_the_server(
    fake: FakeMeili,
) -> None:
    settings = Settings(
        search_engine="meilisearch",
        meili_url="http://user:pw@meili.test:7700/",
        meili_master_key=KEY,
        meili_index="practices_test",
        meili_timeout=1.5,
    )
    engine = registry.create(settings, TAXONOMY)
    assert isinstance(engine, MeilisearchEngine)
    assert engine.name == "meilisearch"
    assert engine.index_uid == "practices_test"
    assert engine.connection.timeout == 1.5
    assert repr(engine) == "MeilisearchEngine(url='http://meili.test:7700', index='practices_test')"
    assert len(fake.rsps.calls) == 0


def test_a_url_is_required() -> None:
    with pytest.raises(ValueError, match="MEILI_URL"):
        MeilisearchEngine.from_settings(Settings(search_engine="meilisearch"), TAXONOMY)


def test_capabilities_say_why_stemming_and_any_word_matches_are_missing() -> None:
    capabilities = MeilisearchEngine.capabilities
    assert (capabilities.stemming_en, capabilities.stemming_fr) == (False, False)
    assert capabilities.any_word is False
    assert set(capabilities.reasons) == {"stemming_en", "stemming_fr", "any_word"}
    for supported in ("typo_tolerance", "prefix_search", "synonyms", "disjunctive_facets"):
        assert getattr(capabilities, supported) is True
    assert capabilities.atomic_rebuild is True


def test_each_thread_has_its_own_client() -> None:
    """The client mutates one header dict per request: threads must not share it."""
    engine = make_engine()
    clients: list[object] = []
    worker = threading.Thread(target=lambda: clients.append(engine.connection.client))
    worker.start()
    worker.join()
    assert engine.connection.client is engine.connection.client
    assert clients[0] is not engine.connection.client


def test_a_readiness_check_does_not_wait_for_a_preparation_under_way(fake: FakeMeili) -> None:
    fake.reply("GET", "/health", 200, {"status": "available"})
    engine = make_engine()
    with engine._lock:  # another thread is preparing the index (a settings re-index)
        health = engine.health()
    assert health == Health(False, "index practices is being prepared")
    assert [p for _, p, _ in fake.sent()] == ["/health"]
