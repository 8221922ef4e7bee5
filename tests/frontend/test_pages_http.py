"""The page and asset routes over HTTP: headers, content types, caching, the weight budget."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request
from email.message import Message

import pytest

from tests.frontend.helpers import HOSTILE_SLUG

BUDGET = 100 * 1024  # every asset of the search page, uncompressed


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def asset_paths(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


@pytest.mark.parametrize("path", ["/", "/?lang=fr", f"/practices/{HOSTILE_SLUG}"])
def test_pages_send_the_security_headers(live_server: str, path: str) -> None:
    status, headers, body = fetch(live_server + path)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-cache"
    assert b"<script>" not in body  # no inline script at all
    assert b'<html lang="fr">' in body if "lang=fr" in path else b'<html lang="en">' in body


def test_assets_have_types_versions_and_long_caching(live_server: str) -> None:
    _, _, html = fetch(live_server + "/")
    paths = asset_paths(html.decode())
    assert paths
    types = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
    for path in paths:
        status, headers, _ = fetch(live_server + path)
        assert status == 200, path
        assert re.match(r"^/static/v-[0-9a-f]{12}/", path)
        assert headers["Content-Type"].startswith(types[path[path.rindex(".") :]])
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert headers["X-Content-Type-Options"] == "nosniff"
    # an old or missing version is still served, but revalidated
    unversioned = re.sub(r"^/static/v-[0-9a-f]{12}/", "/static/", paths[-1])
    status, headers, _ = fetch(live_server + unversioned)
    assert (status, headers["Cache-Control"]) == (200, "no-cache")
    stale = re.sub(r"^/static/v-[0-9a-f]{12}/", "/static/v-000000000000/", paths[-1])
    assert fetch(live_server + stale)[1]["Cache-Control"] == "no-cache"


def test_assets_are_compressed_and_revalidated(live_server: str) -> None:
    url = live_server + "/static/css/app.css"
    status, headers, body = fetch(url, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    plain = fetch(url)[2]
    assert gzip.decompress(body) == plain
    assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/api/app.py",
        "/static/js/../../api/app.py",
        "/static/..%2f..%2fapi%2fapp.py",
        "/static/index.html",
        "/static/js/",
        "/static/nope.js",
        "/static/v-000000000000/../../README.md",
    ],
)
def test_nothing_outside_the_assets_is_served(live_server: str, path: str) -> None:
    status, headers, _ = fetch(live_server + path)
    assert status == 404
    assert headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("slug", ["no-such-practice", "UPPER", "a_b", "x" * 101, "%3Cscript%3E"])
def test_an_unknown_practice_page_is_404_with_the_shell(live_server: str, slug: str) -> None:
    status, headers, body = fetch(f"{live_server}/practices/{slug}")
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'id="ui_practice"' in body
    assert "unsafe-inline" not in headers["Content-Security-Policy"]


def test_a_path_in_place_of_a_slug_is_404(live_server: str) -> None:
    assert fetch(f"{live_server}/practices/..%2F..%2Fetc%2Fpasswd")[0] == 404


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/api/search?q=refugee", "application/json"),
        ("/api/taxonomy", "application/json"),
        (f"/api/practices/{HOSTILE_SLUG}", "application/json"),
        ("/healthz", "application/json"),
        ("/readyz", "application/json"),
        ("/openapi.json", "application/json"),
        ("/docs", "text/html"),
    ],
)
def test_pages_do_not_shadow_the_api(live_server: str, path: str, kind: str) -> None:
    status, headers, body = fetch(live_server + path)
    assert status == 200
    assert headers["Content-Type"].startswith(kind)
    assert b'id="ui_main"' not in body


def test_the_openapi_document_leaves_the_pages_out(live_server: str) -> None:
    _, _, body = fetch(live_server + "/openapi.json")
    assert b'"/practices/{slug}"' not in body
    assert b'"/static/' not in body


def _imports(source: str) -> list[str]:
    return re.findall(r'^import [^"]*"\./([\w-]+\.js)";', source, re.MULTILINE)


def test_the_search_page_weighs_under_100_kb(live_server: str) -> None:
    _, _, html = fetch(live_server + "/")
    total = len(html)
    seen: set[str] = set()
    queue = asset_paths(html.decode())
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        status, _, body = fetch(live_server + path)
        assert status == 200, path
        total += len(body)
        if path.endswith(".js"):
            base = path.rsplit("/", 1)[0]
            queue += [f"{base}/{name}" for name in _imports(body.decode())]
    assert any(path.endswith("/search.js") for path in seen)
    assert total < BUDGET, f"{total} bytes"
