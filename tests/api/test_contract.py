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
from schemathesis.checks import CheckFunction
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from indexer.casestudy.taxonomy import Taxonomy
from indexer.contributions.tokens import Tokens
from indexer.operations.config import Settings
from indexer.store import Store
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
# folder, makes a moderator token and runs the lifespan around those tests. The failure
# limit is out of the way: generated bad tokens must not lock the good one out.
FUZZ_DATA = Path(tempfile.mkdtemp(prefix="lipkb-fuzz-"))
FUZZ_APP = create_app(
    Settings(data_dir=FUZZ_DATA, content_dir=CONTENT, auth_max_failures=1_000_000)
)
schema = schemathesis.openapi.from_asgi("/openapi.json", FUZZ_APP)
# A string is a schema-valid Markdown body, but whether it is a valid case study is the
# pipeline's verdict (422), which no schema can express.
CONTENT_CHECKED = {("POST", "/api/submissions"), ("POST", "/api/validate")}


@pytest.fixture(scope="module")
def fuzz_app() -> Iterator[str]:
    settings = seeded_settings(FUZZ_DATA)
    store = Store.open(settings.store_url, Taxonomy.load(settings.taxonomy_path))
    _, secret = Tokens(store).create("Schemathesis", "moderator")
    store.close()
    with TestClient(FUZZ_APP):
        yield secret
    shutil.rmtree(FUZZ_DATA, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_meets_its_openapi_document(case: schemathesis.Case[Any], fuzz_app: str) -> None:
    """No server errors, no response outside the documented schemas and statuses, with a
    moderator's token on every request (so the write routes are exercised past the check)."""
    excluded: list[CheckFunction] = []
    if (case.method, case.path) in CONTENT_CHECKED:
        excluded.append(positive_data_acceptance)
    if case.headers and "Authorization" in case.headers:  # absent: a case testing its absence
        case.headers["Authorization"] = f"Bearer {fuzz_app}"
    case.call_and_validate(excluded_checks=excluded)
