"""What the browser tests share: waiting for the search page, axe-core, the live API."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Dialog, Error, Locator, Page, expect

HOSTILE_SLUG = "hostile-payloads"
AXE = Axe()
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def axe_violations(page: Page) -> list[str]:
    """Every axe-core WCAG 2.1 A/AA violation on the page, one readable line each."""
    response: dict[str, Any] = AXE.run(page, options=WCAG_AA).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in response["violations"]
    ]


def heading(page: Page) -> Locator:
    return page.locator("#ui_results_heading")


def results(page: Page) -> Locator:
    return page.locator("#ui_list > li")


def settled(page: Page) -> None:
    """Wait until the search page has drawn an answer (results, no results or an error)."""
    page.wait_for_function(
        "() => { const r = document.getElementById('ui_results');"
        " return r && !r.hasAttribute('aria-busy') && document.getElementById('ui_list')"
        " && (document.querySelector('#ui_list > li, .empty, .notice-error') !== null); }"
    )


def open_search(page: Page, path: str = "/?lang=en") -> None:
    page.goto(path)
    settled(page)


def practice_ready(page: Page) -> None:
    expect(page.locator("#ui_practice h1")).to_be_visible()
    page.wait_for_function(
        "() => !document.getElementById('ui_practice').hasAttribute('aria-busy')"
    )


def api(base_url: str, path: str) -> Any:
    """GET a JSON document from the live server (to compute what the page should show)."""
    with urllib.request.urlopen(base_url + path, timeout=10) as response:
        return json.loads(response.read())


class PageProblems:
    """Dialogs, uncaught errors and console errors of one page, checked after the test."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.allow_console_errors = False

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_error(self, error: Error) -> None:
        self.errors.append(str(error))

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console.append(message.text)


@dataclass(frozen=True)
class Samples:
    """Practices of the running corpus with the features a test needs, found through the API."""

    rich: str  # a table, core elements and what can be adapted, an inferred tag
    french: str | None
    translated: str | None
    adapted: str | None
