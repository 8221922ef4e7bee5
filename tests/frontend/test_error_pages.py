"""Page routes answer browsers with HTML error pages in the reader's language; the API,
assets and probes keep problem+json whatever the client accepts."""

from __future__ import annotations

import pytest

from tests.frontend.test_pages_http import fetch

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.mark.parametrize(
    ("headers", "lang", "title"),
    [
        (BROWSER, "en", "Page not found"),
        ({**BROWSER, "Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}, "fr", "Page introuvable"),
    ],
)
def test_an_unknown_page_is_an_html_404_in_the_readers_language(
    live_server: str, headers: dict[str, str], lang: str, title: str
) -> None:
    status, response, body = fetch(f"{live_server}/no/such/page", headers)
    assert status == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    html = body.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    assert f'href="/?lang={lang}"' in html  # a way back to search


def test_the_lang_of_the_address_wins_over_the_browsers(live_server: str) -> None:
    headers = {**BROWSER, "Accept-Language": "en-CA"}
    _, _, body = fetch(f"{live_server}/nothing-here?lang=fr", headers)
    assert '<html lang="fr">' in body.decode()


def test_hostile_text_in_the_address_is_not_echoed(live_server: str) -> None:
    status, _, body = fetch(f"{live_server}/no-such/%3Cscript%3Ealert(1)%3C%2Fscript%3E", BROWSER)
    assert status == 404
    assert b"<script>" not in body
    assert b"alert(1)" not in body


@pytest.mark.parametrize(
    "path", ["/api/practices/no-such-practice", "/api/nothing", "/static/x.js"]
)
def test_api_and_asset_errors_stay_problem_json_for_browsers(live_server: str, path: str) -> None:
    status, response, body = fetch(live_server + path, BROWSER)
    assert status == 404
    assert response["Content-Type"] == "application/problem+json"
    assert b'"status":404' in body.replace(b" ", b"")


def test_an_unknown_page_is_problem_json_for_clients_that_do_not_ask_for_html(
    live_server: str,
) -> None:
    status, response, _ = fetch(f"{live_server}/no/such/page", {"Accept": "application/json"})
    assert status == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/submit", "/moderate", "/submit?lang=fr", "/moderate?lang=fr"])
def test_the_work_pages_are_shells_with_the_security_headers(live_server: str, path: str) -> None:
    status, response, body = fetch(live_server + path, BROWSER)
    assert status == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert b"<script>" not in body
    lang = "fr" if "lang=fr" in path else "en"
    assert f'<html lang="{lang}">'.encode() in body
