"""The search page and the reader's language: `lang` sent with every search, practices in
the other language marked, and the closest practices by meaning when nothing matches."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.frontend.helpers import api, heading, open_search

pytestmark = pytest.mark.browser
NOTHING_MATCHES = "zzqxwvkj"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_search_says_the_readers_language(app_page: Page, lang: str) -> None:
    page = app_page
    with page.expect_request(re.compile(r"/api/search\?")) as request:
        open_search(page, f"/?q=housing&lang={lang}")
    assert parse_qs(urlparse(request.value.url).query)["lang"] == [lang]


def closest_of(base_url: str, query: str, lang: str) -> list[dict[str, Any]]:
    answer = api(base_url, f"/api/search?q={query}&lang={lang}")
    assert answer["total"] == 0
    closest: list[dict[str, Any]] = answer["closest"]
    if not closest:  # a capability of the engine, like those the conformance suite skips
        pytest.skip("the search engine offers no closest practices (no meaning search)")
    return closest


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_when_nothing_matches_the_closest_practices_are_offered_in_both_languages(
    app_page: Page, base_url: str, lang: str
) -> None:
    page = app_page
    closest = closest_of(base_url, NOTHING_MATCHES, lang)
    open_search(page, f"/?q={NOTHING_MATCHES}&lang={lang}")
    expect(page.locator(".empty h3")).to_be_visible()
    section = page.get_by_role(
        "region", name="Closest in meaning" if lang == "en" else "Les plus proches par le sens"
    )
    expect(section).to_be_visible()
    cards = section.locator(".result")
    expect(cards).to_have_count(len(closest))
    other = "fr" if lang == "en" else "en"
    for card, hit in zip(cards.all(), closest, strict=True):
        link = card.locator(".card-title a")
        expect(link).to_have_attribute("data-slug", hit["slug"])
        expect(link).to_have_attribute("href", f"/practices/{hit['slug']}?lang={lang}")
        if hit["language"] == other:  # the other language keeps its badge and lang
            expect(link).to_have_attribute("lang", other)
            expect(card.locator(".badge")).to_be_visible()
        else:
            expect(card.locator(".badge")).to_have_count(0)
    expect(page.locator("#ui_list > li")).to_have_count(0)  # not passed off as results
    expect(heading(page)).to_have_text(re.compile(r"^(No practices|Aucune pratique)"))
    expect(page.locator("#ui_status")).to_have_text(
        re.compile(r"close in meaning shown|proches? par le sens affichées?")
    )


def test_a_closest_practice_opens_like_a_result(app_page: Page, base_url: str) -> None:
    page = app_page
    first = closest_of(base_url, NOTHING_MATCHES, "en")[0]
    open_search(page, f"/?q={NOTHING_MATCHES}&lang=en")
    page.locator(f".closest a[data-slug='{first['slug']}']").click()
    expect(page).to_have_url(re.compile(rf"/practices/{first['slug']}\?lang=en$"))
    expect(page.locator("#ui_practice h1")).to_have_text(first["title"])
