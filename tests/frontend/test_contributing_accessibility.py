"""axe-core (WCAG 2.1 AA) on /submit and /moderate in both languages: signed out, empty,
with problems shown, with a submission open; and both pages with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.frontend.contrib_helpers import Tokens3, fill_practice, sign_in
from tests.frontend.helpers import PageProblems, axe_violations

pytestmark = pytest.mark.browser
TITLE = "Accessible library homework club for newcomer teens"


def _submit(page: Page, title: str) -> None:
    fill_practice(page, title, "## Context\n\nTeens arriving mid-year needed help.\n")
    page.locator("#ui_send").click()
    expect(page.locator("#ui_done")).to_be_visible()


@pytest.fixture(scope="module")
def pending(browser: Browser, base_url: str, tokens: Tokens3) -> str:
    """One submission in the queue, made through the form."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/submit?lang=en")
    sign_in(page, tokens.contributor)
    _submit(page, TITLE)
    context.close()
    return TITLE


State = Callable[[Page, Tokens3, str], None]


def _signed_out(path: str) -> State:
    def visit(page: Page, tokens: Tokens3, lang: str) -> None:
        page.goto(f"{path}?lang={lang}")
        expect(page.locator("#ui_token")).to_be_visible()

    return visit


def _form_empty(page: Page, tokens: Tokens3, lang: str) -> None:
    page.goto(f"/submit?lang={lang}")
    sign_in(page, tokens.contributor)
    expect(page.locator("#ui_form")).to_be_visible()


def _form_with_problems(page: Page, tokens: Tokens3, lang: str) -> None:
    _form_empty(page, tokens, lang)
    page.locator("#f_title").fill("Tiny")
    page.locator("#f_reach").fill("many")
    page.locator("#ui_preview_button").click()
    expect(page.locator("#e_f_title")).not_to_be_empty()
    expect(page.locator("#ui_summary li").first).to_be_visible()


def _form_with_preview(page: Page, tokens: Tokens3, lang: str) -> None:
    _form_empty(page, tokens, lang)
    fill_practice(page, "A complete practice to preview", "## Context\n\nTeens needed help.\n")
    page.locator("#ui_preview_button").click()
    expect(page.locator("#ui_preview article h1")).to_be_visible()


def _queue(page: Page, tokens: Tokens3, lang: str) -> None:
    page.goto(f"/moderate?lang={lang}")
    sign_in(page, tokens.moderator)
    expect(page.locator("#ui_queue table")).to_be_visible()


def _open(page: Page, tokens: Tokens3, lang: str) -> None:
    _queue(page, tokens, lang)
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("#ui_approve")).to_be_visible()
    page.locator("#ui_reject").click()  # the "reason required" problem shown too
    expect(page.locator("#ui_reason_error")).not_to_be_empty()


def _contributor_on_moderate(page: Page, tokens: Tokens3, lang: str) -> None:
    page.goto(f"/moderate?lang={lang}")
    sign_in(page, tokens.contributor)
    expect(page.locator(".notice-error")).to_be_visible()


STATES: dict[str, State] = {
    "submit-signed-out": _signed_out("/submit"),
    "submit-empty": _form_empty,
    "submit-problems": _form_with_problems,
    "submit-preview": _form_with_preview,
    "moderate-signed-out": _signed_out("/moderate"),
    "moderate-queue": _queue,
    "moderate-open": _open,
    "moderate-not-allowed": _contributor_on_moderate,
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("state", list(STATES))
def test_no_axe_violations(
    app_page: Page, problems: PageProblems, tokens: Tokens3, pending: str, state: str, lang: str
) -> None:
    problems.allow_console_errors = True  # 422s of validation are logged by the browser
    STATES[state](app_page, tokens, lang)
    expect(app_page.locator("html")).to_have_attribute("lang", lang)
    assert axe_violations(app_page) == []


def _tab_to(page: Page, selector: str, text: str = "", limit: int = 400) -> None:
    """Press Tab until the focused element matches `selector` (and contains `text`)."""
    test = "([s, x]) => { const e = document.activeElement;"
    test += " return !!e && e.matches(s) && e.textContent.includes(x); }"
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(test, [selector, text]):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_alone_signs_in_fills_previews_and_submits(
    app_page: Page, problems: PageProblems, tokens: Tokens3
) -> None:
    problems.allow_console_errors = True
    page = app_page
    page.goto("/submit?lang=en")
    _tab_to(page, "#ui_token")
    page.keyboard.type(tokens.contributor)
    page.keyboard.press("Enter")
    _tab_to(page, "#f_title")
    page.keyboard.type("Keyboard-only newcomer welcome walks")
    page.keyboard.press("Tab")
    page.keyboard.type("Volunteers lead weekly walks that show newcomers the services of the town.")
    _tab_to(page, "#f_province")
    page.keyboard.press("ArrowDown")  # the first province
    _tab_to(page, "#f_sectors-libraries")
    page.keyboard.press("Space")
    expect(page.locator("#f_sectors-libraries")).to_be_checked()
    _tab_to(page, "#f_body")
    page.keyboard.press("Control+End")
    page.keyboard.type("A walk every Saturday morning, from the library to the clinic.")
    _tab_to(page, "#ui_preview_button")
    page.keyboard.press("Enter")
    expect(page.locator("#ui_preview_heading")).to_be_focused()
    expect(page.locator("#ui_preview article h1")).to_have_text(
        "Keyboard-only newcomer welcome walks"
    )
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#ui_send")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#ui_done")).to_be_focused()


def test_keyboard_alone_opens_a_submission_and_approves_it(
    app_page: Page, problems: PageProblems, tokens: Tokens3, base_url: str
) -> None:
    problems.allow_console_errors = True
    page = app_page
    page.goto("/submit?lang=en")
    sign_in(page, tokens.contributor)
    _submit(page, "Keyboard approval of a newcomer lunch club")
    page.locator(".session button").click()
    page.goto("/moderate?lang=en")
    _tab_to(page, "#ui_token")
    page.keyboard.type(tokens.moderator)
    page.keyboard.press("Enter")
    _tab_to(page, "a[data-id]", "Keyboard approval of a newcomer lunch club")
    page.keyboard.press("Enter")
    expect(page.locator("#ui_item_heading")).to_contain_text("Keyboard approval")
    _tab_to(page, "#ui_approve")
    page.keyboard.press("Enter")
    expect(page.locator("#ui_decided")).to_be_focused()
