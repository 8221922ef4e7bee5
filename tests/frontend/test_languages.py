"""English and French: the switch, the URL, the remembered choice, `lang` on content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.frontend.helpers import Samples, api, heading, practice_ready, settled

STRINGS = Path(__file__).resolve().parents[2] / "frontend" / "js" / "i18n.js"


def _keys(block: str) -> set[str]:
    return set(re.findall(r"^    (\w+):", block, re.MULTILINE))


def test_every_interface_string_exists_in_both_languages() -> None:
    source = STRINGS.read_text(encoding="utf-8")
    english = source.split("\n  en: {", 1)[1].split("\n  fr: {", 1)[0]
    french = source.split("\n  fr: {", 1)[1].split("\n};", 1)[0]
    assert _keys(english)
    assert _keys(english) == _keys(french)


@pytest.mark.browser
def test_the_language_switch_translates_and_is_remembered(app_page: Page, base_url: str) -> None:
    page = app_page
    page.goto("/?q=refugee&sector=housing&lang=en")
    settled(page)
    total = api(base_url, "/api/search?q=refugee&sector=housing")["total"]
    switch = page.locator("#ui_lang")
    expect(switch).to_have_text("Français")
    expect(switch).to_have_attribute("lang", "fr")
    switch.click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"q=refugee&sector=housing&lang=fr$"))
    expect(page.locator("h1")).to_have_text(re.compile("^Trouvez une pratique"))
    expect(page.locator("#ui_facet_sector > legend")).to_have_text("Secteur")
    expect(page.locator("label[for='ui_f_sector_housing'] .facet-label")).to_have_text("Logement")
    expect(heading(page)).to_have_text(re.compile(rf"^{total} pratiques? pour « refugee »$"))
    expect(page.get_by_label("Trier par")).to_be_visible()
    expect(page.get_by_role("button", name="Retirer le filtre Secteur : Logement")).to_be_visible()
    expect(page).to_have_title(re.compile("Base de connaissances"))
    assert page.evaluate("localStorage.getItem('lipkb.lang')") == "fr"
    # remembered: a bare address opens in French and says so in its URL
    page.goto("/")
    settled(page)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/\?lang=fr$"))
    # back returns to English, and the URL wins over the remembered choice
    page.goto("/?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(re.compile("^Find a practice"))


@pytest.mark.browser
def test_a_french_browser_gets_french_by_default(browser: Browser, base_url: str) -> None:
    context = browser.new_context(locale="fr-CA", base_url=base_url)
    try:
        page = context.new_page()
        page.goto("/")
        settled(page)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page).to_have_url(re.compile(r"/\?lang=fr$"))
        expect(heading(page)).to_have_text(re.compile(r"^\d+ pratiques$"))
    finally:
        context.close()


@pytest.mark.browser
def test_content_in_the_other_language_is_marked(
    app_page: Page, samples: Samples, base_url: str
) -> None:
    page = app_page
    english = api(base_url, f"/api/practices/{samples.rich}")
    # an English practice in the French interface
    page.goto(f"/practices/{samples.rich}?lang=fr")
    practice_ready(page)
    expect(page.locator("h1")).to_have_attribute("lang", "en")
    expect(page.locator(".prose")).to_have_attribute("lang", "en")
    expect(page.locator(".glance h2")).to_have_text("En bref")
    expect(page.locator(".glance h2")).not_to_have_attribute("lang", "en")
    expect(page.locator(".eyebrow .badge")).to_have_text("En anglais")
    page.goto(f"/?q={english['title'].split()[0]}&lang=fr")
    settled(page)
    expect(page.locator(f"#ui_list a[data-slug='{samples.rich}']")).to_have_attribute("lang", "en")
    if samples.french is None:
        pytest.skip("the corpus has no French practice")
    # a French practice in the English interface
    page.goto(f"/practices/{samples.french}?lang=en")
    practice_ready(page)
    expect(page.locator("h1")).to_have_attribute("lang", "fr")
    expect(page.locator(".prose")).to_have_attribute("lang", "fr")
    expect(page.locator(".glance h2")).to_have_text("At a glance")
    page.goto(f"/practices/{samples.french}?lang=fr")
    practice_ready(page)
    expect(page.locator("h1")).not_to_have_attribute("lang", "fr")  # same as the page's


@pytest.mark.browser
def test_the_practice_page_switches_language_in_place(app_page: Page, samples: Samples) -> None:
    page = app_page
    page.goto(f"/practices/{samples.rich}?lang=en")
    practice_ready(page)
    page.locator("#ui_lang").click()
    expect(page).to_have_url(re.compile(rf"/practices/{samples.rich}\?lang=fr$"))
    expect(page.locator(".glance h2")).to_have_text("En bref")
    expect(page.locator("#ui_back")).to_have_attribute("href", "/?lang=fr")
    page.go_back()
    expect(page.locator(".glance h2")).to_have_text("At a glance")
