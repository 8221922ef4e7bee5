"""The API's contracts: one error shape, health, taxonomy, and schemathesis over everything."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from api.app import create_app
from indexer.settings import Settings
from tests.api.conftest import CONTENT, seeded_settings

PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def test_every_error_has_the_problem_shape(client: TestClient) -> None:
    for path in (
        "/api/practices/nope",
        "/api/search?per_page=0",
        "/api/search?sector=x",
        "/no/such/route",
        "/api/practices/a/similar?x=1&y=%ZZ",
    ):
        response = client.get(path)
        assert response.status_code >= 400, path
        assert response.headers["content-type"] == "application/problem+json", path
        assert set(response.json()) == PROBLEM_KEYS, path
    response = client.post("/api/search")
    assert response.status_code == 405
    assert set(response.json()) == PROBLEM_KEYS


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ok"
    assert ready["practices"] == ready["indexed"] >= 60


def test_taxonomy_has_both_labels(client: TestClient) -> None:
    vocabularies = client.get("/api/taxonomy").json()["vocabularies"]
    health = next(t for t in vocabularies["sectors"]["terms"] if t["id"] == "health")
    assert health["label"]["en"] == "Health"
    assert health["label"]["fr"] == "Santé"


# The app is created at import (it opens nothing until its lifespan runs) so that
# schemathesis can generate one test per operation; the fixture below seeds its data
# folder and runs the lifespan around those tests.
FUZZ_DATA = Path(tempfile.mkdtemp(prefix="lipkb-fuzz-"))
FUZZ_APP = create_app(Settings(data_dir=FUZZ_DATA, content_dir=CONTENT))
schema = schemathesis.openapi.from_asgi("/openapi.json", FUZZ_APP)


@pytest.fixture(scope="module")
def fuzz_app() -> Iterator[None]:
    seeded_settings(FUZZ_DATA)
    with TestClient(FUZZ_APP):
        yield
    shutil.rmtree(FUZZ_DATA, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_meets_its_openapi_document(case: schemathesis.Case[Any], fuzz_app: None) -> None:
    """No server errors, no response outside the documented schemas and statuses."""
    case.call_and_validate()
