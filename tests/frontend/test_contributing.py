"""Contributing and moderating in Chromium: the form, live validation beside the field, the
preview, submitting, approving, the practice in search, unpublishing, the 410 page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pydantic import BaseModel

from indexer.casestudy.schema import CaseStudy, Contact, Transferability
from indexer.casestudy.taxonomy import Taxonomy
from indexer.contributions.tokens import Tokens
from indexer.operations.config import Settings
from indexer.store import Store
from tests.frontend.contrib_helpers import (
    Tokens3,
    fill_practice,
    post_json,
    search_slugs,
    send,
    sign_in,
)
from tests.frontend.helpers import PageProblems, Samples, api, practice_ready, settled
from tests.frontend.test_pages_http import fetch

pytestmark = pytest.mark.browser
WORD = "zephyrine"  # in no seed practice: the search finds only what this test published
BODY = f"""## Context

Newcomer families in a small prairie town had nowhere to borrow winter clothing.

## What was done

The library opened a {WORD} winter clothing exchange staffed by volunteers every Saturday.
"""


def test_the_form_asks_for_every_front_matter_field(app_page: Page, tokens: Tokens3) -> None:
    page = app_page
    page.goto("/submit?lang=en")
    sign_in(page, tokens.contributor)
    asked = set(
        page.eval_on_selector_all("[data-field]", "nodes => nodes.map(n => n.dataset.field)")
    )
    nested: dict[str, type[BaseModel]] = {"transferability": Transferability, "contact": Contact}
    expected = set()
    for name in CaseStudy.model_fields:
        inner = nested.get(name)  # links are rows of a list: one field
        expected |= {f"{name}.{sub}" for sub in inner.model_fields} if inner else {name}
    assert asked == expected
    # required fields come first, and the body starts with the recommended headings
    order = page.eval_on_selector_all("[data-field]", "nodes => nodes.map(n => n.dataset.field)")
    assert order[:3] == ["title", "summary", "province"]
    assert page.locator("#f_body").input_value().startswith("## Context\n")
    # labels and definitions come from the taxonomy, in the page language
    expect(page.locator("label[for='f_sectors-libraries']")).to_have_text("Libraries")
    expect(page.locator("#d_f_sectors-libraries")).not_to_be_empty()


def test_french_form_has_french_labels_and_french_headings(app_page: Page, tokens: Tokens3) -> None:
    page = app_page
    page.goto("/submit?lang=fr")
    sign_in(page, tokens.contributor)
    expect(page.locator("#ui_heading")).to_have_text("Proposer une pratique")
    expect(page.locator("label[for='f_title']")).to_contain_text("Titre")
    page.locator("#f_language").select_option("fr")
    expect(page.locator("#f_body")).to_have_value(re.compile(r"^## Contexte\n"))


def test_a_wrong_token_is_refused_beside_the_field(app_page: Page, problems: PageProblems) -> None:
    problems.allow_console_errors = True  # the browser logs the 401
    page = app_page
    page.goto("/submit?lang=en")
    page.locator("#ui_token").fill("not-a-token")
    page.locator("#ui_token").press("Enter")
    expect(page.locator("#ui_token_error")).to_contain_text("not accepted")
    expect(page.locator("#ui_token")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#ui_form")).to_have_count(0)


def test_submit_moderate_publish_and_unpublish(
    app_page: Page, problems: PageProblems, tokens: Tokens3, base_url: str
) -> None:
    problems.allow_console_errors = True  # the 422s of live validation are logged
    page = app_page
    title = "Winter clothing exchange at the library"
    page.goto("/submit?lang=en")
    sign_in(page, tokens.contributor)
    fill_practice(page, "Tiny", BODY)
    # the problem appears beside its field, and in the summary
    expect(page.locator("#e_f_title")).not_to_be_empty()
    expect(page.locator("#f_title")).to_have_attribute("aria-invalid", "true")
    assert "e_f_title" in (page.locator("#f_title").get_attribute("aria-describedby") or "")
    expect(page.locator("#ui_summary")).to_contain_text("Title")
    page.locator("#f_title").fill(title)
    expect(page.locator("#e_f_title")).to_be_empty()
    expect(page.locator("#f_title")).not_to_have_attribute("aria-invalid", "true")
    page.locator("#ui_preview_button").click()
    expect(page.locator("#ui_preview article.practice h1")).to_have_text(title)
    expect(page.locator("#ui_preview .prose")).to_contain_text(WORD)
    page.locator("#ui_send").click()
    expect(page.locator("#ui_done")).to_be_focused()
    expect(page.locator("#ui_mine")).to_contain_text(title)
    expect(page.locator("#ui_mine")).to_contain_text("Waiting for review")
    assert search_slugs(base_url, WORD) == []

    page.locator(".session button").click()  # sign out
    page.goto("/moderate?lang=en")
    sign_in(page, tokens.moderator)
    page.get_by_role("link", name=title).click()
    expect(page.locator("#ui_item_heading")).to_contain_text(title)
    expect(page.locator(".preview article.practice h1")).to_have_text(title)
    page.locator("#ui_approve").click()
    expect(page.locator("#ui_decided")).to_have_text(f"Published: {title}")

    slugs = search_slugs(base_url, WORD)
    assert len(slugs) == 1
    slug = slugs[0]
    page.goto(f"/?q={WORD}&lang=en")
    settled(page)
    expect(page.locator("#ui_list > li")).to_have_count(1)
    page.goto(f"/practices/{slug}?lang=en")
    practice_ready(page)
    expect(page.locator("section.history li")).to_contain_text("Morgan Moderator")

    assert send(base_url, "DELETE", f"/api/practices/{slug}", tokens.moderator) == 204
    assert search_slugs(base_url, WORD) == []
    page.goto(f"/?q={WORD}&lang=en")
    settled(page)
    expect(page.locator("#ui_list > li")).to_have_count(0)
    status, _, _ = fetch(f"{base_url}/practices/{slug}", {"Accept": "text/html"})
    assert status == 410
    page.goto(f"/practices/{slug}?lang=fr")
    expect(page.locator(".not-found h1")).to_have_text("Pratique retirée")


def test_reject_needs_a_reason_and_the_author_sees_it(
    app_page: Page, problems: PageProblems, tokens: Tokens3
) -> None:
    problems.allow_console_errors = True
    page = app_page
    title = "Conversation circles at the curling rink"
    page.goto("/submit?lang=en")
    sign_in(page, tokens.contributor)
    fill_practice(page, title, BODY)
    page.locator("#ui_send").click()
    expect(page.locator("#ui_done")).to_be_visible()
    page.locator(".session button").click()
    page.goto("/moderate?lang=en")
    sign_in(page, tokens.moderator)
    page.get_by_role("link", name=title).click()
    page.locator("#ui_reject").click()
    expect(page.locator("#ui_reason_error")).not_to_be_empty()
    expect(page.locator("#ui_reason")).to_be_focused()
    page.locator("#ui_reason").fill("Please add the outcomes you measured.")
    page.locator("#ui_reject").click()
    expect(page.locator("#ui_decided")).to_have_text(f"Rejected: {title}")
    page.get_by_role("link", name="Back to the queue").click()
    expect(page.get_by_role("link", name=title)).to_have_count(0)  # the queue: pending only
    page.locator("#ui_filter_status").select_option("rejected")
    expect(page).to_have_url(re.compile(r"status=rejected"))
    expect(page.get_by_role("link", name=title)).to_have_count(1)
    page.locator(".session button").click()
    page.goto("/submit?lang=en")
    sign_in(page, tokens.contributor)
    row = page.locator("#ui_mine tr", has_text=title)
    expect(row).to_contain_text("Not accepted")
    expect(row).to_contain_text("Please add the outcomes you measured.")


def test_suggest_an_edit_starts_from_the_published_practice(
    app_page: Page, problems: PageProblems, tokens: Tokens3, samples: Samples
) -> None:
    page = app_page
    page.goto(f"/practices/{samples.rich}?lang=en")
    practice_ready(page)
    title = page.locator("#ui_practice h1").inner_text()
    page.get_by_role("link", name="Suggest an edit").click()
    expect(page).to_have_url(re.compile(rf"/submit\?.*edits={samples.rich}"))
    sign_in(page, tokens.contributor)
    expect(page.locator("#ui_heading")).to_contain_text(title)
    expect(page.locator("#f_title")).to_have_value(title)
    expect(page.locator("#f_body")).to_have_value(re.compile(r"\S"))
    page.locator("#f_community").fill("Nanaimo and the whole mid-island region")
    page.locator("#ui_send").click()
    expect(page.locator("#ui_mine")).to_contain_text("Edit")
    page.locator(".session button").click()
    page.goto("/moderate?lang=en&kind=edit")
    sign_in(page, tokens.moderator)
    page.get_by_role("link", name=title).first.click()
    # only what the contributor changed: the form keeps the published lists and their order
    expect(page.locator(".diff-add")).to_have_count(1)
    expect(page.locator(".diff-add")).to_contain_text("Nanaimo and the whole mid-island region")
    expect(page.locator(".diff-del")).to_have_count(1)


def test_upload_fills_the_form_or_lists_the_files_problems_with_lines(
    app_page: Page, problems: PageProblems, tokens: Tokens3, tmp_path: Path
) -> None:
    problems.allow_console_errors = True
    page = app_page
    page.goto("/submit?lang=en")
    sign_in(page, tokens.contributor)
    good = tmp_path / "good.md"
    good.write_text(
        "---\ntitle: Uploaded mentoring circles\nsummary: Volunteer mentors meet newcomers in "
        "small circles for six months.\nprovince: NS\nsectors: [employment]\n---\n\n"
        "## Context\n\nA small town.\n",
        encoding="utf-8",
    )
    page.locator("#ui_file").set_input_files(str(good))
    expect(page.locator("#f_title")).to_have_value("Uploaded mentoring circles")
    expect(page.locator("#f_province")).to_have_value("NS")
    expect(page.locator("#f_sectors-employment")).to_be_checked()
    expect(page.locator("#f_body")).to_have_value(re.compile("A small town"))
    bad = tmp_path / "bad.md"
    bad.write_text(good.read_text().replace("NS", "XX"), encoding="utf-8")
    page.locator("#ui_file").set_input_files(str(bad))
    expect(page.locator("#ui_summary")).to_contain_text("line 4")
    expect(page.locator("#ui_summary")).to_contain_text("Province or territory")


def test_the_moderator_drops_an_inferred_tag_and_adds_one(
    app_page: Page, problems: PageProblems, tokens: Tokens3, base_url: str
) -> None:
    problems.allow_console_errors = True
    page = app_page
    title = "Job fair corner at the town library"  # "job fair": the employment sector inferred
    page.goto("/submit?lang=en")
    sign_in(page, tokens.contributor)
    fill_practice(page, title, "## Context\n\nNewcomers asked where to meet employers.\n")
    page.locator("#ui_send").click()
    expect(page.locator("#ui_done")).to_be_visible()
    page.locator(".session button").click()
    page.goto("/moderate?lang=en")
    sign_in(page, tokens.moderator)
    page.get_by_role("link", name=title).click()
    inferred = page.locator(".inferred-tag[data-vocabulary=sectors][data-term=employment]")
    expect(inferred).to_contain_text("Employment")
    expect(inferred).to_contain_text("“job fair”")  # the words it came from
    inferred.get_by_label("Drop").check()
    page.locator("#ui_add_vocabulary").select_option("factors")
    page.locator("#ui_add_term").select_option("low-cost")
    page.locator("#ui_add_tag").click()
    expect(page.locator(".added-tags")).to_contain_text("Low cost")
    page.locator("#ui_approve").click()
    expect(page.locator("#ui_decided")).to_contain_text(title)
    hits = api(base_url, "/api/search?q=job+fair+corner+library")["hits"]
    slug = next(hit["slug"] for hit in hits if hit["title"] == title)
    published = api(base_url, f"/api/practices/{slug}")
    assert "employment" not in published["sectors"]
    assert "low-cost" in published["factors"]


def test_submitting_with_a_token_revoked_meanwhile_brings_back_the_sign_in_form(
    app_page: Page, problems: PageProblems, live_settings: Settings, tokens: Tokens3
) -> None:
    problems.allow_console_errors = True
    store = Store.open(live_settings.store_url, Taxonomy.load(live_settings.taxonomy_path))
    try:
        info, secret = Tokens(store).create("Soon revoked", "contributor")
        page = app_page
        page.goto("/submit?lang=en")
        sign_in(page, secret)
        Tokens(store).revoke(info.id)
    finally:
        store.close()
    fill_practice(page, "Sent after the token was revoked", "## Context\n\nText.\n")
    page.locator("#ui_send").click()
    expect(page.locator("#ui_token")).to_be_visible()
    expect(page.locator("#ui_status")).to_contain_text("not accepted")
    expect(page.locator("#ui_form")).to_have_count(0)
    assert page.evaluate("sessionStorage.getItem('lipkb.token')") is None
    sign_in(page, tokens.contributor)  # what was typed is still there
    expect(page.locator("#f_title")).to_have_value("Sent after the token was revoked")


def test_long_lists_come_in_pages(
    app_page: Page, live_settings: Settings, tokens: Tokens3, base_url: str
) -> None:
    store = Store.open(live_settings.store_url, Taxonomy.load(live_settings.taxonomy_path))
    try:
        _, secret = Tokens(store).create("Busy contributor", "contributor")
    finally:
        store.close()
    for n in range(21):
        body = {
            "title": f"Yukon paged practice number {n:02d}",
            "summary": "A practice sent many times over to fill more than one page of the queue.",
            "province": "YT",
            "sectors": ["libraries"],
            "body": "## Context\n\nText.\n",
        }
        assert post_json(base_url, "/api/submissions", secret, body) == 201
    page = app_page
    page.goto("/submit?lang=en")
    sign_in(page, secret)
    mine = page.locator("#ui_mine")
    expect(mine.locator("tbody tr")).to_have_count(20)
    expect(mine.locator(".pager")).to_contain_text("Page 1 of 2")
    mine.get_by_role("button", name="Next").click()
    expect(mine.locator("tbody tr")).to_have_count(1)
    expect(mine).to_contain_text("number 00")  # newest first: the first one sent is last
    page.locator(".session button").click()
    page.goto("/moderate?lang=en&province=YT")
    sign_in(page, tokens.moderator)
    expect(page.locator("#ui_queue_heading")).to_have_text("Submissions: 21")
    page.get_by_role("navigation", name="Pages of the queue").get_by_role(
        "button", name="Next"
    ).click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#ui_queue tbody tr")).to_have_count(1)
