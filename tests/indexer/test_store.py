"""The store on SQLite and (when LIPKB_TEST_DATABASE_URL is set) PostgreSQL."""

from __future__ import annotations

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.practice import Practice
from indexer.casestudy.writer import write
from indexer.store import Store

TEXT = """---
slug: seniors-tea
title: Seniors' tea for newcomer elders
summary: A monthly tea where newcomer seniors meet long-time residents at the seniors' centre.
province: MB
community: Brandon
sectors: [seniors-services]
transferability:
  factors: [low-cost]
evidence: emerging
---

## Context

Volunteers from the seniors' centre pour tea. A public health nurse visits twice a year;
the public health nurse checks blood pressure and public health staff answer questions.
"""


def practice(pipeline: Pipeline, text: str = TEXT) -> Practice:
    checked = pipeline.check(text, "tea.md")
    assert checked.practice is not None, checked.problems
    return checked.practice


def test_a_new_practice_is_added_with_its_first_revision(store: Store, pipeline: Pipeline) -> None:
    assert store.is_empty()
    assert store.save(practice(pipeline), "file:tea.md", author="test") == "added"
    stored = store.get("seniors-tea")
    assert stored is not None
    assert stored.practice == practice(pipeline)
    assert stored.revision == 1
    assert stored.source == "file:tea.md"
    revisions = store.revisions("seniors-tea")
    assert [r.number for r in revisions] == [1]
    assert revisions[0].markdown == write(practice(pipeline).case_study)


def test_saving_the_same_content_again_changes_nothing(store: Store, pipeline: Pipeline) -> None:
    store.save(practice(pipeline), "file:tea.md", author="test")
    before = store.get("seniors-tea")
    assert store.save(practice(pipeline), "file:tea.md", author="test") == "unchanged"
    assert store.get("seniors-tea") == before
    assert len(store.revisions("seniors-tea")) == 1


def test_a_changed_file_is_a_new_revision(store: Store, pipeline: Pipeline) -> None:
    store.save(practice(pipeline), "file:tea.md", author="test")
    changed = practice(pipeline, TEXT.replace("monthly tea", "weekly tea"))
    assert store.save(changed, "file:tea.md", author="test") == "updated"
    stored = store.get("seniors-tea")
    assert stored is not None
    assert stored.revision == 2
    assert stored.practice.case_study.summary.startswith("A weekly tea")
    assert [r.number for r in store.revisions("seniors-tea")] == [1, 2]
    assert "monthly tea" in store.revisions("seniors-tea")[0].markdown


def test_tags_keep_their_source_and_evidence(store: Store, pipeline: Pipeline) -> None:
    store.save(practice(pipeline), "file:tea.md", author="test")
    stored = store.get("seniors-tea")
    assert stored is not None
    by_term = {tag.term: tag for tag in stored.practice.tags}
    assert by_term["seniors-services"].source == "author"
    assert by_term["low-cost"].source == "author"
    # "public health" three times in the body: inferred, with the phrase as its evidence,
    # read back through the JSON column of each database.
    assert by_term["health"].source == "inferred"
    assert by_term["health"].evidence == ("public health",)
    assert stored.practice.tags == practice(pipeline).tags


def test_each_revision_says_who_and_which_fields_changed(store: Store, pipeline: Pipeline) -> None:
    store.save(practice(pipeline), "file:tea.md", author="cli:ana")
    edited = TEXT.replace("monthly tea", "weekly tea").replace("evidence: emerging", "")
    edited = edited.replace("Volunteers from", "Retired volunteers from")
    store.save(practice(pipeline, edited), "file:tea.md", author="moderator-bo", note="weekly")
    first, second = store.revisions("seniors-tea")
    assert (first.number, first.author, first.note) == (1, "cli:ana", None)
    assert first.changed == [
        "slug", "title", "summary", "province", "community", "sectors", "transferability",
        "evidence", "language", "license", "body",
    ]  # fmt: skip
    assert (second.number, second.author, second.note) == (2, "moderator-bo", "weekly")
    assert second.changed == ["summary", "evidence", "body"]
    assert second.source == "file:tea.md"
    assert "weekly tea" in second.markdown
    assert first.created_at <= second.created_at


def test_an_unpublished_practice_keeps_its_revisions_and_leaves_the_counts(
    store: Store, pipeline: Pipeline
) -> None:
    store.save(practice(pipeline), "file:tea.md", author="test")
    assert store.unpublish("seniors-tea", author="moderator-bo", note="duplicate") is True
    assert store.unpublish("seniors-tea", author="moderator-bo") is False  # already out
    assert store.unpublish("no-such-practice", author="moderator-bo") is False
    stored = store.get("seniors-tea")
    assert stored is not None
    assert not stored.published
    assert (stored.unpublished_by, stored.unpublished_note) == ("moderator-bo", "duplicate")
    assert store.count() == 0
    assert list(store.iter_all()) == []
    assert store.is_empty() is False  # so a first start does not reload content over it
    assert len(store.revisions("seniors-tea")) == 1
    # The same text published again brings it back, as a new revision.
    assert store.save(practice(pipeline), "file:tea.md", author="test") == "added"
    back = store.get("seniors-tea")
    assert back is not None
    assert back.published
    assert back.revision == 2
    assert store.count() == 1


def test_iterating_returns_every_practice_once(store: Store, pipeline: Pipeline) -> None:
    for number in range(7):
        text = TEXT.replace("slug: seniors-tea", f"slug: seniors-tea-{number}")
        store.save(practice(pipeline, text), f"file:tea-{number}.md", author="test")
    assert store.is_empty() is False
    slugs = [stored.slug for stored in store.iter_all(batch_size=3)]
    assert sorted(slugs) == [f"seniors-tea-{n}" for n in range(7)]
    assert store.count() == 7


def test_opening_a_store_twice_keeps_its_data(store: Store, pipeline: Pipeline) -> None:
    store.save(practice(pipeline), "file:tea.md", author="test")
    again = Store.open(store.engine.url.render_as_string(hide_password=False), store.taxonomy)
    assert again.get("seniors-tea") is not None
    again.close()


def test_a_title_ending_in_dashes_does_not_confuse_the_history(
    store: Store, pipeline: Pipeline
) -> None:
    text = TEXT.replace("title: Seniors' tea for newcomer elders", "title: Seniors' tea ---")
    store.save(practice(pipeline, text), "file:tea.md", author="test")
    edited = text.replace("pour tea.", "pour tea and coffee.")
    store.save(practice(pipeline, edited), "file:tea.md", author="test")
    assert store.revisions("seniors-tea")[1].changed == ["body"]
