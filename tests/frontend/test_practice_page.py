"""The practice page in Chromium: the case study, metadata, factors, links, downloads, print."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.frontend.helpers import PageProblems, Samples, api, open_search, practice_ready

pytestmark = pytest.mark.browser


def test_open_a_practice_and_come_back(app_page: Page) -> None:
    page = app_page
    search_url = "/?q=mentoring&sector=employment&lang=en"
    open_search(page, search_url)
    link = page.locator("#ui_list .card-title a").first
    slug = link.get_attribute("data-slug")
    title = link.text_content()
    link.click()
    expect(page).to_have_url(re.compile(rf"/practices/{slug}\?lang=en$"))
    practice_ready(page)
    expect(page.locator("h1")).to_have_text(title or "")
    page.get_by_role("link", name="Back to results").click()
    expect(page).to_have_url(re.compile(r"/\?q=mentoring&sector=employment&lang=en$"))
    expect(page.get_by_label("Search practices")).to_have_value("mentoring")
    expect(page.locator("#ui_f_sector_employment")).to_be_checked()
    # the browser's back button too, with focus back on the result that was opened
    page.locator(f"#ui_list a[data-slug='{slug}']").click()
    practice_ready(page)
    page.go_back()
    expect(page.locator(f"#ui_list a[data-slug='{slug}']")).to_be_focused()
    expect(page.locator("#ui_f_sector_employment")).to_be_checked()


def test_the_case_study_with_metadata_factors_and_sections(
    app_page: Page, samples: Samples, base_url: str
) -> None:
    page = app_page
    practice = api(base_url, f"/api/practices/{samples.rich}")
    taxonomy = api(base_url, "/api/taxonomy")["vocabularies"]
    page.goto(f"/practices/{samples.rich}?lang=en")
    practice_ready(page)
    expect(page).to_have_title(re.compile(re.escape(practice["title"])))
    expect(page.locator(".lead")).to_have_text(practice["summary"])
    glance = page.locator(".glance")
    province = next(t for t in taxonomy["province"]["terms"] if t["id"] == practice["province"])
    expect(glance).to_contain_text(province["label"]["en"])
    if practice["organization"]:
        expect(glance).to_contain_text(practice["organization"])
    # every factor with its definition from the taxonomy
    factors = {t["id"]: t for t in taxonomy["factors"]["terms"]}
    items = page.locator(".transfer .factor")
    expect(items).to_have_count(len(practice["factors"]))
    for factor in practice["factors"]:
        term = factors[factor]
        item = items.filter(has_text=term["label"]["en"]).first
        expect(item.locator("dd").first).to_have_text(term["definition"]["en"])
    # core elements and what can be adapted are set apart, with a label saying why
    core = page.locator(".prose section.kb-section-core-elements")
    expect(core.locator(".callout-label")).to_have_text(re.compile("Keep these"))
    adapt = page.locator(".prose section.kb-section-what-can-be-adapted")
    expect(adapt.locator(".callout-label")).to_have_text(re.compile("fit your community"))
    expect(page.locator(".prose .table-scroll table").first).to_be_visible()
    # inferred tags are shown distinctly
    inferred = [t for t in practice["tags"] if t["source"] == "inferred"]
    expect(page.locator(".tag-inferred, .factor-inferred")).to_have_count(len(inferred))
    # similar practices
    similar = api(base_url, f"/api/practices/{samples.rich}/similar")["practices"]
    expect(page.locator(".similar .card-title a")).to_have_count(len(similar))


def test_downloads_as_markdown_and_json(app_page: Page, samples: Samples) -> None:
    page = app_page
    page.goto(f"/practices/{samples.rich}?lang=en")
    practice_ready(page)
    markdown = page.get_by_role("link", name="Download Markdown")
    expect(markdown).to_have_attribute("download", f"{samples.rich}.md")
    response = page.request.get(markdown.get_attribute("href") or "")
    assert response.ok
    assert response.headers["content-type"].startswith("text/markdown")
    json_link = page.get_by_role("link", name="Download JSON")
    expect(json_link).to_have_attribute("download", f"{samples.rich}.json")
    assert page.request.get(json_link.get_attribute("href") or "").json()["slug"] == samples.rich


def test_links_to_the_translation_and_the_adapted_practice(
    app_page: Page, samples: Samples, base_url: str
) -> None:
    page = app_page
    if not samples.translated or not samples.adapted:
        pytest.skip("the corpus has no translated or adapted practice")
    translation = api(base_url, f"/api/practices/{samples.translated}")["translation"]
    page.goto(f"/practices/{samples.translated}?lang=en")
    practice_ready(page)
    link = page.locator(".related a", has_text=translation["title"])
    expect(link).to_have_attribute("href", f"/practices/{translation['slug']}?lang=en")
    expect(link).to_have_attribute("lang", translation["language"])
    adapted = api(base_url, f"/api/practices/{samples.adapted}")["adapted_from_practice"]
    page.goto(f"/practices/{samples.adapted}?lang=en")
    practice_ready(page)
    expect(page.locator(".related a", has_text=adapted["title"])).to_have_attribute(
        "href", f"/practices/{adapted['slug']}?lang=en"
    )


def test_an_unknown_practice_is_a_friendly_404(app_page: Page, problems: PageProblems) -> None:
    problems.allow_console_errors = True  # the browser logs the 404s themselves
    page = app_page
    response = page.goto("/practices/no-such-practice?lang=en")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Practice not found")
    page.get_by_role("link", name="Search the knowledge base").click()
    expect(page.locator("#ui_results_heading")).to_have_text(re.compile(r"practices$"))


def test_the_print_stylesheet_makes_a_handout(app_page: Page, samples: Samples) -> None:
    page = app_page
    page.goto(f"/practices/{samples.rich}?lang=en")
    practice_ready(page)
    page.emulate_media(media="print")
    for hidden in (".site-header", ".actions", ".similar", ".back", ".site-footer"):
        expect(page.locator(hidden)).to_be_hidden()
    for shown in ("h1", ".glance", ".transfer", ".prose", ".print-source"):
        expect(page.locator(shown)).to_be_visible()
    pdf = page.pdf(format="Letter")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 3


@pytest.mark.parametrize(("language", "heading"), [("en", "Adapted by:"), ("fr", "Adaptée par :")])
def test_the_practices_that_adapted_one_are_listed_in_both_languages(
    app_page: Page, base_url: str, language: str, heading: str
) -> None:
    page = app_page
    slug = "employer-mentoring-circles-waterloo"
    adapters = api(base_url, f"/api/practices/{slug}")["lineage"]["adapted_by"]
    assert adapters, "the seed corpus adapts this practice"
    page.goto(f"/practices/{slug}?lang={language}")
    practice_ready(page)
    item = page.locator(".related li", has_text=heading)
    for one in adapters:
        expect(item.locator(".adapted-by a", has_text=one["title"])).to_have_attribute(
            "href", f"/practices/{one['slug']}?lang={language}"
        )
