"""The search page and the reader's language: `lang` sent with every search, practices in
the other language marked, and the closest practices by meaning when nothing matches."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page

from tests.frontend.helpers import open_search

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_search_says_the_readers_language(app_page: Page, lang: str) -> None:
    page = app_page
    with page.expect_request(re.compile(r"/api/search\?")) as request:
        open_search(page, f"/?q=housing&lang={lang}")
    assert parse_qs(urlparse(request.value.url).query)["lang"] == [lang]
