"""Screenshots of /submit and /moderate for the README (called by `bench/frontend.py
--screenshots`): tokens made through the core in the served data folder, one new practice
with a problem shown beside its field, one proposed edit open for review with its diff."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from indexer.casestudy.taxonomy import Taxonomy
from indexer.contributions.tokens import Tokens
from indexer.operations.config import Settings
from indexer.store import Store

EDITED = "employer-mentoring-circles-waterloo"


def _tokens(data: Path) -> tuple[str, str]:
    settings = Settings(data_dir=data)
    store = Store.open(settings.store_url, Taxonomy.load(settings.taxonomy_path))
    try:
        tokens = Tokens(store)
        return (
            tokens.create("Amina, Brandon LIP", "contributor")[1],
            tokens.create("Research partner", "moderator")[1],
        )
    finally:
        store.close()


def _propose_edit(url: str, token: str) -> None:
    with urllib.request.urlopen(f"{url}/api/practices/{EDITED}.md", timeout=10) as response:
        markdown = response.read().decode()
    changed = markdown.replace(
        "## Outcomes", "## Outcomes\n\nIn 2024, 41 of 52 mentees passed.\n", 1
    )
    request = urllib.request.Request(
        f"{url}/api/submissions?edits={EDITED}",
        data=changed.encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/markdown"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        json.loads(response.read())


def _sign_in(page: Page, token: str) -> None:
    page.locator("#ui_token").fill(token)
    page.locator("#ui_signin button[type=submit]").click()
    expect(page.locator(".session")).to_contain_text("(")


def take_work_screenshots(browser: Browser, url: str, data: Path, shots: Path) -> list[Path]:
    contributor, moderator = _tokens(data)
    _propose_edit(url, contributor)
    written = []
    for lang in ("en", "fr"):
        context = browser.new_context(
            base_url=url, viewport={"width": 1280, "height": 900}, locale="en-CA"
        )
        page = context.new_page()
        page.goto(f"/submit?lang={lang}")
        _sign_in(page, contributor)
        page.locator("#f_title").fill("Job")
        page.locator("#f_summary").fill("Volunteer engineers meet newcomers in small circles.")
        page.locator("#f_province").select_option("ON")
        expect(page.locator("#e_f_title")).not_to_be_empty()
        page.locator("#ui_summary").scroll_into_view_if_needed()
        page.screenshot(path=shots / f"submit-{lang}.png")
        page.locator(".session button").click()  # sign out
        page.goto(f"/moderate?lang={lang}")
        _sign_in(page, moderator)
        page.locator("a[data-id]").first.click()  # the proposed edit: the only one pending
        expect(page.locator(".diff")).to_be_visible()
        page.locator("#ui_item_heading").scroll_into_view_if_needed()
        page.screenshot(path=shots / f"moderate-{lang}.png")
        written += [shots / f"submit-{lang}.png", shots / f"moderate-{lang}.png"]
        context.close()
    return written
