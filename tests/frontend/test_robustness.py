"""Hostile content renders inert, a failing API shows a message, phones do not scroll sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.frontend.helpers import (
    HOSTILE_SLUG,
    PageProblems,
    Samples,
    practice_ready,
    settled,
)

pytestmark = pytest.mark.browser
PAYLOAD = "<script>alert(1)</script>"


def assert_inert(page: Page) -> None:
    """No element, attribute or address from the content can run anything."""
    found = page.evaluate(
        """() => ({
            scripts: [...document.scripts].filter(s => s.type !== 'application/ld+json')
                .map(s => s.src),
            inline: [...document.scripts].filter(s => !s.src && s.type !== 'application/ld+json')
                .length,
            handlers: [...document.querySelectorAll('*')].filter(el =>
                [...el.attributes].some(a => a.name.startsWith('on'))).length,
            images: document.images.length,
            badLinks: [...document.querySelectorAll('[href],[src],[action]')].filter(el =>
                /^\\s*javascript:/i.test(el.getAttribute('href') || el.getAttribute('src')
                || el.getAttribute('action') || '')).length,
            styles: document.querySelectorAll('[style]').length,
        })"""
    )
    assert found["inline"] == 0
    assert all("/static/" in src for src in found["scripts"]), found["scripts"]
    assert found["handlers"] == 0
    assert found["images"] == 0
    assert found["badLinks"] == 0
    assert found["styles"] == 0


def test_the_hostile_entry_is_inert_in_results(app_page: Page) -> None:
    page = app_page
    page.goto("/?q=hostile+payloads&lang=en")
    settled(page)
    card = page.locator("#ui_list li").filter(has=page.locator(f"a[data-slug='{HOSTILE_SLUG}']"))
    expect(card.locator(".card-title")).to_contain_text(PAYLOAD)
    expect(card.locator(".card-summary")).to_contain_text('"><img src=x onerror=alert(1)>')
    card.locator(".card-title a").hover()
    assert_inert(page)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_hostile_entry_is_inert_on_its_page(app_page: Page, lang: str) -> None:
    page = app_page
    page.goto(f"/practices/{HOSTILE_SLUG}?lang={lang}")
    practice_ready(page)
    expect(page.locator("h1")).to_contain_text(PAYLOAD)
    glance = page.locator(".glance")
    expect(glance).to_contain_text("javascript:alert(1)")
    for link in page.locator(".prose a, .glance a").all():
        link.hover()
    expect(page.locator(".prose")).to_contain_text(PAYLOAD)
    expect(page.locator(".transfer .notes")).to_contain_text(PAYLOAD)
    page.wait_for_timeout(300)
    assert_inert(page)


def test_the_api_being_down_shows_a_message(app_page: Page, problems: PageProblems) -> None:
    problems.allow_console_errors = True
    page = app_page
    page.route("**/api/**", lambda route: route.abort())
    page.goto("/?q=refugee&lang=en")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("cannot be reached")
    page.unroute("**/api/**")
    alert.get_by_role("button", name="Try again").click()
    settled(page)
    expect(page.locator("#ui_list li").first).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)


def test_the_practice_page_says_when_the_api_is_down(
    app_page: Page, problems: PageProblems, samples: Samples
) -> None:
    problems.allow_console_errors = True
    page = app_page
    page.route("**/api/**", lambda route: route.abort())
    page.goto(f"/practices/{samples.rich}?lang=fr")
    expect(page.get_by_role("alert")).to_contain_text("injoignable")


@pytest.mark.parametrize(
    "path",
    ["/?q=refugee&sector=settlement-services", "/practices/{rich}", f"/practices/{HOSTILE_SLUG}"],
)
def test_a_320_pixel_phone_has_no_horizontal_scroll(
    app_page: Page, samples: Samples, path: str
) -> None:
    page = app_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path.format(rich=samples.rich) + ("&" if "?" in path else "?") + "lang=fr")
    page.wait_for_load_state("networkidle")
    if path.startswith("/?"):
        page.locator("#ui_filters_toggle").click()
        expect(page.locator("#ui_facets fieldset").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320


def test_wide_screens_use_the_width(app_page: Page) -> None:
    page = app_page
    page.set_viewport_size({"width": 1920, "height": 1000})
    page.goto("/?lang=en")
    settled(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    expect(page.locator("#ui_filters")).to_be_visible()
    expect(page.locator("#ui_filters_toggle")).to_be_hidden()
