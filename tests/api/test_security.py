"""The security headers on every kind of response, and CORS closed unless configured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import SECURITY_HEADERS
from tests.api.conftest import seeded_settings

ORIGIN = "https://partner.example.org"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/search?q=tea"),  # JSON
        ("GET", "/api/practices/no-such-practice"),  # a problem
        ("GET", "/api/search?per_page=0"),  # a validation problem
        ("POST", "/api/search"),  # 405
        ("POST", "/api/submissions"),  # 401
        ("GET", "/"),  # a page
        ("GET", "/practices/no-such-practice"),  # a 404 page
        ("GET", "/static/js/page.js"),  # an asset
        ("GET", "/static/nope.js"),  # a missing asset
        ("GET", "/healthz"),
        ("GET", "/openapi.json"),
    ],
)
def test_every_response_carries_the_security_headers(
    client: TestClient, method: str, path: str
) -> None:
    response = client.request(method, path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (path, name)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_api_documentation_page_keeps_framing_refused(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_cors_is_closed_by_default(client: TestClient) -> None:
    preflight = client.options(
        "/api/submissions",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    answer = client.get("/api/search?q=tea", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in answer.headers


def test_cors_opens_to_the_configured_origins_only(tmp_path: Path) -> None:
    settings = seeded_settings(tmp_path).model_copy(update={"cors_origins": (ORIGIN,)})
    with TestClient(create_app(settings)) as client:
        preflight = client.options(
            "/api/submissions",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        answer = client.get("/api/search?q=tea", headers={"Origin": ORIGIN})
        assert answer.headers["access-control-allow-origin"] == ORIGIN
        other = client.get("/api/search?q=tea", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        assert other.headers["X-Frame-Options"] == "DENY"


def test_hsts_is_sent_only_when_the_public_address_is_https(tmp_path: Path) -> None:
    plain = seeded_settings(tmp_path)
    with TestClient(create_app(plain)) as client:
        assert "strict-transport-security" not in client.get("/healthz").headers
    behind_tls = plain.model_copy(update={"public_url": "https://kb.example.ca"})
    with TestClient(create_app(behind_tls)) as client:
        for path in ("/healthz", "/", "/api/practices/no-such-practice"):
            hsts = client.get(path).headers["strict-transport-security"]
            assert hsts == "max-age=31536000; includeSubDomains", path


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_api_documentation_needs_no_other_host(client: TestClient, page: str) -> None:
    response = client.get(page)
    policy = response.headers["Content-Security-Policy"]
    assert "http" not in policy  # no other host
    assert "'unsafe-inline'" not in policy.split("style-src")[0]  # scripts by hash only
    assets = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert assets
    assert all(a.startswith("/docs-assets/") for a in assets), assets
    for asset in assets:
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        kind = answer.headers["content-type"]
        assert kind.split(";")[0] in {"text/javascript", "text/css", "image/png"}, (asset, kind)
