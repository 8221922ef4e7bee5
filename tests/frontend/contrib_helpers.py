"""What the contribution and moderation browser tests share: tokens, signing in, the form."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page, expect

from indexer.casestudy.taxonomy import Taxonomy
from indexer.contributions.tokens import Tokens
from indexer.operations.config import Settings
from indexer.store import Store


@dataclass(frozen=True)
class Tokens3:
    """A contributor's and a moderator's token of the live server."""

    contributor: str
    moderator: str


def create_tokens(settings: Settings) -> Tokens3:
    """Tokens made through the core, in the live server's own store."""
    store = Store.open(settings.store_url, Taxonomy.load(settings.taxonomy_path))
    try:
        tokens = Tokens(store)
        return Tokens3(
            contributor=tokens.create("Casey Contributor", "contributor")[1],
            moderator=tokens.create("Morgan Moderator", "moderator")[1],
        )
    finally:
        store.close()


def sign_in(page: Page, token: str) -> None:
    page.locator("#ui_token").fill(token)
    page.locator("#ui_signin button[type=submit]").click()
    expect(page.locator(".session")).to_contain_text("(")


def fill_practice(page: Page, title: str, body: str) -> None:
    """Fill the form with a practice that validates (given the title is 5+ characters)."""
    page.locator("#f_title").fill(title)
    page.locator("#f_summary").fill(
        "Volunteers at the public library help newcomer families every week, at no cost."
    )
    page.locator("#f_province").select_option("SK")
    page.locator("#f_sectors-libraries").check()
    page.locator("#f_body").fill(body)


def send(base_url: str, method: str, path: str, token: str) -> int:
    request = urllib.request.Request(
        base_url + path, method=method, headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        status: int = response.status
        return status


def post_json(base_url: str, path: str, token: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(
        base_url + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        status: int = response.status
        return status


def search_slugs(base_url: str, query: str) -> list[str]:
    params = urllib.parse.urlencode({"q": query})
    with urllib.request.urlopen(f"{base_url}/api/search?{params}", timeout=10) as response:
        return [hit["slug"] for hit in json.loads(response.read())["hits"]]
