"""The /fit page and the one-practice worksheet in Chromium, in English and French:
axe-core, keyboard alone, the profile in the URL, and the worksheet's print layout."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.frontend.helpers import HOSTILE_SLUG, api, axe_violations, practice_ready

pytestmark = pytest.mark.browser
RURAL = "our_province=MB&our_size=rural&francophone=1&resource=volunteer-based"
VERDICT_WORDS = {
    "en": {"Supports the fit", "Raises a concern", "Unknown"},
    "fr": {"Appuie l’adéquation", "Soulève une réserve", "Inconnu"},
}


def fit_ready(page: Page) -> None:
    expect(page.locator("#ui_fit_heading")).to_be_visible()
    page.wait_for_function(
        "() => !document.getElementById('ui_fit_results').hasAttribute('aria-busy')"
    )


def worksheet_ready(page: Page) -> None:
    expect(page.locator(".criteria-table")).to_be_visible()


def pdf_pages(page: Page) -> int:
    page.emulate_media(media="print")
    pdf = page.pdf(format="Letter")
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def _tab_to(page: Page, selector: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_fit_page_ranks_with_reasons_and_passes_axe(app_page: Page, lang: str) -> None:
    page = app_page
    page.goto(f"/fit?lang={lang}")
    expect(page.locator("#ui_fit_results .notice")).to_be_visible()  # asks for the profile
    assert axe_violations(page) == []
    page.goto(f"/fit?{RURAL}&lang={lang}")
    fit_ready(page)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#ui_our_province")).to_have_value("MB")
    expect(page.locator("#ui_francophone")).to_be_checked()
    first = page.locator("#ui_fit_results .result").first
    words = set(first.locator(".verdict-label strong").all_inner_texts())
    assert words <= VERDICT_WORDS[lang]
    assert words
    expect(first.locator(".verdict-icon").first).to_have_attribute("aria-hidden", "true")
    assert first.locator(".verdict-reason").count() >= 8
    assert axe_violations(page) == []


def test_keyboard_alone_fills_the_profile_and_the_url_carries_it(app_page: Page) -> None:
    page = app_page
    page.goto("/fit?lang=en")
    expect(page.locator("#ui_fit_results .notice")).to_be_visible()
    _tab_to(page, "#ui_our_province")
    page.keyboard.press("ArrowDown")  # the first province, Alberta
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    _tab_to(page, "#ui_our_size")
    page.keyboard.press("ArrowDown")  # rural
    _tab_to(page, "input[name=partner][value=needs-employer-partners]")
    page.keyboard.press("Space")
    _tab_to(page, "input[name=w_partners]")  # a radio group: Tab reaches the chosen one
    page.keyboard.press("ArrowRight")  # from "Matters" (2) to "Matters most" (3)
    expect(page.locator("input[name=w_partners][value='3']")).to_be_checked()
    _tab_to(page, "#ui_fit_form button[type=submit]")
    page.keyboard.press("Enter")
    fit_ready(page)
    expect(page).to_have_url(
        re.compile(r"our_province=AB&our_size=rural&partner=needs-employer-partners.*w_partners=3")
    )
    expect(page.locator("#ui_fit_heading")).to_be_focused()
    # The link reproduces the assessment: same profile, same order.
    order = page.locator("#ui_fit_results .card-title a").all_inner_texts()
    page.goto(page.url)
    fit_ready(page)
    assert page.locator("#ui_fit_results .card-title a").all_inner_texts() == order
    expect(page.locator("input[name=partner][value=needs-employer-partners]")).to_be_checked()


def test_the_search_filters_narrow_the_ranking(app_page: Page, base_url: str) -> None:
    page = app_page
    page.goto(f"/fit?{RURAL}&province=NB&lang=en")
    fit_ready(page)
    expected = api(base_url, "/api/search?province=NB")["total"]
    expect(page.locator("#ui_fit_heading")).to_have_text(f"{expected} practices ranked by fit")
    expect(page.get_by_role("link", name="Change the search")).to_have_attribute(
        "href", re.compile(r"^/\?province=NB")
    )


def test_the_practice_page_opens_the_worksheet(app_page: Page, base_url: str) -> None:
    page = app_page
    slug = "employer-mentoring-circles-waterloo"
    page.goto(f"/practices/{slug}?lang=en")
    practice_ready(page)
    page.get_by_role("link", name="Assess fit for my community").click()
    expect(page).to_have_url(re.compile(rf"/fit/{slug}\?lang=en$"))
    expect(page.locator(".worksheet-profile")).to_have_attribute("open", "")
    page.locator("#ui_our_province").select_option("ON")
    page.locator("#ui_our_size").select_option("rural")
    page.locator(".worksheet-profile button[type=submit]").click()
    worksheet_ready(page)
    expect(page).to_have_url(re.compile(rf"/fit/{slug}\?our_province=ON&our_size=rural"))
    partners = page.locator("tr", has_text="Are the partners it needs at your table?")
    expect(partners).to_contain_text("Raises a concern")
    expect(partners).to_contain_text("Not at your table: local employers.")
    core = api(base_url, f"/api/practices/{slug}")["sections"]["core-elements"].split("\n")[0]
    expect(page.locator(".worksheet-core")).to_contain_text(core.strip())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_worksheet_passes_axe_and_the_keyboard_rates_and_notes(
    app_page: Page, lang: str
) -> None:
    page = app_page
    page.goto(f"/fit/employer-mentoring-circles-waterloo?{RURAL}&lang={lang}")
    worksheet_ready(page)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert axe_violations(page) == []
    _tab_to(page, "#ui_notes_cost")
    page.keyboard.type("Our hall is free on Tuesdays.")
    _tab_to(page, "#ui_rating_cost")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#ui_rating_cost")).to_have_value("2")
    page.emulate_media(media="print")
    row = page.locator("tr", has=page.locator("#ui_rating_cost"))
    expect(row.locator(".print-notes")).to_have_text("Our hall is free on Tuesdays.")
    expect(row.locator(".print-rating")).to_have_text("2 / 5")
    expect(page.locator("#ui_rating_cost")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()


def _longest(base_url: str) -> list[str]:
    """The seed practices whose core and adaptable elements are longest (the worksheet's
    variable part), in each language."""
    hits = api(base_url, "/api/search?per_page=100")["hits"]
    sizes: list[tuple[int, str, str]] = []
    for hit in hits:
        if hit["slug"] == HOSTILE_SLUG:
            continue
        practice: dict[str, Any] = api(base_url, f"/api/practices/{hit['slug']}")
        sections = practice["sections"]
        size = len(sections.get("core-elements", "")) + len(sections.get("what-can-be-adapted", ""))
        sizes.append((size, hit["slug"], practice["language"]))
    sizes.sort(reverse=True)
    return [next(s for _, s, lang in sizes if lang == want) for want in ("en", "fr")]


def test_the_worksheet_prints_on_two_letter_pages(app_page: Page, base_url: str) -> None:
    """The longest worksheets, with a profile that makes every criterion apply."""
    page = app_page
    profile = f"{RURAL}&partner=needs-settlement-agency&resource=needs-paid-staff"
    for slug in _longest(base_url):
        for lang in ("en", "fr"):
            page.emulate_media(media="screen")
            page.goto(f"/fit/{slug}?{profile}&lang={lang}")
            worksheet_ready(page)
            pages = pdf_pages(page)
            assert 1 <= pages <= 2, f"{slug} ({lang}) prints on {pages} pages"


def test_hostile_practice_and_unknown_slug(app_page: Page, problems: Any) -> None:
    page = app_page
    page.goto(f"/fit/{HOSTILE_SLUG}?{RURAL}&lang=en")
    worksheet_ready(page)  # the payloads are text: no dialog opens (checked by `problems`)
    expect(page.locator("h1")).to_contain_text("<script>alert(1)</script>")
    assert page.locator(".worksheet img").count() == 0
    problems.allow_console_errors = True  # the browser logs the 404 itself
    response = page.goto("/fit/no-such-practice?lang=fr")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Pratique introuvable")
