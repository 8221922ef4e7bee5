"""`closest` in /api/search: the practices nearest by meaning, only when nothing matches."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def test_matches_come_without_closest_ones(client: TestClient) -> None:
    answer = client.get("/api/search", params={"q": "housing"}).json()
    assert answer["total"] > 0
    assert answer["closest"] == []


def test_when_nothing_matches_the_closest_are_hits_within_the_filters(
    client: TestClient,
) -> None:
    answer = client.get("/api/search", params={"q": "zzqxwvkj", "province": "QC"}).json()
    assert (answer["total"], answer["hits"]) == (0, [])
    if not answer["closest"]:  # a capability of the engine, like the conformance suite's
        pytest.skip("the search engine offers no closest practices (no meaning search)")
    hit_keys = set(client.get("/api/search", params={"q": "housing"}).json()["hits"][0])
    for hit in answer["closest"]:
        assert set(hit) == hit_keys
        assert hit["province"] == "QC"
