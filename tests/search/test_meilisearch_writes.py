"""Writes: batches awaited through their tasks, task failures and timeouts, rebuild."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator

import pytest

from indexer.search.base import EngineFailure, EngineUnavailable, SearchDocument
from indexer.search.meilisearch.writer import batches
from tests.search.test_meilisearch_data import SETTINGS, document
from tests.search.test_meilisearch_support import FakeMeili, error, fake_server, make_engine

SPARE = "practices_rebuild_0badcafe"


@pytest.fixture
def fake() -> Iterator[FakeMeili]:
    for server in fake_server():
        server.ready()
        yield server


@pytest.fixture
def spare_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secrets, "token_hex", lambda n: "0badcafe")


def polled(fake: FakeMeili) -> list[str]:
    return [
        str(c.request.url).rsplit("/", 1)[1]
        for c in fake.rsps.calls
        if "/tasks/" in str(c.request.url)
    ]


def test_documents_go_in_batches_each_awaited(fake: FakeMeili) -> None:
    fake.accept("POST", "/indexes/practices/documents")
    docs = [document(f"p{n}", title=f"Émile {n}", date=f"2024-0{n + 1}-01") for n in range(5)]
    make_engine(batch_size=2).index(iter(docs))
    sent = [(m, p) for m, p, _ in fake.sent()]
    assert (
        sent
        == [("GET", "/indexes/practices/settings")]
        + [("POST", "/indexes/practices/documents?primaryKey=slug")] * 3
    )
    batches_sent = fake.bodies("/indexes/practices/documents")
    assert [[d["slug"] for d in batch] for batch in batches_sent] == [
        ["p0", "p1"],
        ["p2", "p3"],
        ["p4"],
    ]
    first = batches_sent[0][0]
    assert first["title_sort"] == "emile 0"
    assert first["date"] == "2024-01-01"
    assert first["sectors"] == ["health"]
    assert first["community_size"] == "urban"
    assert polled(fake) == ["1", "2", "3"]


def test_large_bodies_make_smaller_batches() -> None:
    docs = [document(f"p{n}", body="x" * 2_000_000) for n in range(5)]
    assert [len(b) for b in batches(docs, 1_000)] == [3, 2]


def test_deleting_uses_a_quoted_slug_filter_in_batches(fake: FakeMeili) -> None:
    fake.accept("POST", "/indexes/practices/documents/delete")
    make_engine(batch_size=2).delete(["a", "b", 'c"d'])
    assert fake.bodies("/indexes/practices/documents/delete") == [
        {"filter": 'slug IN ["a", "b"]'},
        {"filter": 'slug IN ["c\\"d"]'},
    ]
    assert polled(fake) == ["1", "2"]


def test_nothing_to_delete_sends_nothing_but_the_first_settings_check(fake: FakeMeili) -> None:
    make_engine().delete([])
    assert [p for _, p, _ in fake.sent()] == ["/indexes/practices/settings"]


def test_a_failed_task_raises_engine_failure_with_meilisearchs_message(fake: FakeMeili) -> None:
    fake.accept(
        "POST",
        "/indexes/practices/documents",
        "failed",
        error("Document identifier `a b` is invalid.", "invalid_document_id"),
    )
    with pytest.raises(EngineFailure, match=r"Document identifier `a b` is invalid\."):
        make_engine().index([document("p1")])


def test_a_task_that_does_not_finish_in_time_is_engine_unavailable(fake: FakeMeili) -> None:
    fake.accept("POST", "/indexes/practices/documents", "processing")
    started = time.monotonic()
    with pytest.raises(EngineUnavailable, match=r"did not finish within 0\.2 s"):
        make_engine(task_timeout=0.2).index([document("p1")])
    assert time.monotonic() - started < 2


@pytest.mark.usefixtures("spare_name")
def test_rebuild_fills_a_new_index_swaps_it_in_and_drops_the_old_one(fake: FakeMeili) -> None:
    for method, path in [
        ("POST", "/indexes"),
        ("PATCH", f"/indexes/{SPARE}/settings"),
        ("POST", f"/indexes/{SPARE}/documents"),
        ("POST", "/swap-indexes"),
        ("DELETE", f"/indexes/{SPARE}"),
    ]:
        fake.accept(method, path)
    make_engine(batch_size=2).rebuild(document(f"p{n}") for n in range(3))
    sent = fake.sent()
    assert [(m, p) for m, p, _ in sent] == [
        ("GET", "/indexes/practices/settings"),
        ("POST", "/indexes"),
        ("PATCH", f"/indexes/{SPARE}/settings"),
        ("POST", f"/indexes/{SPARE}/documents?primaryKey=slug"),
        ("POST", f"/indexes/{SPARE}/documents?primaryKey=slug"),
        ("POST", "/swap-indexes"),
        ("DELETE", f"/indexes/{SPARE}"),
    ]
    assert sent[1][2] == {"uid": SPARE, "primaryKey": "slug"}
    assert sent[2][2] == SETTINGS
    assert sent[5][2] == [{"indexes": ["practices", SPARE]}]
    assert polled(fake) == ["1", "2", "3", "4", "5", "6"]  # every write awaited, in order
    assert not any(p.startswith("/indexes/practices/documents") for _, p, _ in sent)


@pytest.mark.usefixtures("spare_name")
def test_a_failed_rebuild_leaves_the_live_index_and_drops_the_new_one(fake: FakeMeili) -> None:
    fake.accept("POST", "/indexes")
    fake.accept("PATCH", f"/indexes/{SPARE}/settings")
    fake.accept(
        "POST",
        f"/indexes/{SPARE}/documents",
        "failed",
        error("Disk full.", "no_space_left_on_device"),
    )
    fake.accept("DELETE", f"/indexes/{SPARE}")
    with pytest.raises(EngineFailure, match="Disk full"):
        make_engine().rebuild([document("p1")])
    paths = [(m, p) for m, p, _ in fake.sent()]
    assert ("POST", "/swap-indexes") not in paths
    assert paths[-1] == ("DELETE", f"/indexes/{SPARE}")
    assert not any("/indexes/practices/" in p and m != "GET" for m, p in paths)


@pytest.mark.usefixtures("spare_name")
def test_writes_made_during_a_rebuild_are_made_again_on_the_new_index_before_the_swap(
    fake: FakeMeili,
) -> None:
    for method, path in [
        ("POST", "/indexes"),
        ("PATCH", f"/indexes/{SPARE}/settings"),
        ("POST", f"/indexes/{SPARE}/documents"),
        ("POST", f"/indexes/{SPARE}/documents/delete"),
        ("POST", "/indexes/practices/documents"),
        ("POST", "/indexes/practices/documents/delete"),
        ("POST", "/swap-indexes"),
        ("DELETE", f"/indexes/{SPARE}"),
    ]:
        fake.accept(method, path)
    engine = make_engine()

    def read_while_others_write() -> Iterator[SearchDocument]:
        yield document("p0")
        yield document("p1")  # read before the edit below
        engine.index([document("p1", title="Edited while rebuilding")])
        engine.delete(["p0"])
        yield document("p2")

    engine.rebuild(read_while_others_write())
    sent = [(m, p.split("?")[0]) for m, p, _ in fake.sent()]
    assert sent == [
        ("GET", "/indexes/practices/settings"),
        ("POST", "/indexes"),
        ("PATCH", f"/indexes/{SPARE}/settings"),
        ("POST", "/indexes/practices/documents"),
        ("POST", "/indexes/practices/documents/delete"),
        ("POST", f"/indexes/{SPARE}/documents"),
        ("POST", f"/indexes/{SPARE}/documents"),
        ("POST", f"/indexes/{SPARE}/documents/delete"),
        ("POST", "/swap-indexes"),
        ("DELETE", f"/indexes/{SPARE}"),
    ]
    rebuilt, replayed = fake.bodies(f"/indexes/{SPARE}/documents")
    assert [d["slug"] for d in rebuilt] == ["p0", "p1", "p2"]
    assert [(d["slug"], d["title"]) for d in replayed] == [("p1", "Edited while rebuilding")]
    assert fake.bodies(f"/indexes/{SPARE}/documents/delete") == [{"filter": 'slug IN ["p0"]'}]


@pytest.mark.usefixtures("spare_name")
def test_writes_after_a_rebuild_go_to_the_live_index_only(fake: FakeMeili) -> None:
    for method, path in [
        ("POST", "/indexes"),
        ("PATCH", f"/indexes/{SPARE}/settings"),
        ("POST", f"/indexes/{SPARE}/documents"),
        ("POST", "/indexes/practices/documents"),
        ("POST", "/swap-indexes"),
        ("DELETE", f"/indexes/{SPARE}"),
    ]:
        fake.accept(method, path)
    engine = make_engine()
    engine.rebuild([document("p0")])
    engine.index([document("p1")])
    engine.rebuild([document("p0")])
    assert len(fake.bodies(f"/indexes/{SPARE}/documents")) == 2  # nothing replayed
