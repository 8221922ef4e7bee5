"""WCAG 2.1 AA with axe-core on every page and state in both languages; keyboard alone."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from tests.frontend.helpers import (
    HOSTILE_SLUG,
    PageProblems,
    Samples,
    axe_violations,
    heading,
    practice_ready,
    settled,
)

pytestmark = pytest.mark.browser


def _search(path: str) -> Callable[[Page, Samples, str], None]:
    def visit(page: Page, samples: Samples, lang: str) -> None:
        page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        settled(page)

    return visit


def _practice(pick: Callable[[Samples], str | None]) -> Callable[[Page, Samples, str], None]:
    def visit(page: Page, samples: Samples, lang: str) -> None:
        slug = pick(samples)
        if slug is None:
            pytest.skip("the corpus has no such practice")
        page.goto(f"/practices/{slug}?lang={lang}")
        practice_ready(page)
        page.wait_for_load_state("networkidle")  # similar practices drawn too

    return visit


def _api_down(page: Page, samples: Samples, lang: str) -> None:
    page.route("**/api/search?*", lambda route: route.abort())
    page.goto(f"/?q=refugee&lang={lang}")
    expect(page.locator(".notice-error")).to_be_visible()


def _not_found(page: Page, samples: Samples, lang: str) -> None:
    page.goto(f"/practices/no-such-practice?lang={lang}")
    expect(page.locator(".not-found h1")).to_be_visible()


def _phone_with_filters_open(page: Page, samples: Samples, lang: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/?q=refugee&sector=settlement-services&lang={lang}")
    settled(page)
    page.locator("#ui_filters_toggle").click()
    expect(page.locator("#ui_facets fieldset").first).to_be_visible()


STATES: dict[str, Callable[[Page, Samples, str], None]] = {
    "search-empty": _search("/"),
    "search-results": _search("/?q=refugee"),
    "search-filters": _search("/?sector=settlement-services&factor=volunteer-based&page=1"),
    "search-no-results": _search("/?q=zzqxwvkj&sector=housing"),
    "search-closest": _search("/?q=zzqxwvkj"),  # nothing matches: the closest by meaning
    "search-api-down": _api_down,
    "search-phone-filters": _phone_with_filters_open,
    "practice": _practice(lambda s: s.rich),
    "practice-in-french": _practice(lambda s: s.french),
    "practice-hostile": _practice(lambda s: HOSTILE_SLUG),
    "practice-not-found": _not_found,
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("state", list(STATES))
def test_no_axe_violations(
    app_page: Page, problems: PageProblems, samples: Samples, state: str, lang: str
) -> None:
    problems.allow_console_errors = state in ("search-api-down", "practice-not-found")
    STATES[state](app_page, samples, lang)
    expect(app_page.locator("html")).to_have_attribute("lang", lang)
    assert axe_violations(app_page) == []


def _tab_to(page: Page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_alone_can_search_filter_open_and_come_back(app_page: Page) -> None:
    page = app_page
    page.goto("/?lang=en")
    settled(page)
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    _tab_to(page, "#ui_q")
    page.keyboard.type("refugee")
    expect(heading(page)).to_have_text(re.compile(r"for “refugee”$"))
    _tab_to(page, "#ui_facets input[type=checkbox]")
    focused = page.evaluate("document.activeElement.id")
    # focus is visible
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"sector="))
    expect(page.locator(f"#{focused}")).to_be_checked()
    expect(page.locator(f"#{focused}")).to_be_focused()  # redrawn, focus kept
    _tab_to(page, "#ui_list a[data-slug]")
    slug = page.evaluate("document.activeElement.dataset.slug")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/practices/{slug}"))
    practice_ready(page)
    _tab_to(page, "#ui_back")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Search practices")).to_have_value("refugee")
    expect(page.locator(f"#{focused}")).to_be_checked()


def test_results_are_announced_politely(app_page: Page) -> None:
    page = app_page
    page.goto("/?lang=en")
    settled(page)
    status = page.locator("#ui_status")
    expect(status).to_have_attribute("aria-live", "polite")
    page.get_by_label("Search practices").fill("housing")
    expect(status).to_have_text(re.compile(r"^\d+ practices? found|^No practice found"))


def test_facets_are_checkboxes_in_fieldsets_with_legends(app_page: Page) -> None:
    page = app_page
    page.goto("/?lang=en")
    settled(page)
    fieldsets = page.locator("#ui_facets > fieldset")
    assert fieldsets.count() >= 5
    for index in range(fieldsets.count()):
        expect(fieldsets.nth(index).locator("> legend")).not_to_be_empty()
    for box in page.locator("#ui_facets input").all():
        assert box.get_attribute("type") == "checkbox"
        expect(page.locator(f"label[for='{box.get_attribute('id')}']")).to_have_count(1)


def test_landmarks_and_skip_link(app_page: Page, samples: Samples) -> None:
    page = app_page
    for path in ("/?lang=en", f"/practices/{samples.rich}?lang=en"):
        page.goto(path)
        expect(page.get_by_role("banner")).to_have_count(1)
        expect(page.get_by_role("main")).to_have_count(1)
        expect(page.get_by_role("contentinfo")).to_have_count(1)
        expect(page.locator(".skip-link")).to_have_attribute("href", "#ui_main")
    page.goto("/?lang=en")
    expect(page.get_by_role("search")).to_have_count(1)


def test_a_route_failure_is_not_announced_as_a_crash(
    app_page: Page, problems: PageProblems
) -> None:
    problems.allow_console_errors = True

    def fail(route: Route) -> None:
        route.fulfill(
            status=500,
            content_type="application/problem+json",
            body='{"title": "Internal error", "status": 500, "detail": "boom"}',
        )

    page = app_page
    page.route("**/api/search?*", fail)
    page.goto("/?lang=en")
    expect(page.get_by_role("alert")).to_contain_text("boom")
