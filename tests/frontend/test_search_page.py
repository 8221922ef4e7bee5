"""The search page in Chromium: typing, facets, chips, sort, pages, history, no results."""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Error, Page, Route, expect

from tests.frontend.helpers import PageProblems, api, heading, open_search, results

pytestmark = pytest.mark.browser


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_typing_searches_as_you_type_with_highlights(app_page: Page, base_url: str) -> None:
    page = app_page
    open_search(page)
    expect(heading(page)).to_have_text(re.compile(r"^\d+ practices$"))
    page.get_by_label("Search practices").press_sequentially("refugee", delay=40)
    expect(heading(page)).to_have_text(re.compile(r"practices? for “refugee”$"))
    expect(page).to_have_url(re.compile(r"[?&]q=refugee(&|$)"))
    marks = page.locator("#ui_list .card-title mark, #ui_list .card-summary mark")
    expect(marks.first).to_be_visible()
    assert any("refug" in text.lower() for text in marks.all_text_contents())
    # the count and the announcement agree with the API
    total = api(base_url, "/api/search?q=refugee")["total"]
    expect(heading(page)).to_have_text(re.compile(rf"^{total} practices? "))
    expect(page.locator("#ui_status")).to_have_text(re.compile(rf"^{total} practices? found"))


def test_typing_makes_one_history_entry(app_page: Page) -> None:
    page = app_page
    open_search(page)
    page.get_by_label("Search practices").press_sequentially("housing", delay=30)
    expect(page).to_have_url(re.compile(r"q=housing"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?lang=en$"))
    expect(page.get_by_label("Search practices")).to_have_value("")
    expect(heading(page)).to_have_text(re.compile(r"^\d+ practices$"))


def test_a_stale_response_never_overwrites_a_newer_one(app_page: Page, base_url: str) -> None:
    page = app_page
    open_search(page)
    held: list[Route] = []

    def hold_the_first_query(route: Route) -> None:
        if "q=mentoring" in route.request.url and not held:
            held.append(route)  # answered only after the newer query has been drawn
        else:
            route.continue_()

    page.route("**/api/search?*", hold_the_first_query)
    box = page.get_by_label("Search practices")
    box.fill("mentoring")
    page.wait_for_timeout(400)
    box.fill("housing")
    expect(heading(page)).to_have_text(re.compile(r"for “housing”$"))
    assert held, "the first query never reached the network"
    with contextlib.suppress(Error):  # the page may have aborted it already
        held[0].continue_()
    page.wait_for_timeout(500)
    expect(heading(page)).to_have_text(re.compile(r"for “housing”$"))
    housing = api(base_url, "/api/search?q=housing")["total"]
    expect(results(page)).to_have_count(min(housing, 20))


def test_facets_filter_with_counts_chips_and_url(app_page: Page, base_url: str) -> None:
    page = app_page
    open_search(page)
    facets = api(base_url, "/api/search")["facets"]["sector"]
    first, second = sorted(facets, key=lambda v: -facets[v])[:2]
    box = page.locator(f"#ui_f_sector_{first}")
    expect(box).not_to_be_checked()
    expect(page.locator(f"label[for='ui_f_sector_{first}'] .facet-count")).to_have_text(
        str(facets[first])
    )
    box.check()
    expect(page).to_have_url(re.compile(rf"sector={first}"))
    expect(heading(page)).to_have_text(re.compile(rf"^{facets[first]} practices?$"))
    expect(page.locator("#ui_chips .chip")).to_have_count(1)
    # a second value of the same facet widens the results (OR), counts stay disjunctive
    page.locator(f"#ui_f_sector_{second}").check()
    both = api(base_url, f"/api/search?sector={first}&sector={second}")
    expect(heading(page)).to_have_text(re.compile(rf"^{both['total']} practices?$"))
    assert query_of(page)["sector"] == [first, second]
    expect(page.locator(f"#ui_f_sector_{first}")).to_be_checked()
    # another facet narrows them (AND); its counts come from the API
    province = next(iter(both["facets"]["province"]))
    page.locator(f"#ui_f_province_{province}").check()
    narrowed = api(base_url, f"/api/search?sector={first}&sector={second}&province={province}")
    expect(heading(page)).to_have_text(re.compile(rf"^{narrowed['total']} practices?$"))
    expect(page.locator("#ui_chips .chip")).to_have_count(3)
    # removing a chip and clearing all
    page.locator("#ui_chips .chip").first.click()
    expect(page.locator("#ui_chips .chip")).to_have_count(2)
    expect(page.locator(f"#ui_f_sector_{first}")).not_to_be_checked()
    page.get_by_role("button", name="Clear all filters").click()
    expect(page.locator("#ui_chips")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/\?lang=en$"))


def test_back_forward_and_reload_keep_the_state(app_page: Page) -> None:
    page = app_page
    open_search(page, "/?q=refugee&lang=en")
    checkbox = page.locator("#ui_facet_sector input[type=checkbox]").first
    value = checkbox.get_attribute("value")
    checkbox.check()
    expect(page).to_have_url(re.compile(rf"sector={value}"))
    page.get_by_label("Sort by").select_option("title")
    expect(page).to_have_url(re.compile(r"sort=title"))
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"sort=title"))
    expect(page.get_by_label("Sort by")).to_have_value("relevance")
    expect(page.locator(f"#ui_f_sector_{value}")).to_be_checked()
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"sector="))
    expect(page.locator(f"#ui_f_sector_{value}")).not_to_be_checked()
    page.go_forward()
    expect(page.locator(f"#ui_f_sector_{value}")).to_be_checked()
    page.reload()
    expect(page.get_by_label("Search practices")).to_have_value("refugee")
    expect(page.locator(f"#ui_f_sector_{value}")).to_be_checked()
    expect(page.locator("#ui_chips .chip")).to_have_count(1)


def test_sort_and_pages(app_page: Page, base_url: str) -> None:
    page = app_page
    open_search(page, "/?sort=title&lang=en")
    everything = api(base_url, "/api/search?sort=title&per_page=100")
    titles = [hit["title"] for hit in everything["hits"]]
    expect(page.locator("#ui_list .card-title").first).to_have_text(titles[0])
    if everything["total"] <= 20:
        pytest.skip("the corpus fits on one page")
    page.locator("#ui_pages").get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#ui_list .card-title").first).to_have_text(titles[20])
    expect(heading(page)).to_be_focused()
    expect(page.locator("#ui_pages [aria-current=page]")).to_have_text("2")
    page.go_back()
    expect(page.locator("#ui_list .card-title").first).to_have_text(titles[0])


def test_no_results_offers_to_remove_filters_and_words(app_page: Page, base_url: str) -> None:
    page = app_page
    open_search(page, "/?q=zzqxwvkj&sector=housing&lang=en")
    empty = page.locator(".empty")
    expect(empty).to_contain_text("No practice matches your search")
    expect(heading(page)).to_have_text("No practices for “zzqxwvkj”")
    # each way out says what it would give
    without_words = api(base_url, "/api/search?sector=housing")["total"]
    expect(empty.get_by_role("button", name="Search without words")).to_have_text(
        re.compile(rf"\({without_words} practices?\)$")
    )
    expect(empty.get_by_role("button", name="Remove filter Sector: Housing")).to_have_text(
        re.compile(r"\((no practice|\d+ practices?)\)$")
    )
    empty.get_by_role("button", name="Remove filter Sector: Housing").click()
    expect(page).not_to_have_url(re.compile(r"sector="))
    page.locator(".empty").get_by_role("button", name="Search without words").click()
    expect(heading(page)).to_have_text(re.compile(r"^\d+ practices$"))
    expect(page.get_by_label("Search practices")).to_have_value("")


def test_words_left_out_are_shown(app_page: Page, base_url: str) -> None:
    page = app_page
    answer = api(base_url, "/api/search?q=refugee+zzqxwvkj")
    assert answer["dropped_words"] == ["zzqxwvkj"]
    open_search(page, "/?q=refugee+zzqxwvkj&lang=en")
    expect(page.locator(".notice-info")).to_contain_text("“zzqxwvkj”")
    expect(results(page)).to_have_count(min(answer["total"], 20))


def test_an_unknown_filter_value_in_a_link_is_dropped(
    app_page: Page, problems: PageProblems
) -> None:
    problems.allow_console_errors = True  # the browser logs the API's 422
    page = app_page
    page.goto("/?q=housing&sector=not-a-sector&sector=housing&lang=en")
    expect(page).to_have_url(re.compile(r"/\?q=housing&sector=housing&lang=en$"))
    expect(heading(page)).to_have_text(re.compile(r"for “housing”$"))
    expect(page.get_by_role("alert")).to_have_count(0)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_searches_say_the_readers_language(app_page: Page, lang: str) -> None:
    """The API breaks ties by it: of two equally good practices, the reader's comes first."""
    page = app_page
    with page.expect_request(re.compile(r"/api/search\?")) as request:
        open_search(page, f"/?q=housing&lang={lang}")
    assert parse_qs(urlparse(request.value.url).query)["lang"] == [lang]
