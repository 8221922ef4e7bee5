"""/docs and /redoc in a real browser with every other host unreachable: they render the
API's operations from our own assets, and the page's policy blocks nothing they need."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

OPERATION = "search_practices_api_search_get"
# Redoc's sidebar always tries its vendor's badge from that vendor's server; the policy
# blocks it before any request leaves the browser, and Redoc hides the broken image.
REDOC_BADGE = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.mark.parametrize(
    ("path", "operation", "badge"),
    [
        ("/docs", f"#operations-search-{OPERATION}", None),
        ("/redoc", f"[data-section-id*='{OPERATION}']", REDOC_BADGE),
    ],
)
def test_the_api_documentation_renders_with_no_other_host(
    page: Page, live_server: str, path: str, operation: str, badge: str | None
) -> None:
    foreign: list[str] = []

    def offline(route: Route) -> None:
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.route("**/*", offline)
    page.goto(live_server + path)
    expect(page.locator(operation).first).to_be_visible(timeout=30_000)
    assert foreign == []
    # Only the badge, whether or not its console line has arrived yet.
    assert [m for m in blocked if badge is None or f"'{badge}'" not in m] == []
