"""Request ids on every answer, the app's access log (no query strings), and /metrics."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from indexer.operations.config import Settings
from indexer.operations.logs import JsonFormatter
from tests.api.writers import Writers

LATENCY = "lipkb_http_request_duration_seconds_count"


def metrics(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of GET /metrics, by name and labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def requests_of(client: TestClient, method: str, route: str, status: str) -> float:
    labels = frozenset({"method": method, "route": route, "status": status}.items())
    return metrics(client).get((LATENCY, labels), 0.0)


def gauge(client: TestClient, name: str) -> float:
    return metrics(client)[(name, frozenset())]


@pytest.fixture
def log_lines(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """Our loggers' lines (`lipkb.*`) as `lipkb serve` writes them (its JSON formatter)."""
    caplog.set_level(logging.INFO, logger="lipkb.access")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("lipkb")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def records(stream: io.StringIO, logger: str) -> list[dict[str, object]]:
    lines = (json.loads(line) for line in stream.getvalue().splitlines())
    return [line for line in lines if line["logger"] == logger]


def test_a_valid_request_id_is_returned_as_sent(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "proxy-1a2B.3_c"})
    assert response.headers["X-Request-ID"] == "proxy-1a2B.3_c"


@pytest.mark.parametrize("sent", [b"", b"a" * 65, b"two words", b'say "hi"', "caf\u00e9".encode()])
def test_an_invalid_request_id_is_replaced_by_a_new_one(client: TestClient, sent: bytes) -> None:
    first = client.get("/healthz", headers=[(b"X-Request-ID", sent)]).headers["X-Request-ID"]
    second = client.get("/healthz", headers=[(b"X-Request-ID", sent)]).headers["X-Request-ID"]
    assert re.fullmatch("[0-9a-f]{32}", first)  # a uuid4, in hex
    assert first != second


def test_every_answer_has_a_request_id_refusals_and_404s_included(client: TestClient) -> None:
    missing = client.get("/api/practices/no-such-practice")
    too_long = client.get("/api/search", params={"q": "a" * 9000})
    headers = client.get("/api/search", headers={"X-Filler": "b" * 17_000})
    unknown = client.get("/nowhere")
    answers = [missing, too_long, headers, unknown]
    assert [answer.status_code for answer in answers] == [404, 414, 431, 404]
    ids = [answer.headers["X-Request-ID"] for answer in answers]
    assert len(set(ids)) == 4
    kept = client.get("/api/search", params={"q": "a" * 9000}, headers={"X-Request-ID": "r-414"})
    assert kept.headers["X-Request-ID"] == "r-414"


def test_an_unexpected_error_is_answered_and_logged_with_its_request_id(
    tmp_path: Path, log_lines: io.StringIO
) -> None:
    app = create_app(Settings(data_dir=tmp_path))

    @app.get("/broken")
    def broken() -> None:  # a bug in some route
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/broken", headers={"X-Request-ID": "bug-report-7"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "bug-report-7"
    (error,) = records(log_lines, "lipkb.api")
    assert (error["message"], error["request_id"]) == ("unhandled error on /broken", "bug-report-7")
    assert "RuntimeError: a bug" in str(error["error"])
    (access,) = records(log_lines, "lipkb.access")
    assert (access["status"], access["request_id"]) == (500, "bug-report-7")


def test_the_access_log_has_one_line_per_request_without_the_query(
    client: TestClient, log_lines: io.StringIO
) -> None:
    response = client.get(
        "/api/search", params={"q": "my neighbour Amira"}, headers={"X-Request-ID": "req-42"}
    )
    assert response.status_code == 200
    client.get("/api/practices/no-such-practice")
    search, missing = records(log_lines, "lipkb.access")
    assert search["logger"] == "lipkb.access"
    assert (search["level"], search["method"], search["path"]) == ("INFO", "GET", "/api/search")
    assert (search["status"], search["request_id"]) == (200, "req-42")
    assert isinstance(search["duration_ms"], float)
    assert "Amira" not in json.dumps(search)
    assert (missing["path"], missing["status"]) == ("/api/practices/no-such-practice", 404)
    assert len(str(missing["request_id"])) == 32  # its own, made by the app


def test_a_line_break_in_a_path_cannot_forge_an_access_line(
    client: TestClient, log_lines: io.StringIO
) -> None:
    client.get("/api/practices/x%0A127.0.0.1 GET /admin 200")
    (line,) = records(log_lines, "lipkb.access")
    assert line["path"] == "/api/practices/x\\x0a127.0.0.1 GET /admin 200"


def test_requests_are_counted_by_route_template_and_status_class(client: TestClient) -> None:
    search = requests_of(client, "GET", "/api/search", "2xx")
    practice = requests_of(client, "GET", "/api/practices/{slug}", "4xx")
    head = requests_of(client, "HEAD", "/api/search", "2xx")
    unmatched = requests_of(client, "GET", "unmatched", "4xx")
    assert client.get("/api/search", params={"q": "tea"}).status_code == 200
    assert client.head("/api/search").status_code == 200
    for slug in ("no-such-practice", "nor-this-one"):
        assert client.get(f"/api/practices/{slug}").status_code == 404
    for path in ("/nowhere", "/nor/here"):
        assert client.get(path).status_code == 404
    assert requests_of(client, "GET", "/api/search", "2xx") == search + 1
    assert requests_of(client, "HEAD", "/api/search", "2xx") == head + 1
    assert requests_of(client, "GET", "/api/practices/{slug}", "4xx") == practice + 2
    assert requests_of(client, "GET", "unmatched", "4xx") == unmatched + 2
    routes = {dict(labels).get("route") for name, labels in metrics(client) if name == LATENCY}
    assert not any("no-such-practice" in str(route) or "nowhere" in str(route) for route in routes)


def test_a_search_is_timed_under_its_engine(client: TestClient) -> None:
    name = "lipkb_search_duration_seconds_count"
    engine = frozenset({"engine": "sqlite"}.items())
    before = metrics(client).get((name, engine), 0.0)
    client.get("/api/search", params={"q": "mentorship"})
    after = metrics(client)
    assert after[(name, engine)] == before + 1
    assert after[("lipkb_search_duration_seconds_sum", engine)] > 0


def test_the_index_size_is_the_number_of_published_practices(
    app: FastAPI, client: TestClient
) -> None:
    published = app.state.services.store.count()
    assert published > 0
    assert gauge(client, "lipkb_index_documents") == published


def test_pending_submissions_follow_a_submission(writers: Writers) -> None:
    before = gauge(writers.client, "lipkb_submissions_pending")
    writers.submit()
    queue = writers.client.get(
        "/api/submissions", params={"status": "pending"}, headers=writers.auth("moderator")
    )
    assert gauge(writers.client, "lipkb_submissions_pending") == before + 1
    assert gauge(writers.client, "lipkb_submissions_pending") == queue.json()["total"]
