"""Which key each request carries: searches a search-only key, writes an admin key, the
master key only GET /keys (or nothing, when both keys are given)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from indexer.operations.config import Settings
from indexer.search import registry
from indexer.search.base import EngineFailure, SearchEngine, SearchQuery
from indexer.search.meilisearch import MeilisearchEngine
from tests.search.test_meilisearch_data import TAXONOMY, document
from tests.search.test_meilisearch_support import (
    ADMIN_KEY,
    BASE,
    KEY,
    SEARCH_KEY,
    FakeMeili,
    fake_server,
    make_engine,
    server_key,
)

PAST = "2020-01-01T00:00:00Z"
EMPTY = [{"hits": [], "totalHits": 0, "facetDistribution": {}}]


@pytest.fixture
def fake() -> Iterator[FakeMeili]:
    for server in fake_server():
        server.ready()
        server.search(lambda body: EMPTY)
        server.accept("POST", "/indexes/practices/documents")
        yield server


def use(engine: SearchEngine) -> None:
    engine.prepare()
    engine.index([document("one")])
    engine.search(SearchQuery(text="housing"))
    engine.search(SearchQuery(text="jobs"))


def test_the_master_key_only_lists_the_keys_searches_and_writes_get_their_own(
    fake: FakeMeili,
) -> None:
    use(make_engine())
    assert fake.keys_used() == [
        ("GET", "/keys", KEY),
        ("GET", "/version", ADMIN_KEY),
        ("GET", "/indexes/practices/settings", ADMIN_KEY),
        ("POST", "/indexes/practices/documents", ADMIN_KEY),
        ("POST", "/multi-search", SEARCH_KEY),
        ("POST", "/multi-search", SEARCH_KEY),
    ]


def test_keys_from_the_environment_need_no_master_key(fake: FakeMeili) -> None:
    settings = Settings(
        search_engine="meilisearch",
        meili_url=BASE,
        meili_search_key="given-search-key",
        meili_admin_key="given-admin-key",
    )
    fake.accept("PATCH", "/indexes/practices/settings")  # the real taxonomy's settings
    use(registry.create(settings, TAXONOMY))
    used = fake.keys_used()
    assert ("GET", "/keys", KEY) not in used
    assert {key for _, path, key in used if path == "/multi-search"} == {"given-search-key"}
    assert {key for _, path, key in used if path != "/multi-search"} == {"given-admin-key"}


def test_a_key_given_is_kept_and_the_other_one_found(fake: FakeMeili) -> None:
    use(make_engine(admin_key="given-admin-key"))
    used = fake.keys_used()
    assert used[0] == ("GET", "/keys", KEY)
    assert {key for _, path, key in used[1:] if path == "/multi-search"} == {SEARCH_KEY}
    assert {key for _, path, key in used[1:] if path != "/multi-search"} == {"given-admin-key"}


def test_without_any_key_requests_carry_none(fake: FakeMeili) -> None:
    use(MeilisearchEngine(BASE, None, TAXONOMY, timeout=2.0, task_timeout=2.0))
    assert {key for _, _, key in fake.keys_used()} == {"None"}  # the client's "Bearer None"


def test_keys_with_more_rights_other_indexes_or_expired_are_not_taken(fake: FakeMeili) -> None:
    fake.keys = [
        server_key("too-wide", "Everything", ["search", "documents.add"]),
        server_key("elsewhere", "Other index", ["search"], indexes=["movies"]),
        server_key("expired", "Default Search API Key", ["search"], expiresAt=PAST),
        server_key("ours", "Practices search", ["search"], indexes=["practices"]),
        server_key("admin-expired", "Default Admin API Key", ["*"], expiresAt=PAST),
        server_key("admin-later", "Admin until 2999", ["*"], expiresAt="2999-01-01T00:00:00Z"),
    ]
    use(make_engine())
    used = fake.keys_used()
    assert {key for _, path, key in used[1:] if path == "/multi-search"} == {"ours"}
    assert {key for _, path, key in used[1:] if path != "/multi-search"} == {"admin-later"}


def test_deleted_default_keys_say_which_variable_to_set(fake: FakeMeili) -> None:
    fake.keys = [server_key(ADMIN_KEY, "Default Admin API Key", ["*"])]
    engine = make_engine()
    message = (
        "Meilisearch has no unexpired search key for index practices (were its default keys "
        "deleted?): create one and set MEILI_SEARCH_KEY"
    )
    with pytest.raises(EngineFailure) as caught:
        engine.prepare()
    assert str(caught.value) == message
    with pytest.raises(EngineFailure, match="MEILI_SEARCH_KEY"):
        engine.search(SearchQuery(text="housing"))  # and no search went out without a key
    assert [path for _, path, _ in fake.keys_used()] == ["/keys", "/keys"]


def test_a_key_that_cannot_list_keys_is_used_for_both_with_a_warning(
    fake: FakeMeili, caplog: pytest.LogCaptureFixture
) -> None:
    """An admin key given as MEILI_MASTER_KEY (as before keys were told apart) still
    works; the log says how to keep searches and writes apart."""
    use(MeilisearchEngine(BASE, ADMIN_KEY, TAXONOMY, timeout=2.0, task_timeout=2.0))
    used = fake.keys_used()
    assert used[0] == ("GET", "/keys", ADMIN_KEY)  # refused: not the master key
    assert {key for _, _, key in used[1:]} == {ADMIN_KEY}
    (warning,) = [r for r in caplog.records if r.levelname == "WARNING"]
    assert warning.getMessage() == (
        "MEILI_MASTER_KEY cannot list Meilisearch's keys [invalid_api_key]: searches and "
        "writes both use it; set MEILI_SEARCH_KEY and MEILI_ADMIN_KEY to keep them apart"
    )


def test_no_key_shows_in_a_repr(fake: FakeMeili) -> None:
    engine = make_engine()
    engine.prepare()
    shown = repr(engine) + repr(engine.connection) + repr(engine.connection.keys)
    for key in (KEY, SEARCH_KEY, ADMIN_KEY):
        assert key not in shown


def test_one_key_alone_without_the_master_key_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="MEILI_SEARCH_KEY is set alone"):
        Settings(search_engine="meilisearch", meili_url=BASE, meili_search_key="s")
