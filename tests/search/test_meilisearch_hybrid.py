"""Meaning search on Meilisearch with our vectors (the real model), at the HTTP edge:
the embedder setting, `_vectors`, the hybrid query parameters, the closest practices
when nothing matches, and the server version the engine needs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from indexer.search.base import EngineFailure, SearchQuery
from indexer.search.embedding import SIMILARITY_FLOOR, Embedder, default_embedder
from indexer.search.meilisearch.hybrid import EMBEDDER, RANKING_SCORE_THRESHOLD
from indexer.search.meilisearch.settings import differences, index_settings
from tests.search.test_meilisearch_data import TAXONOMY, answer, as_server_returns, document, hit
from tests.search.test_meilisearch_support import FakeMeili, fake_server, make_engine


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return default_embedder()


@pytest.fixture
def settings(embedder: Embedder) -> dict[str, Any]:
    return index_settings(TAXONOMY, embedder.dimensions)


@pytest.fixture
def fake(settings: dict[str, Any]) -> Iterator[FakeMeili]:
    for server in fake_server():
        server.settings({**as_server_returns(settings), "embedders": server_embedders(settings)})
        yield server


def server_embedders(settings: dict[str, Any]) -> dict[str, Any]:
    """The embedders as the server gives them back: its defaults added to ours."""
    return {
        name: {**value, "binaryQuantized": False} for name, value in settings["embedders"].items()
    }


def cosine(values: list[float], vector: np.ndarray) -> float:
    sent = np.asarray(values, dtype=np.float32)
    return float(sent @ vector / np.linalg.norm(sent))


def test_the_index_gets_a_user_provided_embedder_of_the_models_dimensions(
    settings: dict[str, Any], embedder: Embedder
) -> None:
    assert settings["embedders"] == {
        EMBEDDER: {"source": "userProvided", "dimensions": embedder.dimensions}
    }
    assert "embedders" not in index_settings(TAXONOMY)  # no model: keyword search only
    returned = {**as_server_returns(settings), "embedders": server_embedders(settings)}
    assert differences(settings, returned) == []
    assert differences(settings, as_server_returns(settings)) == ["embedders"]


def test_documents_carry_their_vector(fake: FakeMeili, embedder: Embedder) -> None:
    fake.accept("POST", "/indexes/practices/documents")
    vector = embedder.embed_passages(["Interpreters shared by three rural hospitals"])[0]
    make_engine(embedder=embedder).index([document("p1", vector=vector), document("p2")])
    (batch,) = fake.bodies("/indexes/practices/documents")
    vectors = batch[0]["_vectors"]
    assert list(vectors) == [EMBEDDER]
    assert len(vectors[EMBEDDER]) == embedder.dimensions
    assert cosine(vectors[EMBEDDER], vector) > 0.99999
    assert "_vectors" not in batch[1]  # none attached: no vector sent
    assert "vector" not in batch[0]


def test_a_text_query_sends_our_vector_with_hybrid_in_every_query(
    fake: FakeMeili, embedder: Embedder
) -> None:
    fake.search(lambda body: [answer(hit("p1"), total=1) for _ in body["queries"]])
    text = "our hospitals cannot afford their own interpreters"
    make_engine(embedder=embedder).search(SearchQuery(text=text, filters={"sector": ["health"]}))
    (sent,) = fake.bodies("/multi-search")
    page, counting, *words = sent["queries"]
    assert "hospitals" in [w["q"].strip() for w in words]
    for word in words:  # each word's own count says which words match nothing
        assert not {"vector", "hybrid", "rankingScoreThreshold"} & set(word)
    wanted = embedder.embed_query(text)
    for query in (page, counting):  # the facet counts count the same result set
        assert len(query["vector"]) == embedder.dimensions
        assert cosine(query["vector"], wanted) > 0.99999
        assert query["hybrid"] == {"embedder": EMBEDDER, "semanticRatio": 0.7}
        assert query["rankingScoreThreshold"] == RANKING_SCORE_THRESHOLD
    assert pytest.approx((1 + SIMILARITY_FLOOR) / 2) == RANKING_SCORE_THRESHOLD


def test_keywords_lean_on_the_words_and_an_empty_query_has_no_vector(
    fake: FakeMeili, embedder: Embedder
) -> None:
    fake.search(lambda body: [answer(hit("p1"), total=1)])
    engine = make_engine(embedder=embedder)
    engine.search(SearchQuery(text="interpreters", facets=False))
    engine.search(SearchQuery(text="", facets=False))
    keywords, browsing = (body["queries"][0] for body in fake.bodies("/multi-search"))
    assert keywords["hybrid"]["semanticRatio"] == 0.3
    assert not {"vector", "hybrid", "rankingScoreThreshold"} & set(browsing)


def test_when_nothing_matches_the_closest_practices_by_meaning_are_offered(
    fake: FakeMeili, embedder: Embedder
) -> None:
    def reply(body: dict[str, Any]) -> list[dict[str, Any]]:
        if body["queries"][0]["q"] == "":
            return [answer(hit("near1"), hit("near2"))]
        return [answer() for _ in body["queries"]]

    fake.search(reply)
    text = "santé des réfugiés dès leur arrivée"
    result = make_engine(embedder=embedder).search(
        SearchQuery(text=text, filters={"province": ["qc"]}, facets=False)
    )
    assert result.total == 0
    assert result.hits == []
    assert [h.document.slug for h in result.closest] == ["near1", "near2"]
    nearest = fake.bodies("/multi-search")[-1]["queries"]
    assert len(nearest) == 1
    (query,) = nearest
    assert query["hybrid"] == {"embedder": EMBEDDER, "semanticRatio": 1.0}
    assert "rankingScoreThreshold" not in query  # the nearest, however far
    assert query["filter"] == 'province IN ["qc"]'
    assert query["limit"] == 5
    assert cosine(query["vector"], embedder.embed_query(text)) > 0.99999


def test_results_are_not_padded_with_closest_ones(fake: FakeMeili, embedder: Embedder) -> None:
    fake.search(lambda body: [answer(hit("p1"), total=1)])
    result = make_engine(embedder=embedder).search(SearchQuery(text="housing", facets=False))
    assert result.closest == []
    assert len(fake.bodies("/multi-search")) == 1


@pytest.mark.parametrize(
    ("version", "hybrid", "works"),
    [
        ("1.13.0", True, True),
        ("1.50.2", True, True),
        ("1.12.9", True, False),
        ("1.12.9", False, True),
        ("1.10.0", False, True),
        ("1.9.0", False, False),
        ("", False, False),
    ],
)
def test_the_server_version_is_checked_once_before_first_use(
    fake: FakeMeili, embedder: Embedder, version: str, hybrid: bool, works: bool
) -> None:
    fake.version = version
    fake.search(lambda body: [answer(hit("p1"), total=1)])
    fake.reply("GET", "/health", 200, {"status": "available"})
    stats = {"numberOfDocuments": 1, "isIndexing": False, "fieldDistribution": {"slug": 1}}
    fake.reply("GET", "/indexes/practices/stats", 200, stats)
    engine = make_engine(embedder=embedder if hybrid else None)
    if works:
        engine.search(SearchQuery(text="housing"))
        engine.search(SearchQuery(text="youth"))
        assert engine.health().ok
        assert fake.versions_asked() == 1
        return
    need = "1.13" if hybrid else "1.10"
    with pytest.raises(EngineFailure, match=rf"is version {version or 'unknown'}; .* {need} or"):
        engine.search(SearchQuery(text="housing"))
    assert fake.bodies("/multi-search") == []
    health = engine.health()
    assert not health.ok
    assert f"needs {need} or newer" in health.detail
