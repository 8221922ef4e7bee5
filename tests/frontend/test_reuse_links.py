"""Reuse in Chromium: the search page's feed and download links follow the search, and the
practice page carries its JSON-LD and its other-language link under the CSP."""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.frontend.helpers import HOSTILE_SLUG, api, open_search, practice_ready

pytestmark = pytest.mark.browser
SLUG = "employer-mentoring-circles-waterloo"
TRANSLATION = "cercles-de-mentorat-employeurs-waterloo"


def query(href: str | None) -> dict[str, list[str]]:
    assert href
    return parse_qs(urlparse(href).query)


def test_subscribe_and_download_follow_the_search(app_page: Page, base_url: str) -> None:
    page = app_page
    open_search(page, "/?q=mentoring&sector=employment&lang=en")
    subscribe = page.get_by_role("link", name="Subscribe to this search")
    expect(subscribe).to_be_visible()
    wanted = {"q": ["mentoring"], "sector": ["employment"], "lang": ["en"]}
    assert query(subscribe.get_attribute("href")) == wanted
    head = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    assert query(head.get_attribute("href")) == wanted
    page.get_by_role("checkbox", name=re.compile("^Education")).first.check()
    expect(subscribe).to_have_attribute("href", re.compile(r"sector=education"))
    assert "education" in query(head.get_attribute("href"))["sector"]
    downloads = page.get_by_role("list", name="Download these results:").get_by_role("link")
    expect(downloads).to_have_count(3)
    csv_link = page.get_by_role("link", name="CSV (spreadsheet)")
    params = query(csv_link.get_attribute("href"))
    assert params["format"] == ["csv"]
    assert params["q"] == ["mentoring"]
    assert set(params["sector"]) == {"employment", "education"}
    # What the link downloads is every result of that search.
    href = csv_link.get_attribute("href")
    with urllib.request.urlopen(base_url + str(href), timeout=30) as response:
        assert response.headers["Content-Disposition"].startswith("attachment;")
        rows = response.read().decode("utf-8-sig").splitlines()
    search = "/api/search?q=mentoring&sector=employment&sector=education&per_page=1"
    assert len(rows) - 1 == api(base_url, search)["total"]


def test_the_links_speak_french_on_the_french_page(app_page: Page) -> None:
    page = app_page
    open_search(page, "/?province=NB&lang=fr")
    subscribe = page.get_by_role("link", name="S’abonner à cette recherche")
    assert query(subscribe.get_attribute("href")) == {"province": ["NB"], "lang": ["fr"]}
    expect(page.get_by_role("link", name="Zip de fichiers Markdown")).to_be_visible()
    expect(page.get_by_role("heading", name="Réutiliser ces résultats")).to_be_visible()


def test_the_practice_page_carries_its_json_ld_and_other_language(
    app_page: Page, base_url: str
) -> None:
    page = app_page
    page.goto(f"/practices/{SLUG}?lang=en")
    practice_ready(page)
    data = page.locator('script[type="application/ld+json"]')
    expect(data).to_have_count(1)
    assert json.loads(data.text_content() or "") == api(base_url, f"/api/practices/{SLUG}.jsonld")
    french = page.locator('link[rel="alternate"][hreflang="fr"]')
    assert str(french.get_attribute("href")).endswith(f"/practices/{TRANSLATION}")


def test_hostile_text_stays_data_in_the_json_ld(app_page: Page, base_url: str) -> None:
    """Markup in every field of a practice neither closes the data block nor runs (the
    page's problems fixture fails the test on a dialog or a CSP error)."""
    page = app_page
    page.goto(f"/practices/{HOSTILE_SLUG}?lang=en")
    practice_ready(page)
    embedded = page.locator('script[type="application/ld+json"]').text_content() or ""
    expected = api(base_url, f"/api/practices/{HOSTILE_SLUG}.jsonld")
    assert json.loads(embedded) == expected
    assert "<" in json.dumps(expected, ensure_ascii=False)  # there was markup to keep inert
