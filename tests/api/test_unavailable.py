"""The API when its search engine cannot be reached: clear 503s, fast, no secrets."""

from __future__ import annotations

import socket
from pathlib import Path

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from indexer.operations.config import Settings


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_meilisearch_is_a_503_problem(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    settings = Settings(
        data_dir=tmp_path,
        search_engine="meilisearch",
        meili_url=url,
        meili_master_key="secret-master-key",
        meili_timeout=1.0,
    )
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/search", params={"q": "mentoring"})
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "5"
        assert url not in response.text
        assert "secret-master-key" not in response.text
        # A download or a feed says so before it starts, rather than stopping half-way.
        for path in ("/api/export?q=mentoring&format=csv", "/feeds/practices.atom?q=mentoring"):
            answer = client.get(path)
            assert answer.status_code == 503, path
            assert answer.headers["content-type"] == "application/problem+json", path
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert url not in ready.text
        assert "secret-master-key" not in ready.text
        assert client.get("/healthz").status_code == 200
        # Metrics still answer: the index size is left out, the rest is there.
        families = {
            family.name: family
            for family in text_string_to_metric_families(client.get("/metrics").text)
        }
        assert "lipkb_index_documents" not in families
        assert families["lipkb_submissions_pending"].samples[0].value == 0
        # Searches that got no answer are not timed: they would pass for fast ones.
        searches = families["lipkb_search_duration_seconds"].samples
        assert not [
            sample
            for sample in searches
            if sample.labels.get("engine") == "meilisearch"
            and sample.name.endswith("_count")
            and sample.value > 0
        ]
