"""What a probe of the running service tried: HEAD, forged Host headers, odd static names."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.routes.pages import Assets

SLUG = "antiracisme-cegeps-montreal"
SAMPLE = {"slug": SLUG, "number": "1", "submission_id": "1"}
# The pages and FastAPI's own routes are not in the OpenAPI description.
PAGES = [
    "/",
    f"/practices/{SLUG}",
    "/submit",
    "/moderate",
    "/fit",
    f"/fit/{SLUG}",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/static/js/page.js",
]


def get_paths(app: FastAPI) -> list[str]:
    """Every GET route of the API, with sample values for its path parameters, and the pages."""
    paths = [p for p, operations in app.openapi()["paths"].items() if "get" in operations]
    assert {"/api/search", "/api/practices/{slug}", "/healthz", "/feeds/practices.atom"} <= set(
        paths
    )
    return [re.sub(r"{(\w+)}", lambda m: SAMPLE[m[1]], p) for p in paths] + PAGES


def test_head_answers_every_get_route_like_the_get_without_a_body(
    app: FastAPI, client: TestClient
) -> None:
    for path in get_paths(app):
        got = client.get(path, headers={"Accept-Encoding": "identity"})
        head = client.head(path, headers={"Accept-Encoding": "identity"})
        assert head.status_code == got.status_code != 405, path
        assert head.content == b"", path
        names = ["content-type", "etag", "content-security-policy"]
        if "took_ms" not in got.text:  # a search's timing changes its length by a digit
            names.append("content-length")
        for name in names:
            assert head.headers.get(name) == got.headers.get(name), (path, name)


def test_no_redirect_takes_its_address_from_the_host_header(client: TestClient) -> None:
    for path in ("/api/search/", "/practices/", "/fit/", "/submit/"):
        answer = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
        assert "evil.example" not in answer.headers.get("location", ""), path
        assert "evil.example" not in answer.text, path


@pytest.mark.parametrize(
    "path",
    [
        "/static/" + "a" * 5000,  # longer than a file name may be
        "/static/js/" + "b" * 300 + ".js",
        "/static/%00",
        "/static/a%00.js",
        "/static/%2e%2e%2fpyproject.toml",
        "/static/..%2f..%2fpyproject.toml",
        "/docs-assets/" + "a" * 5000,
        "/docs-assets/a%00.js",
        "/docs-assets/%2e%2e%2f__init__.py",
    ],
)
def test_an_odd_static_name_is_not_found_not_a_server_error(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404
    assert client.head(path).status_code == 404


def test_an_over_long_address_is_414_and_over_long_headers_431(client: TestClient) -> None:
    long_address = client.get("/api/search", params={"q": "a" * 9000})
    assert long_address.status_code == 414
    assert long_address.headers["content-type"] == "application/problem+json"
    assert "at most 8192" in long_address.json()["detail"]
    assert long_address.headers["x-content-type-options"] == "nosniff"
    big_headers = client.get("/healthz", headers={f"x-filler-{n}": "b" * 1000 for n in range(20)})
    assert big_headers.status_code == 431
    assert client.get("/api/search", params={"q": "a" * 7000}).status_code != 414


def test_every_operation_documents_the_414_and_431_any_request_can_get(app: FastAPI) -> None:
    """A client generated from the document (or schemathesis) expects them anywhere."""
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            assert {"414", "431"} <= set(operation["responses"]), (method, path)


def test_assets_are_read_and_compressed_once_when_the_app_starts(tmp_path: Path) -> None:
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "page.js").write_text("export const x = 1;\n" * 200)
    (tmp_path / ".secret.js").write_text("hidden")
    assets = Assets(tmp_path)
    (tmp_path / "js" / "later.js").write_text("export const y = 2;\n")
    (tmp_path / "js" / "page.js").write_text("changed")
    found = assets.find("js/page.js")
    assert found is not None
    assert found.body == b"export const x = 1;\n" * 200  # as it was at start
    assert found.gzipped is not None
    assert gzip.decompress(found.gzipped) == found.body
    assert assets.find("js/later.js") is None  # not walked again
    assert assets.find(".secret.js") is None
    assert assets.find("js/../js/page.js") is None
